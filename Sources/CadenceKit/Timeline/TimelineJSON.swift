/// Writes a timeline as the JSON object of timeline.md, byte for byte the same for the same timeline:
/// keys in a fixed order, one interval or cue per line.
public enum TimelineJSON {
    public static func encode(_ timeline: Timeline) -> String {
        var out = "{\n"
        let format2 = timeline.routineFormat == 2
        out += "  \"format\": \(string(timeline.formatName)),\n"
        out += "  \"title\": \(string(timeline.title)),\n"
        if let about = timeline.about { out += "  \"about\": \(string(about)),\n" }
        out += "  \"sample_rate\": \(timeline.sampleRate),\n"
        out += "  \"level\": \(string(timeline.level.rawValue)),\n"
        if format2 {
            out += "  \"day\": \(number(timeline.day)),\n"
            out += "  \"days\": \(number(timeline.days)),\n"
        }
        out += "  \"total_samples\": \(timeline.totalSamples),\n"
        out += "  \"steps\": [\n"
        out += timeline.steps.map { step in
            var fields = "{\"name\": \(string(step.name)), \"start\": \(step.start), \"end\": \(step.end)"
            if format2 {
                fields += ", \"kind\": \(string(step.kind ?? "hold"))"
                if let instructions = step.instructions { fields += ", \"instructions\": \(string(instructions))" }
                if step.selfPaced { fields += ", \"self_paced\": true" }
                if let circuit = step.circuit {
                    fields += ", \"circuit\": \(string(circuit.name)), \"round\": \(circuit.round), \"rounds\": \(circuit.rounds)"
                }
            }
            return "    " + fields + "}"
        }.joined(separator: ",\n")
        out += "\n  ],\n  \"intervals\": [\n"
        out += timeline.intervals.map { interval in
            "    {\"kind\": \(string(interval.kind.rawValue)), \"start\": \(interval.start), \"end\": \(interval.end), "
                + "\"step\": \(number(interval.step)), \"side\": \(side(interval.side)), "
                + "\"set\": \(number(interval.set)), \"rep\": \(number(interval.rep))"
                + (interval.phase.map { ", \"phase\": \(string($0))" } ?? "") + "}"
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
        if let breath = cue.breath { fields += ", \"breath\": \(string(breath))" }
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
