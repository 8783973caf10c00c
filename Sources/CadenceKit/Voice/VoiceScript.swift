/// The lines the voice says over a timeline, in the order they are placed: first those fixed on
/// their cue (counts, spoken countdowns, the voice-only signals), then announcements and
/// instructions, then the rest.
enum VoiceScript {
    static func lines(for timeline: Timeline, voice: SpeechVoice, mix: MixStyle) -> [SpokenLine] {
        var fixed: [SpokenLine] = [], announcements: [SpokenLine] = [], others: [SpokenLine] = []
        let intervals = timeline.intervals
        // The interval that starts at or contains `sample` (intervals are in order and contiguous).
        func interval(at sample: Int64) -> Interval? {
            var low = 0, high = intervals.count
            while low < high {
                let middle = (low + high) / 2
                if intervals[middle].end <= sample { low = middle + 1 } else { high = middle }
            }
            return low < intervals.count ? intervals[low] : nil
        }
        let lastReps = lastRepByGroup(intervals)
        for cue in timeline.cues {
            let step = cue.step
            switch cue.type {
            case .announce:
                guard let text = cue.text else { continue }
                let span = timeline.steps.indices.contains(step) ? timeline.steps[step] : nil
                if let transition = interval(at: cue.sample), transition.kind == .transition, transition.step == step {
                    // In a transition after a step, a name alone becomes "Next: NAME".
                    let next =
                        transition.start > 0 && span?.say == nil && span?.circuit?.startsRound != true
                        && SpeechSynthesizer.isSpeakable(text)
                    let said = next ? "Next: " + text : text
                    if mix == .voiceOnly, transition.start > 0 {
                        // No stop sound to cut short: "Stop" and the announcement are one line, from the stop on.
                        var stop = cue
                        stop.sample = transition.start
                        announcements.append(
                            SpokenLine(
                                text: "Stop. " + said, shorter: "Stop. " + text, kind: .announcement,
                                step: step, cue: stop, placement: .afterCue(latest: transition.end)))
                    } else {
                        announcements.append(
                            SpokenLine(
                                text: said, shorter: next ? text : nil, kind: .announcement,
                                step: step, cue: cue, placement: .byCue(earliest: transition.start)))
                    }
                    if let instructions = span?.instructions, SpeechSynthesizer.isSpeakable(instructions) {
                        announcements.append(
                            SpokenLine(
                                text: instructions, kind: .instructions, step: step, cue: cue,
                                placement: .afterCue(latest: transition.end)))
                    }
                } else {
                    // With no transition there is no earlier room: it is said once the sounds on its cue
                    // have played, inside the step's first interval (a pause's silence, a hold).
                    let end = interval(at: cue.sample)?.end ?? timeline.totalSamples
                    announcements.append(
                        SpokenLine(
                            text: text, kind: .announcement, step: step, cue: cue,
                            placement: .afterCue(latest: end)))
                }
            case .switchSides:
                let text = cue.side.map { "Switch to the \($0.rawValue) side" } ?? "Switch sides"
                let shorter = cue.side.map { $0 == .left ? "Left side" : "Right side" } ?? "Other side"
                let end = interval(at: cue.sample)?.end ?? timeline.totalSamples
                others.append(
                    SpokenLine(
                        text: text, shorter: shorter, kind: .switchSides, step: step, cue: cue,
                        placement: .afterCue(latest: end)))
            case .stop:
                let interval = interval(at: cue.sample)
                // (Before a transition the voice-only "Stop" is said with the announcement.)
                if mix == .voiceOnly, interval?.kind != .transition {
                    fixed.append(SpokenLine(text: "Stop", kind: .signal, step: step, cue: cue, placement: .onCue))
                }
                if let rest = interval, rest.kind == .rest, rest.start == cue.sample {
                    others.append(SpokenLine(text: "Rest", kind: .rest, step: step, cue: cue, placement: .afterCue(latest: rest.end)))
                }
            case .go:
                var said: String?
                if voice.counts != .off, let work = interval(at: cue.sample), work.start == cue.sample,
                    [.hold, .move, .ownPace].contains(work.kind), let rep = work.rep,
                    let last = lastReps[RepGroup(work)], last > 1
                {
                    if voice.counts == .numbers {
                        said = NumberWords.spelled(rep)
                    } else if rep == last {
                        said = "Last one"
                    }
                }
                if said == nil, mix == .voiceOnly { said = "Go" }
                if let said {
                    let kind: SpokenLine.Kind = said == "Go" ? .signal : .count
                    fixed.append(SpokenLine(text: said, kind: kind, step: step, cue: cue, placement: .onCue))
                }
            case .finish:
                if mix == .voiceOnly {
                    fixed.append(SpokenLine(text: "Finished", kind: .signal, step: step, cue: cue, placement: .onCue))
                }
            case .halfway:
                let end = interval(at: cue.sample)?.end ?? timeline.totalSamples
                others.append(SpokenLine(text: "Halfway", kind: .halfway, step: step, cue: cue, placement: .afterCue(latest: end)))
            case .phase:
                guard let label = cue.text else { continue }
                let end = interval(at: cue.sample)?.end ?? timeline.totalSamples
                others.append(SpokenLine(text: label, kind: .phase, step: step, cue: cue, placement: .afterCue(latest: end)))
            case .countdown:
                if voice.spokenCountdown, let count = cue.count {
                    fixed.append(SpokenLine(text: NumberWords.spelled(count), kind: .countdown, step: step, cue: cue, placement: .onCue))
                }
            case .inhale, .exhale, .breathHold, .pulse:
                break
            }
        }
        return fixed + announcements + others
    }

    /// The reps of one side of one set of a step.
    private struct RepGroup: Hashable {
        var step: Int?, set: Int?, side: Side?
        init(_ interval: Interval) {
            step = interval.step
            set = interval.set
            side = interval.side
        }
    }

    private static func lastRepByGroup(_ intervals: [Interval]) -> [RepGroup: Int] {
        var last: [RepGroup: Int] = [:]
        for interval in intervals where [.hold, .move, .ownPace].contains(interval.kind) {
            if let rep = interval.rep { last[RepGroup(interval)] = max(last[RepGroup(interval)] ?? 0, rep) }
        }
        return last
    }
}
