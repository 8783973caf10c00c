import Foundation

/// A progress bar on standard error, drawn only when standard error is a terminal.
struct ProgressBar {
    private let label: String
    private let enabled: Bool
    private var lastPercent = -1

    init(label: String, quiet: Bool) {
        self.label = label
        enabled = !quiet && Console.errorIsTerminal
    }

    mutating func update(_ fraction: Double) {
        guard enabled else { return }
        let percent = Int((fraction * 100).rounded(.down))
        guard percent != lastPercent else { return }
        lastPercent = percent
        let width = 30
        let filled = width * percent / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        Console.raw("\r[\(bar)] \(String(format: "%3d", percent))%  \(label)")
    }

    func finish() {
        guard enabled, lastPercent >= 0 else { return }
        Console.raw("\r\u{1B}[K")
    }
}
