import Foundation
import XCTest
@testable import CadenceKit

/// Each scheduling rule of timeline.md "Format 2" on small routines whose timelines are worked out
/// by hand, at 44100, 48000 and 11025 Hz (where many times fall on half samples). `lead_in`,
/// `tail` and `countdown` are 0 where they would only get in the way of the rule under test.
final class Format2SchedulerTests: XCTestCase {
    private let quiet = "defaults: {lead_in: 0, tail: 0, countdown: 0}"

    private func routine(_ steps: String, defaults: String? = nil, top: String = "") -> String {
        "format: 2\ntitle: t\n\(top)\(defaults ?? quiet)\nsteps:\n" + steps
    }

    /// The order of cue types at one sample in format 2, as timeline.md lists it.
    static let cueOrder = [
        "finish", "stop", "switch", "announce", "go", "phase", "inhale", "exhale", "breath_hold",
        "halfway", "pulse", "countdown",
    ]

    // MARK: Tempo

    func testTempoRepsArePhasesWithTheirLabelsAGoAndTicks() throws {
        let t = try schedule(
            routine(
                """
                  - name: Pulls
                    tempo: pull 2s, lower 1.5s
                    reps: 2
                    rest: 0.5s
                """), rate: 44_100)
        // 2 s = 88200 samples, 1.5 s = 66150, 0.5 s = 22050.
        XCTAssertEqual(
            rows(t.intervals),
            [
                "move 0..<88200 s0 - 1/1", "move 88200..<154350 s0 - 1/1",
                "rest 154350..<176400 s0 - 1/2",
                "move 176400..<264600 s0 - 1/2", "move 264600..<330750 s0 - 1/2",
            ])
        XCTAssertEqual(t.intervals.map { $0.phase ?? "-" }, ["Pull", "Lower", "-", "Pull", "Lower"])
        XCTAssertEqual(
            rows(t.cues),
            [
                "announce 0 s0 'Pulls'", "go 0 s0 -", "phase 88200 s0 - 'Lower'", "stop 154350 s0",
                "go 176400 s0 -", "phase 264600 s0 - 'Lower'", "finish 330750 s0",
            ])
        XCTAssertEqual(
            PlanText.render(t).split(separator: "\n").dropFirst(2).first.map(String.init),
            "  0:00.000     2.000s  Pulls  -      1/1      Pull")
    }

    func testABreathAroundAHoldHasToneCountdownAndHalfway() throws {
        let t = try schedule(
            routine(
                """
                  - name: Back
                    tempo: breathe in 2s, breathe out and sit back 2s, hold 4s, breathe in and come up 2s
                    halfway: true
                    countdown: 1
                """), rate: 48_000)
        XCTAssertEqual(
            rows(t.intervals),
            [
                "inhale 0..<96000 s0 - 1/1", "exhale 96000..<192000 s0 - 1/1",
                "hold 192000..<384000 s0 - 1/1", "inhale 384000..<480000 s0 - 1/1",
            ])
        // The hold's countdown pip falls 1 s before its end (7 s), its halfway cue at 4 + 2 s.
        XCTAssertEqual(
            rows(t.cues),
            [
                "announce 0 s0 'Back'", "go 0 s0 -", "inhale 0 s0 - len=96000",
                "exhale 96000 s0 - len=96000", "phase 192000 s0 - 'Hold'", "halfway 288000 s0 -",
                "countdown 336000 s0 k=1", "inhale 384000 s0 - len=96000", "finish 480000 s0",
            ])
    }

    func testEveryRepStartsWithGoEvenStraightAfterABreath() throws {
        let t = try schedule(
            routine(
                """
                  - name: Breaths as a tempo
                    tempo: breathe in 1s, breathe out 1s
                    reps: 2
                    rest: 0
                """), rate: 48_000)
        XCTAssertEqual(
            rows(cues(t, .go, .inhale, .exhale)),
            [
                "go 0 s0 -", "inhale 0 s0 - len=48000", "exhale 48000 s0 - len=48000",
                "go 96000 s0 -", "inhale 96000 s0 - len=48000", "exhale 144000 s0 - len=48000",
            ])
    }

    func testATempoWithSidesSetsAndTheOddRate() throws {
        let t = try schedule(
            routine(
                """
                  - name: Rock
                    tempo: rock 0.1s, back 0.2s
                    sides: alternate
                    switch: 0.1s
                    sets: 2
                    set_rest: 0.1s
                """), rate: 11_025)
        // 0.1 s steps: boundaries at 0.1, 0.3, 0.4, 0.5, 0.7, 0.8 (set rest), 0.9, 1.1, 1.2, 1.3, 1.5 s;
        // at 11025 Hz 0.1 s is 1102.5 samples, so S(0.1 s) = 1103, S(0.3 s) = 3308 (3307.5), S(0.5 s) = 5513.
        XCTAssertEqual(
            rows(t.intervals),
            [
                "move 0..<1103 s0 left 1/1", "move 1103..<3308 s0 left 1/1", "switch 3308..<4410 s0 right 1/1",
                "move 4410..<5513 s0 right 1/1", "move 5513..<7718 s0 right 1/1", "rest 7718..<8820 s0 - 2/-",
                "move 8820..<9923 s0 left 2/1", "move 9923..<12128 s0 left 2/1", "switch 12128..<13230 s0 right 2/1",
                "move 13230..<14333 s0 right 2/1", "move 14333..<16538 s0 right 2/1",
            ])
    }

    // MARK: Breath steps

    func testCyclesThatStartOnTheOutBreathWithAClosingInhaleOnEachSide() throws {
        let t = try schedule(
            routine(
                """
                  - name: Out first
                    breaths: 2
                    inhale: 1.1s
                    exhale: 0.9s
                    hold_out: 0.2s
                    start_on: exhale
                    closing_breath: inhale
                    sides: each
                    switch: 1s
                """), rate: 11_025)
        // Per side: out 0.9, hold 0.2, in 1.1, twice, then the closing in-breath of 1.1 s: 5.5 s; switch 1 s.
        XCTAssertEqual(
            rows(t.intervals),
            [
                "exhale 0..<9923 s0 left 1/1", "hold_out 9923..<12128 s0 left 1/1", "inhale 12128..<24255 s0 left 1/1",
                "exhale 24255..<34178 s0 left 1/2", "hold_out 34178..<36383 s0 left 1/2", "inhale 36383..<48510 s0 left 1/2",
                "inhale 48510..<60638 s0 left 1/2", "switch 60638..<71663 s0 right 1/1",
                "exhale 71663..<81585 s0 right 1/1", "hold_out 81585..<83790 s0 right 1/1", "inhale 83790..<95918 s0 right 1/1",
                "exhale 95918..<105840 s0 right 1/2", "hold_out 105840..<108045 s0 right 1/2", "inhale 108045..<120173 s0 right 1/2",
                "inhale 120173..<132300 s0 right 1/2",
            ])
        XCTAssertEqual(
            rows(t.cues),
            [
                "announce 0 s0 'Out first'", "go 0 s0 left", "exhale 0 s0 left len=9923", "breath_hold 9923 s0 left len=2205 breath=out",
                "inhale 12128 s0 left len=12127", "exhale 24255 s0 left len=9923", "breath_hold 34178 s0 left len=2205 breath=out",
                "inhale 36383 s0 left len=12127", "inhale 48510 s0 left len=12128", "switch 60638 s0 right",
                "go 71663 s0 right", "exhale 71663 s0 right len=9922", "breath_hold 81585 s0 right len=2205 breath=out",
                "inhale 83790 s0 right len=12128", "exhale 95918 s0 right len=9922", "breath_hold 105840 s0 right len=2205 breath=out",
                "inhale 108045 s0 right len=12128", "inhale 120173 s0 right len=12127", "finish 132300 s0",
            ])
    }

    func testAClosingBreathWithAlternatingSidesComesOnlyAtTheEndOfTheSet() throws {
        let t = try schedule(
            routine(
                """
                  - name: Alternating
                    breaths: 1
                    inhale: 1s
                    exhale: 1s
                    closing_breath: exhale
                    sides: alternate
                    sets: 2
                    set_rest: 1s
                """), rate: 48_000)
        XCTAssertEqual(
            t.intervals.map { "\($0.kind.rawValue) \($0.side?.rawValue ?? "-")" },
            [
                "inhale left", "exhale left", "inhale right", "exhale right", "exhale right",
                "rest -", "inhale left", "exhale left", "inhale right", "exhale right", "exhale right",
            ])
        XCTAssertEqual(cues(t, .go).map(\.sample), [0, 6 * 48_000], "a go after the start and after the set rest only")
    }

    func testBreathingPatternsAndHeardHolds() throws {
        let t = try schedule(
            routine(
                """
                  - {name: Box, breathing: box, breaths: 1}
                  - {name: Four seven eight, breathing: 4-7-8, breaths: 1, transition: 1s}
                  - {name: Sigh, breathing: sigh, breaths: 2, transition: 0}
                  - {name: Coherent, breathing: coherent, breaths: 1, transition: 0.5s}
                """), rate: 44_100)
        let s = 44_100
        // Box: 4 s each, 0-16 s; transition 1 s; 4-7-8 from 17 s: 4, 7, 8 (to 36 s); the sighs straight
        // after: 2, 1, 6, twice (to 54 s); transition 0.5 s; coherent 5.5 + 5.5 (to 65.5 s).
        XCTAssertEqual(
            rows(cues(t, .inhale, .exhale, .breathHold, .go)),
            [
                "go 0 s0 -", "inhale 0 s0 - len=176400", "breath_hold \(4 * s) s0 - len=176400 breath=in",
                "exhale \(8 * s) s0 - len=176400", "breath_hold \(12 * s) s0 - len=176400 breath=out",
                "go \(17 * s) s1 -", "inhale \(17 * s) s1 - len=176400", "breath_hold \(21 * s) s1 - len=308700 breath=in",
                "exhale \(28 * s) s1 - len=352800",
                // No go: the sigh follows an out-breath directly. Two in-breaths, then the long out-breath.
                "inhale \(36 * s) s2 - len=88200", "inhale \(38 * s) s2 - len=44100", "exhale \(39 * s) s2 - len=264600",
                "inhale \(45 * s) s2 - len=88200", "inhale \(47 * s) s2 - len=44100", "exhale \(48 * s) s2 - len=264600",
                "go 2403450 s3 -", "inhale 2403450 s3 - len=242550", "exhale 2646000 s3 - len=242550",
            ])
        XCTAssertEqual(t.totalSamples, 2_888_550)
        let plan = PlanText.render(t)
        XCTAssertTrue(plan.contains("Breathe in once more"), plan)
        XCTAssertTrue(plan.contains("Hold the breath in"), plan)
    }

    func testAVersionOneRoutineHasNoHeldBreathCues() throws {
        let t = try schedule(
            "title: t\ndefaults: {lead_in: 0, tail: 0}\nsteps:\n  - {name: Box, breaths: 1, hold_in: 4s, hold_out: 4s}\n", rate: 8_000)
        XCTAssertTrue(cues(t, .breathHold).isEmpty)
        XCTAssertEqual(intervals(t, .holdIn, .holdOut).count, 2)
    }

    // MARK: Sides

    func testSevenInAllIsFourOnTheFirstSideAndThreeOnTheOther() throws {
        let t = try schedule(
            routine(
                """
                  - name: Rolls
                    hold: 1s
                    reps_in_all: 7
                    sides: alternate
                    first: right
                    switch: 0.5s
                """), rate: 48_000)
        XCTAssertEqual(
            intervals(t, .hold).map { "\($0.side!.rawValue) \($0.rep!)" },
            ["right 1", "left 1", "right 2", "left 2", "right 3", "left 3", "right 4"])
        XCTAssertEqual(intervals(t, .switchSides).count, 6)
        XCTAssertEqual(t.totalTime, 7 * 1_000_000 + 6 * 500_000)
        // A breath step counted in all: the cycles alternate with no switch between them.
        let breaths = try schedule(routine("  - {name: Knees, reps_in_all: 3, sides: alternate, inhale: 1s, exhale: 1s}\n"), rate: 48_000)
        XCTAssertEqual(intervals(breaths, .inhale).map { "\($0.side!.rawValue) \($0.rep!)" }, ["left 1", "right 1", "left 2"])
        XCTAssertTrue(intervals(breaths, .switchSides).isEmpty)
    }

    func testValuesPerSideAndUnequalCountsWhileAlternating() throws {
        let t = try schedule(
            routine(
                """
                  - name: Hip
                    hold: {left: 2s, right: 3s}
                    reps: {left: 3, right: 1}
                    sides: alternate
                    rest: 1s
                    switch: 0.5s
                """), rate: 11_025)
        // Left 2 s, switch, right 3 s, switch, left 2 s, then the third left after a rest (same side).
        XCTAssertEqual(
            rows(t.intervals),
            [
                "hold 0..<22050 s0 left 1/1", "switch 22050..<27563 s0 right 1/1", "hold 27563..<60638 s0 right 1/1",
                "switch 60638..<66150 s0 left 1/2", "hold 66150..<88200 s0 left 1/2", "rest 88200..<99225 s0 left 1/3",
                "hold 99225..<121275 s0 left 1/3",
            ])
        // With sides: each and first: right, the right side's own hold comes first.
        let each = try schedule(
            routine("  - {name: Hip, hold: {left: 2s, right: 3s}, sides: each, first: right, switch: 1s}\n"), rate: 48_000)
        XCTAssertEqual(
            rows(each.intervals),
            [
                "hold 0..<144000 s0 right 1/1", "switch 144000..<192000 s0 left 1/1",
                "hold 192000..<288000 s0 left 1/1",
            ])
    }

    // MARK: Pauses and own pace

    func testPausesAnnounceStopAndCountDown() throws {
        let t = try schedule(
            routine(
                """
                  - pause: Lie down
                    time: 3s
                  - name: a
                    hold: 2s
                    transition: 0
                  - pause: Sit up
                    time: 2s
                  - pause: Breathe
                    time: 2s
                  - pause: Stand
                    time: 2s
                    transition: 1s
                """, defaults: "defaults: {lead_in: 5s, tail: 0, countdown: 1}"), rate: 48_000)
        XCTAssertEqual(
            rows(t.intervals),
            [
                "pause 0..<144000 s0 - -/-", "hold 144000..<240000 s1 - 1/1", "pause 240000..<336000 s2 - -/-",
                "pause 336000..<432000 s3 - -/-", "transition 432000..<480000 s4 - -/-",
                "pause 480000..<576000 s4 - -/-",
            ])
        // No lead-in before the first pause; a stop after the hold; none between two pauses; the
        // transition before the last pause brings its own stop; a pip a second before each end.
        XCTAssertEqual(
            rows(cues(t, .announce, .stop, .countdown, .go)),
            [
                "announce 0 s0 'Lie down'", "countdown 96000 s0 k=1", "announce 144000 s1 'a'", "go 144000 s1 -",
                "countdown 192000 s1 k=1", "stop 240000 s1", "announce 240000 s2 'Sit up'", "countdown 288000 s2 k=1",
                "announce 336000 s3 'Breathe'", "countdown 384000 s3 k=1", "stop 432000 s3", "announce 451200 s4 'Stand'",
                "countdown 528000 s4 k=1",
            ])
        XCTAssertEqual(PlanText.action(t.intervals[2], t), "Sit up")
        XCTAssertEqual(t.steps.map { $0.kind ?? "" }, ["pause", "hold", "pause", "pause", "pause"])
    }

    func testOwnPaceHasAGoPulsesAndACountdown() throws {
        let t = try schedule(
            routine(
                """
                  - name: Walk
                    own_pace: 10s
                    pulse: 3s
                    countdown: 2
                  - name: Still
                    own_pace: 5s
                    pulse: 0
                    transition: 0
                  - name: Each side
                    own_pace: 4s
                    pulse: 1.5s
                    sides: each
                    switch: 1s
                    transition: 0
                """), rate: 11_025)
        // Walk: pulses at 3 and 6 s; the one at 9 s would fall after the first pip (8 s), so it is left out.
        // Still: no pulse. Each side (from 15 s): pulses at 1.5 s and 3 s into each 4 s block (no pips: countdown 0).
        XCTAssertEqual(
            rows(cues(t, .go, .pulse, .countdown)),
            [
                "go 0 s0 -", "pulse 33075 s0", "pulse 66150 s0", "countdown 88200 s0 k=2", "countdown 99225 s0 k=1",
                "go 110250 s1 -", "go 165375 s2 left", "pulse 181913 s2", "pulse 198450 s2", "go 220500 s2 right",
                "pulse 237038 s2", "pulse 253575 s2",
            ])
        XCTAssertTrue(t.steps[0].selfPaced)
        XCTAssertEqual(PlanText.action(t.intervals[0], t), "At your own pace")
        XCTAssertTrue(cues(t, .halfway).isEmpty)
    }

    func testTheDefaultPulseIsFiveSeconds() throws {
        let t = try schedule(routine("  - {name: Walk, own_pace: 16s}\n"), rate: 48_000)
        XCTAssertEqual(cues(t, .pulse).map(\.sample), [5 * 48_000, 10 * 48_000, 15 * 48_000])
        let set = try schedule(
            routine("  - {name: Walk, own_pace: 16s}\n", defaults: "defaults: {lead_in: 0, tail: 0, countdown: 0, pulse: 4s}"), rate: 48_000
        )
        XCTAssertEqual(cues(set, .pulse).map(\.sample), [4 * 48_000, 8 * 48_000, 12 * 48_000])
    }

    // MARK: Circuits

    func testCircuitRoundsRoundRestsAndAnnouncements() throws {
        let t = try schedule(
            routine(
                """
                  - circuit: Core
                    rounds: 2
                    round_rest: 3s
                    steps:
                      - {name: Bird dog, hold: 1s, transition: 1s}
                      - {name: Bridge, hold: 1s, transition: 2s}
                """, defaults: "defaults: {lead_in: 4s, tail: 0, countdown: 0}"), rate: 44_100)
        // Round 1: Bird dog's own 1 s transition (a transition of its own wins over lead_in), Bridge's 2 s;
        // round 2: the 3 s round rest, then Bridge's 2 s. Total 1+1+2+1+3+1+2+1 = 12 s.
        XCTAssertEqual(
            rows(intervals(t, .transition)),
            [
                "transition 0..<44100 s0 - -/-", "transition 88200..<176400 s1 - -/-",
                "transition 220500..<352800 s2 - -/-", "transition 396900..<485100 s3 - -/-",
            ])
        XCTAssertEqual(
            rows(cues(t, .announce)),
            [
                "announce 17640 s0 'Round 1 of 2. Bird dog'", "announce 105840 s1 'Bridge'",
                "announce 238140 s2 'Round 2 of 2. Bird dog'", "announce 414540 s3 'Bridge'",
            ])
        XCTAssertEqual(
            t.steps.map { "\($0.name) \($0.circuit?.round ?? 0)/\($0.circuit?.rounds ?? 0)" },
            ["Bird dog 1/2", "Bridge 1/2", "Bird dog 2/2", "Bridge 2/2"])
        XCTAssertEqual(t.totalSamples, 12 * 44_100)
        XCTAssertTrue(PlanText.render(t).contains("Bird dog (round 2/2)"))
        let json = TimelineJSON.encode(t)
        XCTAssertTrue(
            json.contains(
                #"{"name": "Bird dog", "start": 220500, "end": 396900, "kind": "hold", "circuit": "Core", "round": 2, "rounds": 2}"#), json)
    }

    // MARK: The order of cues at one sample

    func testCuesAtOneSampleFollowTheFormatTwoOrder() throws {
        // Piles cues on shared samples: announce + go + inhale (a tempo starting on a breath with no
        // transition), finish after a pause, stop + announce before a pause, go + inhale of a breath step.
        let t = try schedule(
            routine(
                """
                  - {name: A, tempo: "breathe in 1s, lift 1s, hold 2s", halfway: true}
                  - {name: B, breaths: 1, hold_in: 1s, transition: 0}
                  - {pause: P, time: 2s}
                  - {name: C, own_pace: 3s, pulse: 1s}
                """, defaults: "defaults: {lead_in: 0, tail: 0, countdown: 1, transition: 0}"), rate: 48_000)
        let keys = t.cues.map { ($0.sample, Self.cueOrder.firstIndex(of: $0.type.rawValue) ?? -1) }
        XCTAssertFalse(keys.contains { $0.1 < 0 }, "every cue type is in the format 2 list")
        XCTAssertEqual(
            keys.map { "\($0.0) \($0.1)" }, keys.sorted { $0 < $1 }.map { "\($0.0) \($0.1)" },
            rows(t.cues).joined(separator: "\n"))
        XCTAssertEqual(rows(t.cues.filter { $0.sample == 0 }), ["announce 0 s0 'A'", "go 0 s0 -", "inhale 0 s0 - len=48000"])
        XCTAssertEqual(Self.cueOrder, CueType.allCases.map(\.rawValue), "the scheduler sorts in the documented order")
    }

    // MARK: Format 2 reproduces version 1

    /// The version 1 worked examples, read as format 2: the same intervals, and the same cues but for
    /// the `breath_hold` cues and the short countdowns (of transitions, rests and switches shorter
    /// than 2n seconds) that format 2 adds.
    func testTheVersionOneExamplesScheduleTheSameInFormatTwo() throws {
        for name in Fixtures.exampleNames {
            let text = String(decoding: try Fixtures.bytes("\(name).yaml"), as: UTF8.self)
            for rate in [44_100, 11_025] {
                let one = try schedule(text, rate: rate)
                let two = try schedule("format: 2\n" + text, rate: rate)
                XCTAssertEqual(rows(two.intervals), rows(one.intervals), "\(name) at \(rate) Hz")
                let short = two.intervals.filter { [.transition, .rest, .switchSides, .pause].contains($0.kind) }
                func isShortCountdown(_ cue: Cue) -> Bool {
                    cue.type == .countdown
                        && short.contains {
                            $0.start <= cue.sample && cue.sample < $0.end
                                && $0.duration < Int64(2 * (one.cues.first { $0.type == .countdown && $0.step == cue.step }?.count ?? 3))
                                    * 1_000_000
                        }
                }
                XCTAssertEqual(
                    rows(two.cues.filter { $0.type != .breathHold && !isShortCountdown($0) }), rows(one.cues), "\(name) at \(rate) Hz")
                XCTAssertEqual(two.totalSamples, one.totalSamples)
            }
        }
    }

    // MARK: The timeline file

    func testTheTimelineFileOfFormatTwo() throws {
        let t = try schedule(
            routine(
                """
                  - {name: A, tempo: "lift 1s, lower 1s", instructions: Slowly.}
                  - {name: B, own_pace: 2s}
                """), rate: 8_000)
        let json = TimelineJSON.encode(t)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(object["format"] as? String, "cadence-timeline/2")
        XCTAssertTrue(object["day"] is NSNull)
        XCTAssertTrue(object["days"] is NSNull)
        let steps = try XCTUnwrap(object["steps"] as? [[String: Any]])
        XCTAssertEqual(steps[0]["kind"] as? String, "tempo")
        XCTAssertEqual(steps[0]["instructions"] as? String, "Slowly.")
        XCTAssertNil(steps[0]["self_paced"])
        XCTAssertEqual(steps[1]["self_paced"] as? Bool, true)
        let intervals = try XCTUnwrap(object["intervals"] as? [[String: Any]])
        XCTAssertEqual(intervals.map { $0["phase"] as? String }, ["Lift", "Lower", nil, nil], "only tempo phases have one")
        // The key order is fixed: day and days after level.
        XCTAssertTrue(json.contains("\"level\": \"normal\",\n  \"day\": null,\n  \"days\": null,\n  \"total_samples\""), json)
        // A version 1 timeline has none of these keys.
        let one = TimelineJSON.encode(try schedule("title: t\nsteps:\n  - {name: A, hold: 1s}\n", rate: 8_000))
        for key in ["\"day\"", "\"days\"", "\"phase\"", "\"self_paced\"", "\"instructions\"", "cadence-timeline/2"] {
            XCTAssertFalse(one.contains(key), key)
        }
        XCTAssertTrue(one.contains("\n    {\"name\": \"A\", \"start\": 0, \"end\": 88000}\n"), "a version 1 step entry has no kind: \(one)")
    }

    func testVoiceLinesForFormatTwoCues() throws {
        let t = try schedule(
            routine(
                """
                  - {name: A, tempo: "lift 1s, lower slowly 1s"}
                  - circuit: C
                    rounds: 2
                    steps: [{pause: Lie down, time: 1s}]
                """), rate: 8_000)
        let lines = VoiceScript.lines(for: t, voice: SpeechVoice(), mix: .standard).sorted { $0.cue.sample < $1.cue.sample }.map(\.text)
        XCTAssertEqual(lines, ["A", "Lower slowly", "Round 1 of 2. Lie down", "Round 2 of 2. Lie down"])
    }
}
