import XCTest
@testable import CadenceKit

/// routine-format.md "Programs over days": day k of N is first + (last − first)·(k − 1)/(N − 1),
/// in integers, rounded half up to whole seconds, milliseconds or microseconds (the coarsest that
/// the values written allow), counts to whole numbers.
final class ProgressionTests: XCTestCase {
    private let second: Int64 = 1_000_000

    func testTheQuantumIsTheCoarsestUnitTheValuesAllow() {
        XCTAssertEqual(Progression.quantum(of: [5 * second, 30 * second]), second)
        XCTAssertEqual(Progression.quantum(of: [2_500_000, 4 * second]), 1_000)
        XCTAssertEqual(Progression.quantum(of: [1_000_001, 2 * second]), 1)
        XCTAssertEqual(Progression.quantum(of: [0, 0]), second)
    }

    func testFiveToThirtySecondsOverTwentyDays() {
        // 5 + 25·(k − 1)/19 s: day 2 is 6.32 s, day 3 7.63 s, day 10 16.84 s, day 19 28.68 s.
        let days = (1...20).map { Progression.value(from: 5 * second, to: 30 * second, day: $0, of: 20, quantum: second) / second }
        XCTAssertEqual(days, [5, 6, 8, 9, 10, 12, 13, 14, 16, 17, 18, 19, 21, 22, 23, 25, 26, 27, 29, 30])
    }

    func testHalvesRoundUpAndTheEndsAreExact() {
        // 1.000001 s to 2 s over 3 days: day 2 is 1.5000005 s, which rounds up to 1.500001 s.
        XCTAssertEqual(
            (1...3).map { Progression.value(from: 1_000_001, to: 2 * second, day: $0, of: 3, quantum: 1) },
            [1_000_001, 1_500_001, 2_000_000])
        // 2.5 s to 4 s over 4 days, in milliseconds: 2.5, 3, 3.5, 4 s.
        XCTAssertEqual(
            (1...4).map { Progression.value(from: 2_500_000, to: 4 * second, day: $0, of: 4, quantum: 1_000) },
            [2_500_000, 3_000_000, 3_500_000, 4_000_000])
        // Counts: 2 to 3 over 3 days is 2, 3 (2.5 up), 3; over 5 days 2, 2 (2.25), 3 (2.5), 3, 3.
        XCTAssertEqual(Progression.range(from: Ranged(2), to: Ranged(3), day: 2, of: 3), Ranged(3))
        XCTAssertEqual((1...5).map { Progression.range(from: Ranged(2), to: Ranged(3), day: $0, of: 5).low }, [2, 2, 3, 3, 3])
    }

    func testValuesMayShrinkAndRangesGrowAtBothEnds() {
        // A rest from 10 s down to 4 s over 4 days.
        XCTAssertEqual(
            (1...4).map { Progression.value(from: 10 * second, to: 4 * second, day: $0, of: 4, quantum: second) / second },
            [10, 8, 6, 4])
        // 5-10 s growing to 20-30 s over 3 days: each end on its own, and the low end never passes the high.
        XCTAssertEqual(
            Progression.range(
                from: Ranged(low: 5 * second, high: 10 * second), to: Ranged(low: 20 * second, high: 30 * second),
                day: 2, of: 3),
            Ranged(low: 13 * second, high: 20 * second), "all four values are whole seconds: 12.5 s rounds up to 13 s")
    }

    func testASessionOnEachDayFollowsTheProgram() throws {
        let routine = try parseRoutine(
            """
            format: 2
            title: Program
            days: 20
            defaults: {lead_in: 0, tail: 0, countdown: 0}
            steps:
              - name: Piriformis stretch
                hold: 5s
                progress: {hold: 30s}
                sides: each
                switch: 0
              - name: Bridge
                tempo: lift 1s, lower 1s
                reps: 4
                rest: 0
                transition: 0
                progress: {reps: 10, sets: 3}
              - name: Breath
                breaths: 2
                inhale: 2s
                exhale: 3s
                progress: {breaths: 6, exhale: 5s}
                transition: 0
              - name: Sides
                hold: {left: 10s, right: 20s}
                sides: each
                switch: 0
                transition: 0
                progress: {hold: 30s}
            """)
        func holds(_ day: Int, step: Int) -> [Int64] {
            Scheduler.schedule(routine, sampleRate: 8_000, day: day).intervals.filter { $0.step == step && $0.kind == .hold }.map(
                \.duration)
        }
        XCTAssertEqual(holds(1, step: 0), [5 * second, 5 * second])
        XCTAssertEqual(holds(10, step: 0), [17 * second, 17 * second])
        XCTAssertEqual(holds(20, step: 0), [30 * second, 30 * second])
        // Day 10 of 20: reps 4 + 6·9/19 = 6.84 -> 7; sets 1 + 2·9/19 = 1.95 -> 2; breaths 2 + 4·9/19 = 3.89 -> 4;
        // exhale 3 + 2·9/19 = 3.95 s -> 4 s.
        let day10 = Scheduler.schedule(routine, sampleRate: 8_000, day: 10)
        XCTAssertEqual(Set(day10.intervals.filter { $0.step == 1 }.compactMap(\.rep)).max(), 7)
        XCTAssertEqual(Set(day10.intervals.filter { $0.step == 1 }.compactMap(\.set)).max(), 2)
        XCTAssertEqual(
            day10.intervals.filter { $0.step == 2 && $0.kind == .exhale }.map(\.duration), Array(repeating: 4 * second, count: 4))
        // Per side: a single progress value is where both sides end; left 10 -> 30, right 20 -> 30.
        XCTAssertEqual(holds(1, step: 3), [10 * second, 20 * second])
        XCTAssertEqual(holds(11, step: 3), [21 * second, 25 * second], "10 + 20·10/19 = 20.5 -> 21; 20 + 10·10/19 = 25.3 -> 25")
        XCTAssertEqual(holds(20, step: 3), [30 * second, 30 * second])
        XCTAssertEqual(day10.day, 10)
        XCTAssertEqual(day10.days, 20)
        // The session length without scheduling agrees with the schedule on every day.
        for day in 1...20 {
            XCTAssertEqual(
                Scheduler.sessionLength(of: routine, at: .normal, day: day),
                Scheduler.schedule(routine, sampleRate: 8_000, day: day).totalTime, "day \(day)")
        }
    }

    func testPerSideProgressAndCircuitRounds() throws {
        let routine = try parseRoutine(
            """
            format: 2
            title: Program
            days: 3
            defaults: {lead_in: 0, tail: 0, countdown: 0, transition: 0}
            steps:
              - name: Sides
                hold: {left: 10s, right: 20s}
                reps: {left: 1, right: 2}
                sides: each
                switch: 0
                rest: 0
                progress: {hold: {left: 12s, right: 30s}, reps: {left: 3, right: 2}}
              - circuit: Core
                rounds: 1
                progress: {rounds: 3}
                hard: {rounds: 2, progress: {rounds: 4}}
                steps: [{name: Bridge, hold: 1s}]
            """)
        let day2 = Scheduler.schedule(routine, sampleRate: 8_000, day: 2)
        XCTAssertEqual(
            day2.intervals.filter { $0.step == 0 }.map { "\($0.side!.rawValue) \($0.duration / second)" },
            ["left 11", "left 11", "right 25", "right 25"])
        XCTAssertEqual(day2.steps.filter { $0.name == "Bridge" }.count, 2, "rounds 1 -> 3: day 2 of 3 is 2")
        XCTAssertEqual(Scheduler.schedule(routine, sampleRate: 8_000, level: .hard, day: 3).steps.filter { $0.name == "Bridge" }.count, 4)
    }

    func testADayOutsideTheProgramOrWithoutOneIsACommandLineError() throws {
        let program = try parseRoutine("format: 2\ntitle: t\ndays: 5\nsteps:\n  - {name: a, hold: 1s}\n")
        XCTAssertEqual(try program.checkedDay(nil, path: "p.yaml"), 1)
        XCTAssertEqual(try program.checkedDay(5, path: "p.yaml"), 5)
        for day in [0, 6] {
            XCTAssertThrowsError(try program.checkedDay(day, path: "p.yaml")) { error in
                XCTAssertEqual((error as? RenderError)?.exitStatus, .usage)
                XCTAssertEqual((error as? RenderError)?.message, "--day must be from 1 to 5 for p.yaml, not \(day)")
            }
        }
        let plain = try parseRoutine("format: 2\ntitle: t\nsteps:\n  - {name: a, hold: 1s}\n")
        XCTAssertThrowsError(try plain.checkedDay(1, path: "q.yaml")) { error in
            XCTAssertEqual((error as? RenderError)?.message, "q.yaml has no `days:` program, so --day does not apply to it")
        }
    }

    func testDayTrackNamesArePaddedToTheProgramsLength() {
        XCTAssertEqual(Routine.dayTrackName(base: "r", day: 1, of: 20, fileExtension: "wav"), "r-day01.wav")
        XCTAssertEqual(Routine.dayTrackName(base: "r", day: 7, of: 9, fileExtension: "mp3"), "r-day07.mp3")
        XCTAssertEqual(Routine.dayTrackName(base: "r", day: 42, of: 365, fileExtension: "flac"), "r-day042.flac")
    }
}
