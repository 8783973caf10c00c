/// One phase of a tempo rep, as written: `pull 2s` or `- {name: Lift your hips, time: 3s}`.
public struct TempoPhase: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        /// A named movement: `pull`, `lower`, `rock`.
        case move
        /// A held stretch inside the rep: `hold 4s` (countdown and halfway as for holds).
        case hold
        /// `breathe in` / `inhale`: a rising breath tone lasting exactly the phase.
        case inhale
        /// `breathe out` / `exhale`: a falling breath tone lasting exactly the phase.
        case exhale
    }

    /// What plans, the player and the voice call the phase ("Pull", "Breathe out and lift").
    public var label: String
    public var kind: Kind
    public var length: Ranged<Int64>
    /// Where the phase is written, for errors found after parsing.
    var position: SourcePosition

    public init(label: String, kind: Kind, length: Ranged<Int64>, position: SourcePosition = SourcePosition(line: 1, column: 1)) {
        self.label = label
        self.kind = kind
        self.length = length
        self.position = position
    }
}
