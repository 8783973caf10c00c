import Yams

/// Turns the errors of the YAML parser (libyaml, through Yams) into one diagnostic with a
/// position and a message a person can act on.
enum YAMLErrorTranslation {
    static func diagnostic(for error: YamlError, in text: String) -> Diagnostic {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
            let .composer(context, problem, mark, _):
            var message = "YAML syntax: \(problem)"
            var position = SourcePosition(line: max(1, mark.line), column: max(1, mark.column))
            if let context {
                message += " (\(context.text) that starts at line \(context.mark.line), column \(context.mark.column))"
                // A problem found only at the end of the file (an unclosed `[`, say) is shown where
                // the unfinished construct starts, which is where the fix goes.
                if position.line > lastLineWithText(in: text) {
                    position = SourcePosition(line: max(1, context.mark.line), column: max(1, context.mark.column))
                }
            }
            return Diagnostic(position, message)
        case let .reader(problem, offset, _, _):
            return Diagnostic(position(ofUTF8Offset: offset ?? 0, in: text), "cannot read the file: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let key = duplicates.first ?? "?"
            let position =
                laterOccurrence(of: key, after: context.mark, in: text)
                ?? SourcePosition(line: max(1, context.mark.line), column: max(1, context.mark.column))
            let names = duplicates.map { "`\(RoutineParser.quoteForMessage($0))`" }.joined(separator: ", ")
            return Diagnostic(position, "duplicate key \(names): each key may appear only once in a mapping")
        default:
            return Diagnostic(SourcePosition(line: 1, column: 1), "cannot parse the file as YAML: \(error)")
        }
    }

    /// The next place after the first occurrence where `key` stands as a key (`key:` after the
    /// start of a line, a `- `, a `{` or a `,`), so the message points at the repeated key rather
    /// than the original. Nil when it cannot be found.
    static func laterOccurrence(of key: String, after mark: Mark, in text: String) -> SourcePosition? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        guard mark.line >= 1, mark.line <= lines.count, !key.isEmpty else { return nil }
        let candidates = [key, "\"\(key)\"", "'\(key)'"].map { Array($0.unicodeScalars) }
        var lineIndex = mark.line - 1
        var column = mark.column - 1 + 1
        while lineIndex < lines.count {
            let line = lines[lineIndex]
            while column < line.count {
                for candidate in candidates where matches(candidate, in: line, at: column) {
                    return SourcePosition(line: lineIndex + 1, column: column + 1)
                }
                column += 1
            }
            lineIndex += 1
            column = 0
        }
        return nil
    }

    /// Whether `key` followed by optional spaces and `:` starts at `column`, after a key delimiter.
    private static func matches(_ key: [Unicode.Scalar], in line: [Unicode.Scalar], at column: Int) -> Bool {
        guard column + key.count <= line.count, Array(line[column..<(column + key.count)]) == key else { return false }
        let before = line[..<column].last(where: { $0 != " " })
        guard before == nil || before == "-" || before == "{" || before == "," else { return false }
        var after = column + key.count
        while after < line.count, line[after] == " " { after += 1 }
        return after < line.count && line[after] == ":"
    }

    /// The number of the last line that holds anything but spaces (0 for an empty text).
    static func lastLineWithText(in text: String) -> Int {
        var line = 1, last = 0
        var lineHasText = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                if lineHasText { last = line }
                line += 1
                lineHasText = false
            } else if scalar != " " && scalar != "\r" {
                lineHasText = true
            }
        }
        return lineHasText ? line : last
    }

    static func position(ofUTF8Offset offset: Int, in text: String) -> SourcePosition {
        var line = 1, column = 1, consumed = 0
        for scalar in text.unicodeScalars {
            if consumed >= offset { break }
            consumed += String(scalar).utf8.count
            if scalar == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return SourcePosition(line: line, column: column)
    }
}
