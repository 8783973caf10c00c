/// A routine scheduled at one sample rate and level: the session's intervals and cues.
public struct Timeline: Hashable, Sendable {
    public static let format = "cadence-timeline/1"

    public var title: String
    public var about: String?
    public var sampleRate: Int
    public var level: Level
    public var totalSamples: Int64
    /// The session length in microseconds.
    public var totalTime: Int64
    public var steps: [StepSpan]
    public var intervals: [Interval]
    public var cues: [Cue]
}
