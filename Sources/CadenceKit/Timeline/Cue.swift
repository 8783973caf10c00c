/// The kind of sound a cue starts. The order of the cases is the order of cues at one sample.
public enum CueType: String, Hashable, Sendable, CaseIterable, Comparable {
    case finish, stop
    case switchSides = "switch"
    case announce, go
    /// Format 2: the start of a tempo phase after the first (a movement or a hold), with its label.
    case phase
    case inhale, exhale
    /// Format 2: the start of a held breath (`hold_in`, `hold_out`), with a steady tone as long as it.
    case breathHold = "breath_hold"
    case halfway
    /// Format 2: the soft beat of an own-pace block.
    case pulse
    case countdown

    var rank: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (lhs: CueType, rhs: CueType) -> Bool { lhs.rank < rhs.rank }
}

/// An instant at which a sound starts.
public struct Cue: Hashable, Sendable {
    public var type: CueType
    public var sample: Int64
    /// The step whose interval places the cue.
    public var step: Int
    /// `go`, `inhale`, `exhale`, `switch` and `halfway` carry a side (possibly none).
    public var side: Side?
    /// `inhale`, `exhale` and `breath_hold`: the interval's length in samples.
    public var length: Int64?
    /// `announce`: what is said; `phase`: the phase's label.
    public var text: String?
    /// `countdown`: how many seconds are left.
    public var count: Int?
    /// The exact time in microseconds.
    public var time: Int64
    /// `breath_hold`: `in` after an inhale, `out` after an exhale.
    public var breath: String? = nil

    /// Whether the timeline file gives this cue a `side` field.
    public var hasSide: Bool {
        switch type {
        case .go, .inhale, .exhale, .switchSides, .halfway, .phase, .breathHold: return true
        default: return false
        }
    }
}
