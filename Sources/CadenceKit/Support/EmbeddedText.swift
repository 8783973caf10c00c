import Foundation

/// Text files built into the binary (SwiftPM's `.embedInCode` resources, `PackageResources`): the
/// player's and the site's scripts and style sheets, kept as real `.js` and `.css` files.
///
/// A script may name a value the Swift side decides (a file name of the site, a page's way to the
/// site's folder) as a placeholder string, `"{{name}}"` with its quotes, so the file stays valid
/// JavaScript; `filled` puts each value in as a JSON string literal (`TimelineJSON.string`).
enum EmbeddedText {
    /// The bytes of a resource as UTF-8 text.
    static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// `template` with every `"{{name}}"` replaced by `values[name]` as a JSON string literal.
    /// A placeholder without a value is a mistake in the program, not in anyone's input.
    static func filled(_ template: String, _ values: [String: String]) -> String {
        var out = template
        for (name, value) in values {
            let placeholder = "\"{{\(name)}}\""
            precondition(out.contains(placeholder), "no \(placeholder) in the template")
            out = out.replacingOccurrences(of: placeholder, with: TimelineJSON.string(value))
        }
        precondition(!out.contains("\"{{"), "a placeholder is left without a value")
        return out
    }
}
