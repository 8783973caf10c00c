import Yams

/// Turns the errors of the YAML parser (libyaml, through Yams) into one diagnostic with a
/// position and a message a person can act on.
enum YAMLErrorTranslation {
    static func diagnostic(for error: YamlError, in text: String) -> Diagnostic {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            var message = "YAML syntax: \(problem)"
            if let context {
                message += " (\(context.text) that starts at line \(context.mark.line), column \(context.mark.column))"
            }
            return Diagnostic(SourcePosition(line: max(1, mark.line), column: max(1, mark.column)), message)
        case let .reader(problem, offset, _, _):
            return Diagnostic(position(ofUTF8Offset: offset ?? 0, in: text), "cannot read the file: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let key = duplicates.first ?? "?"
            let position = laterOccurrence(of: key, after: context.mark, in: text)
                ?? SourcePosition(line: max(1, context.mark.line), column: max(1, context.mark.column))
            let names = duplicates.map { "`\(RoutineParser.quoteForMessage($0))`" }.joined(separator: ", ")
            return Diagnostic(position, "duplicate key \(names): each key may appear only once in a mapping")
        default:
            return Diagnostic(SourcePosition(line: 1, column: 1), "cannot parse the file as YAML: \(error)")
        }
    }

    /// The second place `key:` starts a line at the same column as its first occurrence, so the
    /// message points at the repeated key rather than the original.
    static func laterOccurrence(of key: String, after mark: Mark, in text: String) -> SourcePosition? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard mark.line >= 1, mark.line <= lines.count else { return nil }
        let indent = mark.column - 1
        for index in mark.line..<lines.count {
            let line = lines[index]
            let body = line.unicodeScalars.dropFirst(indent)
            let leading = line.unicodeScalars.prefix(indent)
            guard leading.allSatisfy({ $0 == " " || $0 == "-" }) else { continue }
            let rest = String(String.UnicodeScalarView(body))
            if rest.hasPrefix(key + ":") || rest.hasPrefix("\"\(key)\":") || rest.hasPrefix("'\(key)':") {
                return SourcePosition(line: index + 1, column: mark.column)
            }
        }
        return nil
    }

    static func position(ofUTF8Offset offset: Int, in text: String) -> SourcePosition {
        var line = 1, column = 1, consumed = 0
        for scalar in text.unicodeScalars {
            if consumed >= offset { break }
            consumed += String(scalar).utf8.count
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return SourcePosition(line: line, column: column)
    }
}
