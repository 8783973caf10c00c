/// Writes a timeline as the JSON object of timeline.md, byte for byte the same for the same timeline:
/// keys in a fixed order, one interval or cue per line.
public enum TimelineJSON {
    public static func encode(_ timeline: Timeline) -> String {
        var out = "{\n"
        out += "  \"format\": \(string(Timeline.format)),\n"
        out += "  \"title\": \(string(timeline.title)),\n"
        if let about = timeline.about { out += "  \"about\": \(string(about)),\n" }
        out += "  \"sample_rate\": \(timeline.sampleRate),\n"
        out += "  \"level\": \(string(timeline.level.rawValue)),\n"
        out += "  \"total_samples\": \(timeline.totalSamples),\n"
        out += "  \"steps\": [\n"
        out += timeline.steps.map { step in
            "    {\"name\": \(string(step.name)), \"start\": \(step.start), \"end\": \(step.end)}"
        }.joined(separator: ",\n")
        out += "\n  ],\n  \"intervals\": [\n"
        out += timeline.intervals.map { interval in
            "    {\"kind\": \(string(interval.kind.rawValue)), \"start\": \(interval.start), \"end\": \(interval.end), "
                + "\"step\": \(number(interval.step)), \"side\": \(side(interval.side)), "
                + "\"set\": \(number(interval.set)), \"rep\": \(number(interval.rep))}"
        }.joined(separator: ",\n")
        out += "\n  ],\n  \"cues\": [\n"
        out += timeline.cues.map(cue).joined(separator: ",\n")
        out += "\n  ]\n}\n"
        return out
    }

    static func cue(_ cue: Cue) -> String {
        var fields = "{\"type\": \(string(cue.type.rawValue)), \"sample\": \(cue.sample), \"step\": \(cue.step)"
        if let text = cue.text { fields += ", \"text\": \(string(text))" }
        if cue.hasSide { fields += ", \"side\": \(side(cue.side))" }
        if let length = cue.length { fields += ", \"length\": \(length)" }
        if let count = cue.count { fields += ", \"count\": \(count)" }
        return "    " + fields + "}"
    }

    static func number(_ value: Int?) -> String { value.map(String.init) ?? "null" }

    static func side(_ value: Side?) -> String { value.map { string($0.rawValue) } ?? "null" }

    /// A JSON string literal: quotes, backslashes and control characters escaped; `<`, `>` and `&`
    /// escaped too, so the text is safe inside an HTML page.
    public static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                out += "\\u" + RoutineParser.hex(scalar.value).lowercased()
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u" + RoutineParser.hex(scalar.value).lowercased()
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
