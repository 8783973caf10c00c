/// A step's values after a `Level` has picked from every range.
struct ResolvedStep {
    enum Body {
        case hold(hold: Int64, reps: Int, rest: Int64)
        case breath(breaths: Int, inhale: Int64, exhale: Int64, holdIn: Int64, holdOut: Int64)
        /// Every step of a format 2 routine, whatever its kind.
        case format2(StepPlan)
    }

    var name: String
    var spokenText: String
    var say: String?
    var body: Body
    var sets: Int
    var sides: Sides
    var first: Side
    var transition: Int64
    var switchTime: Int64
    var setRest: Int64
    var countdown: Int
    var halfway: Bool
    /// Format 2: what the step's entry in the timeline file says besides its name.
    var instructions: String?
    var circuit: CircuitPlace?

    init(_ step: Step, level: Level) {
        name = step.name
        spokenText = step.spokenText
        say = step.say
        instructions = step.extras.instructions
        circuit = step.extras.circuit
        if let circuit, circuit.startsRound {
            spokenText = "Round \(circuit.round) of \(circuit.rounds). " + spokenText
        }
        sets = step.sets.value(at: level)
        sides = step.sides
        first = step.first
        transition = step.transition.value(at: level)
        switchTime = step.switchTime.value(at: level)
        setRest = step.setRest.value(at: level)
        countdown = step.countdown.value(at: level)
        halfway = step.halfway
        if step.extras.isFormat2 || step.kind.isFormat2Only {
            let plan = StepPlan(step, level: level)
            body = .format2(plan)
            if plan.isSingleBlock { sets = 1 }
            return
        }
        switch step.kind {
        case let .hold(hold, reps, rest):
            body = .hold(hold: hold.value(at: level), reps: reps.value(at: level), rest: rest.value(at: level))
        case let .breath(breaths, inhale, exhale, holdIn, holdOut):
            body = .breath(
                breaths: breaths.value(at: level), inhale: inhale.value(at: level),
                exhale: exhale.value(at: level), holdIn: holdIn.value(at: level),
                holdOut: holdOut.value(at: level))
        case .tempo, .ownPace, .pause:
            // Planned above, whatever the file's format.
            body = .format2(StepPlan(step, level: level))
        }
    }

    /// The step's length in microseconds and how many intervals it emits, computed without emitting them.
    var size: (duration: Int64, intervals: Int64) {
        var duration = transition
        var intervals: Int64 = transition > 0 ? 1 : 0
        func add(_ length: Int64, times: Int64) {
            guard length > 0, times > 0 else { return }
            duration += length * times
            intervals += times
        }
        let sideCount: Int64 = sides == .none ? 1 : 2
        let setCount = Int64(sets)
        add(setRest, times: setCount - 1)
        switch body {
        case let .hold(hold, reps, rest):
            let reps = Int64(reps)
            add(hold, times: setCount * sideCount * reps)
            switch sides {
            case .none, .each:
                add(rest, times: setCount * sideCount * (reps - 1))
                if sides == .each { add(switchTime, times: setCount) }
            case .alternate:
                add(switchTime, times: setCount * (2 * reps - 1))
            }
        case let .breath(breaths, inhale, exhale, holdIn, holdOut):
            let cycles = setCount * sideCount * Int64(breaths)
            for phase in [inhale, exhale, holdIn, holdOut] { add(phase, times: cycles) }
            if sides == .each { add(switchTime, times: setCount) }
        case let .format2(plan):
            let set = plan.setSize(switchTime: switchTime)
            duration += set.duration * setCount
            intervals += set.intervals * setCount
        }
        return (duration, intervals)
    }
}
