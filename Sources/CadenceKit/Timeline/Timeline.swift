/// A routine scheduled at one sample rate and level: the session's intervals and cues.
public struct Timeline: Hashable, Sendable {
    public static let format = "cadence-timeline/1"
    public static let format2 = "cadence-timeline/2"

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
    /// 1 or 2: the routine's format, which decides the timeline file's format too.
    public var routineFormat = 1
    /// Format 2 programs: the day scheduled and how many days there are.
    public var day: Int? = nil
    public var days: Int? = nil
    /// Microseconds added to the transition before a step (by index) for `transition: fit`, so
    /// the session can be scheduled again at another rate with the same lengths.
    public var lengthenedTransitions: [Int: Int64] = [:]

    /// The `format` of the timeline file.
    public var formatName: String { routineFormat == 2 ? Self.format2 : Self.format }
}
