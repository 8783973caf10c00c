import Foundation
#if canImport(FoundationXML)
    import FoundationXML
#endif
import XCTest
@testable import CadenceKit

// Helpers for the player tests (PlayerSVGTests, PlayerPageTests): a routine that uses every interval
// kind, a tiny HTML tag scanner, and an XML reader for the SVG. The routine with markup in every text
// field is CadenceTestSupport's `HostileMarkup`.

enum PlayerFixtures {
    /// A routine with every interval kind: transition, hold, rest, switch, the four breath phases, tail.
    static let everyKind = """
        title: Every kind
        about: Two steps.
        defaults:
          lead_in: 3s
          tail: 2s
        steps:
          - name: Cat-cow
            breaths: 2
            inhale: 2s
            hold_in: 1s
            exhale: 2s
            hold_out: 1s
          - name: Hamstring stretch
            hold: 5s
            reps: 2
            rest: 2s
            sides: each
            switch: 3s
            sets: 2
            set_rest: 4s
        """
}

/// Element names and attributes found by a simple HTML tag scanner, which skips the raw text of
/// `<style>` and `<script>` elements as a browser does.
struct ScannedTag {
    var name: String
    var closing: Bool
    var attributes: [String: String]
}

enum TagScanner {
    enum Failure: Error, CustomStringConvertible {
        case malformed(String)
        var description: String {
            if case let .malformed(text) = self { return text }
            return ""
        }
    }

    static func scan(_ html: String) throws -> [ScannedTag] {
        let text = Array(html.unicodeScalars)
        var tags: [ScannedTag] = []
        var index = 0
        func peek(_ offset: Int = 0) -> Unicode.Scalar? { index + offset < text.count ? text[index + offset] : nil }
        while index < text.count {
            guard text[index] == "<" else {
                index += 1
                continue
            }
            if String(String.UnicodeScalarView(text[index..<min(text.count, index + 9)])).uppercased() == "<!DOCTYPE" {
                while index < text.count, text[index] != ">" { index += 1 }
                index += 1
                continue
            }
            index += 1
            var closing = false
            if peek() == "/" {
                closing = true
                index += 1
            }
            var name = ""
            while let c = peek(), c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "-" {
                name.unicodeScalars.append(c)
                index += 1
            }
            guard !name.isEmpty else { throw Failure.malformed("a '<' that opens no tag at scalar \(index)") }
            var attributes: [String: String] = [:]
            while true {
                while let c = peek(), c == " " || c == "\n" || c == "\t" || c == "\r" { index += 1 }
                guard let c = peek() else { throw Failure.malformed("unterminated tag <\(name)") }
                if c == ">" {
                    index += 1
                    break
                }
                if c == "/" {
                    index += 1
                    continue
                }
                var attribute = ""
                while let c = peek(), c != "=", c != ">", c != " ", c != "\n", c != "\t", c != "/" {
                    attribute.unicodeScalars.append(c)
                    index += 1
                }
                var value = ""
                if peek() == "=" {
                    index += 1
                    if let quote = peek(), quote == "\"" || quote == "'" {
                        index += 1
                        while let c = peek(), c != quote {
                            value.unicodeScalars.append(c)
                            index += 1
                        }
                        index += 1
                    } else {
                        while let c = peek(), c != " ", c != ">" {
                            value.unicodeScalars.append(c)
                            index += 1
                        }
                    }
                }
                attributes[attribute.lowercased()] = value
            }
            let lower = name.lowercased()
            tags.append(ScannedTag(name: lower, closing: closing, attributes: attributes))
            if !closing, lower == "script" || lower == "style" {
                // Raw text up to the first `</name`, whatever it holds.
                let end = "</" + lower
                var found = false
                while index < text.count {
                    if text[index] == "<",
                        String(String.UnicodeScalarView(text[index..<min(text.count, index + end.unicodeScalars.count)])).lowercased()
                            == end
                    {
                        found = true
                        break
                    }
                    index += 1
                }
                if !found { throw Failure.malformed("<\(lower)> is never closed") }
            }
        }
        return tags
    }

    /// The text between the first `<tag ... id="id">` and the next `</tag>`, character references left as they are.
    static func content(of id: String, in html: String) -> String? {
        guard let idRange = html.range(of: "id=\"\(id)\"") else { return nil }
        guard let open = html[idRange.upperBound...].firstIndex(of: ">") else { return nil }
        let start = html.index(after: open)
        let tagStart = html[..<idRange.lowerBound].lastIndex(of: "<")!
        let name = html[html.index(after: tagStart)...].prefix { $0.isLetter || $0.isNumber }
        guard let close = html[start...].range(of: "</\(name)>") else { return nil }
        return String(html[start..<close.lowerBound])
    }
}

/// Turns the five character references `MarkupText.escape` writes back into characters.
func unescapeMarkup(_ text: String) -> String {
    text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
        .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
        .replacingOccurrences(of: "&amp;", with: "&")
}

/// An SVG read with Foundation's XMLParser: every element with its attributes and its own text.
final class SVGReader: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text = ""
        var path: [String]
        var namespace: String?
    }

    private(set) var elements: [Element] = []
    private var open: [Int] = []
    private(set) var error: Error?

    static func read(_ svg: String) -> SVGReader {
        let reader = SVGReader()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.shouldProcessNamespaces = true
        parser.delegate = reader
        if !parser.parse() { reader.error = parser.parserError ?? TagScanner.Failure.malformed("XMLParser failed") }
        return reader
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        let path = open.map { elements[$0].name }
        elements.append(Element(name: elementName, attributes: attributeDict, path: path, namespace: namespaceURI))
        open.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        open.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let last = open.last { elements[last].text += string }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { error = parseError }

    func all(_ name: String, class className: String? = nil) -> [Element] {
        elements.filter { $0.name == name && (className == nil || $0.attributes["class"] == className) }
    }
}
