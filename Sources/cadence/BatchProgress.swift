import CadenceKit
import Foundation
import Synchronization

/// The output of a batch on standard error: one line per routine as it finishes (rendered, up to
/// date, or failed with its error), and, on a terminal, a live line per routine being rendered.
/// Called from the batch's worker threads.
final class BatchProgress: Sendable {
    private let items: [BatchItem]
    private let live: Bool
    private let quiet: Bool
    private struct Lines {
        var active: [Int: Int] = [:]  // item -> percent
        var drawn = 0
    }

    private let lines = Mutex(Lines())

    init(items: [BatchItem], quiet: Bool) {
        self.items = items
        self.quiet = quiet
        live = !quiet && Console.errorIsTerminal
    }

    func started(_ index: Int) {
        lines.withLock { lines in
            lines.active[index] = 0
            redraw(&lines, finishedLine: nil)
        }
    }

    func progress(_ index: Int, _ fraction: Double) {
        guard live else { return }
        lines.withLock { lines in
            let percent = Int(fraction * 100)
            guard lines.active[index] != nil, lines.active[index] != percent else { return }
            lines.active[index] = percent
            redraw(&lines, finishedLine: nil)
        }
    }

    func finished(_ index: Int, _ outcome: BatchOutcome, seconds: TimeInterval) {
        let item = items[index]
        var lines: [String] = []
        let routine = PathBytes.display(item.routine), output = PathBytes.display(item.output)
        switch outcome {
        case .rendered:
            if !quiet { lines.append("rendered    \(routine) -> \(output)  (\(String(format: "%.1f", seconds)) s)") }
        case .upToDate:
            if !quiet { lines.append("up to date  \(routine) -> \(output)") }
        case .failed(let error):
            if !quiet { lines.append("failed      \(routine)") }
            lines.append("\(error)")
        }
        self.lines.withLock { state in
            state.active[index] = nil
            redraw(&state, finishedLine: lines.isEmpty ? nil : lines.joined(separator: "\n"))
        }
    }

    /// A warning about a routine (a spoken line that does not fit), printed above the live lines
    /// even with --quiet.
    func warn(_ text: String) {
        lines.withLock { state in redraw(&state, finishedLine: text) }
    }

    /// Clears the live lines, prints `finishedLine` above them, and draws them again.
    private func redraw(_ lines: inout Lines, finishedLine: String?) {
        var text = ""
        if live, lines.drawn > 0 { text += "\u{1B}[\(lines.drawn)A\u{1B}[J" }
        if let finishedLine { text += finishedLine + "\n" }
        lines.drawn = 0
        if live {
            for (index, percent) in lines.active.sorted(by: { $0.key < $1.key }) {
                let width = 20
                let filled = width * percent / 100
                text +=
                    "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
                    + "] \(String(format: "%3d", percent))%  \(PathBytes.display(items[index].routine))\n"
                lines.drawn += 1
            }
        }
        if !text.isEmpty { Console.raw(text) }
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
        Console.message("rendered \(rendered), up to date \(upToDate), failed \(failed)")
    }
}
