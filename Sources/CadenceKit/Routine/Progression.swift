/// A value of `progress`: what a key is on the last day of the program (`days:`), as written.
public enum ProgressValue: Hashable, Sendable {
    /// A duration; `right` is the right side's value when the key is given per side.
    case duration(Ranged<Int64>, right: Ranged<Int64>?)
    case count(Ranged<Int>, right: Ranged<Int>?)
}

/// How a value grows (or shrinks) from day 1 to day N, in integers only.
///
/// Day k's value is first + (last − first)·(k − 1)/(N − 1), rounded half up to a multiple of a
/// quantum: whole seconds when every value involved is a whole number of seconds, else whole
/// milliseconds when they all are, else microseconds. Day 1 is exactly the step's value and day N
/// exactly the progress value, and the days between never step outside them.
enum Progression {
    /// The coarsest of 1 s, 1 ms and 1 µs that divides every value.
    static func quantum(of values: [Int64]) -> Int64 {
        if values.allSatisfy({ $0 % 1_000_000 == 0 }) { return 1_000_000 }
        if values.allSatisfy({ $0 % 1_000 == 0 }) { return 1_000 }
        return 1
    }

    /// The value on `day` (1...days) of a program of `days` (at least 2) days, in steps of `quantum`;
    /// `first` and `last` are multiples of `quantum` and not negative.
    static func value(from first: Int64, to last: Int64, day: Int, of days: Int, quantum: Int64) -> Int64 {
        let a = first / quantum, b = last / quantum
        let span = Int64(days - 1), done = Int64(day - 1)
        // a + (b - a)·done/span = (a·(span - done) + b·done)/span, a weighted mean of a and b, so
        // never negative; half up is floor((2·n + span) / (2·span)).
        let numerator = a * (span - done) + b * done
        return (2 * numerator + span) / (2 * span) * quantum
    }

    static func range(from first: Ranged<Int64>, to last: Ranged<Int64>, day: Int, of days: Int) -> Ranged<Int64> {
        let q = quantum(of: [first.low, first.high, last.low, last.high])
        return Ranged(
            low: value(from: first.low, to: last.low, day: day, of: days, quantum: q),
            high: value(from: first.high, to: last.high, day: day, of: days, quantum: q))
    }

    static func range(from first: Ranged<Int>, to last: Ranged<Int>, day: Int, of days: Int) -> Ranged<Int> {
        Ranged(
            low: Int(value(from: Int64(first.low), to: Int64(last.low), day: day, of: days, quantum: 1)),
            high: Int(value(from: Int64(first.high), to: Int64(last.high), day: day, of: days, quantum: 1)))
    }
}

extension Step {
    /// The step as it is on `day` of a `days`-day program: every key of `progress` moved along the
    /// way from its own value to the progress value.
    func onDay(_ day: Int, of days: Int?) -> Step {
        guard let days, days > 1, !extras.progress.isEmpty else { return self }
        var step = self
        func duration(_ key: String, _ value: Ranged<Int64>) -> Ranged<Int64> {
            guard case let .duration(last, _)? = extras.progress[key] else { return value }
            return Progression.range(from: value, to: last, day: day, of: days)
        }
        func count(_ key: String, _ value: Ranged<Int>) -> Ranged<Int> {
            guard case let .count(last, _)? = extras.progress[key] else { return value }
            return Progression.range(from: value, to: last, day: day, of: days)
        }
        step.sets = count("sets", sets)
        let countKey = extras.countIsInAll ? "reps_in_all" : "reps"
        switch kind {
        case let .hold(hold, reps, rest):
            step.kind = .hold(hold: duration("hold", hold), reps: count(countKey, reps), rest: duration("rest", rest))
        case let .tempo(phases, reps, rest):
            step.kind = .tempo(phases: phases, reps: count(countKey, reps), rest: duration("rest", rest))
        case let .breath(breaths, inhale, exhale, holdIn, holdOut):
            step.kind = .breath(
                breaths: count(extras.countIsInAll ? "reps_in_all" : "breaths", breaths),
                inhale: duration("inhale", inhale), exhale: duration("exhale", exhale),
                holdIn: duration("hold_in", holdIn), holdOut: duration("hold_out", holdOut))
        case let .ownPace(length, pulse, reps, rest):
            step.kind = .ownPace(
                length: duration("own_pace", length), pulse: pulse, reps: count(countKey, reps),
                rest: duration("rest", rest))
        case let .pause(length):
            step.kind = .pause(length: duration("time", length))
        }
        // A plain progress value is where both sides end; a per-side one gives each side its own.
        if let right = extras.rightHold, case let .duration(last, lastRight)? = extras.progress["hold"] {
            step.extras.rightHold = Progression.range(from: right, to: lastRight ?? last, day: day, of: days)
        }
        if let right = extras.rightReps {
            let key = extras.progress["reps"] != nil ? "reps" : "breaths"
            if case let .count(last, lastRight)? = extras.progress[key] {
                step.extras.rightReps = Progression.range(from: right, to: lastRight ?? last, day: day, of: days)
            }
        }
        return step
    }
}
