/// What the person is doing during an interval.
public enum IntervalKind: String, Hashable, Sendable, CaseIterable {
    case transition, hold, rest
    case switchSides = "switch"
    case inhale
    case holdIn = "hold_in"
    case exhale
    case holdOut = "hold_out"
    case tail
    /// Format 2: a named movement phase of a tempo rep.
    case move
    /// Format 2: a block done at the person's own pace.
    case ownPace = "own_pace"
    /// Format 2: a step with no exercise (`pause:`).
    case pause
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
    /// Format 2: the label of the tempo phase this interval is ("Pull", "Hold"); nil elsewhere.
    public var phase: String? = nil

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
    /// Format 2: what kind of step it is (`hold`, `breath`, `tempo`, `own_pace`, `pause`).
    public var kind: String? = nil
    public var instructions: String? = nil
    /// The step's own `say` text, when it has one (the voice says it as written, with no "Next:").
    public var say: String? = nil
    /// Format 2: an own-pace step, which a player may pause on.
    public var selfPaced = false
    /// Format 2: the circuit this step belongs to, with its round.
    public var circuit: CircuitPlace? = nil
}
