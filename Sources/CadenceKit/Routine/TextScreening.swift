import Foundation

/// The byte-level checks a routine file passes before any YAML is parsed: size, UTF-8,
/// and no tabs or control characters. Doing these first keeps the YAML parser away from
/// input it would misread and gives each fault its exact line and column.
enum TextScreening {
    /// Routine files larger than this are refused without being parsed.
    static let maximumFileSize = 1 << 20

    struct Result {
        /// The decoded text (invalid bytes replaced), used for snippets even when there are faults.
        var text: String
        var diagnostics: [Diagnostic]
        /// Faults found past the report limit.
        var notShown = 0
    }

    static func tooLarge(_ size: Int64) -> Diagnostic {
        Diagnostic(
            SourcePosition(line: 1, column: 1),
            "the file is \(size) bytes; a routine file may be at most \(maximumFileSize) bytes (1 MiB)")
    }

    static func screen(_ bytes: [UInt8]) -> Result {
        if bytes.count > maximumFileSize {
            return Result(text: "", diagnostics: [tooLarge(Int64(bytes.count))])
        }
        var body = bytes[...]
        // A UTF-8 byte order mark is allowed and ignored.
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }

        var diagnostics: [Diagnostic] = []
        var notShown = 0
        var line = 1
        var column = 1
        var index = body.startIndex
        func report(_ message: @autoclosure () -> String) {
            if diagnostics.count < RoutineError.maximumReported {
                diagnostics.append(Diagnostic(SourcePosition(line: line, column: column), message()))
            } else {
                notShown += 1
            }
        }
        while index < body.endIndex {
            let byte = body[index]
            let length = UTF8Sequence.length(body, at: index)
            guard length > 0 else {
                report(String(format: "invalid UTF-8 byte 0x%02X: a routine file must be UTF-8 text", byte))
                index += 1
                column += 1
                continue
            }
            let scalar = UTF8Sequence.value(body, at: index, length: length)
            switch scalar {
            case 0x0A:
                line += 1
                column = 0
            case 0x0D:
                let next = index + 1 < body.endIndex ? body[index + 1] : 0
                if next != 0x0A { report("a carriage return without a line feed; use Unix or Windows line endings") }
            case 0x09:
                report("a tab character; routine files use spaces only (YAML does not allow tabs for indentation)")
            case 0x2028, 0x2029:
                report(String(format: "the line separator U+%04X is not allowed in a routine file; use an ordinary line break", scalar))
            case 0x00..<0x20, 0x7F, 0x80..<0xA0:
                report(String(format: "the control character U+%04X is not allowed in a routine file", scalar))
            default:
                break
            }
            index += length
            column += 1
        }
        let text = String(decoding: body, as: UTF8.self)
        return Result(text: text, diagnostics: diagnostics, notShown: notShown)
    }
}
