/// A format 2 step with its values picked at one level: the work it is made of and the order of
/// its units (holds, tempo reps or breath cycles) in one set, side by side.
struct StepPlan {
    /// One timed part of a unit: a tempo phase or a phase of a breath cycle.
    struct Phase {
        var kind: IntervalKind
        var length: Int64
        /// The tempo phase's label; nil for the phases of breath steps.
        var label: String?
    }

    enum Work {
        /// One hold per unit, each side its own length.
        case hold(left: Int64, right: Int64)
        /// One rep per unit: the phases in order.
        case tempo([Phase])
        /// One cycle per unit, and the closing half-breath after the last cycle of a run.
        case breath(cycle: [Phase], closing: Phase?)
        case ownPace(length: Int64, pulse: Int64)
        case pause(length: Int64)
    }

    /// A unit's side (nil without sides) and its count on that side, from 1.
    struct Unit: Equatable {
        var side: Side?
        var rep: Int
    }

    var work: Work
    /// The units of one set, in order.
    var order: [Unit]
    /// Between two units on the same side (holds and tempo reps; breath cycles follow each other).
    var rest: Int64
    /// Whether a change of side between units is a `switch` (not for breath cycles that alternate).
    var switchesSides: Bool
    /// The step's kind as the timeline file names it.
    var kindName: String

    init(_ step: Step, level: Level) {
        let extras = step.extras
        func counts(_ count: Int) -> (first: Int, second: Int) {
            if extras.countIsInAll { return ((count + 1) / 2, count / 2) }
            guard let right = extras.rightReps?.value(at: level) else { return (count, count) }
            return step.first == .left ? (count, right) : (right, count)
        }
        rest = 0
        switchesSides = true
        switch step.kind {
        case let .hold(hold, reps, rest):
            let left = hold.value(at: level)
            work = .hold(left: left, right: extras.rightHold?.value(at: level) ?? left)
            order = Self.order(step.sides, first: step.first, counts(reps.value(at: level)))
            self.rest = rest.value(at: level)
            kindName = "hold"
        case let .tempo(phases, reps, rest):
            work = .tempo(phases.map { Phase(kind: Self.intervalKind($0.kind), length: $0.length.value(at: level), label: $0.label) })
            order = Self.order(step.sides, first: step.first, counts(reps.value(at: level)))
            self.rest = rest.value(at: level)
            kindName = "tempo"
        case let .breath(breaths, inhale, exhale, holdIn, holdOut):
            let inhaleLength = inhale.value(at: level), exhaleLength = exhale.value(at: level)
            var breathIn = [Phase(kind: .inhale, length: inhaleLength)]
            if let second = extras.secondInhale { breathIn.append(Phase(kind: .inhale, length: second.value(at: level))) }
            breathIn.append(Phase(kind: .holdIn, length: holdIn.value(at: level)))
            let breathOut = [Phase(kind: .exhale, length: exhaleLength), Phase(kind: .holdOut, length: holdOut.value(at: level))]
            let cycle = (extras.startsOnExhale ? breathOut + breathIn : breathIn + breathOut).filter { $0.length > 0 }
            let closing = extras.closingBreath.map {
                $0 == .inhale ? Phase(kind: .inhale, length: inhaleLength) : Phase(kind: .exhale, length: exhaleLength)
            }
            work = .breath(cycle: cycle, closing: closing)
            order = Self.order(step.sides, first: step.first, counts(breaths.value(at: level)))
            switchesSides = step.sides == .each
            kindName = "breath"
        case let .ownPace(length, pulse, reps, rest):
            work = .ownPace(length: length.value(at: level), pulse: pulse.value(at: level))
            order = Self.order(step.sides, first: step.first, counts(reps.value(at: level)))
            self.rest = rest.value(at: level)
            kindName = "own_pace"
        case let .pause(length):
            work = .pause(length: length.value(at: level))
            order = [Unit(side: nil, rep: 1)]
            kindName = "pause"
        }
    }

    static func intervalKind(_ kind: TempoPhase.Kind) -> IntervalKind {
        switch kind {
        case .move: return .move
        case .hold: return .hold
        case .inhale: return .inhale
        case .exhale: return .exhale
        }
    }

    /// The units of one set: `none` all on no side; `each` the first side's, then the second's;
    /// `alternate` first, second, first, ... while both sides have units left, then the rest of
    /// the side that has more.
    static func order(_ sides: Sides, first: Side, _ counts: (first: Int, second: Int)) -> [Unit] {
        switch sides {
        case .none:
            return (0..<counts.first).map { Unit(side: nil, rep: $0 + 1) }
        case .each:
            return (0..<counts.first).map { Unit(side: first, rep: $0 + 1) }
                + (0..<counts.second).map { Unit(side: first.other, rep: $0 + 1) }
        case .alternate:
            var units: [Unit] = []
            var done = (first: 0, second: 0)
            while done.first < counts.first || done.second < counts.second {
                if done.first < counts.first {
                    done.first += 1
                    units.append(Unit(side: first, rep: done.first))
                }
                if done.second < counts.second {
                    done.second += 1
                    units.append(Unit(side: first.other, rep: done.second))
                }
            }
            return units
        }
    }

    /// A pause is one block: no sets, sides or reps.
    var isSingleBlock: Bool {
        if case .pause = work { return true }
        return false
    }

    /// What comes between unit `index - 1` and unit `index`: a switch, a rest, or nothing.
    func gap(before index: Int) -> IntervalKind? {
        let previous = order[index - 1], unit = order[index]
        if previous.side != unit.side { return switchesSides ? .switchSides : nil }
        if case .breath = work { return nil }
        return .rest
    }

    /// Whether the closing half-breath comes after unit `index`: after the last unit of a set, and
    /// after the last unit on a side before a switch.
    func closes(after index: Int) -> Bool {
        guard case .breath(_, let closing) = work, closing != nil else { return false }
        return index == order.count - 1 || gap(before: index + 1) == .switchSides
    }

    /// The phases unit `unit` is made of (with the closing half-breath when it ends a run).
    func phases(of unit: Unit) -> [Phase] {
        switch work {
        case let .hold(left, right): return [Phase(kind: .hold, length: unit.side == .right ? right : left)]
        case let .tempo(phases): return phases
        case let .breath(cycle, _): return cycle
        case let .ownPace(length, _): return [Phase(kind: .ownPace, length: length)]
        case let .pause(length): return [Phase(kind: .pause, length: length)]
        }
    }

    /// The length in microseconds and the interval count of one set, without the set rest.
    func setSize(switchTime: Int64) -> (duration: Int64, intervals: Int64) {
        var duration: Int64 = 0, intervals: Int64 = 0
        func add(_ length: Int64) {
            guard length > 0 else { return }
            duration += length
            intervals += 1
        }
        for (index, unit) in order.enumerated() {
            if index > 0, let gap = gap(before: index) { add(gap == .switchSides ? switchTime : rest) }
            for phase in phases(of: unit) { add(phase.length) }
            if closes(after: index), case .breath(_, let closing?) = work { add(closing.length) }
        }
        return (duration, intervals)
    }
}
