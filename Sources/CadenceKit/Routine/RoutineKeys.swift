/// The keys a routine file may use, where each may stand, and the values each accepts.
enum RoutineKeys {
    enum ValueType: Equatable {
        /// A duration in microseconds, from `minimum` to `maximum`. When `minimum` is 0,
        /// a non-zero value must still be at least 10 ms.
        case duration(minimum: Int64, maximum: Int64)
        case count(minimum: Int, maximum: Int)
        case boolean
        case text
        case choice([String])
    }

    static let second: Int64 = 1_000_000
    static let minute: Int64 = 60 * second
    /// A duration that may be 0 must otherwise be at least this long.
    static let shortestNonZero: Int64 = 10_000

    static let pause = ValueType.duration(minimum: 0, maximum: 10 * minute)
    static let breathPhase = ValueType.duration(minimum: second / 2, maximum: 60 * second)
    static let breathHold = ValueType.duration(minimum: 0, maximum: 60 * second)

    static let topLevel = ["title", "about", "defaults", "steps"]

    static let defaults: [String: ValueType] = [
        "lead_in": pause, "transition": pause, "rest": pause, "switch": pause, "set_rest": pause,
        "inhale": breathPhase, "exhale": breathPhase, "hold_in": breathHold, "hold_out": breathHold,
        "countdown": .count(minimum: 0, maximum: 10), "halfway": .boolean,
        "tail": .duration(minimum: 0, maximum: minute),
    ]
    /// The order keys are listed in messages.
    static let defaultsOrder = [
        "lead_in", "transition", "rest", "switch", "set_rest", "inhale", "exhale",
        "hold_in", "hold_out", "countdown", "halfway", "tail",
    ]

    static let commonStep: [String: ValueType] = [
        "name": .text, "say": .text, "sets": .count(minimum: 1, maximum: 100),
        "sides": .choice(["none", "each", "alternate"]), "first": .choice(["left", "right"]),
        "transition": pause, "switch": pause, "set_rest": pause,
        "countdown": .count(minimum: 0, maximum: 10), "halfway": .boolean,
    ]
    static let commonStepOrder = [
        "name", "say", "sets", "sides", "first", "transition", "switch", "set_rest",
        "countdown", "halfway",
    ]

    static let holdStep: [String: ValueType] = [
        "hold": .duration(minimum: second / 10, maximum: 60 * minute),
        "reps": .count(minimum: 1, maximum: 1000), "rest": pause,
    ]
    static let holdStepOrder = ["hold", "reps", "rest"]

    static let breathStep: [String: ValueType] = [
        "breaths": .count(minimum: 1, maximum: 1000),
        "inhale": breathPhase, "exhale": breathPhase, "hold_in": breathHold, "hold_out": breathHold,
    ]
    static let breathStepOrder = ["breaths", "inhale", "exhale", "hold_in", "hold_out"]

    /// Keys that may be set in `defaults` only.
    static let defaultsOnly = ["lead_in", "tail"]

    // MARK: Format 2

    static let topLevel2 = ["format", "title", "about", "days", "defaults", "steps"]
    static let defaults2: [String: ValueType] = defaults.merging(["pulse": pulse]) { a, _ in a }
    static let defaultsOrder2 = defaultsOrder + ["pulse"]

    /// `pulse`: 0 turns the own-pace pulse off; otherwise 1 s to 1 min.
    static let pulse = ValueType.duration(minimum: 0, maximum: minute)
    static let shortestPulse = second
    static let ownPaceLength = ValueType.duration(minimum: second, maximum: 60 * minute)
    static let pauseLength = ValueType.duration(minimum: second / 2, maximum: 60 * minute)
    static let holdLength = ValueType.duration(minimum: second / 10, maximum: 60 * minute)
    static let repCount = ValueType.count(minimum: 1, maximum: 1000)
    static let inAllCount = ValueType.count(minimum: 1, maximum: 2000)
    static let roundCount = ValueType.count(minimum: 1, maximum: 100)
    static let maximumInstructions = 500
    static let maximumPhases = 20
    static let maximumCircuitSteps = 100
    static let dayCount = ValueType.count(minimum: 2, maximum: 365)

    static let breathingPatterns = ["box", "4-7-8", "coherent", "sigh"]
    static let levelNames = Level.allCases.map(\.rawValue)

    /// The keys a step of each kind may have in a format 2 file, in the order messages list them.
    static let commonStep2 = [
        "name", "say", "instructions", "sets", "sides", "first", "transition", "switch", "set_rest",
        "countdown", "halfway", "only_at", "easy", "normal", "hard", "progress",
    ]
    static let holdStep2 = ["hold", "reps", "reps_in_all", "rest"]
    static let tempoStep2 = ["tempo", "reps", "reps_in_all", "rest"]
    static let breathStep2 = [
        "breaths", "reps_in_all", "breathing", "inhale", "exhale", "hold_in", "hold_out",
        "start_on", "closing_breath",
    ]
    static let ownPaceStep2 = commonStep2.filter { $0 != "halfway" } + ["own_pace", "pulse", "reps", "reps_in_all", "rest"]
    static let pauseStep2 = [
        "pause", "time", "say", "instructions", "transition", "countdown",
        "only_at", "easy", "normal", "hard", "progress",
    ]
    static let circuit2 = ["circuit", "rounds", "round_rest", "steps", "only_at", "easy", "normal", "hard", "progress"]
    static let variantLevels = ["easy", "normal", "hard"]

    /// Every key of a format 2 step of any kind.
    static let everyStepKey2 = Array(
        Set(
            commonStep2 + holdStep2 + tempoStep2 + breathStep2 + ownPaceStep2
                + pauseStep2 + circuit2)
    ).sorted()

    /// Keys that only a `format: 2` file may use, wherever they stand.
    static let format2Only: Set<String> = Set(["format", "days", "pulse"] + everyStepKey2)
        .subtracting(commonStepOrder + holdStepOrder + breathStepOrder + topLevel + defaultsOrder)

    /// Keys whose value `progress` can move from day 1 to the last day.
    static let progressKeys = [
        "hold", "reps", "reps_in_all", "breaths", "sets", "rest", "inhale", "exhale",
        "hold_in", "hold_out", "own_pace", "time",
    ]

    /// The allowed key closest to `key`, when it is close enough to be a likely misspelling.
    static func suggestion(for key: String, among candidates: [String]) -> String? {
        Spelling.suggestion(for: key, among: candidates)
    }

    static func editDistance(_ a: String, _ b: String) -> Int { Spelling.editDistance(a, b) }
}
