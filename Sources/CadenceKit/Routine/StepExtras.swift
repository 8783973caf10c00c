/// What a format 2 step can say beyond a version 1 step. Every field's empty value means
/// "as in version 1", so a version 1 step carries `StepExtras()` and schedules as it always did.
public struct StepExtras: Hashable, Sendable {
    /// Whether the step comes from a `format: 2` file (its timeline follows the format 2 rules).
    public var isFormat2 = false
    /// `instructions`: how to do the exercise, for the voice and the player page.
    public var instructions: String?
    /// Per-side values (`hold: {left: 30s, right: 45s}`): the kind's own value is the left side's,
    /// these are the right side's.
    public var rightHold: Ranged<Int64>?
    /// `reps: {left: 3, right: 2}` (or `breaths`): the right side's count.
    public var rightReps: Ranged<Int>?
    /// `reps_in_all`: the kind's count is the total across both sides, not the count per side.
    public var countIsInAll = false
    /// Breath steps: `start_on: exhale` starts every cycle with the out-breath.
    public var startsOnExhale = false
    /// Breath steps: `closing_breath`, one more half-breath after the last cycle.
    public var closingBreath: BreathDirection?
    /// Breath steps: a second, short inhale straight after the first (`breathing: sigh`).
    public var secondInhale: Ranged<Int64>?
    /// `only_at`: the levels at which the step is done (nil: every level).
    public var onlyAt: [Level]?
    /// `easy:` / `normal:` / `hard:`: the whole step as it is at that level.
    public var variants: [Level: Step] = [:]
    /// `progress`: the values on the last day of the program, by key.
    public var progress: [String: ProgressValue] = [:]
    /// Whether the step sets its own `transition` (otherwise the first step of the session gets
    /// `lead_in`, and the first step of rounds 2 and later gets the circuit's `round_rest`).
    public var hasOwnTransition = false
    /// `transition: fit`: with a voice, the transition is lengthened until what is said in it fits
    /// before its countdown (see `SpokenGuide`); without one it is the transition the step would have.
    public var transitionFitsSpeech = false
    /// Set when a circuit is expanded: which circuit and round this step belongs to.
    public var circuit: CircuitPlace?

    public init() {}
}

/// Which half-breath `closing_breath` adds.
public enum BreathDirection: String, Hashable, Sendable {
    case inhale, exhale
}

/// Where an expanded circuit step stands: the circuit's name, its round, and how many rounds there are.
public struct CircuitPlace: Hashable, Sendable {
    public var name: String
    public var round: Int
    public var rounds: Int
    /// Whether this is the first step of its round (its announcement names the round).
    public var startsRound: Bool
}
