/// Format 2: a group of steps done `rounds` times in a row (`circuit: Core circuit`).
public struct Circuit: Hashable, Sendable {
    public var name: String
    public var rounds: Ranged<Int>
    /// The transition before the first step of rounds 2 and later; nil keeps that step's own.
    public var roundRest: Ranged<Int64>?
    public var steps: [Step]
    /// `only_at`: the levels at which the circuit is done (nil: every level).
    public var onlyAt: [Level]?
    /// `easy:` / `normal:` / `hard:`: `rounds` and `round_rest` at that level.
    public var variants: [Level: CircuitVariant] = [:]
    /// `progress`: `rounds` or `round_rest` on the last day.
    public var progress: [String: ProgressValue] = [:]
    var position: SourcePosition

    public struct CircuitVariant: Hashable, Sendable {
        public var rounds: Ranged<Int>
        public var roundRest: Ranged<Int64>?
        public var progress: [String: ProgressValue]
    }
}
