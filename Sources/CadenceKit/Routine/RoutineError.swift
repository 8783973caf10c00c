/// Why a routine file was rejected: every problem found in it (up to `RoutineError.maximumReported`),
/// each printed as `FILE:LINE:COLUMN: error: MESSAGE`, then the source line and a caret.
public struct RoutineError: Error, Sendable, CustomStringConvertible {
    /// The most problems one run reports for one file.
    public static let maximumReported = 20

    public var path: String
    public var diagnostics: [Diagnostic]
    /// The file's text as far as it could be read, for the source snippets.
    var source: String

    init(path: String, diagnostics: [Diagnostic], source: String) {
        self.path = path
        // In file order (the sort is stable, so problems at one place keep the order they were found in).
        let ordered = diagnostics.enumerated().sorted { ($0.element.position, $0.offset) < ($1.element.position, $1.offset) }
        self.diagnostics = Array(ordered.map(\.element).prefix(Self.maximumReported))
        self.source = source
    }

    public var description: String {
        let lines = SourceLines(source)
        return diagnostics.map { diagnostic in
            let head = "\(path):\(diagnostic.position.line):\(diagnostic.position.column): error: \(diagnostic.message)"
            guard let snippet = lines.snippet(at: diagnostic.position) else { return head }
            return head + "\n" + snippet
        }.joined(separator: "\n")
    }
}

/// The lines of a source text, for showing a line with a caret under one column.
struct SourceLines {
    private let lines: [Substring]

    init(_ text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// The line at `position` and a caret under its column, or nil when the line does not exist.
    /// Control characters in the shown line are replaced so the terminal shows what the file holds.
    func snippet(at position: SourcePosition) -> String? {
        guard position.line >= 1, position.line <= lines.count else { return nil }
        var line = String(lines[position.line - 1])
        if line.hasSuffix("\r") { line.removeLast() }
        let shown = String(String.UnicodeScalarView(line.unicodeScalars.map { scalar in
            scalar.value < 0x20 || scalar.value == 0x7F ? "\u{FFFD}" : scalar
        }))
        let caretOffset = max(0, min(position.column - 1, shown.unicodeScalars.count))
        return shown + "\n" + String(repeating: " ", count: caretOffset) + "^"
    }
}
