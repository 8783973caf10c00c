/// Why a routine file was rejected: every problem found in it (up to `RoutineError.maximumReported`),
/// each printed as `FILE:LINE:COLUMN: error: MESSAGE`, then the source line and a caret.
public struct RoutineError: CadenceError {
    /// The most problems one run reports for one file.
    public static let maximumReported = 20

    public var exitStatus: ExitStatus { .invalidRoutine }
    public var path: String? { file }
    /// The first problem's message (`description` gives every one, with positions and snippets).
    public var message: String { diagnostics.first?.message ?? "not a valid routine" }

    public var file: String
    public var diagnostics: [Diagnostic]
    /// The file's text as far as it could be read, for the source snippets.
    var source: String

    /// How many more problems were found than are shown.
    public var notShown: Int

    init(path: String, diagnostics: [Diagnostic], source: String, notShown: Int = 0) {
        file = path
        self.notShown = notShown + max(0, diagnostics.count - Self.maximumReported)
        // Positions are kept inside the file (the YAML parser can point one line past the end of a
        // file without a final line break), then put in file order (the sort is stable, so problems
        // at one place keep the order they were found in).
        let lines = SourceLines(source)
        let placed = diagnostics.map { Diagnostic(lines.clamp($0.position), RoutineParser.escapingControls($0.message)) }
        let ordered = placed.enumerated().sorted { ($0.element.position, $0.offset) < ($1.element.position, $1.offset) }
        self.diagnostics = Array(ordered.map(\.element).prefix(Self.maximumReported))
        self.source = source
    }

    public var description: String {
        let lines = SourceLines(source)
        return diagnostics.map { diagnostic in
            let head = "\(PathBytes.display(file)):\(diagnostic.position.line):\(diagnostic.position.column): error: \(diagnostic.message)"
            guard let snippet = lines.snippet(at: diagnostic.position) else { return head }
            return head + "\n" + snippet
        }.joined(separator: "\n")
            + (notShown == 0
                ? ""
                : "\n\(PathBytes.display(file)): \(notShown) more "
                    + (notShown == 1 ? "error" : "errors") + " not shown (the first \(Self.maximumReported) are)")
    }
}

/// The lines of a source text, for showing a line with a caret under one column.
struct SourceLines {
    /// A character as it is shown in a snippet: control characters as visible pictures.
    static func visible(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
        switch scalar.value {
        case 0x00..<0x20: return Unicode.Scalar(0x2400 + scalar.value)!
        case 0x7F: return "\u{2421}"
        case 0x80..<0xA0, 0x2028, 0x2029: return "\u{FFFD}"
        default: return scalar
        }
    }

    /// Lines as Unicode scalars, split at LF (a CR before it is dropped).
    private let lines: [[Unicode.Scalar]]
    /// At most this many characters of a line are shown, around the column.
    static let shownWidth = 120

    init(_ text: String) {
        lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var scalars = Array(line)
            if scalars.last == "\r" { scalars.removeLast() }
            return scalars
        }
    }

    /// `position` moved inside the text: to its last line, and at most one column past a line's end.
    func clamp(_ position: SourcePosition) -> SourcePosition {
        guard !lines.isEmpty else { return SourcePosition(line: 1, column: 1) }
        let line = min(max(1, position.line), lines.count)
        let column = min(max(1, position.column), lines[line - 1].count + 1)
        return SourcePosition(line: line, column: column)
    }

    /// The line at `position` and a caret under its column, or nil when the line does not exist.
    /// A long line is cut to a window around the column; a tab is shown as ␉ and other control
    /// characters as their control pictures (␀ ... ␟, ␡), one column each, so the caret stays under
    /// its column and nothing raw reaches the terminal.
    func snippet(at position: SourcePosition) -> String? {
        guard position.line >= 1, position.line <= lines.count else { return nil }
        let line = lines[position.line - 1]
        var column = max(0, min(position.column - 1, line.count))
        var start = 0, end = line.count
        if line.count > Self.shownWidth {
            start = max(0, min(column - Self.shownWidth / 2, line.count - Self.shownWidth))
            end = min(line.count, start + Self.shownWidth)
        }
        var shown = start > 0 ? "…" : ""
        let prefixWidth = shown.unicodeScalars.count
        for scalar in line[start..<end] {
            shown.unicodeScalars.append(Self.visible(scalar))
        }
        if end < line.count { shown += "…" }
        column = column - start + prefixWidth
        return shown + "\n" + String(repeating: " ", count: column) + "^"
    }
}
