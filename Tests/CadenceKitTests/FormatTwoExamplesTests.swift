import Foundation
import XCTest
@testable import CadenceKit

/// The format 2 worked examples of the reference (`docs/examples/NAME.yaml` with
/// `NAME.R.timeline.json`, as `cadence plan NAME.yaml --json --sample-rate R` prints them) are a
/// contract like the version 1 ones: the timeline must be the same, byte for byte.
final class FormatTwoExamplesTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/examples")
    static let names = ["tempo", "breath-patterns", "program"]
    static let rates = [44_100, 48_000]

    private func text(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: Self.folder.appendingPathComponent(name)), as: UTF8.self)
    }

    private func timeline(_ name: String, rate: Int, level: Level = .normal, day: Int = 1) throws -> Timeline {
        let routine = try RoutineLoader.parse(Array(try text("\(name).yaml").utf8), path: "\(name).yaml", level: level)
        return Scheduler.schedule(routine, sampleRate: rate, level: level, day: day)
    }

    func testEveryExampleIsItsTimelineByteForByteAtBothRates() throws {
        for name in Self.names {
            for rate in Self.rates {
                let expected = try text("\(name).\(rate).timeline.json")
                let actual = TimelineJSON.encode(try timeline(name, rate: rate))
                if actual != expected {
                    let got = actual.split(separator: "\n"), want = expected.split(separator: "\n")
                    let first = (0..<min(got.count, want.count)).first { got[$0] != want[$0] } ?? min(got.count, want.count)
                    XCTFail(
                        "\(name).\(rate): the timeline differs from the fixture at line \(first + 1):\n"
                            + "got:      \(first < got.count ? got[first] : "(end)")\nexpected: \(first < want.count ? want[first] : "(end)")"
                    )
                }
            }
        }
    }

    func testTheFixturesAreFormatTwoAndNotEmpty() throws {
        for name in Self.names {
            for rate in Self.rates {
                let object = try XCTUnwrap(
                    try JSONSerialization.jsonObject(with: Data(try text("\(name).\(rate).timeline.json").utf8)) as? [String: Any])
                XCTAssertEqual(object["format"] as? String, "cadence-timeline/2", "\(name).\(rate)")
                XCTAssertEqual(object["sample_rate"] as? Int, rate)
                XCTAssertGreaterThan((object["intervals"] as? [Any])?.count ?? 0, 20, "\(name).\(rate)")
                XCTAssertGreaterThan((object["cues"] as? [Any])?.count ?? 0, 20, "\(name).\(rate)")
            }
        }
    }

    /// Values of the examples worked out by hand from the rules of timeline.md.
    func testHandWorkedValuesOfTheTempoExample() throws {
        let t = try timeline("tempo", rate: 48_000)
        // Lead-in 2 s; a rep is pull 2 s + lower 1.5 s: the first rep's phases at 2, 4 and 5.5 s.
        XCTAssertEqual(
            rows(Array(t.intervals[1...3])),
            [
                "move 96000..<192000 s0 left 1/1", "move 192000..<264000 s0 left 1/1", "move 264000..<360000 s0 left 1/2",
            ])
        XCTAssertEqual(t.intervals[1].phase, "Pull")
        XCTAssertEqual(t.intervals[2].phase, "Lower")
        // The first phase of each rep starts with go, the later ones with a phase cue carrying the label.
        XCTAssertEqual(
            rows(cues(t, .go, .phase).filter { $0.step == 0 }),
            [
                "go 96000 s0 left", "phase 192000 s0 left 'Lower'", "go 264000 s0 left", "phase 360000 s0 left 'Lower'",
                "go 528000 s0 right", "phase 624000 s0 right 'Lower'", "go 696000 s0 right", "phase 792000 s0 right 'Lower'",
            ])
        // Step 1 starts at 18 s (2 + 7 + 2 + 7), after its 3 s transition: breathe in 2 s from 21 s, then out
        // 2 s, the 5 s hold (4-6 s at normal) from 25 s with its countdown pip at 29 s and halfway at 27.5 s.
        let back = t.intervals.filter { $0.step == 1 && $0.set == 1 && $0.rep == 1 }
        XCTAssertEqual(
            rows(back),
            [
                "inhale 1008000..<1104000 s1 - 1/1", "exhale 1104000..<1200000 s1 - 1/1",
                "hold 1200000..<1440000 s1 - 1/1", "inhale 1440000..<1536000 s1 - 1/1",
            ])
        XCTAssertEqual(back.map { $0.phase ?? "" }, ["Breathe in", "Breathe out and sit back", "Hold", "Breathe in and come up"])
        let heard = rows(t.cues.filter { $0.step == 1 && (1_008_000..<1_536_000).contains($0.sample) })
        XCTAssertEqual(
            heard,
            [
                "go 1008000 s1 -", "inhale 1008000 s1 - len=96000", "exhale 1104000 s1 - len=96000",
                "phase 1200000 s1 - 'Hold'", "halfway 1320000 s1 -", "countdown 1392000 s1 k=1",
                "inhale 1440000 s1 - len=96000",
            ])
        // Knee rolls: 3 in all, left first: left 1, right 1, left 2, a switch before each but the first.
        XCTAssertEqual(
            t.intervals.filter { $0.step == 2 && $0.kind == .move }.map { "\($0.side!.rawValue) \($0.rep!)" },
            ["left 1", "right 1", "left 2"])
        // Hip flexor: right first for 4 s, then left for 3 s.
        XCTAssertEqual(
            t.intervals.filter { $0.step == 3 && $0.kind == .hold }.map { "\($0.side!.rawValue) \($0.length)" },
            ["right 192000", "left 144000"])
        XCTAssertEqual(
            t.steps[1].instructions, "From all fours, sit back toward your heels on the out-breath and come up on the in-breath.")
        XCTAssertEqual(t.totalSamples, 71 * 48_000)
    }

    func testHandWorkedValuesOfTheProgramExample() throws {
        // Day 1 at normal: the pause (3 s, no lead-in before it), the piriformis stretch (2 s transition,
        // 2 s each side, 1 s switch), two rounds of the bridge (2 reps of 4 s; the second round's
        // transition is the 4 s round rest), the walk (2 s transition, 7 s), the tail.
        let day1 = try timeline("program", rate: 44_100)
        XCTAssertEqual(day1.day, 1)
        XCTAssertEqual(day1.days, 5)
        XCTAssertEqual(day1.steps.map(\.name), ["Lie down on your back", "Piriformis stretch", "Bridge", "Bridge", "Walk and shake out"])
        XCTAssertEqual(day1.steps.map { $0.circuit?.round ?? 0 }, [0, 0, 1, 2, 0])
        XCTAssertEqual(day1.totalTime, (3 + 7 + 10 + 12 + 9 + 1) * 1_000_000)
        XCTAssertEqual(
            rows(cues(day1, .announce)),
            [
                "announce 0 s0 'Lie down on your back'", "announce 149940 s1 'Piriformis stretch'",
                "announce 458640 s2 'Round 1 of 2. Bridge'", "announce 899640 s3 'Round 2 of 2. Bridge'",
                "announce 1428840 s4 'Walk and shake out'",
            ])
        // Own pace: go at its start (34 s), a pulse every 2 s (36 s, 38 s) until the countdown pip a
        // second before its end (40 s), which takes the place of the pulse that would fall there.
        XCTAssertEqual(
            rows(day1.cues.filter { $0.step == 4 && (1_499_400..<1_808_100).contains($0.sample) }),
            [
                "go 1499400 s4 -", "pulse 1587600 s4", "pulse 1675800 s4", "countdown 1764000 s4 k=1",
            ])
        XCTAssertTrue(day1.steps[4].selfPaced)
        // Day 3 of 5: the hold goes 2 s -> 6 s, so 4 s; the reps 2 -> 4, so 3.
        let day3 = try timeline("program", rate: 44_100, day: 3)
        XCTAssertEqual(day3.intervals.filter { $0.step == 1 && $0.kind == .hold }.map(\.duration), [4_000_000, 4_000_000])
        XCTAssertEqual(Set(day3.intervals.filter { $0.step == 2 }.compactMap(\.rep)), [1, 2, 3])
        // Hard adds the plank to each round; easy does the half bridge.
        XCTAssertEqual(
            try timeline("program", rate: 44_100, level: .hard).steps.map(\.name),
            ["Lie down on your back", "Piriformis stretch", "Bridge", "Plank", "Bridge", "Plank", "Walk and shake out"])
        XCTAssertEqual(try timeline("program", rate: 44_100, level: .easy).steps[2].name, "Half bridge")
    }
}
