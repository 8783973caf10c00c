/// How a format 2 step becomes intervals and cues (timeline.md, "Format 2"). Shared with version 1:
/// transitions, set rests, rests, switches, holds and countdowns; added: tempo phases, breath
/// cycles in any order with their held breaths heard, own-pace pulses and pauses.
extension TimelineBuilder {
    private static let breathKinds: Set<IntervalKind> = [.inhale, .holdIn, .exhale, .holdOut]

    mutating func schedule(_ step: ResolvedStep, plan: StepPlan, index: Int) {
        let firstInterval = intervals.count
        let stepStart = cursor
        if step.transition > 0 {
            cues.append(cue(.announce, at: cursor + min(400_000, step.transition / 2), step: index, text: step.spokenText))
            if cursor > 0 { cues.append(cue(.stop, at: cursor, step: index - 1)) }
            emit(.transition, step.transition, step: index, side: nil, set: nil, rep: nil, countdown: step.countdown, format2: true)
        } else {
            cues.append(cue(.announce, at: cursor, step: index, text: step.spokenText))
            // A pause straight after work marks the end of that work.
            if case .pause = plan.work, cursor > 0, let previous = intervals.last?.kind, previous != .pause {
                cues.append(cue(.stop, at: cursor, step: index - 1))
            }
        }
        switch plan.work {
        case let .pause(length):
            emit(.pause, length, step: index, side: nil, set: nil, rep: nil, countdown: step.countdown, format2: true)
        case .hold, .tempo, .breath, .ownPace:
            for set in 1...step.sets {
                if set > 1 {
                    emit(.rest, step.setRest, step: index, side: nil, set: set, rep: nil, countdown: step.countdown, format2: true)
                }
                for (position, unit) in plan.order.enumerated() {
                    if position > 0, let gap = plan.gap(before: position) {
                        emit(
                            gap, gap == .switchSides ? step.switchTime : plan.rest, step: index, side: unit.side, set: set,
                            rep: unit.rep, countdown: step.countdown, format2: true)
                    }
                    emitUnit(unit, plan: plan, step: step, index: index, set: set)
                    if plan.closes(after: position), case .breath(_, let closing?) = plan.work {
                        emitBreathPhase(closing, step: step, index: index, side: unit.side, set: set, rep: unit.rep)
                    }
                }
            }
        }
        let end = intervals[firstInterval...].last.map { $0.endTime } ?? stepStart
        var span = StepSpan(
            name: step.name, start: clock.sample(at: stepStart), end: clock.sample(at: end),
            startTime: stepStart, endTime: end)
        span.kind = plan.kindName
        span.instructions = step.instructions
        span.say = step.say
        if case .ownPace = plan.work { span.selfPaced = true }
        span.circuit = step.circuit
        stepSpans.append(span)
    }

    private mutating func emitUnit(_ unit: StepPlan.Unit, plan: StepPlan, step: ResolvedStep, index: Int, set: Int) {
        switch plan.work {
        case .hold:
            guard let phase = plan.phases(of: unit).first else { return }
            emitHold(phase.length, step: step, index: index, side: unit.side, set: set, rep: unit.rep)
        case .tempo(let phases):
            for (position, phase) in phases.enumerated() where phase.length > 0 {
                let start = cursor
                if position == 0 {
                    cues.append(cue(.go, at: start, step: index, side: unit.side))
                } else if phase.kind == .move || phase.kind == .hold {
                    cues.append(cue(.phase, at: start, step: index, side: unit.side, text: phase.label))
                }
                if phase.kind == .hold, step.halfway {
                    cues.append(cue(.halfway, at: start + phase.length / 2, step: index, side: unit.side))
                }
                emit(
                    phase.kind, phase.length, step: index, side: unit.side, set: set, rep: unit.rep,
                    countdown: step.countdown, phase: phase.label, format2: true)
            }
        case .breath(let cycle, _):
            for phase in cycle {
                emitBreathPhase(phase, step: step, index: index, side: unit.side, set: set, rep: unit.rep)
            }
        case let .ownPace(length, pulse):
            emitOwnPace(length, pulse: pulse, step: step, index: index, side: unit.side, set: set, rep: unit.rep)
        case .pause:
            break
        }
    }

    /// A phase of a breath step: a `go` when the breathing starts (after anything but a breath).
    private mutating func emitBreathPhase(_ phase: StepPlan.Phase, step: ResolvedStep, index: Int, side: Side?, set: Int, rep: Int) {
        guard phase.length > 0 else { return }
        if phase.kind == .inhale || phase.kind == .exhale,
            !(intervals.last.map { Self.breathKinds.contains($0.kind) } ?? false)
        {
            cues.append(cue(.go, at: cursor, step: index, side: side))
        }
        emit(phase.kind, phase.length, step: index, side: side, set: set, rep: rep, countdown: step.countdown, format2: true)
    }

    /// An own-pace block: `go` at its start, a `pulse` every `pulse` after it until the countdown
    /// begins (or the block ends), and the countdown.
    private mutating func emitOwnPace(_ length: Int64, pulse: Int64, step: ResolvedStep, index: Int, side: Side?, set: Int, rep: Int) {
        let start = cursor, end = cursor + length
        cues.append(cue(.go, at: start, step: index, side: side))
        let pips = Int64(Self.countdownBeeps(.ownPace, length, countdown: step.countdown, format2: true))
        let lastPulse = end - pips * 1_000_000
        if pulse > 0 {
            var time = start + pulse
            while time < lastPulse {
                cues.append(cue(.pulse, at: time, step: index))
                time += pulse
            }
        }
        emit(.ownPace, length, step: index, side: side, set: set, rep: rep, countdown: step.countdown, format2: true)
    }
}
