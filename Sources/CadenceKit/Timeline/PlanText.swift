/// The schedule as `cadence plan` prints it for a person: one line per interval with its time,
/// length, step, side, set/rep and what to do, then the total length.
public enum PlanText {
    public static func render(_ timeline: Timeline) -> String {
        let names = timeline.steps.map(stepName)
        let nameWidth = min(32, max(4, names.map { $0.count }.max() ?? 4))
        var lines: [String] = []
        let day = timeline.day.map { ", day \($0) of \(timeline.days ?? $0)" } ?? ""
        lines.append("\(timeline.title)  (\(timeline.sampleRate) Hz, level \(timeline.level.rawValue)\(day))")
        lines.append("")
        lines.append(
            pad("TIME", 10) + "  " + pad("LENGTH", 9) + "  " + pad("STEP", nameWidth) + "  "
                + pad("SIDE", 5) + "  " + pad("SET/REP", 7) + "  DO")
        var previous: Interval?
        for interval in timeline.intervals {
            defer { previous = interval }
            let stepName = interval.step.map { names[$0] } ?? ""
            let setRep: String
            switch (interval.set, interval.rep) {
            case let (set?, rep?): setRep = "\(set)/\(rep)"
            case let (set?, nil): setRep = "\(set)/-"
            default: setRep = "-"
            }
            let line =
                padLeft(DurationText.clock(interval.startTime), 10) + "  "
                + padLeft(seconds(interval.duration), 9) + "  "
                + pad(truncate(stepName, nameWidth), nameWidth) + "  "
                + pad(interval.side?.rawValue ?? "-", 5) + "  "
                + pad(setRep, 7) + "  "
                + action(interval, timeline, after: previous)
            lines.append(line)
        }
        lines.append("")
        lines.append(
            "Total: \(DurationText.clock(timeline.totalTime)) (\(timeline.totalSamples) samples at \(timeline.sampleRate) Hz), \(timeline.steps.count) steps"
        )
        return lines.joined(separator: "\n") + "\n"
    }

    /// A step's name as the STEP column shows it: with its round when it is part of a circuit.
    static func stepName(_ step: StepSpan) -> String {
        guard let circuit = step.circuit else { return step.name }
        return "\(step.name) (round \(circuit.round)/\(circuit.rounds))"
    }

    static func action(_ interval: Interval, _ timeline: Timeline, after previous: Interval? = nil) -> String {
        if let phase = interval.phase { return phase }
        // The second, short inhale of a sigh.
        if interval.kind == .inhale, let previous, previous.kind == .inhale, previous.phase == nil, previous.step == interval.step {
            return "Breathe in once more"
        }
        switch interval.kind {
        case .transition:
            return "Get ready: " + (interval.step.map { timeline.steps[$0].name } ?? "")
        case .hold: return "Hold"
        case .rest: return interval.rep == nil ? "Rest before the next set" : "Rest"
        case .switchSides: return "Switch to the \(interval.side?.rawValue ?? "other") side"
        case .inhale: return "Breathe in"
        case .holdIn: return "Hold the breath in"
        case .exhale: return "Breathe out"
        case .holdOut: return "Hold the breath out"
        case .tail: return "Done"
        case .move: return "Move"
        case .ownPace: return "At your own pace"
        case .pause: return interval.step.map { timeline.steps[$0].name } ?? "Pause"
        }
    }

    /// Seconds with three decimals: `12.500s`.
    static func seconds(_ microseconds: Int64) -> String {
        let milliseconds = microseconds / 1_000
        return "\(milliseconds / 1_000)." + DurationText.pad(milliseconds % 1_000, 3) + "s"
    }

    static func truncate(_ text: String, _ width: Int) -> String {
        text.count > width ? String(text.prefix(width - 1)) + "…" : text
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    static func padLeft(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}
