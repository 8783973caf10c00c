import CadenceKit
import Foundation

/// The output of a batch on standard error: one line per routine as it finishes (rendered, up to
/// date, or failed with its error), and, on a terminal, a live line per routine being rendered.
final class BatchProgress {
    private let items: [BatchItem]
    private let live: Bool
    private let quiet: Bool
    private let lock = NSLock()
    private var active: [Int: Int] = [:]   // item -> percent
    private var drawnLines = 0

    init(items: [BatchItem], quiet: Bool) {
        self.items = items
        self.quiet = quiet
        live = !quiet && isatty(STDERR_FILENO) == 1
    }

    func started(_ index: Int) {
        lock.withLock {
            active[index] = 0
            redraw(finishedLine: nil)
        }
    }

    func progress(_ index: Int, _ fraction: Double) {
        guard live else { return }
        lock.withLock {
            let percent = Int(fraction * 100)
            guard active[index] != nil, active[index] != percent else { return }
            active[index] = percent
            redraw(finishedLine: nil)
        }
    }

    func finished(_ index: Int, _ outcome: BatchOutcome, seconds: TimeInterval) {
        let item = items[index]
        var lines: [String] = []
        switch outcome {
        case .rendered:
            if !quiet { lines.append("rendered    \(item.routine) -> \(item.output)  (\(String(format: "%.1f", seconds)) s)") }
        case .upToDate:
            if !quiet { lines.append("up to date  \(item.routine) -> \(item.output)") }
        case .failed(let error):
            if !quiet { lines.append("failed      \(item.routine)") }
            lines.append("\(error)")
        }
        lock.withLock {
            active[index] = nil
            redraw(finishedLine: lines.isEmpty ? nil : lines.joined(separator: "\n"))
        }
    }

    /// Clears the live lines, prints `finishedLine` above them, and draws them again.
    private func redraw(finishedLine: String?) {
        var text = ""
        if live, drawnLines > 0 { text += "\u{1B}[\(drawnLines)A\u{1B}[J" }
        if let finishedLine { text += finishedLine + "\n" }
        drawnLines = 0
        if live {
            for (index, percent) in active.sorted(by: { $0.key < $1.key }) {
                let width = 20
                let filled = width * percent / 100
                text += "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
                    + "] \(String(format: "%3d", percent))%  \(items[index].routine)\n"
                drawnLines += 1
            }
        }
        if !text.isEmpty { StandardError.writeRaw(text) }
    }

    func summary(_ outcomes: [BatchOutcome]) {
        guard !quiet else { return }
        var rendered = 0, upToDate = 0, failed = 0
        for outcome in outcomes {
            switch outcome {
            case .rendered: rendered += 1
            case .upToDate: upToDate += 1
            case .failed: failed += 1
            }
        }
        StandardError.write("rendered \(rendered), up to date \(upToDate), failed \(failed)")
    }
}
