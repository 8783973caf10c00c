import Foundation

/// An Audacity label track: one line per step, `START<TAB>END<TAB>NAME`, seconds with 6 decimals,
/// taken from the step's first and last sample so the labels sit exactly on the audio.
public enum LabelTrack {
    public static func encode(_ timeline: Timeline) -> String {
        timeline.steps.map { step in
            seconds(step.start, timeline.sampleRate) + "\t" + seconds(step.end, timeline.sampleRate) + "\t"
                + step.name.replacingOccurrences(of: "\t", with: " ")
        }.joined(separator: "\n") + "\n"
    }

    /// `samples / rate` with exactly 6 decimals, rounded half up, computed in integers.
    static func seconds(_ samples: Int64, _ rate: Int) -> String {
        let micro = (samples * 1_000_000 * 2 + Int64(rate)) / (2 * Int64(rate))
        return "\(micro / 1_000_000)." + DurationText.pad(micro % 1_000_000, 6)
    }
}
