import XCTest
@testable import CadenceKit

/// Every rule of routine-format.md "Format 2", each error with its text and the line and column a
/// person is sent to, and what the valid forms are read as.
final class Format2ValidationTests: XCTestCase {
    // MARK: Opting in

    func testFormatTwoKeysInAVersionOneFileSayToAddTheMarker() {
        let yaml = """
            title: v1
            days: 3
            defaults:
              pulse: 2s
            steps:
              - name: Pulls
                tempo: pull 2s, lower 2s
              - name: Hold
                hold: 3s
                instructions: Do it slowly.
              - pause: Lie down
                time: 3s
            """
        let found = assertRejected(yaml, at: 2, 1, "`days` is a format 2 key; add `format: 2` at the top of the file")
        assertRejected(yaml, at: 4, 3, "`pulse` is a format 2 key")
        assertRejected(yaml, at: 7, 5, "`tempo` is a format 2 key; add `format: 2` at the top of the file")
        assertRejected(yaml, at: 10, 5, "`instructions` is a format 2 key")
        assertRejected(yaml, at: 11, 5, "`pause` is a format 2 key")
        // The format 2 key is the whole story: no "needs hold or breaths" on top of it.
        XCTAssertFalse(found.contains { $0.message.contains("needs exactly one of") }, describe(found))
    }

    func testFormatTakesOneOrTwoOnly() {
        for (value, column) in [("3", 9), ("\"2\"", 9), ("two", 9), ("2.0", 9)] {
            assertRejected("format: \(value)\ntitle: t\nsteps:\n  - name: a\n    hold: 1s\n", at: 1, column, "`format` must be 1 or 2")
        }
        assertAccepted("format: 1\ntitle: t\nsteps:\n  - name: a\n    hold: 1s\n")
        assertAccepted("title: t\nformat: 2\nsteps:\n  - name: a\n    hold: 1s\n")
    }

    func testAnExplicitFormatOneIsVersionOne() throws {
        let routine = try parseRoutine("format: 1\ntitle: t\nsteps:\n  - name: a\n    hold: 1s\n")
        XCTAssertEqual(routine.format, 1)
        XCTAssertEqual(
            TimelineJSON.encode(Scheduler.schedule(routine, sampleRate: 8_000)),
            TimelineJSON.encode(Scheduler.schedule(try parseRoutine("title: t\nsteps:\n  - name: a\n    hold: 1s\n"), sampleRate: 8_000)))
    }

    // MARK: Kinds of step

    func testAStepNeedsExactlyOneKind() {
        assertRejected(
            """
            format: 2
            title: t
            steps:
              - name: Nothing
                reps: 2
            """, at: 4, 5, "a step needs one of `hold`", "`tempo`", "`own_pace`", "`pause` or a `circuit`")
        assertRejected(
            """
            format: 2
            title: t
            steps:
              - name: Two
                hold: 3s
                tempo: lift 1s
            """, at: 6, 5, "a step has exactly one of", "this one has `hold` and `tempo`")
        // A misspelt kind key is named, and is then the only problem.
        let found = assertRejected(
            """
            format: 2
            title: t
            steps:
              - name: Typo
                tempoo: lift 1s
            """, at: 5, 5, "unknown key `tempoo`", "did you mean `tempo`")
        XCTAssertEqual(found.count, 1, describe(found))
    }

    func testKeysOfAnotherKindNameTheKindsTheyBelongTo() {
        assertRejected(
            """
            format: 2
            title: t
            steps:
              - name: Own
                own_pace: 30s
                halfway: true
            """, at: 6, 5, "`halfway` belongs to hold steps, breath steps and tempo steps, and this is an own-pace step")
        assertRejected(
            """
            format: 2
            title: t
            steps:
              - name: Breath
                breaths: 3
                rest: 2s
            """, at: 6, 5, "`rest` belongs to hold steps, tempo steps and own-pace steps, and this is a breath step")
        assertRejected(
            """
            format: 2
            title: t
            steps:
              - name: Tempo
                tempo: lift 2s
                inhale: 2s
            """, at: 6, 5, "`inhale` belongs to breath steps, and this is a tempo step (it has `tempo`)")
        assertRejected(
            """
            format: 2
            title: t
            steps:
              - name: Tempo
                tempo: lift 2s
                lead_in: 2s
            """, at: 6, 5, "`lead_in` can be set only in `defaults`")
    }

    func testStepKeysOfFormatTwoCannotGoInDefaults() {
        assertRejected(
            """
            format: 2
            title: t
            defaults:
              tempo: lift 2s
              instructions: x
            steps:
              - name: a
                hold: 1s
            """, at: 4, 3, "`tempo` cannot be set in `defaults`, only in a step", "pulse")
    }

    // MARK: Tempo

    func testATempoLineIsReadPhaseByPhase() throws {
        let routine = try parseRoutine(
            """
            format: 2
            title: t
            steps:
              - name: Back
                tempo: breathe in 4s, Breathe out and  sit back 4s, hold 20-30s, inhale 3s, exhale 2 s, lower 1m30s
            """)
        guard case let .tempo(phases, reps, rest) = routine.steps[0].kind else { return XCTFail("a tempo step") }
        XCTAssertEqual(phases.map(\.label), ["Breathe in", "Breathe out and sit back", "Hold", "Inhale", "Exhale", "Lower"])
        XCTAssertEqual(phases.map(\.kind), [.inhale, .exhale, .hold, .inhale, .exhale, .move])
        XCTAssertEqual(
            phases.map(\.length),
            [
                Ranged(4_000_000), Ranged(4_000_000), Ranged(low: 20_000_000, high: 30_000_000),
                Ranged(3_000_000), Ranged(2_000_000), Ranged(90_000_000),
            ])
        XCTAssertEqual(reps, Ranged(1))
        XCTAssertEqual(rest, Ranged(5_000_000), "the default rest")
    }

    func testATempoListKeepsNamesAsWritten() throws {
        let routine = try parseRoutine(
            """
            format: 2
            title: t
            steps:
              - name: Bridge
                tempo:
                  - lift: 3s
                  - {name: "Hold it, hips high", time: 4s}
                  - {name: breathe in and lower, time: 3s}
            """)
        guard case let .tempo(phases, _, _) = routine.steps[0].kind else { return XCTFail("a tempo step") }
        XCTAssertEqual(phases.map(\.label), ["Lift", "Hold it, hips high", "breathe in and lower"])
        XCTAssertEqual(phases.map(\.kind), [.move, .hold, .inhale])
    }

    func testTempoErrorsPointAtThePhase() {
        let yaml = """
            format: 2
            title: t
            steps:
              - name: Pulls
                tempo: pull 2s, inhail 3s, breath in 2s, lower, 4s, hodl 3s, exhail 2s, breathe deeply 2s
            """
        assertRejected(yaml, at: 5, 21, "'inhail' looks like a typo; did you mean `inhale`?")
        assertRejected(yaml, at: 5, 32, "'breath in' looks like a typo; did you mean `breathe in`?")
        assertRejected(yaml, at: 5, 46, "the phase 'lower' has no time")
        assertRejected(yaml, at: 5, 53, "the phase '4s' has no name")
        assertRejected(yaml, at: 5, 57, "'hodl' looks like a typo; did you mean `hold`?")
        assertRejected(yaml, at: 5, 66, "'exhail' looks like a typo; did you mean `exhale`?")
        assertRejected(yaml, at: 5, 77, "a breath phase says `breathe in` or `breathe out`")
        // In quotes the columns move by the opening quote.
        assertRejected(
            """
            format: 2
            title: t
            steps:
              - name: Pulls
                tempo: "pull 2s, lower 2x"
            """, at: 5, 28, "`tempo` phase `Lower`", "2x")
        assertRejected(
            """
            format: 2
            title: t
            steps:
              - name: Pulls
                tempo: pull 2s,, lower 2s
            """, at: 5, 20, "an empty phase between commas")
    }

    func testWordsThatOnlyLookLikeBreathsAreMovements() throws {
        // Real movement words near "hold" or "inhale" are not typos.
        let routine = try parseRoutine(
            """
            format: 2
            title: t
            steps:
              - name: Moves
                tempo: roll 2s, fold forward 2s, bold reach 2s, lift 1s, holding pattern 2s, slow exhale 2s
            """)
        guard case let .tempo(phases, _, _) = routine.steps[0].kind else { return XCTFail("a tempo step") }
        XCTAssertEqual(phases.map(\.kind), [.move, .move, .move, .move, .move, .move])
    }

    func testTempoTimesAndCountsHaveTheirRanges() {
        assertRejected(
            "format: 2\ntitle: t\nsteps:\n  - name: a\n    tempo: breathe in 90s\n", at: 5, 23, "must be from 500ms to 1m, not 1m30s")
        assertRejected("format: 2\ntitle: t\nsteps:\n  - name: a\n    tempo: lift 0.05s\n", at: 5, 17, "must be from 100ms to 10m")
        assertRejected("format: 2\ntitle: t\nsteps:\n  - name: a\n    tempo: hold 2h\n", at: 5, 17, "must be from 100ms to 1h")
        let many = (1...21).map { "lift \($0 % 9 + 1)s" }.joined(separator: ", ")
        assertRejected(
            "format: 2\ntitle: t\nsteps:\n  - name: a\n    tempo: \(many)\n", at: 5, 12, "`tempo` has 21 phases; a rep may have at most 20")
        assertRejected("format: 2\ntitle: t\nsteps:\n  - name: a\n    tempo: []\n", at: 5, 12, "`tempo` lists the phases of one rep")
    }

    func testTempoListErrors() {
        let yaml = """
            format: 2
            title: t
            steps:
              - name: List
                tempo:
                  - {name: Lower}
                  - lower:
                  - 5
                  - {name: x, time: 2s, extra: 1}
                  - {lift: 1s, lower: 1s}
            """
        assertRejected(yaml, at: 6, 9, "needs both `name` and `time`")
        assertRejected(yaml, at: 7, 15, "the phase `lower` needs a time")
        assertRejected(yaml, at: 8, 9, "a phase of `tempo` is `- WORDS: TIME`")
        assertRejected(yaml, at: 9, 29, "unknown key `extra` in a phase of `tempo`")
        assertRejected(yaml, at: 10, 9, "one `WORDS: TIME` pair")
    }

    func testAnUnquotedTempoInsideBracesIsRecognised() {
        assertRejected(
            """
            format: 2
            title: t
            steps:
              - name: Bridge
                tempo: lift 2s
                easy: {tempo: lift 1s, lower 1s}
            """, at: 6, 28, "unknown key `lower 1s`", "needs quotes around it")
    }

    // MARK: Breath steps

    func testBreathingPatternsFillTheBreathTimes() throws {
        let routine = try parseRoutine(
            """
            format: 2
            title: t
            defaults: {inhale: 3s}
            steps:
              - {name: Box, breathing: box, breaths: 1}
              - {name: Four seven eight, breathing: 4-7-8, breaths: 1}
              - {name: Coherent, breathing: coherent, breaths: 1}
              - {name: Sigh, breathing: sigh, breaths: 1}
            """)
        let s = Int64(1_000_000)
        XCTAssertEqual(
            routine.steps[0].kind,
            .breath(breaths: Ranged(1), inhale: Ranged(4 * s), exhale: Ranged(4 * s), holdIn: Ranged(4 * s), holdOut: Ranged(4 * s)))
        XCTAssertEqual(
            routine.steps[1].kind,
            .breath(breaths: Ranged(1), inhale: Ranged(4 * s), exhale: Ranged(8 * s), holdIn: Ranged(7 * s), holdOut: Ranged(0)))
        XCTAssertEqual(
            routine.steps[2].kind,
            .breath(breaths: Ranged(1), inhale: Ranged(5_500_000), exhale: Ranged(5_500_000), holdIn: Ranged(0), holdOut: Ranged(0)))
        XCTAssertEqual(
            routine.steps[3].kind,
            .breath(breaths: Ranged(1), inhale: Ranged(2 * s), exhale: Ranged(6 * s), holdIn: Ranged(0), holdOut: Ranged(0)))
        XCTAssertEqual(routine.steps[3].extras.secondInhale, Ranged(s))
    }

    func testBreathStepErrors() {
        let yaml = """
            format: 2
            title: t
            steps:
              - name: Pattern
                breathing: boxx
                breaths: 2
              - name: Clash
                breathing: box
                hold_out: 3s
                breaths: 2
              - name: Start
                breaths: 2
                start_on: exhail
                closing_breath: out
              - name: No count
                breathing: coherent
            """
        assertRejected(yaml, at: 5, 16, "`breathing` must be one of box, 4-7-8, coherent, sigh, not `boxx`; did you mean `box`?")
        assertRejected(yaml, at: 9, 5, "`hold_out` is already given by `breathing: box`; leave one of them out")
        assertRejected(yaml, at: 13, 15, "`start_on` must be one of inhale, exhale", "did you mean `exhale`?")
        assertRejected(yaml, at: 14, 21, "`closing_breath` must be one of inhale, exhale, not `out`")
        assertRejected(yaml, at: 15, 5, "a breath step needs `breaths`", "or `reps_in_all` with `sides: alternate`")
    }

    // MARK: Sides

    func testCountsInAllAndPerSideValuesAreRead() throws {
        let routine = try parseRoutine(
            """
            format: 2
            title: t
            steps:
              - name: Rolls
                reps_in_all: 6-8
                sides: alternate
                inhale: 3s
                exhale: 4s
              - name: Hip
                hold: {left: 30s, right: 45s}
                reps: {left: 3, right: 2}
                sides: each
            """)
        XCTAssertEqual(
            routine.steps[0].kind,
            .breath(
                breaths: Ranged(low: 6, high: 8), inhale: Ranged(3_000_000), exhale: Ranged(4_000_000),
                holdIn: Ranged(0), holdOut: Ranged(0)), "reps_in_all with breath keys makes a breath step")
        XCTAssertTrue(routine.steps[0].extras.countIsInAll)
        XCTAssertEqual(routine.steps[1].kind, .hold(hold: Ranged(30_000_000), reps: Ranged(3), rest: Ranged(5_000_000)))
        XCTAssertEqual(routine.steps[1].extras.rightHold, Ranged(45_000_000))
        XCTAssertEqual(routine.steps[1].extras.rightReps, Ranged(2))
    }

    func testSideErrors() {
        let yaml = """
            format: 2
            title: t
            steps:
              - name: Typo
                hold: {left: 3s, rihgt: 4s}
                sides: each
              - name: No sides
                hold: {left: 3s, right: 4s}
              - name: Half
                reps: {left: 3}
                hold: 2s
                sides: each
              - name: Each
                tempo: roll 2s
                reps_in_all: 7
                sides: each
              - name: Both
                hold: 2s
                reps: 2
                reps_in_all: 5
                sides: alternate
              - name: Range
                hold: {left: 3s, right: 2h}
                sides: each
            """
        assertRejected(yaml, at: 5, 22, "`hold` per side takes `left` and `right`, not `rihgt`; did you mean `right`?")
        assertRejected(yaml, at: 8, 11, "values per side (`left:` and `right:`) need `sides: each` or `sides: alternate`")
        assertRejected(yaml, at: 10, 11, "`reps` per side needs both `left:` and `right:`")
        assertRejected(yaml, at: 15, 5, "`reps_in_all` counts the reps of both sides together, so it needs `sides: alternate`")
        assertRejected(yaml, at: 20, 5, "give `reps` (per side) or `reps_in_all` (both sides together), not both")
        assertRejected(yaml, at: 23, 29, "`hold` must be from 100ms to 1h, not 2h")
    }

    // MARK: Own pace and pauses

    func testOwnPaceAndPauseErrors() {
        let yaml = """
            format: 2
            title: t
            defaults:
              pulse: 0.5s
            steps:
              - name: Own
                own_pace: 0.5s
              - name: Own pulse
                own_pace: 30s
                pulse: 0.2s
              - pause: Get ready
              - pause: Get ready
                name: Something
                time: 3s
              - pause: ""
                time: 3s
              - pause: Long
                time: 2h
            """
        assertRejected(yaml, at: 4, 10, "`pulse` must be 0 (no pulse) or at least 1s, not 500ms")
        assertRejected(yaml, at: 7, 15, "`own_pace` must be from 1s to 1h, not 500ms")
        assertRejected(yaml, at: 10, 12, "`pulse` must be 0 (no pulse) or at least 1s, not 200ms")
        assertRejected(yaml, at: 11, 5, "a pause needs `time`, how long it lasts")
        assertRejected(yaml, at: 13, 5, "a pause is named by its `pause` value")
        assertRejected(yaml, at: 15, 12, "`pause` is empty")
        assertRejected(yaml, at: 18, 11, "`time` must be from 500ms to 1h, not 2h")
    }

    func testAPauseHasNoTransitionUnlessItSaysSo() throws {
        let routine = try parseRoutine(
            """
            format: 2
            title: t
            steps:
              - pause: Lie down
                time: 3s
              - name: a
                hold: 1s
              - pause: Sit up
                say: Sit up slowly
                time: 2s
                transition: 4s
            """)
        let session = routine.session(level: .normal)
        XCTAssertEqual(session.map(\.name), ["Lie down", "a", "Sit up"])
        XCTAssertEqual(
            session.map(\.transition), [Ranged(0), Ranged(10_000_000), Ranged(4_000_000)],
            "no lead-in before a first pause; the step after it gets the default transition")
        XCTAssertEqual(session[2].spokenText, "Sit up slowly")
        XCTAssertEqual(session[0].spokenText, "Lie down")
    }

    // MARK: Circuits

    func testCircuitErrors() {
        let yaml = """
            format: 2
            title: t
            steps:
              - circuit: Outer
                rounds: 2
                steps:
                  - circuit: Inner
                    rounds: 2
                    steps: [{name: x, hold: 1s}]
              - circuit: No rounds
                steps: [{name: y, hold: 1s}]
              - circuit: No steps
                rounds: 2
              - circuit: Bad variant
                rounds: 2
                steps: [{name: z, hold: 1s}]
                easy: {steps: []}
              - circuit: Bad key
                rounds: 0
                reps: 3
                steps: [{name: w, hold: 1s}]
              - circuit: Two kinds
                rounds: 2
                hold: 3s
                steps: [{name: v, hold: 1s}]
            """
        assertRejected(yaml, at: 7, 9, "a circuit cannot hold another circuit")
        assertRejected(yaml, at: 10, 5, "a circuit needs `rounds`")
        assertRejected(yaml, at: 12, 5, "a circuit needs `steps`")
        assertRejected(yaml, at: 17, 12, "a circuit's `easy` can change `rounds`, `round_rest` and `progress`")
        assertRejected(yaml, at: 19, 13, "`rounds` must be from 1 to 100, not 0")
        assertRejected(yaml, at: 20, 5, "`reps` belongs to hold steps, tempo steps and own-pace steps, and this is a circuit")
        assertRejected(yaml, at: 24, 5, "a step has exactly one of", "this one has `circuit` and `hold`")
    }

    func testCircuitsAreWrittenOutRoundByRound() throws {
        let routine = try parseRoutine(
            """
            format: 2
            title: t
            steps:
              - name: Warm-up
                hold: 1s
              - circuit: Core
                rounds: 3
                round_rest: 20s
                steps:
                  - {name: Bird dog, hold: 1s, transition: 2s}
                  - {name: Bridge, hold: 1s}
                hard: {rounds: 4}
            """)
        let session = routine.session(level: .normal)
        XCTAssertEqual(session.map(\.name), ["Warm-up"] + Array(repeating: ["Bird dog", "Bridge"], count: 3).flatMap { $0 })
        XCTAssertEqual(
            session.compactMap { $0.extras.circuit.map { "\($0.name) \($0.round)/\($0.rounds)\($0.startsRound ? " first" : "")" } },
            ["Core 1/3 first", "Core 1/3", "Core 2/3 first", "Core 2/3", "Core 3/3 first", "Core 3/3"])
        XCTAssertEqual(
            session.map(\.transition).map(\.low),
            [10_000_000, 2_000_000, 10_000_000, 20_000_000, 10_000_000, 20_000_000, 10_000_000],
            "round 1 keeps the step's own transition; rounds 2 and 3 start with the round rest")
        XCTAssertEqual(routine.session(level: .hard).count, 1 + 8)
    }

    func testTooManyStepsAfterExpansionIsReportedAtSteps() {
        let steps = (1...6).map { "      - {name: s\($0), hold: 1s}" }.joined(separator: "\n")
        assertRejected(
            "format: 2\ntitle: t\nsteps:\n  - circuit: Big\n    rounds: 100\n    steps:\n\(steps)\n",
            at: 3, 1, "the session has 600 steps at level normal (each round of a circuit counted); at most 500")
        // 83 rounds of 6 are 498 steps: allowed.
        assertAccepted(
            "format: 2\ntitle: t\ndefaults: {transition: 0, lead_in: 0}\nsteps:\n  - circuit: Big\n    rounds: 83\n    steps:\n\(steps)\n")
    }

    // MARK: Variants and levels

    func testVariantsReplaceTheStepsKeysAtTheirLevel() throws {
        let routine = try parseRoutine(
            """
            format: 2
            title: t
            steps:
              - name: Bridge
                say: Bridge
                hold: 20-30s
                reps: 3
                easy: {name: Half bridge, hold: 10s}
                hard:
                  hold: 40-50s
              - name: Plank
                hold: 20s
                only_at: hard
              - name: Stretch
                hold: 5s
                only_at: [normal, hard]
            """)
        let easy = routine.session(level: .easy), normal = routine.session(level: .normal), hard = routine.session(level: .hard)
        XCTAssertEqual(easy.map(\.name), ["Half bridge"])
        XCTAssertEqual(easy[0].spokenText, "Bridge", "keys the variant does not change are the step's own")
        XCTAssertEqual(easy[0].kind, .hold(hold: Ranged(10_000_000), reps: Ranged(3), rest: Ranged(5_000_000)))
        XCTAssertEqual(normal.map(\.name), ["Bridge", "Stretch"])
        XCTAssertEqual(hard.map(\.name), ["Bridge", "Plank", "Stretch"])
        // A range in a variant gives its level's end: 50 s at hard.
        XCTAssertEqual(ResolvedStep(hard[0], level: .hard).size.duration, 10_000_000 + 3 * 50_000_000 + 2 * 5_000_000)
    }

    func testVariantAndLevelErrors() {
        let yaml = """
            format: 2
            title: t
            steps:
              - name: Variant
                hold: 3s
                easy: {tempo: "lift 1s"}
                hard: {only_at: easy}
                normal: 12
              - name: Levels
                hold: 3s
                only_at: [hard, hrad]
              - name: Twice
                hold: 3s
                only_at: [hard, hard]
              - name: Empty
                hold: 3s
                only_at: []
              - name: Bad value in a variant
                hold: 3s
                easy: {hold: 3x}
            """
        assertRejected(
            yaml, at: 6, 12, "a variant keeps the kind of its step: this is a hold step (it has `hold`), so `easy` cannot have `tempo`")
        assertRejected(yaml, at: 7, 12, "`only_at` cannot stand inside a variant")
        assertRejected(yaml, at: 8, 13, "`normal` holds the keys that change at that level")
        assertRejected(yaml, at: 11, 21, "`only_at` takes the levels easy, normal and hard, not `hrad`; did you mean `hard`?")
        assertRejected(yaml, at: 14, 21, "`only_at` names `hard` twice")
        assertRejected(yaml, at: 17, 14, "the list is empty")
        assertRejected(yaml, at: 20, 18, "`hold`", "3x")
    }

    func testASessionWithNoStepsAtALevelIsRefusedAtThatLevel() {
        let yaml = "format: 2\ntitle: t\nsteps:\n  - name: Plank\n    hold: 20s\n    only_at: hard\n"
        assertRejected(yaml, at: 3, 1, "at level normal the session has no steps", level: .normal)
        assertAccepted(yaml, level: .hard)
    }

    // MARK: Programs

    func testProgressErrors() {
        let noDays = "format: 2\ntitle: t\nsteps:\n  - name: a\n    hold: 3s\n    progress: {hold: 30s}\n"
        assertRejected(noDays, at: 6, 5, "`progress` gives the values of the last day of a program; add `days:`")
        let yaml = """
            format: 2
            title: t
            days: 20
            steps:
              - name: Progress
                hold: 3s
                progress: {hold: 2h, breaths: 3, holdd: 2s, inhale: 3s}
              - name: Counted in all
                hold: 3s
                reps_in_all: 6
                sides: alternate
                progress: {reps: 8, hold: {left: 5s, right: 6s}}
              - name: Not a mapping
                hold: 3s
                progress: 30s
            """
        assertRejected(yaml, at: 7, 22, "`hold` must be from 100ms to 1h, not 2h")
        assertRejected(yaml, at: 7, 26, "this step counts with `reps`, so its progress is `reps` too")
        assertRejected(yaml, at: 7, 38, "unknown key `holdd` in `progress`; did you mean `hold`?")
        assertRejected(yaml, at: 7, 49, "`inhale` cannot progress in a hold step (it has `hold`); keys that can: hold, reps, sets, rest")
        assertRejected(yaml, at: 12, 16, "this step counts with `reps_in_all`, so its progress is `reps_in_all` too")
        assertRejected(yaml, at: 12, 31, "`hold` is one value in this step, so its progress is one value too")
        assertRejected(yaml, at: 15, 15, "`progress` holds the values on the last day")
    }

    func testDaysErrors() {
        for (value, fragment) in [
            ("1", "`days` must be from 2 to 365, not 1"), ("366", "from 2 to 365"),
            ("5-10", "`days` is one whole number"), ("\"20\"", "whole number"),
        ] {
            assertRejected("format: 2\ntitle: t\ndays: \(value)\nsteps:\n  - name: a\n    hold: 1s\n", at: 3, 7, fragment)
        }
    }

    func testTheLimitsApplyToEveryDayOfTheProgram() {
        // Two hours on day 1 grow to 30 on day 10: day 8 is the first past 24 hours.
        let yaml = "format: 2\ntitle: t\ndays: 10\nsteps:\n  - name: a\n    hold: 1h\n    reps: 2\n    progress: {reps: 30}\n"
        assertRejected(yaml, at: 4, 1, "the session lasts", "at level normal on day 8; the longest allowed is 24 hours")
        XCTAssertEqual(diagnostics(ofBytes: Array(yaml.utf8)).count, 1)
        // Asked for day 2 only, the loader checks day 2 only.
        XCTAssertNoThrow(try RoutineLoader.parse(Array(yaml.utf8), path: testPath, level: .normal, day: 2))
    }

    // MARK: Instructions

    func testInstructionsAreKeptAndLimited() throws {
        let routine = try parseRoutine(
            """
            format: 2
            title: t
            steps:
              - name: a
                hold: 1s
                instructions: |
                  Lie on your back.
                  Lift one leg.
            """)
        XCTAssertEqual(routine.steps[0].extras.instructions, "Lie on your back.\nLift one leg.")
        let long = String(repeating: "x", count: 501)
        assertRejected(
            "format: 2\ntitle: t\nsteps:\n  - name: a\n    hold: 1s\n    instructions: \(long)\n", at: 6, 19,
            "`instructions` is 501 characters long; at most 500 are allowed")
        assertRejected("format: 2\ntitle: t\nsteps:\n  - name: a\n    hold: 1s\n    instructions: 12\n", at: 6, 19, "reads as a number")
        assertRejected("format: 2\ntitle: t\nsteps:\n  - name: a\n    hold: 1s\n    instructions:\n", at: 6, 18, "`instructions` is empty")
    }

    func testMisspeltFormatTwoKeysGetADidYouMean() {
        assertRejected(
            "format: 2\ntitle: t\nsteps:\n  - name: a\n    own_pace: 30s\n    plse: 2s\n", at: 6, 5,
            "unknown key `plse`", "did you mean `pulse`?")
        assertRejected(
            "format: 2\ntitle: t\nsteps:\n  - name: a\n    hold: 30s\n    instuctions: x\n", at: 6, 5,
            "did you mean `instructions`?")
        assertRejected("format: 2\ntitle: t\ndayz: 3\nsteps:\n  - name: a\n    hold: 30s\n", at: 3, 1, "did you mean `days`?")
    }
}
