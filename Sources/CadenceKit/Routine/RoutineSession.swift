/// From a routine as written to the steps of one session: for format 2, the steps done at a level
/// (`only_at`), each as its variant for that level says, on one day of the program (`progress`),
/// with every circuit written out round by round.
extension Routine {
    /// The steps of the session at `level` on `day` (1 when the routine has no `days`). For a
    /// version 1 routine these are simply its steps.
    public func session(level: Level, day: Int = 1) -> [Step] {
        guard format == 2 else { return steps }
        var session: [Step] = []
        for entry in entries {
            switch entry {
            case .step(let step):
                if let step = step.done(at: level, day: day, of: days) { session.append(step) }
            case .circuit(let circuit):
                guard circuit.onlyAt?.contains(level) ?? true else { continue }
                let variant = circuit.variants[level]
                var rounds = variant?.rounds ?? circuit.rounds
                if case let .count(last, _)? = (variant?.progress ?? circuit.progress)["rounds"], let days, days > 1 {
                    rounds = Progression.range(from: rounds, to: last, day: day, of: days)
                }
                let roundRest = variant?.roundRest ?? circuit.roundRest
                let count = rounds.value(at: level)
                let members = circuit.steps.compactMap { $0.done(at: level, day: day, of: days) }
                guard !members.isEmpty else { continue }
                for round in 1...count {
                    for (position, member) in members.enumerated() {
                        var step = member
                        step.extras.circuit = CircuitPlace(
                            name: circuit.name, round: round, rounds: count,
                            startsRound: position == 0)
                        if position == 0, round > 1, let roundRest {
                            step.transition = roundRest
                            step.extras.hasOwnTransition = true
                        }
                        session.append(step)
                    }
                }
            }
        }
        // The session's first step gets `lead_in` unless it sets its own transition (a pause always does).
        if let first = session.first, !first.extras.hasOwnTransition { session[0].transition = leadIn }
        return session
    }
}

extension Step {
    /// The step as done at `level` on `day`: nil when `only_at` leaves it out at that level.
    func done(at level: Level, day: Int, of days: Int?) -> Step? {
        guard extras.onlyAt?.contains(level) ?? true else { return nil }
        var step = extras.variants[level] ?? self
        step.extras.variants = [:]
        step.extras.onlyAt = nil
        return step.onDay(day, of: days)
    }
}
