/// A light scan of the YAML text, before it is parsed, for what a routine never needs and what could
/// make parsing take unbounded time or memory: anchors and aliases (`&a`, `*a`: a few lines can
/// expand to billions of nodes, and the YAML library hashes every key it composes), complex keys
/// (`? ...`), and `[`/`{` nested deeper than `maximumFlowDepth`. It follows quoted scalars, block
/// scalars (`|`, `>`), plain scalars and comments, so text such as `say: rest & relax` or a `*` in
/// the middle of a sentence is left alone.
enum YAMLShapeCheck {
    static let maximumFlowDepth = 16

    private enum Quote { case single, double }

    /// The problems found (the first `RoutineError.maximumReported`) and how many more there were.
    static func check(_ text: String) -> (diagnostics: [Diagnostic], notShown: Int) {
        var diagnostics: [Diagnostic] = []
        var notShown = 0
        var quote: Quote?
        var flowDepth = 0
        var blockScalarParent: Int?
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            var chars = Array(rawLine.unicodeScalars)
            if chars.last == "\r" { chars.removeLast() }
            let indent = chars.prefix(while: { $0 == " " }).count
            if let parent = blockScalarParent {
                if indent == chars.count || indent > parent { continue }  // blank, or the block's content
                blockScalarParent = nil
            }
            func report(_ column: Int, _ message: @autoclosure () -> String) {
                if diagnostics.count < RoutineError.maximumReported {
                    diagnostics.append(Diagnostic(SourcePosition(line: lineNumber, column: column + 1), message()))
                } else {
                    notShown += 1
                }
            }
            var i = quote == nil ? indent : 0
            var inPlain = false
            scanning: while i < chars.count {
                let c = chars[i]
                let next: Unicode.Scalar? = i + 1 < chars.count ? chars[i + 1] : nil
                switch quote {
                case .double:
                    if c == "\\" {
                        i += 2
                        continue
                    }
                    if c == "\"" { quote = nil }
                    i += 1
                    continue
                case .single:
                    if c == "'" {
                        if next == "'" {
                            i += 2
                            continue
                        }
                        quote = nil
                    }
                    i += 1
                    continue
                case nil:
                    break
                }
                if c == " " || c == "\t" {
                    i += 1
                    continue
                }
                if c == "#", i == 0 || chars[i - 1] == " " || chars[i - 1] == "\t" { break scanning }
                let nextIsBlank = next == nil || next == " " || next == "\t"
                if inPlain {
                    if c == ":", nextIsBlank || (flowDepth > 0 && next.map(isFlowIndicator) == true) {
                        inPlain = false
                    } else if flowDepth > 0, c == "," {
                        inPlain = false
                    } else if flowDepth > 0, c == "]" || c == "}" {
                        inPlain = false
                        flowDepth = max(0, flowDepth - 1)
                    }
                    i += 1
                    continue
                }
                switch c {
                case "\"": quote = .double
                case "'": quote = .single
                case "&", "*":
                    if !nextIsBlank, next.map(isFlowIndicator) == false {
                        let name = String(
                            String.UnicodeScalarView(chars[(i + 1)...].prefix(while: { $0 != " " && !isFlowIndicator($0) }).prefix(40)))
                        report(i, "YAML anchors and aliases (&\(name), *\(name)) are not allowed in a routine; write each value out")
                        while i + 1 < chars.count, chars[i + 1] != " ", !isFlowIndicator(chars[i + 1]) { i += 1 }
                    } else {
                        inPlain = true
                    }
                case "?":
                    if nextIsBlank {
                        report(i, "complex mapping keys (`? `) are not allowed in a routine; keys are plain names such as `hold`")
                    } else {
                        inPlain = true
                    }
                case "[", "{":
                    flowDepth += 1
                    if flowDepth > maximumFlowDepth {
                        report(i, "`[` and `{` are nested more than \(maximumFlowDepth) deep; a routine never needs that")
                        return (diagnostics, notShown)
                    }
                case "]", "}":
                    flowDepth = max(0, flowDepth - 1)
                case ",", "!":
                    if c == "!" { while i + 1 < chars.count, chars[i + 1] != " " { i += 1 } }
                case "-", ":":
                    if !nextIsBlank { inPlain = true }
                case "|", ">":
                    if flowDepth == 0 {
                        blockScalarParent = indent
                        break scanning
                    }
                    inPlain = true
                default:
                    inPlain = true
                }
                i += 1
            }
        }
        return (diagnostics, notShown)
    }

    private static func isFlowIndicator(_ c: Unicode.Scalar) -> Bool {
        c == "," || c == "[" || c == "]" || c == "{" || c == "}"
    }
}
