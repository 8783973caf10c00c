/// Routine text made safe for XML and HTML: in element content and in quoted attribute values
/// alike, it can only ever be text, never markup.
enum MarkupText {
    /// `&`, `<`, `>`, `"` and `'` as character references; characters XML 1.0 does not allow
    /// (control characters other than tab, line feed and carriage return; U+FFFE and U+FFFF) dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                let value = scalar.value
                if value < 0x20 || value == 0x7F || value == 0xFFFE || value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
