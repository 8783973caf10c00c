/// A routine as written in its file, before a `Level` picks values from ranges.
/// Every duration is in microseconds; every step already has its defaults applied.
public struct Routine: Hashable, Sendable {
    public var title: String
    public var about: String?
    public var leadIn: Ranged<Int64>
    public var tail: Ranged<Int64>
    public var steps: [Step]
    /// Where the `steps` key stands, for errors about the session as a whole.
    var stepsPosition: SourcePosition
    /// 1 for a version 1 file (no `format` key, or `format: 1`), 2 for `format: 2`.
    public var format: Int = 1
    /// Format 2: how many days the program lasts (`days:`), or nil for a routine without a program.
    public var days: Int?
    /// Format 2: the steps and circuits as written, before a level, a day and the rounds of each
    /// circuit make them into the session's steps (see `session(level:day:)`). Empty for version 1.
    public var entries: [RoutineEntry] = []

    public init(
        title: String, about: String? = nil, leadIn: Ranged<Int64>, tail: Ranged<Int64>,
        steps: [Step], stepsPosition: SourcePosition = SourcePosition(line: 1, column: 1)
    ) {
        self.title = title
        self.about = about
        self.leadIn = leadIn
        self.tail = tail
        self.steps = steps
        self.stepsPosition = stepsPosition
    }
}

/// Which sides a step works, and in what order (see routine-format.md).
/// Format 2: one entry of `steps` as written, a step or a circuit of steps repeated for rounds.
public enum RoutineEntry: Hashable, Sendable {
    case step(Step)
    case circuit(Circuit)
}

public enum Sides: String, Hashable, Sendable {
    case none, each, alternate
}

public enum Side: String, Hashable, Sendable {
    case left, right

    public var other: Side { self == .left ? .right : .left }
}

/// One step of a routine with its defaults applied.
public struct Step: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// A static stretch: `reps` holds per side per set, `rest` between them.
        case hold(hold: Ranged<Int64>, reps: Ranged<Int>, rest: Ranged<Int64>)
        /// A movement paced by breathing: `breaths` cycles of inhale, hold_in, exhale, hold_out.
        case breath(
            breaths: Ranged<Int>, inhale: Ranged<Int64>, exhale: Ranged<Int64>,
            holdIn: Ranged<Int64>, holdOut: Ranged<Int64>)
        /// Format 2: reps made of named phases in order (`tempo: pull 2s, lower 2s`).
        case tempo(phases: [TempoPhase], reps: Ranged<Int>, rest: Ranged<Int64>)
        /// Format 2: timed blocks done at the person's own pace, with a soft pulse every `pulse`;
        /// `reps` blocks per side per set, `rest` between them, as for holds.
        case ownPace(length: Ranged<Int64>, pulse: Ranged<Int64>, reps: Ranged<Int>, rest: Ranged<Int64>)
        /// Format 2: a named pause with no exercise (`pause: Get into position`).
        case pause(length: Ranged<Int64>)
    }

    public var name: String
    public var say: String?
    public var kind: Kind
    public var sets: Ranged<Int>
    public var sides: Sides
    public var first: Side
    /// The transition before this step; for the first step this is `lead_in` unless the step sets its own.
    public var transition: Ranged<Int64>
    public var switchTime: Ranged<Int64>
    public var setRest: Ranged<Int64>
    public var countdown: Ranged<Int>
    public var halfway: Bool
    /// Where the step's mapping starts in the file.
    var position: SourcePosition
    /// What format 2 adds to a step; the empty value for version 1 steps.
    public var extras = StepExtras()

    public init(
        name: String, say: String? = nil, kind: Kind, sets: Ranged<Int> = Ranged(1),
        sides: Sides = .none, first: Side = .left, transition: Ranged<Int64>,
        switchTime: Ranged<Int64>, setRest: Ranged<Int64>, countdown: Ranged<Int>,
        halfway: Bool, position: SourcePosition = SourcePosition(line: 1, column: 1)
    ) {
        self.name = name
        self.say = say
        self.kind = kind
        self.sets = sets
        self.sides = sides
        self.first = first
        self.transition = transition
        self.switchTime = switchTime
        self.setRest = setRest
        self.countdown = countdown
        self.halfway = halfway
        self.position = position
    }

    /// What a voice announces for this step.
    public var spokenText: String { say ?? name }
}

extension Step.Kind {
    /// Whether only format 2 can describe this kind of step (tempo, own pace, pause).
    var isFormat2Only: Bool {
        switch self {
        case .hold, .breath: return false
        case .tempo, .ownPace, .pause: return true
        }
    }
}
