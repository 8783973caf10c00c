import Foundation
import XCTest
@testable import CadenceKit

/// Each rule of timeline.md on small routines whose timelines are worked out by hand.
/// Most tests run at 8000 Hz, where 1 s is 8000 samples and 1 ms is 8 samples; `lead_in`, `tail`
/// and `countdown` are set to 0 where they would only get in the way of the rule under test.
final class SchedulerTests: XCTestCase {

    // MARK: Time: S(t) = floor((t * R + 500000) / 1000000)

    /// The end sample of a routine that is one hold, with no lead-in and no tail.
    private func holdEnd(_ hold: String, rate: Int, file: StaticString = #filePath, line: UInt = #line) throws -> Int64 {
        let timeline = try schedule(
            """
            title: t
            defaults: {lead_in: 0, tail: 0, countdown: 0}
            steps:
              - name: a
                hold: \(hold)
            """, rate: rate, file: file, line: line)
        XCTAssertEqual(rows(timeline.intervals).count, 1, file: file, line: line)
        return timeline.totalSamples
    }

    func testBoundariesAreRoundedToTheNearestSample() throws {
        let timeline = try schedule(
            """
            title: t
            defaults: {lead_in: 0, tail: 0, countdown: 0}
            steps:
              - name: a
                hold: 1s
                reps: 2
                rest: 1.333333s
            """, rate: 44_100)
        // 2.333333 s x 44100 = 102899.985 -> 102900; 3.333333 s x 44100 = 146999.985 -> 147000.
        XCTAssertEqual(
            rows(timeline.intervals),
            [
                "hold 0..<44100 s0 - 1/1",
                "rest 44100..<102900 s0 - 1/2",
                "hold 102900..<147000 s0 - 1/2",
            ])
        XCTAssertEqual(timeline.totalSamples, 147_000)
    }

    func testAnExactHalfSampleRoundsUp() throws {
        // Each of these lands exactly on .5 of a sample: half up gives the larger sample
        // (round-half-even or truncation would give the smaller one).
        XCTAssertEqual(try holdEnd("1.005s", rate: 44_100), 44_321)  // 44320.5
        XCTAssertEqual(try holdEnd("0.13s", rate: 22_050), 2_867)  // 2866.5
        XCTAssertEqual(try holdEnd("0.1s", rate: 11_025), 1_103)  // 1102.5
    }

    func testRoundingAtOtherRates() throws {
        XCTAssertEqual(try holdEnd("0.100062s", rate: 8_000), 800)  // 800.496
        XCTAssertEqual(try holdEnd("0.100063s", rate: 8_000), 801)  // 800.504
        XCTAssertEqual(try holdEnd("1.000002s", rate: 192_000), 192_000)  // 192000.384
        XCTAssertEqual(try holdEnd("1.000003s", rate: 192_000), 192_001)  // 192000.576
        XCTAssertEqual(try holdEnd("1.000005s", rate: 96_000), 96_000)  // 96000.48
        XCTAssertEqual(try holdEnd("1.000006s", rate: 96_000), 96_001)  // 96000.576
        XCTAssertEqual(try holdEnd("2.5s", rate: 11_025), 27_563)  // 27562.5
    }

    func testEveryBoundaryIsConvertedFromItsExactTimeSoNoErrorBuildsUp() throws {
        let timeline = try schedule(
            """
            title: t
            defaults: {lead_in: 0, tail: 0, countdown: 0, rest: 0}
            steps:
              - name: a
                hold: 1.005s
                reps: 4
            """, rate: 44_100)
        // Boundaries at 1.005, 2.010, 3.015, 4.020 s: 44320.5, 88641, 132961.5, 177282 samples.
        // Adding up rounded lengths instead would end at 4 x 44321 = 177284.
        XCTAssertEqual(
            rows(timeline.intervals),
            [
                "hold 0..<44321 s0 - 1/1",
                "hold 44321..<88641 s0 - 1/2",
                "hold 88641..<132962 s0 - 1/3",
                "hold 132962..<177282 s0 - 1/4",
            ])
    }

    func testADayLongSessionIsExactToTheLastSample() throws {
        // 10 s lead-in + 23 h + 10 s transition + 59 min 35 s + 5 s tail = 24 h exactly.
        let timeline = try schedule(
            """
            title: A long day
            defaults: {rest: 0, countdown: 0}
            steps:
              - name: Hours
                hold: 1h
                reps: 23
              - name: The rest
                hold: 59m35s
            """, rate: 192_000)
        XCTAssertEqual(timeline.totalSamples, 16_588_800_000)  // 86400 s x 192000
        // The finish is 5 s (the tail) before the end: 86395 x 192000.
        XCTAssertEqual(cues(timeline, .finish).map(\.sample), [16_587_840_000])
        XCTAssertEqual(timeline.intervals.last.map { rows([$0]) }, ["tail 16587840000..<16588800000 s- - -/-"])
    }

    // MARK: Transitions

    func testTransitionsUseLeadInFirstThenTheStepsOwnOrTheDefault() throws {
        let timeline = try schedule(
            """
            title: t
            defaults: {transition: 3s, tail: 0, countdown: 0}
            steps:
              - name: a
                hold: 1s
              - name: b
                hold: 1s
              - name: c
                transition: 0
                hold: 1s
              - name: d
                transition: 2s
                hold: 1s
            """, rate: 8_000)
        // a: lead_in (default 10 s, not defaults.transition); b: defaults.transition 3 s;
        // c: transition 0 emits nothing; d: its own 2 s.
        XCTAssertEqual(
            rows(timeline.intervals),
            [
                "transition 0..<80000 s0 - -/-",
                "hold 80000..<88000 s0 - 1/1",
                "transition 88000..<112000 s1 - -/-",
                "hold 112000..<120000 s1 - 1/1",
                "hold 120000..<128000 s2 - 1/1",
                "transition 128000..<144000 s3 - -/-",
                "hold 144000..<152000 s3 - 1/1",
            ])
        XCTAssertEqual(
            timeline.steps.map { "\($0.name) \($0.start)..<\($0.end)" },
            ["a 0..<88000", "b 88000..<120000", "c 120000..<128000", "d 128000..<152000"])
    }

    func testTheFirstStepsOwnTransitionReplacesLeadIn() throws {
        let own = try schedule(
            """
            title: t
            defaults: {lead_in: 4s, transition: 3s, tail: 0, countdown: 0}
            steps:
              - name: a
                transition: 1s
                hold: 1s
            """, rate: 8_000)
        XCTAssertEqual(rows(own.intervals), ["transition 0..<8000 s0 - -/-", "hold 8000..<16000 s0 - 1/1"])

        let none = try schedule(
            """
            title: t
            defaults: {lead_in: 0, tail: 0, countdown: 0}
            steps:
              - name: a
                hold: 1s
            """, rate: 8_000)
        XCTAssertEqual(rows(none.intervals), ["hold 0..<8000 s0 - 1/1"])
        XCTAssertEqual(rows(none.cues), ["announce 0 s0 'a'", "go 0 s0 -", "finish 8000 s0"])
    }

    func testTheFormatsDefaultValuesApply() throws {
        // No defaults at all: lead_in 10 s, transition 10 s, rest 5 s, switch 5 s, set_rest 10 s,
        // inhale and exhale 4 s, holds of the breath 0, countdown 3, halfway off, tail 5 s.
        let timeline = try schedule(
            """
            title: t
            steps:
              - name: a
                hold: 1s
                reps: 2
                sets: 2
                sides: each
              - name: b
                breaths: 1
            """, rate: 8_000)
        XCTAssertEqual(
            rows(timeline.intervals),
            [
                "transition 0..<80000 s0 - -/-",
                "hold 80000..<88000 s0 left 1/1",
                "rest 88000..<128000 s0 left 1/2",
                "hold 128000..<136000 s0 left 1/2",
                "switch 136000..<176000 s0 right 1/1",
                "hold 176000..<184000 s0 right 1/1",
                "rest 184000..<224000 s0 right 1/2",
                "hold 224000..<232000 s0 right 1/2",
                "rest 232000..<312000 s0 - 2/-",
                "hold 312000..<320000 s0 left 2/1",
                "rest 320000..<360000 s0 left 2/2",
                "hold 360000..<368000 s0 left 2/2",
                "switch 368000..<408000 s0 right 2/1",
                "hold 408000..<416000 s0 right 2/1",
                "rest 416000..<456000 s0 right 2/2",
                "hold 456000..<464000 s0 right 2/2",
                "transition 464000..<544000 s1 - -/-",
                "inhale 544000..<576000 s1 - 1/1",
                "exhale 576000..<608000 s1 - 1/1",
                "tail 608000..<648000 s- - -/-",
            ])
        // Countdown 3 needs 6 s: only the two 10 s transitions and the 10 s set rest qualify.
        XCTAssertEqual(
            rows(cues(timeline, .countdown)),
            [
                "countdown 56000 s0 k=3", "countdown 64000 s0 k=2", "countdown 72000 s0 k=1",
                "countdown 288000 s0 k=3", "countdown 296000 s0 k=2", "countdown 304000 s0 k=1",
                "countdown 520000 s1 k=3", "countdown 528000 s1 k=2", "countdown 536000 s1 k=1",
            ])
        XCTAssertTrue(cues(timeline, .halfway).isEmpty)
    }

    // MARK: Sets

    func testSetsAreSeparatedBySetRestsWithNoSideAndNoRep() throws {
        let timeline = try schedule(
            """
            title: t
            defaults: {lead_in: 0, tail: 0, countdown: 0}
            steps:
              - name: a
                hold: 2s
                reps: 2
                rest: 1s
                sets: 3
                set_rest: 4s
            """, rate: 8_000)
        XCTAssertEqual(
            rows(timeline.intervals),
            [
                "hold 0..<16000 s0 - 1/1",
                "rest 16000..<24000 s0 - 1/2",
                "hold 24000..<40000 s0 - 1/2",
                "rest 40000..<72000 s0 - 2/-",
                "hold 72000..<88000 s0 - 2/1",
                "rest 88000..<96000 s0 - 2/2",
                "hold 96000..<112000 s0 - 2/2",
                "rest 112000..<144000 s0 - 3/-",
                "hold 144000..<160000 s0 - 3/1",
                "rest 160000..<168000 s0 - 3/2",
                "hold 168000..<184000 s0 - 3/2",
            ])
    }

    func testAZeroSetRestIsNotEmittedAndGivesNoStop() throws {
        let timeline = try schedule(
            """
            title: t
            defaults: {lead_in: 0, tail: 0, countdown: 0}
            steps:
              - name: a
                hold: 1s
                sets: 2
                set_rest: 0
            """, rate: 8_000)
        XCTAssertEqual(rows(timeline.intervals), ["hold 0..<8000 s0 - 1/1", "hold 8000..<16000 s0 - 2/1"])
        XCTAssertEqual(rows(timeline.cues), ["announce 0 s0 'a'", "go 0 s0 -", "go 8000 s0 -", "finish 16000 s0"])
    }

    // MARK: Hold steps and sides

    func testHoldStepWithEachSideDoesAllRepsOnOneSideThenSwitches() throws {
        let timeline = try schedule(
            """
            title: t
            defaults: {lead_in: 0, tail: 0, countdown: 0}
            steps:
              - name: a
                hold: 2s
                reps: 2
                rest: 1s
                switch: 3s
                sides: each
                first: right
            """, rate: 8_000)
        XCTAssertEqual(
            rows(timeline.intervals),
            [
                "hold 0..<16000 s0 right 1/1",
                "rest 16000..<24000 s0 right 1/2",
                "hold 24000..<40000 s0 right 1/2",
                "switch 40000..<64000 s0 left 1/1",
                "hold 64000..<80000 s0 left 1/1",
                "rest 80000..<88000 s0 left 1/2",
                "hold 88000..<104000 s0 left 1/2",
            ])
        XCTAssertEqual(
            rows(cues(timeline, .go, .stop, .switchSides)),
            [
                "go 0 s0 right", "stop 16000 s0", "go 24000 s0 right",
                "switch 40000 s0 left",  // the side that comes next
                "go 64000 s0 left", "stop 80000 s0", "go 88000 s0 left",
            ])
    }

    func testHoldStepWithAlternateSidesSwitchesBeforeEveryHoldButTheFirstOfASet() throws {
        let timeline = try schedule(
            """
            title: t
            defaults: {lead_in: 0, tail: 0, countdown: 0}
            steps:
              - name: a
                hold: 2s
                reps: 2
                rest: 5s
                switch: 1s
                sides: alternate
                sets: 2
                set_rest: 3s
            """, rate: 8_000)
        // `rest` has no effect with alternate sides; the first side is left by default.
        XCTAssertEqual(
            rows(timeline.intervals),
            [
                "hold 0..<16000 s0 left 1/1",
                "switch 16000..<24000 s0 right 1/1",
                "hold 24000..<40000 s0 right 1/1",
                "switch 40000..<48000 s0 left 1/2",
                "hold 48000..<64000 s0 left 1/2",
                "switch 64000..<72000 s0 right 1/2",
                "hold 72000..<88000 s0 right 1/2",
                "rest 88000..<112000 s0 - 2/-",
                "hold 112000..<128000 s0 left 2/1",
                "switch 128000..<136000 s0 right 2/1",
                "hold 136000..<152000 s0 right 2/1",
                "switch 152000..<160000 s0 left 2/2",
                "hold 160000..<176000 s0 left 2/2",
                "switch 176000..<184000 s0 right 2/2",
                "hold 184000..<200000 s0 right 2/2",
            ])
        XCTAssertEqual(
            rows(cues(timeline, .switchSides)),
            [
                "switch 16000 s0 right", "switch 40000 s0 left", "switch 64000 s0 right",
                "switch 128000 s0 right", "switch 152000 s0 left", "switch 176000 s0 right",
            ])
        XCTAssertEqual(cues(timeline, .stop).map(\.sample), [88_000], "the only rest is the set rest")
    }

    func testAZeroSwitchIsNotEmittedButEveryHoldStillHasItsGo() throws {
        let timeline = try schedule(
            """
            title: t
            defaults: {lead_in: 0, tail: 0, countdown: 0, switch: 0}
            steps:
              - name: a
                hold: 1s
                sides: alternate
                first: right
            """, rate: 8_000)
        XCTAssertEqual(rows(timeline.intervals), ["hold 0..<8000 s0 right 1/1", "hold 8000..<16000 s0 left 1/1"])
        XCTAssertEqual(rows(cues(timeline, .go, .switchSides)), ["go 0 s0 right", "go 8000 s0 left"])
    }

    func testSidesNoneIgnoresFirstAndSwitch() throws {
        let timeline = try schedule(
            """
            title: t
            defaults: {lead_in: 0, tail: 0, countdown: 0}
            steps:
              - name: a
                hold: 1s
                reps: 2
                rest: 1s
                first: right
                switch: 9s
            """, rate: 8_000)
        XCTAssertEqual(
            rows(timeline.intervals),
            [
                "hold 0..<8000 s0 - 1/1", "rest 8000..<16000 s0 - 1/2", "hold 16000..<24000 s0 - 1/2",
            ])
    }

    // MARK: Breath steps

    func testABreathCycleIsInhaleHoldInExhaleHoldOut() throws {
        let timeline = try schedule(
            """
            title: t
            defaults: {lead_in: 0, tail: 0, countdown: 0}
            steps:
              - name: a
                breaths: 2
                inhale: 1s
                hold_in: 0.5s
                exhale: 2s
                hold_out: 0.25s
            """, rate: 8_000)
        XCTAssertEqual(
            rows(timeline.intervals),
            [
                "inhale 0..<8000 s0 - 1/1",
                "hold_in 8000..<12000 s0 - 1/1",
                "exhale 12000..<28000 s0 - 1/1",
                "hold_out 28000..<30000 s0 - 1/1",
                "inhale 30000..<38000 s0 - 1/2",
                "hold_in 38000..<42000 s0 - 1/2",
                "exhale 42000..<58000 s0 - 1/2",
                "hold_out 58000..<60000 s0 - 1/2",
            ])
        // The second inhale directly follows a hold_out: no go. Breath holds have no cue of their own.
        XCTAssertEqual(
            rows(timeline.cues),
            [
                "announce 0 s0 'a'", "go 0 s0 -", "inhale 0 s0 - len=8000",
                "exhale 12000 s0 - len=16000",
                "inhale 30000 s0 - len=8000",
                "exhale 42000 s0 - len=16000",
                "finish 60000 s0",
            ])
    }

    func testBreathStepWithEachSideSwitchesOnceAndGoesAgain() throws {
        let timeline = try schedule(
            """
            title: t
            defaults: {lead_in: 0, tail: 0, countdown: 0}
            steps:
              - name: a
                breaths: 2
                inhale: 1s
                exhale: 1s
                sides: each
                first: right
                switch: 2s
            """, rate: 8_000)
        XCTAssertEqual(
            rows(timeline.intervals),
            [
                "inhale 0..<8000 s0 right 1/1",
                "exhale 8000..<16000 s0 right 1/1",
                "inhale 16000..<24000 s0 right 1/2",
                "exhale 24000..<32000 s0 right 1/2",
                "switch 32000..<48000 s0 left 1/1",
                "inhale 48000..<56000 s0 left 1/1",
                "exhale 56000..<64000 s0 left 1/1",
                "inhale 64000..<72000 s0 left 1/2",
                "exhale 72000..<80000 s0 left 1/2",
            ])
        XCTAssertEqual(rows(cues(timeline, .go, .switchSides)), ["go 0 s0 right", "switch 32000 s0 left", "go 48000 s0 left"])
    }

    func testBreathStepWithAlternateSidesFlipsEveryCycleWithoutSwitches() throws {
        let timeline = try schedule(
            """
            title: t
            defaults: {lead_in: 0, tail: 0, countdown: 0}
            steps:
              - name: a
                breaths: 2
                inhale: 1s
                exhale: 1s
                sides: alternate
                switch: 5s
            """, rate: 8_000)
        XCTAssertEqual(
            rows(timeline.intervals),
            [
                "inhale 0..<8000 s0 left 1/1",
                "exhale 8000..<16000 s0 left 1/1",
                "inhale 16000..<24000 s0 right 1/1",
                "exhale 24000..<32000 s0 right 1/1",
                "inhale 32000..<40000 s0 left 1/2",
                "exhale 40000..<48000 s0 left 1/2",
                "inhale 48000..<56000 s0 right 1/2",
                "exhale 56000..<64000 s0 right 1/2",
            ])
        XCTAssertEqual(
            rows(cues(timeline, .go, .inhale)),
            [
                "go 0 s0 left", "inhale 0 s0 left len=8000", "inhale 16000 s0 right len=8000",
                "inhale 32000 s0 left len=8000", "inhale 48000 s0 right len=8000",
            ])
    }

    func testBreathToneLengthsAreTheIntervalsLengthsInSamples() throws {
        let timeline = try schedule(
            """
            title: t
            defaults: {lead_in: 0, tail: 0, countdown: 0}
            steps:
              - name: a
                breaths: 2
                inhale: 1.00001s
                exhale: 1.00001s
            """, rate: 44_100)
        // Boundaries at 1.00001, 2.00002, 3.00003, 4.00004 s = 44100.441, 88200.882, 132301.323, 176401.764
        // samples, so 44100, 88201, 132301, 176402: the lengths alternate 44100 and 44101.
        XCTAssertEqual(
            rows(cues(timeline, .inhale, .exhale)),
            [
                "inhale 0 s0 - len=44100", "exhale 44100 s0 - len=44101",
                "inhale 88201 s0 - len=44100", "exhale 132301 s0 - len=44101",
            ])
    }

    // MARK: Cues

    func testGoOnInhalesDependsOnThePreviousEmittedIntervalAcrossSteps() throws {
        let timeline = try schedule(
            """
            title: t
            defaults: {lead_in: 0, tail: 0, countdown: 0, transition: 0}
            steps:
              - name: a
                breaths: 1
                inhale: 1s
                exhale: 1s
              - name: b
                breaths: 1
                inhale: 1s
                exhale: 1s
              - name: c
                hold: 1s
              - name: d
                breaths: 1
                inhale: 1s
                exhale: 1s
                hold_out: 1s
              - name: e
                breaths: 1
                inhale: 1s
                exhale: 1s
              - name: f
                transition: 1s
                breaths: 1
                inhale: 1s
                exhale: 1s
            """, rate: 8_000)
        // b follows a's exhale and e follows d's hold_out (transition 0): no go. c is a hold (always a go);
        // d follows a hold and f follows a transition: go.
        XCTAssertEqual(rows(cues(timeline, .go)), ["go 0 s0 -", "go 32000 s2 -", "go 40000 s3 -", "go 88000 s5 -"])
        // Announce without a transition: at the step's first interval; with f's 1 s transition: + 400 ms.
        XCTAssertEqual(
            rows(cues(timeline, .announce)),
            [
                "announce 0 s0 'a'", "announce 16000 s1 'b'", "announce 32000 s2 'c'",
                "announce 40000 s3 'd'", "announce 64000 s4 'e'", "announce 83200 s5 'f'",
            ])
    }

    func testStopsMarkRestsAndTransitionsButNotTheFirstTransition() throws {
        let timeline = try schedule(
            """
            title: t
            defaults: {lead_in: 2s, tail: 0, countdown: 0}
            steps:
              - name: a
                hold: 1s
                reps: 2
                rest: 1s
                sets: 2
                set_rest: 2s
              - name: b
                transition: 1s
                hold: 1s
            """, rate: 8_000)
        XCTAssertEqual(
            rows(timeline.intervals),
            [
                "transition 0..<16000 s0 - -/-",
                "hold 16000..<24000 s0 - 1/1",
                "rest 24000..<32000 s0 - 1/2",
                "hold 32000..<40000 s0 - 1/2",
                "rest 40000..<56000 s0 - 2/-",
                "hold 56000..<64000 s0 - 2/1",
                "rest 64000..<72000 s0 - 2/2",
                "hold 72000..<80000 s0 - 2/2",
                "transition 80000..<88000 s1 - -/-",
                "hold 88000..<96000 s1 - 1/1",
            ])
        // The transition into b ends a's work, so its stop belongs to step 0.
        XCTAssertEqual(rows(cues(timeline, .stop)), ["stop 24000 s0", "stop 40000 s0", "stop 64000 s0", "stop 80000 s0"])
        XCTAssertEqual(rows(cues(timeline, .finish)), ["finish 96000 s1"])
    }

    func testFinishIsAtTheEndOfTheLastStepBeforeTheTail() throws {
        let timeline = try schedule(
            """
            title: t
            defaults: {lead_in: 1s, tail: 3s, countdown: 0}
            steps:
              - name: a
                hold: 1s
              - name: b
                hold: 2s
            """, rate: 8_000)
        // 1 s lead-in, 1 s hold, 10 s transition (default), 2 s hold: the last step ends at 14 s.
        XCTAssertEqual(rows(cues(timeline, .finish)), ["finish 112000 s1"])
        XCTAssertEqual(rows([timeline.intervals.last!]), ["tail 112000..<136000 s- - -/-"])
        XCTAssertEqual(timeline.totalSamples, 136_000)
        XCTAssertEqual(timeline.steps.last?.end, 112_000, "the tail belongs to no step")
    }

    func testAnnounceIsAtMostFourHundredMillisecondsIntoTheTransition() throws {
        func announceSample(transition: String, rate: Int = 8_000) throws -> Int64? {
            let timeline = try schedule(
                """
                title: t
                defaults: {lead_in: \(transition), tail: 0, countdown: 0}
                steps:
                  - name: a
                    hold: 1s
                """, rate: rate)
            return cues(timeline, .announce).first?.sample
        }
        XCTAssertEqual(try announceSample(transition: "10s"), 3_200)  // 400 ms
        XCTAssertEqual(try announceSample(transition: "0.8s"), 3_200)  // T/2 = 400 ms
        XCTAssertEqual(try announceSample(transition: "0.5s"), 2_000)  // T/2 = 250 ms
        XCTAssertEqual(try announceSample(transition: "10ms"), 40)  // T/2 = 5 ms
        // T/2 = 5002.5 µs is rounded down to 5002 µs: 960.384 samples -> 960 (5003 µs would give 961).
        XCTAssertEqual(try announceSample(transition: "0.010005s", rate: 192_000), 960)
    }

    func testAnnounceSaysSayOrElseTheName() throws {
        let timeline = try schedule(
            """
            title: t
            defaults: {lead_in: 0, transition: 0, tail: 0, countdown: 0}
            steps:
              - name: Child's pose
                hold: 1s
              - name: Cat-cow
                say: Round and arch your back
                breaths: 1
            """, rate: 8_000)
        XCTAssertEqual(cues(timeline, .announce).map(\.text), ["Child's pose", "Round and arch your back"])
    }

    func testHalfwayIsInTheMiddleOfEveryHoldWhenAsked() throws {
        let timeline = try schedule(
            """
            title: t
            defaults: {lead_in: 1s, tail: 0, countdown: 0, halfway: true}
            steps:
              - name: a
                hold: 3s
                sides: each
                switch: 1s
              - name: b
                transition: 0
                hold: 3s
                halfway: false
            """, rate: 8_000)
        // a: left hold 1..4 s (middle 2.5 s), switch, right hold 5..8 s (middle 6.5 s); b opts out.
        XCTAssertEqual(rows(cues(timeline, .halfway)), ["halfway 20000 s0 left", "halfway 52000 s0 right"])
    }

    func testHalfwayTimeIsRoundedDownToTheMicrosecond() throws {
        let timeline = try schedule(
            """
            title: t
            defaults: {lead_in: 0, tail: 0, countdown: 0}
            steps:
              - name: a
                hold: 2.000021s
                halfway: true
            """, rate: 48_000)
        // 2000021 / 2 = 1000010.5 µs -> 1000010 µs = 48000.48 samples -> 48000 (1000011 µs would be 48001).
        XCTAssertEqual(rows(cues(timeline, .halfway)), ["halfway 48000 s0 -"])
    }

    func testCountdownNeedsTwiceItsCountInSeconds() throws {
        let timeline = try schedule(
            """
            title: t
            defaults: {lead_in: 0, tail: 0, countdown: 3}
            steps:
              - name: a
                hold: 6s
              - name: b
                transition: 0
                hold: 5.999999s
            """, rate: 8_000)
        // 6 s is 2 x 3 s: beeps at 6 - 3, 6 - 2 and 6 - 1 s. 5.999999 s is too short for any.
        XCTAssertEqual(rows(cues(timeline, .countdown)), ["countdown 24000 s0 k=3", "countdown 32000 s0 k=2", "countdown 40000 s0 k=1"])
    }

    func testCountdownBeepsAreWholeSecondsBeforeTheExactEnd() throws {
        let timeline = try schedule(
            """
            title: t
            defaults: {lead_in: 0, tail: 0, countdown: 1}
            steps:
              - name: a
                hold: 2.000002s
            """, rate: 192_000)
        // The beep is at 2.000002 - 1 = 1.000002 s = 192000.384 samples -> 192000
        // (a microsecond later, 1.000003 s, would round to 192001).
        XCTAssertEqual(rows(cues(timeline, .countdown)), ["countdown 192000 s0 k=1"])
    }

    func testCountdownInRestsSwitchesSetRestsAndTransitions() throws {
        let timeline = try schedule(
            """
            title: t
            defaults: {lead_in: 0, tail: 0, countdown: 2}
            steps:
              - name: a
                hold: 1s
                reps: 2
                rest: 4s
                sides: each
                switch: 4.5s
                sets: 2
                set_rest: 5s
              - name: b
                countdown: 1
                transition: 2s
                hold: 1s
            """, rate: 8_000)
        // a, set 1: hold 0-1, rest 1-5, hold 5-6, switch 6-10.5, hold 10.5-11.5, rest 11.5-15.5, hold 15.5-16.5;
        // set rest 16.5-21.5; set 2 is set 1 shifted by 21.5 s, ending at 38 s; b's transition 38-40 s
        // belongs to b, whose countdown is 1 (a's 2 would need 4 s).
        XCTAssertEqual(
            rows(cues(timeline, .countdown)),
            [
                "countdown 24000 s0 k=2", "countdown 32000 s0 k=1",  // rest ends at 5 s
                "countdown 68000 s0 k=2", "countdown 76000 s0 k=1",  // switch ends at 10.5 s
                "countdown 108000 s0 k=2", "countdown 116000 s0 k=1",  // rest ends at 15.5 s
                "countdown 156000 s0 k=2", "countdown 164000 s0 k=1",  // set rest ends at 21.5 s
                "countdown 196000 s0 k=2", "countdown 204000 s0 k=1",  // rest ends at 26.5 s
                "countdown 240000 s0 k=2", "countdown 248000 s0 k=1",  // switch ends at 32 s
                "countdown 280000 s0 k=2", "countdown 288000 s0 k=1",  // rest ends at 37 s
                "countdown 312000 s1 k=1",  // b's transition ends at 40 s
            ])
    }

    func testNoCountdownInBreathsOrTheTailOrWithCountdownZero() throws {
        let breaths = try schedule(
            """
            title: t
            defaults: {lead_in: 0, tail: 1m, countdown: 3}
            steps:
              - name: a
                breaths: 1
                inhale: 1m
                hold_in: 1m
                exhale: 1m
                hold_out: 1m
            """, rate: 8_000)
        XCTAssertTrue(cues(breaths, .countdown).isEmpty, rows(breaths.cues).joined(separator: "\n"))

        let zero = try schedule(
            """
            title: t
            defaults: {lead_in: 10s, countdown: 0}
            steps:
              - name: a
                hold: 1m
                reps: 2
                rest: 10s
                sides: each
                switch: 10s
            """, rate: 8_000)
        XCTAssertTrue(cues(zero, .countdown).isEmpty)
    }

    // MARK: Order of cues

    func testCuesAtOneSampleFollowTheSpecOrder() throws {
        let timeline = try schedule(
            """
            title: t
            defaults: {lead_in: 0, tail: 0, transition: 0}
            steps:
              - name: a
                hold: 2s
                countdown: 1
                halfway: true
              - name: b
                breaths: 1
                inhale: 1s
                exhale: 1s
            """, rate: 8_000)
        XCTAssertEqual(
            rows(timeline.cues),
            [
                "announce 0 s0 'a'", "go 0 s0 -",
                "halfway 8000 s0 -", "countdown 8000 s0 k=1",  // both at 1 s: halfway first
                "announce 16000 s1 'b'", "go 16000 s1 -", "inhale 16000 s1 - len=8000",
                "exhale 24000 s1 - len=8000",
                "finish 32000 s1",
            ])
    }

    // MARK: Levels

    func testTheLevelPicksFromEveryRange() throws {
        let yaml = """
            title: t
            defaults: {lead_in: 0, tail: 0, countdown: 0, rest: 1s}
            steps:
              - name: a
                hold: 2-4s
                reps: 1-2
                sets: 1-3
                set_rest: 1-3s
            """
        let easy = try schedule(yaml, rate: 8_000, level: .easy)
        XCTAssertEqual(easy.level, .easy)
        XCTAssertEqual(rows(easy.intervals), ["hold 0..<16000 s0 - 1/1"])

        // normal: hold 3 s, reps (1+2)/2 = 1.5 -> 2, sets 2, set_rest 2 s.
        let normal = try schedule(yaml, rate: 8_000, level: .normal)
        XCTAssertEqual(
            rows(normal.intervals),
            [
                "hold 0..<24000 s0 - 1/1",
                "rest 24000..<32000 s0 - 1/2",
                "hold 32000..<56000 s0 - 1/2",
                "rest 56000..<72000 s0 - 2/-",
                "hold 72000..<96000 s0 - 2/1",
                "rest 96000..<104000 s0 - 2/2",
                "hold 104000..<128000 s0 - 2/2",
            ])

        // hard: hold 4 s, 2 reps, 3 sets, set_rest 3 s: 3 x (4 + 1 + 4) + 2 x 3 = 33 s.
        let hard = try schedule(yaml, rate: 8_000, level: .hard)
        XCTAssertEqual(hard.totalSamples, 264_000)
        XCTAssertEqual(intervals(hard, .hold).map(\.length), Array(repeating: 32_000, count: 6))
        XCTAssertEqual(intervals(hard, .rest).filter { $0.rep == nil }.map(\.length), [24_000, 24_000])
    }

    func testTheNormalLevelRoundsAMicrosecondMidpointUp() throws {
        let timeline = try schedule(
            """
            title: t
            defaults: {lead_in: 0, tail: 0, countdown: 0}
            steps:
              - name: a
                hold: 1.000001-1.000002s
            """, rate: 8_000)
        // (1000001 + 1000002) / 2 = 1000001.5 µs -> 1000002 µs.
        XCTAssertEqual(timeline.intervals.map(\.duration), [1_000_002])
        XCTAssertEqual(timeline.totalTime, 1_000_002)
    }

    // MARK: Invariants on whole timelines

    private func assertWellFormed(_ timeline: Timeline, _ label: String, file: StaticString = #filePath, line: UInt = #line) {
        var cursor: Int64 = 0
        for interval in timeline.intervals {
            XCTAssertEqual(interval.start, cursor, "\(label): gap or overlap before \(rows([interval]))", file: file, line: line)
            XCTAssertGreaterThan(interval.end, interval.start, "\(label): empty \(rows([interval]))", file: file, line: line)
            cursor = interval.end
        }
        XCTAssertEqual(cursor, timeline.totalSamples, "\(label): intervals end at total_samples", file: file, line: line)
        XCTAssertEqual(timeline.intervals.last?.kind == .tail, timeline.intervals.last?.step == nil, label, file: file, line: line)

        // Each step spans from its first interval's start to its last interval's end.
        XCTAssertEqual(timeline.steps.count, Set(timeline.intervals.compactMap(\.step)).count, label, file: file, line: line)
        for (index, span) in timeline.steps.enumerated() {
            let own = timeline.intervals.filter { $0.step == index }
            XCTAssertEqual(span.start, own.first?.start, "\(label): start of step \(index)", file: file, line: line)
            XCTAssertEqual(span.end, own.last?.end, "\(label): end of step \(index)", file: file, line: line)
        }

        // Cues by sample, then in the spec's order of types.
        let keys = timeline.cues.map { ($0.sample, specCueOrder.firstIndex(of: $0.type.rawValue) ?? -1) }
        for (a, b) in zip(keys, keys.dropFirst()) where !(a.0 < b.0 || (a.0 == b.0 && a.1 <= b.1)) {
            XCTFail("\(label): cues out of order: \(a) before \(b)", file: file, line: line)
        }
        XCTAssertTrue(timeline.cues.allSatisfy { $0.sample >= 0 && $0.sample <= timeline.totalSamples }, label, file: file, line: line)
        XCTAssertEqual(
            cues(timeline, .announce).map(\.step), Array(timeline.steps.indices), "\(label): one announce per step",
            file: file, line: line)
        XCTAssertEqual(cues(timeline, .finish).map(\.step), [timeline.steps.count - 1], label, file: file, line: line)
    }

    func testEveryTimelineIsContiguousWithStepSpansAndOrderedCues() throws {
        let routinesFolder = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Routines")
        let shipped = try FileManager.default.contentsOfDirectory(at: routinesFolder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }
        XCTAssertFalse(shipped.isEmpty)
        let files = Fixtures.exampleNames.map { Fixtures.examples.appendingPathComponent("\($0).yaml") } + shipped
        for url in files {
            for level in Level.allCases {
                let routine = try RoutineLoader.parse([UInt8](try Data(contentsOf: url)), path: url.path, level: level)
                for rate in [8_000, 11_025, 44_100, 192_000] {
                    assertWellFormed(
                        Scheduler.schedule(routine, sampleRate: rate, level: level),
                        "\(url.lastPathComponent) \(rate) \(level)")
                }
            }
        }
    }
}
