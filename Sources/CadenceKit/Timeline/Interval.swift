/// What the person is doing during an interval.
public enum IntervalKind: String, Hashable, Sendable, CaseIterable {
    case transition, hold, rest
    case switchSides = "switch"
    case inhale
    case holdIn = "hold_in"
    case exhale
    case holdOut = "hold_out"
    case tail
}

/// A stretch of the session, from sample `start` up to (not including) sample `end`.
public struct Interval: Hashable, Sendable {
    public var kind: IntervalKind
    public var start: Int64
    public var end: Int64
    /// The step it belongs to (nil for the tail).
    public var step: Int?
    public var side: Side?
    public var set: Int?
    public var rep: Int?
    /// The exact start and end in microseconds.
    public var startTime: Int64
    public var endTime: Int64

    public var length: Int64 { end - start }
    public var duration: Int64 { endTime - startTime }
}

/// Where a step lies in the session: from its first interval's start to its last interval's end.
public struct StepSpan: Hashable, Sendable {
    public var name: String
    public var start: Int64
    public var end: Int64
    public var startTime: Int64
    public var endTime: Int64
}
