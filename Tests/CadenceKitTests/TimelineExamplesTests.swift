import Foundation
import XCTest
@testable import CadenceKit

/// The worked examples of the spec (`examples/NAME.yaml` with `NAME.R.timeline.json`) are the
/// contract: the timeline JSON must match them exactly, interval by interval and cue by cue.
final class TimelineExamplesTests: XCTestCase {
    private func encodedTimeline(_ name: String, rate: Int) throws -> String {
        let routine = try RoutineLoader.parse(try Fixtures.bytes("\(name).yaml"), path: "\(name).yaml", level: .normal)
        return TimelineJSON.encode(Scheduler.schedule(routine, sampleRate: rate, level: .normal))
    }

    private func jsonObject(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try XCTUnwrap(object as? [String: Any], "the timeline must be one JSON object", file: file, line: line)
    }

    private func assertList(
        _ key: String, of actual: [String: Any], equals expected: [String: Any], in label: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        guard let want = expected[key] as? [[String: Any]] else {
            return XCTFail("\(label): the fixture has no list `\(key)`", file: file, line: line)
        }
        guard let got = actual[key] as? [[String: Any]] else {
            return XCTFail("\(label): the timeline has no list `\(key)`", file: file, line: line)
        }
        XCTAssertEqual(got.count, want.count, "\(label): number of \(key)", file: file, line: line)
        // Report the first few differences with their index, so a failure says where the timelines part.
        var differences = 0
        for index in 0..<min(got.count, want.count) where !NSDictionary(dictionary: got[index]).isEqual(to: want[index]) {
            differences += 1
            if differences <= 5 {
                XCTFail("\(label): \(key)[\(index)] is \(got[index]), expected \(want[index])", file: file, line: line)
            }
        }
    }

    func testEveryExampleMatchesItsTimelineAtBothRates() throws {
        for name in Fixtures.exampleNames {
            for rate in Fixtures.exampleRates {
                let label = "\(name).\(rate)"
                let expected = try jsonObject(String(decoding: try Fixtures.bytes("\(label).timeline.json"), as: UTF8.self))
                let actual = try jsonObject(try encodedTimeline(name, rate: rate))

                // Every key of the fixture, with the same value (the timeline may add keys, timeline.md says).
                for key in ["format", "title", "sample_rate", "level", "total_samples"] {
                    XCTAssertNotNil(expected[key], "\(label): fixture lacks \(key)")
                    let same = actual[key].map { NSDictionary(dictionary: [key: $0]).isEqual(to: [key: expected[key] as Any]) }
                    XCTAssertEqual(same, true, "\(label): \(key) is \(actual[key] ?? "missing"), expected \(expected[key] ?? "-")")
                }
                XCTAssertEqual(Set(expected.keys).subtracting(actual.keys), [], "\(label): keys missing from the timeline")
                assertList("steps", of: actual, equals: expected, in: label)
                assertList("intervals", of: actual, equals: expected, in: label)
                assertList("cues", of: actual, equals: expected, in: label)
            }
        }
    }

    func testTheFixturesThemselvesAreWhatTheTestsExpect() throws {
        // Guards the test above against an empty or truncated copy of the fixtures.
        for name in Fixtures.exampleNames {
            for rate in Fixtures.exampleRates {
                let fixture = try jsonObject(String(decoding: try Fixtures.bytes("\(name).\(rate).timeline.json"), as: UTF8.self))
                XCTAssertEqual(fixture["sample_rate"] as? Int, rate)
                XCTAssertEqual(fixture["format"] as? String, "cadence-timeline/1")
                XCTAssertGreaterThan((fixture["intervals"] as? [Any])?.count ?? 0, 30, "\(name).\(rate)")
                XCTAssertGreaterThan((fixture["cues"] as? [Any])?.count ?? 0, 30, "\(name).\(rate)")
            }
        }
    }

    func testEncodingIsByteIdenticalAcrossRuns() throws {
        for name in Fixtures.exampleNames {
            for rate in Fixtures.exampleRates {
                // Two independent parses and schedules, not one value encoded twice.
                let first = try encodedTimeline(name, rate: rate)
                let second = try encodedTimeline(name, rate: rate)
                XCTAssertEqual(Array(first.utf8), Array(second.utf8), "\(name).\(rate)")
            }
        }
    }

    func testBasicSessionLengthMatchesAHandCount() throws {
        // basic.yaml at normal: lead-in 10 s (default) + cat-cow 5 x (3 s + 3 s) = 40 s;
        // child's pose 8 s + 30 s = 38 s; hamstring 8 s + per side (10 x 2 s holds + 9 x 2 s rests = 38 s)
        // x 2 + 5 s switch = 89 s; side bend 8 s + 4 holds x 15 s + 3 switches x 5 s = 83 s; tail 5 s.
        // 40 + 38 + 89 + 83 + 5 = 255 s, so 255 x 44100 = 11245500 samples (the figure quoted in timeline.md).
        let object = try jsonObject(try encodedTimeline("basic", rate: 44_100))
        XCTAssertEqual(object["total_samples"] as? Int, 11_245_500)
        XCTAssertEqual(object["level"] as? String, "normal")
    }

    func testTextWithQuotesBackslashesAndUnicodeSurvivesTheJSON() throws {
        // YAML single quotes keep the backslash and double quotes as written; "\n" in double quotes is a newline.
        let yaml = #"""
            title: 'He said "breathe" \ slowly <now> & café ✓'
            about: "Line one\nLine two"
            steps:
              - name: '"Quoted" name'
                hold: 1s
            """#
        let object = try jsonObject(TimelineJSON.encode(try schedule(yaml, rate: 8_000)))
        XCTAssertEqual(object["title"] as? String, #"He said "breathe" \ slowly <now> & café ✓"#)
        let steps = try XCTUnwrap(object["steps"] as? [[String: Any]])
        XCTAssertEqual(steps.first?["name"] as? String, #""Quoted" name"#)
        let cues = try XCTUnwrap(object["cues"] as? [[String: Any]])
        let announce = try XCTUnwrap(cues.first { $0["type"] as? String == "announce" })
        XCTAssertEqual(announce["text"] as? String, #""Quoted" name"#)
        // `about` is an optional extra key of the timeline; when present it must be the routine's text.
        if let about = object["about"] { XCTAssertEqual(about as? String, "Line one\nLine two") }
    }
}
