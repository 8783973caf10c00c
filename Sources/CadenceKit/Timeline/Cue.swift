/// The kind of sound a cue starts. The order of the cases is the order of cues at one sample.
public enum CueType: String, Hashable, Sendable, CaseIterable, Comparable {
    case finish, stop
    case switchSides = "switch"
    case announce, go, inhale, exhale, halfway, countdown

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
    /// `inhale` and `exhale`: the interval's length in samples.
    public var length: Int64?
    /// `announce`: what is said.
    public var text: String?
    /// `countdown`: how many seconds are left.
    public var count: Int?
    /// The exact time in microseconds.
    public var time: Int64

    /// Whether the timeline file gives this cue a `side` field.
    public var hasSide: Bool {
        switch type {
        case .go, .inhale, .exhale, .switchSides, .halfway: return true
        default: return false
        }
    }
}
