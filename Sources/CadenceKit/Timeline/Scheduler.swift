import Foundation

/// Turns a routine into its timeline at one sample rate and level, exactly as timeline.md says.
/// All times are whole microseconds; only boundaries and cue times are turned into samples.
public enum Scheduler {
    /// The longest session allowed (lead-in and tail included).
    public static let maximumSessionLength: Int64 = 24 * 3_600_000_000
    /// The most intervals one session may have: keeps a hostile routine from using unbounded memory
    /// (a timeline of a million intervals and their cues takes a few hundred MB).
    public static let maximumIntervals: Int64 = 1_000_000

    /// The session length in microseconds at `level` on `day`, computed without scheduling.
    public static func sessionLength(of routine: Routine, at level: Level, day: Int = 1) -> Int64 {
        routine.session(level: level, day: day).reduce(routine.tail.value(at: level)) { $0 + ResolvedStep($1, level: level).size.duration }
    }

    /// The most steps one session may have once its circuits are written out round by round.
    public static let maximumSessionSteps = 500

    /// What makes the routine impossible to schedule at `level`, if anything: on `day`, or when
    /// `day` is nil on every day of its program (only day 1 for a routine without `days`).
    static func limitViolation(of routine: Routine, at level: Level, day: Int? = nil) -> Diagnostic? {
        let days = day.map { [$0] } ?? Array(1...(routine.days ?? 1))
        for day in days {
            let onDay = routine.days == nil ? "" : " on day \(day)"
            let session = routine.session(level: level, day: day)
            if session.isEmpty {
                return Diagnostic(
                    routine.stepsPosition,
                    "at level \(level.rawValue)\(onDay) the session has no steps: `only_at` leaves every one of them out")
            }
            if session.count > maximumSessionSteps {
                return Diagnostic(
                    routine.stepsPosition,
                    "the session has \(session.count) steps at level \(level.rawValue)\(onDay) (each round of a circuit counted); "
                        + "at most \(maximumSessionSteps) are allowed")
            }
            var duration = routine.tail.value(at: level)
            var intervals: Int64 = 1
            for step in session {
                let size = ResolvedStep(step, level: level).size
                duration += size.duration
                intervals += size.intervals
            }
            if duration > maximumSessionLength {
                return Diagnostic(
                    routine.stepsPosition,
                    "the session lasts \(DurationText.short(duration)) at level \(level.rawValue)\(onDay); the longest allowed is 24 hours (lead-in and tail included)"
                )
            }
            if intervals > maximumIntervals {
                return Diagnostic(
                    routine.stepsPosition,
                    "the session has \(intervals) intervals at level \(level.rawValue)\(onDay); Cadence schedules at most \(maximumIntervals)"
                )
            }
        }
        return nil
    }

    /// About how many bytes scheduling `routine` at `level` needs at its peak: the intervals and
    /// cues, and room to sort the cues. Cues are counted generously (a countdown can add ten per interval).
    static func memoryNeeded(for routine: Routine, at level: Level, day: Int = 1) -> Int {
        let (intervals, cues) = sizeEstimate(of: routine, at: level, day: day)
        return intervals * MemoryLayout<Interval>.stride + cues * MemoryLayout<Cue>.stride * 2
    }

    /// About how many bytes the timeline's JSON text (`TimelineJSON`) of `routine` takes while it is
    /// made: a line per interval and per cue (counted as generously as in `memoryNeeded`).
    static func timelineTextNeeded(for routine: Routine, at level: Level, day: Int = 1) -> Int {
        let (intervals, cues) = sizeEstimate(of: routine, at: level, day: day)
        return intervals * 120 + cues * 80
    }

    /// How many intervals the session has, and at most how many cues.
    private static func sizeEstimate(of routine: Routine, at level: Level, day: Int) -> (intervals: Int, cues: Int) {
        let resolved = routine.session(level: level, day: day).map { ResolvedStep($0, level: level) }
        let intervals = resolved.reduce(1) { $0 + Int($1.size.intervals) }
        let cues = resolved.reduce(1) { $0 + Int($1.size.intervals) * (3 + $1.countdown) / 2 + 2 }
        return (intervals, cues)
    }

    /// Makes sure this process may use the memory scheduling `routine` takes (a memory limit such as
    /// `ulimit -v` can be lower than a large valid routine needs), so that running out is reported
    /// instead of ending the process. With `timelineText`, the timeline is also written as JSON
    /// (`plan --json`, `--timeline`, `--html`), which needs about as much again as the text.
    /// Throws `RenderError.outOfMemory`.
    public static func checkMemory(for routine: Routine, at level: Level, day: Int = 1, timelineText: Bool = false) throws(RenderError) {
        // Twice the need: the timeline's later users (the mixer, the timeline file) need about as much again.
        let needed =
            2 * memoryNeeded(for: routine, at: level, day: day)
            + (timelineText ? timelineTextNeeded(for: routine, at: level, day: day) : 0)
        guard let probe = malloc(needed) else {
            throw .outOfMemory(
                "the session needs about \(needed >> 20) MB of memory to schedule, more than this process may use; "
                    + "shorten it (fewer reps, breaths or sets), or raise the memory limit (ulimit -v)")
        }
        free(probe)
    }

    /// The timeline of `routine` at `sampleRate` (8000...192000) and `level`, on `day` of its program.
    /// The routine must have passed `RoutineLoader` at this level (its limits are checked there).
    /// - Parameter lengthenedTransitions: microseconds added to the transition before a step (by its
    ///   index in the session), for `transition: fit` (see `SpokenGuide`).
    public static func schedule(
        _ routine: Routine, sampleRate: Int, level: Level = .normal, day: Int = 1,
        lengthenedTransitions: [Int: Int64] = [:]
    ) -> Timeline {
        var resolved = routine.session(level: level, day: day).map { ResolvedStep($0, level: level) }
        for (index, extra) in lengthenedTransitions where resolved.indices.contains(index) && extra > 0 {
            resolved[index].transition += extra
        }
        let intervalCount = resolved.reduce(1) { $0 + Int($1.size.intervals) }
        var builder = TimelineBuilder(clock: SampleClock(sampleRate: sampleRate), expectedIntervals: intervalCount)
        for (index, step) in resolved.enumerated() {
            builder.schedule(step, index: index)
        }
        builder.finish(tail: routine.tail.value(at: level), lastStep: resolved.count - 1)
        var timeline = Timeline(
            title: routine.title, about: routine.about, sampleRate: sampleRate, level: level,
            totalSamples: builder.clock.sample(at: builder.cursor), totalTime: builder.cursor,
            steps: builder.stepSpans, intervals: builder.intervals, cues: builder.sortedCues())
        timeline.routineFormat = routine.format
        timeline.lengthenedTransitions = lengthenedTransitions.filter { resolved.indices.contains($0.key) && $0.value > 0 }
        if let days = routine.days {
            timeline.day = day
            timeline.days = days
        }
        return timeline
    }
}

/// The cursor and the lists the scheduler fills in, interval by interval.
struct TimelineBuilder {
    let clock: SampleClock
    var cursor: Int64 = 0
    private(set) var intervals: [Interval] = []
    var stepSpans: [StepSpan] = []
    var cues: [Cue] = []

    init(clock: SampleClock, expectedIntervals: Int = 0) {
        self.clock = clock
        intervals.reserveCapacity(expectedIntervals)
        cues.reserveCapacity(expectedIntervals * 2)
    }

    mutating func schedule(_ step: ResolvedStep, index: Int) {
        if case .format2(let plan) = step.body {
            schedule(step, plan: plan, index: index)
            return
        }
        let firstInterval = intervals.count
        let stepStart = cursor
        if step.transition > 0 {
            cues.append(cue(.announce, at: cursor + min(400_000, step.transition / 2), step: index, text: step.spokenText))
            if cursor > 0 {
                cues.append(cue(.stop, at: cursor, step: index - 1))
            }
            emit(.transition, step.transition, step: index, side: nil, set: nil, rep: nil, countdown: step.countdown)
        } else {
            cues.append(cue(.announce, at: cursor, step: index, text: step.spokenText))
        }
        let sideA = step.first, sideB = step.first.other
        for set in 1...step.sets {
            if set > 1 {
                emit(.rest, step.setRest, step: index, side: nil, set: set, rep: nil, countdown: step.countdown)
            }
            switch step.body {
            case let .hold(hold, reps, rest):
                func holdAndRest(side: Side?, rep: Int) {
                    if rep > 1 { emit(.rest, rest, step: index, side: side, set: set, rep: rep, countdown: step.countdown) }
                    emitHold(hold, step: step, index: index, side: side, set: set, rep: rep)
                }
                switch step.sides {
                case .none:
                    for rep in 1...reps { holdAndRest(side: nil, rep: rep) }
                case .each:
                    for side in [sideA, sideB] {
                        if side == sideB {
                            emit(.switchSides, step.switchTime, step: index, side: side, set: set, rep: 1, countdown: step.countdown)
                        }
                        for rep in 1...reps { holdAndRest(side: side, rep: rep) }
                    }
                case .alternate:
                    for rep in 1...reps {
                        for side in [sideA, sideB] {
                            if !(rep == 1 && side == sideA) {
                                emit(.switchSides, step.switchTime, step: index, side: side, set: set, rep: rep, countdown: step.countdown)
                            }
                            emitHold(hold, step: step, index: index, side: side, set: set, rep: rep)
                        }
                    }
                }
            case let .breath(breaths, inhale, exhale, holdIn, holdOut):
                func cycle(side: Side?, rep: Int) {
                    for (kind, length) in [(IntervalKind.inhale, inhale), (.holdIn, holdIn), (.exhale, exhale), (.holdOut, holdOut)] {
                        emit(kind, length, step: index, side: side, set: set, rep: rep, countdown: step.countdown)
                    }
                }
                switch step.sides {
                case .none:
                    for rep in 1...breaths { cycle(side: nil, rep: rep) }
                case .each:
                    for rep in 1...breaths { cycle(side: sideA, rep: rep) }
                    emit(.switchSides, step.switchTime, step: index, side: sideB, set: set, rep: 1, countdown: step.countdown)
                    for rep in 1...breaths { cycle(side: sideB, rep: rep) }
                case .alternate:
                    for rep in 1...breaths {
                        cycle(side: sideA, rep: rep)
                        cycle(side: sideB, rep: rep)
                    }
                }
            case .format2:
                break
            }
        }
        let end = intervals[(firstInterval)...].last.map { $0.endTime } ?? stepStart
        var span = StepSpan(
            name: step.name, start: clock.sample(at: stepStart), end: clock.sample(at: end),
            startTime: stepStart, endTime: end)
        span.say = step.say
        stepSpans.append(span)
    }

    mutating func finish(tail: Int64, lastStep: Int) {
        cues.append(cue(.finish, at: cursor, step: lastStep))
        emit(.tail, tail, step: nil, side: nil, set: nil, rep: nil, countdown: 0)
    }

    /// Cues in timeline order: by sample, then by type (finish, stop, switch, announce, go, phase,
    /// inhale, exhale, breath_hold, halfway, pulse, countdown), then by exact time, then in the order they were made (the sort
    /// is stable, and sorts in place: no copy of a million cues).
    mutating func sortedCues() -> [Cue] {
        cues.sort { a, b in (a.sample, a.type.rank, a.time) < (b.sample, b.type.rank, b.time) }
        return cues
    }

    // MARK: Emitting

    mutating func emitHold(_ length: Int64, step: ResolvedStep, index: Int, side: Side?, set: Int, rep: Int) {
        let start = cursor
        cues.append(cue(.go, at: start, step: index, side: side))
        if step.halfway {
            cues.append(cue(.halfway, at: start + length / 2, step: index, side: side))
        }
        emit(.hold, length, step: index, side: side, set: set, rep: rep, countdown: step.countdown)
    }

    /// Appends an interval of `length` microseconds (none when it is 0) with the cues it carries:
    /// stop, switch, breath tones and countdown beeps. Go and halfway cues of holds come from `emitHold`.
    /// With `format2`, a breath phase gets no `go` here (format 2 places them itself), a held breath
    /// gets its `breath_hold` cue, and own-pace blocks and pauses get countdowns too.
    mutating func emit(
        _ kind: IntervalKind, _ length: Int64, step: Int?, side: Side?, set: Int?, rep: Int?,
        countdown: Int, phase: String? = nil, format2: Bool = false
    ) {
        guard length > 0 else { return }
        let start = cursor, end = cursor + length
        let startSample = clock.sample(at: start), endSample = clock.sample(at: end)
        let previous = intervals.last?.kind
        if let step {
            switch kind {
            case .rest:
                cues.append(cue(.stop, at: start, step: step))
            case .switchSides:
                cues.append(cue(.switchSides, at: start, step: step, side: side))
            case .inhale:
                if !format2, previous != .exhale && previous != .holdOut {
                    cues.append(cue(.go, at: start, step: step, side: side))
                }
                cues.append(cue(.inhale, at: start, step: step, side: side, length: endSample - startSample))
            case .exhale:
                cues.append(cue(.exhale, at: start, step: step, side: side, length: endSample - startSample))
            case .holdIn, .holdOut:
                if format2 {
                    var held = cue(.breathHold, at: start, step: step, side: side, length: endSample - startSample)
                    held.breath = kind == .holdIn ? "in" : "out"
                    cues.append(held)
                }
            default:
                break
            }
            switch kind {
            case .transition, .rest, .switchSides, .hold, .ownPace, .pause:
                let beeps = Self.countdownBeeps(kind, length, countdown: countdown, format2: format2)
                if beeps > 0 {
                    for k in stride(from: beeps, through: 1, by: -1) {
                        var beep = cue(.countdown, at: end - Int64(k) * 1_000_000, step: step)
                        beep.count = k
                        cues.append(beep)
                    }
                }
            default:
                break
            }
        }
        intervals.append(
            Interval(
                kind: kind, start: startSample, end: endSample, step: step, side: side,
                set: set, rep: rep, startTime: start, endTime: end, phase: phase))
        cursor = end
    }

    /// How many countdown beeps an interval of `length` microseconds gets: `countdown` (n) when it
    /// lasts at least 2n seconds. In format 2, a transition, rest, switch or pause shorter than that
    /// still counts down its second half: floor(length / 2 s) beeps, so a 5 s switch with a
    /// countdown of 3 gets two (timeline.md, "Short countdowns").
    static func countdownBeeps(_ kind: IntervalKind, _ length: Int64, countdown: Int, format2: Bool) -> Int {
        guard countdown > 0 else { return 0 }
        if length >= Int64(2 * countdown) * 1_000_000 { return countdown }
        switch kind {
        case .transition, .rest, .switchSides, .pause:
            return format2 ? min(countdown, Int(length / 2_000_000)) : 0
        default:
            return 0
        }
    }

    func cue(
        _ type: CueType, at time: Int64, step: Int, side: Side? = nil,
        length: Int64? = nil, text: String? = nil
    ) -> Cue {
        Cue(
            type: type, sample: clock.sample(at: time), step: step, side: side, length: length, text: text,
            count: nil, time: time)
    }
}
