import CadenceTestSupport
import Foundation
import XCTest

/// `cadence plan ROUTINE [--json] [--sample-rate R] [--level L]` (cli.md).
final class PlanCommandTests: XCTestCase {
    private func assertSameTimeline(
        _ actual: [String: Any], _ expected: [String: Any], _ label: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        for (key, value) in expected {
            guard let got = actual[key] else {
                XCTFail("\(label): `\(key)` is missing", file: file, line: line)
                continue
            }
            XCTAssertTrue(
                NSDictionary(dictionary: [key: got]).isEqual(to: [key: value]),
                "\(label): `\(key)` differs from the fixture", file: file, line: line)
        }
    }

    func testPlanJSONPrintsOnlyTheTimelineOfEachExample() throws {
        for name in Paths.exampleNames {
            for rate in [44_100, 48_000] {
                let result = try runCadence(["plan", "\(name).yaml", "--json", "--sample-rate", "\(rate)"])
                XCTAssertEqual(result.code, 0, result.stderr)
                XCTAssertEqual(result.stderr, "")
                // The whole of standard output is one JSON object: nothing before or after it.
                let actual = try jsonObject(result.stdout)
                assertSameTimeline(actual, try fixture(name, rate: rate), "\(name).\(rate)")
            }
        }
    }

    func testPlanDefaultsTo44100HzAndTheNormalLevel() throws {
        let result = try runCadence(["plan", "--json", "sides.yaml"])
        XCTAssertEqual(result.code, 0, result.stderr)
        assertSameTimeline(try jsonObject(result.stdout), try fixture("sides", rate: 44_100), "sides default options")
    }

    func testPlanLevelPicksFromTheRanges() throws {
        // ranges.yaml, easy: hip stretch 2 x 20 s per side + 7.25 s switch = 87.25 s; knee to chest
        // 60 s + 3 x (15 + 1.333333 + 15) s = 153.999999 s; passive stretch 90 s + 4 min = 330 s;
        // bird dog 60 s + 8 x 5 s + 7 x 0.5 s = 103.5 s; tail 5 s. Total 679.749999 s x 44100 = 29976974.96.
        let easy = try jsonObject(try runCadence(["plan", "ranges.yaml", "--json", "--level", "easy"]).stdout)
        XCTAssertEqual(easy["level"] as? String, "easy")
        XCTAssertEqual(easy["total_samples"] as? Int, 29_976_975)
        // hard: 6 x 30 + 7.25 = 187.25; 60 + 3 x (20 + 1.333333 + 20) = 183.999999; 90 + 300 = 390;
        // 60 + 8 x 10 + 3.5 = 143.5; tail 5. Total 909.749999 s x 44100 = 40119974.96.
        let hard = try jsonObject(try runCadence(["plan", "ranges.yaml", "--json", "--level", "hard"]).stdout)
        XCTAssertEqual(hard["level"] as? String, "hard")
        XCTAssertEqual(hard["total_samples"] as? Int, 40_119_975)
    }

    func testPlanPrintsOneLinePerIntervalThenTheTotal() throws {
        let result = try runCadence(["plan", "sides.yaml"])
        XCTAssertEqual(result.code, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
        let expected = try fixture("sides", rate: 44_100)
        let intervals = try XCTUnwrap(expected["intervals"] as? [[String: Any]])
        let steps = try XCTUnwrap(expected["steps"] as? [[String: Any]]).compactMap { $0["name"] as? String }

        // Interval lines start with the time as m:ss.mmm.
        let timePattern = try NSRegularExpression(pattern: #"^\s*(\d+):(\d{2})\.(\d{3})\s"#)
        var intervalLines: [(line: String, milliseconds: Int)] = []
        for line in result.stdoutLines {
            let range = NSRange(line.startIndex..., in: line)
            guard let match = timePattern.firstMatch(in: line, range: range) else { continue }
            let part = { (index: Int) in Int((line as NSString).substring(with: match.range(at: index)))! }
            intervalLines.append((line, (part(1) * 60 + part(2)) * 1_000 + part(3)))
        }
        XCTAssertEqual(intervalLines.count, intervals.count, "one line per interval:\n\(result.stdout)")

        for (index, (interval, printed)) in zip(intervals, intervalLines).enumerated() {
            // The time is the interval's start: within a millisecond of its start sample.
            let start = try XCTUnwrap(interval["start"] as? Int)
            let startMilliseconds = Double(start) * 1_000 / 44_100
            XCTAssertLessThan(abs(Double(printed.milliseconds) - startMilliseconds), 1, "line \(index): \(printed.line)")
            // The step, the side and set/rep are on the line.
            if let step = interval["step"] as? Int { XCTAssertTrue(printed.line.contains(steps[step]), printed.line) }
            if let side = interval["side"] as? String { XCTAssertTrue(printed.line.contains(side), printed.line) }
            if let set = interval["set"] as? Int, let rep = interval["rep"] as? Int {
                XCTAssertTrue(printed.line.contains("\(set)/\(rep)"), printed.line)
            }
        }
        // sides.yaml lasts 7320600 / 44100 = 166 s; the last line gives it.
        let last = try XCTUnwrap(result.stdoutLines.last)
        XCTAssertTrue(last.contains("Total"), last)
        XCTAssertTrue(last.contains("2:46.000"), last)
        XCTAssertEqual(intervalLines.first?.line.contains("0:00.000"), true)
    }

    func testPlanOfAnInvalidRoutineExitsWith65AndPrintsNothingOnStandardOutput() throws {
        let folder = try ScratchFolder(for: self).url
        try write("title: x\nsteps:\n  - name: a\n    hold: 0.01s\n", to: "short.yaml", in: folder)
        for args in [["plan", "short.yaml"], ["plan", "--json", "short.yaml"]] {
            let result = try runCadence(args, in: folder)
            XCTAssertEqual(result.code, 65)
            XCTAssertEqual(result.stdout, "")
            XCTAssertTrue(result.stderr.hasPrefix("short.yaml:4:11: error: "), result.stderr)
        }
    }

    func testPlanChecksTheDayLimitAtTheChosenLevel() throws {
        let folder = try ScratchFolder(for: self).url
        // No lead-in, tail or rests: `reps` hours, so 20 h easy, 25 h normal, 30 h hard.
        try write(
            """
            title: Hours
            defaults: {lead_in: 0, tail: 0, rest: 0}
            steps:
              - name: Hours
                hold: 1h
                reps: 20-30
            """, to: "hours.yaml", in: folder)
        let easy = try runCadence(["plan", "--json", "--level", "easy", "--sample-rate", "8000", "hours.yaml"], in: folder)
        XCTAssertEqual(easy.code, 0, easy.stderr)
        XCTAssertEqual(try jsonObject(easy.stdout)["total_samples"] as? Int, 20 * 3_600 * 8_000)
        let hard = try runCadence(["plan", "--json", "--level", "hard", "hours.yaml"], in: folder)
        XCTAssertEqual(hard.code, 65)
        XCTAssertTrue(hard.stderr.hasPrefix("hours.yaml:3:1: error: "), hard.stderr)
        XCTAssertTrue(hard.stderr.contains("24 hours"), hard.stderr)
    }

    func testPlanOfAMissingFileExitsWith66() throws {
        let result = try runCadence(["plan", "no-such-routine.yaml"])
        XCTAssertEqual(result.code, 66)
        XCTAssertEqual(result.stdout, "")
        XCTAssertTrue(result.stderr.contains("no-such-routine.yaml"), result.stderr)
    }
}
