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
    static let defaultsOrder = ["lead_in", "transition", "rest", "switch", "set_rest", "inhale", "exhale",
                                "hold_in", "hold_out", "countdown", "halfway", "tail"]

    static let commonStep: [String: ValueType] = [
        "name": .text, "say": .text, "sets": .count(minimum: 1, maximum: 100),
        "sides": .choice(["none", "each", "alternate"]), "first": .choice(["left", "right"]),
        "transition": pause, "switch": pause, "set_rest": pause,
        "countdown": .count(minimum: 0, maximum: 10), "halfway": .boolean,
    ]
    static let commonStepOrder = ["name", "say", "sets", "sides", "first", "transition", "switch", "set_rest",
                                  "countdown", "halfway"]

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

    /// The allowed key closest to `key`, when it is close enough to be a likely misspelling.
    static func suggestion(for key: String, among candidates: [String]) -> String? {
        Spelling.suggestion(for: key, among: candidates)
    }

    static func editDistance(_ a: String, _ b: String) -> Int { Spelling.editDistance(a, b) }
}
