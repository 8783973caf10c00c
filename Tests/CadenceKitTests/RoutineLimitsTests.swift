import CadenceTestSupport
import Foundation
import XCTest
import Yams
@testable import CadenceKit

/// The limits that keep a hostile routine from using unbounded memory or time (file size, steps,
/// counts, session length, intervals, YAML aliases, nesting, huge lines), each checked for its
/// answer and for the time it takes. Times are asserted generously (2 s, in a debug build, on a
/// shared machine): the point is that nothing hangs or grows with what the file asks for.
/// The same inputs are run through the built `cadence` in CadenceCLITests/RoutineLimitsCLITests.
final class RoutineLimitsTests: XCTestCase {
    static let budget: TimeInterval = 2

    /// Parses `bytes` at `level` and returns the diagnostics (empty when accepted), the error's
    /// description, and the time taken (parsing and building the description).
    private func timedParse(_ bytes: [UInt8], level: Level = .normal)
        -> (diagnostics: [Diagnostic], description: String, seconds: TimeInterval, routine: Routine?)
    {
        let started = Date()
        do {
            let routine = try RoutineLoader.parse(bytes, path: "limits.yaml", level: level)
            return ([], "", Date().timeIntervalSince(started), routine)
        } catch {
            let description = error.description
            return (error.diagnostics, description, Date().timeIntervalSince(started), nil)
        }
    }

    private func assertQuick(
        _ seconds: TimeInterval, _ what: String, limit: TimeInterval = budget,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertLessThan(seconds, limit, "\(what) took \(String(format: "%.2f", seconds)) s", file: file, line: line)
    }

    private func assertRejectedQuickly(
        _ bytes: [UInt8], at position: (Int, Int)? = nil, mentioning fragments: [String],
        level: Level = .normal, limit: TimeInterval = budget, _ what: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let result = timedParse(bytes, level: level)
        XCTAssertNil(result.routine, "\(what): accepted", file: file, line: line)
        let matching = result.diagnostics.filter { diagnostic in
            fragments.allSatisfy { diagnostic.message.contains($0) }
                && position.map { diagnostic.position == SourcePosition(line: $0.0, column: $0.1) } ?? true
        }
        XCTAssertFalse(
            matching.isEmpty,
            "\(what): expected an error mentioning \(fragments)"
                + (position.map { " at \($0.0):\($0.1)" } ?? "") + "; got:\n"
                + result.diagnostics.map { "\($0.position.line):\($0.position.column): \($0.message.prefix(300))" }.joined(separator: "\n"),
            file: file, line: line)
        XCTAssertLessThanOrEqual(result.diagnostics.count, RoutineError.maximumReported, what, file: file, line: line)
        assertQuick(result.seconds, what, limit: limit, file: file, line: line)
    }

    private func steps(_ count: Int, _ body: String = "hold: 1s") -> String {
        (1...count).map { "  - name: Step \($0)\n    \(body)\n" }.joined()
    }

    // MARK: File size: 1 MiB

    func testAFileOverOneMebibyteIsRefusedUnparsedQuickly() {
        for size in [(1 << 20) + 1, 8 << 20] {
            // Valid-looking YAML all the way, so only the size can be what is refused.
            let head = Array("title: x\nsteps:\n  - name: a\n    hold: 3s\n".utf8)
            let bytes = head + [UInt8](repeating: 0x23, count: size - head.count)  // '#' fill: one long comment
            assertRejectedQuickly(
                bytes, at: (1, 1), mentioning: ["\(size) bytes", "at most 1048576 bytes"],
                limit: 0.5, "a file of \(size) bytes")
        }
    }

    func testAFileOfExactlyOneMebibyteIsRead() {
        let routine = "title: Padded\nsteps:\n  - name: a\n    hold: 3s\n"
        var text = routine
        let line = "# " + String(repeating: "padding ", count: 12) + "\n"
        while text.utf8.count + line.utf8.count <= 1 << 20 { text += line }
        text += "#" + String(repeating: " ", count: (1 << 20) - text.utf8.count - 2) + "\n"
        XCTAssertEqual(text.utf8.count, 1 << 20)
        let result = timedParse(Array(text.utf8))
        XCTAssertNotNil(result.routine, "a valid routine of exactly 1 MiB must be accepted: \(result.description.prefix(500))")
        assertQuick(result.seconds, "a 1 MiB routine")
    }

    /// `RoutineLoader.load` reads a little over 1 MiB of any file, whatever its size, so a huge or
    /// endless input (a 64 MiB file, /dev/zero) costs no more than a small one.
    func testLoadingAHugeOrEndlessFileReadsOnlyPastTheLimit() throws {
        let folder = try ScratchFolder(for: self, "limits").url
        let sparse = folder.appendingPathComponent("huge.yaml")
        XCTAssertTrue(FileManager.default.createFile(atPath: sparse.path, contents: nil))
        let handle = try FileHandle(forWritingTo: sparse)
        try handle.truncate(atOffset: 64 << 20)
        try handle.close()
        let started = Date()
        XCTAssertThrowsError(try RoutineLoader.load(path: sparse.path)) { error in
            let error = error as? RoutineError
            XCTAssertEqual(error?.diagnostics.first?.position, SourcePosition(line: 1, column: 1))
            XCTAssertTrue(error?.diagnostics.first?.message.contains("at most 1048576 bytes") ?? false, "\(String(describing: error))")
            XCTAssertTrue(error?.diagnostics.first?.message.contains("the file is 67108864 bytes") ?? false, "\(String(describing: error))")
        }
        assertQuick(Date().timeIntervalSince(started), "loading a 64 MiB file", limit: 1)
        // A device that never ends is not read at all.
        XCTAssertThrowsError(try RoutineLoader.load(path: "/dev/zero")) { error in
            XCTAssertEqual(error as? InputError, InputError(path: "/dev/zero", reason: "is a device, not a routine file"))
        }
    }

    /// REGRESSION (was a bug, now fixed): the size message gives the number of bytes read (the limit plus
    /// up to one 64 KiB chunk: 1114112), not the file's size.
    func testTheSizeMessageGivesTheFilesRealSize() throws {
        let folder = try ScratchFolder(for: self, "limits").url
        let path = folder.appendingPathComponent("five-mib.yaml").path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(count: 5 << 20)))
        XCTAssertThrowsError(try RoutineLoader.load(path: path)) { error in
            let message = (error as? RoutineError)?.diagnostics.first?.message ?? "\(error)"
            XCTAssertTrue(message.contains("\(5 << 20) bytes"), "a 5 MiB file: \(message)")
        }
    }

    // MARK: Steps and counts

    func testFiveHundredStepsAreAcceptedAndMoreAreRefusedQuickly() {
        let accepted = timedParse(Array(("title: Many\nsteps:\n" + steps(500)).utf8))
        XCTAssertNotNil(accepted.routine, accepted.description.prefix(500).description)
        assertQuick(accepted.seconds, "500 steps")
        // Step k starts on line 3 + 2(k-1): the 501st on line 1003.
        assertRejectedQuickly(Array(("title: Many\nsteps:\n" + steps(501)).utf8), at: (1003, 5), mentioning: ["501", "500"], "501 steps")
        assertRejectedQuickly(
            Array(("title: Many\nsteps:\n" + steps(20_000)).utf8), at: (1003, 5), mentioning: ["20000", "500"],
            "20,000 steps (340 KB)")
    }

    func testCountsAreRefusedAboveTheirMaxima() {
        let cases: [(String, String)] = [
            ("hold: 1s\n    sets: 101", "`sets` must be from 1 to 100"),
            ("hold: 1s\n    reps: 1001", "`reps` must be from 1 to 1000"),
            ("breaths: 1001", "`breaths` must be from 1 to 1000"),
            ("hold: 1s\n    countdown: 11", "`countdown` must be from 0 to 10"),
            ("hold: 1s\n    reps: 999999999", "`reps` must be from 1 to 1000"),
            ("hold: 1s\n    reps: 99999999999999999999", "too large"),
            ("hold: 1s\n    sets: 1-101", "`sets` must be from 1 to 100"),
        ]
        for (body, message) in cases {
            assertRejectedQuickly(Array("title: x\nsteps:\n  - name: a\n    \(body)\n".utf8), mentioning: [message], body)
        }
        // The maxima themselves (with no rests, so the session stays within a day).
        let maxima =
            "title: x\ndefaults: {rest: 0, set_rest: 0, lead_in: 0, tail: 0}\nsteps:\n"
            + "  - {name: a, hold: 0.1s, reps: 1000, sets: 100, countdown: 10}\n"
            + "  - {name: b, breaths: 1000, inhale: 0.5s, exhale: 0.5s}\n"
        let result = timedParse(Array(maxima.utf8))
        XCTAssertNotNil(result.routine, result.description)
        assertQuick(result.seconds, "the maxima")
    }

    // MARK: Session length: 24 hours

    func testTheSessionMayLastTwentyFourHoursAndNotAMicrosecondMore() {
        // lead_in 10 s + 23 holds of 1 h + transition 10 s + 59 min 35 s + tail 5 s = 24 h.
        let day =
            "title: A long day\ndefaults:\n  rest: 0\nsteps:\n  - name: Hours\n    hold: 1h\n    reps: 23\n  - name: The rest\n    hold: 59m35s\n"
        for level in Level.allCases {
            let result = timedParse(Array(day.utf8), level: level)
            XCTAssertNotNil(result.routine, "exactly 24 h at \(level): \(result.description)")
            if let routine = result.routine {
                XCTAssertEqual(Scheduler.sessionLength(of: routine, at: level), Scheduler.maximumSessionLength)
            }
        }
        assertRejectedQuickly(
            Array(day.replacingOccurrences(of: "59m35s", with: "59m35.000001s").utf8), at: (4, 1),
            mentioning: ["24 hours"], "24 h and 1 µs")
    }

    /// The largest session the format can describe (500 steps of 100 sets of 1000 reps of 1 h, both
    /// sides) is about 11,000 years: it is added up in whole microseconds without overflow and
    /// refused without being scheduled.
    func testTheLongestDescribableSessionIsRefusedWithoutScheduling() {
        let step = "{name: s, hold: 1h, reps: 1000, sets: 100, sides: each, rest: 10m, switch: 10m, set_rest: 10m, transition: 10m}"
        let breath = "{name: b, breaths: 1000, sets: 100, sides: each, inhale: 60s, exhale: 60s, hold_in: 60s, hold_out: 60s}"
        let yaml = "title: Forever\nsteps:\n" + (0..<500).map { "  - " + ($0 % 2 == 0 ? step : breath) + "\n" }.joined()
        for level in Level.allCases {
            assertRejectedQuickly(
                Array(yaml.utf8), at: (2, 1), mentioning: ["24 hours", "level \(level.rawValue)"], level: level,
                "500 maximal steps at \(level)")
        }
    }

    // MARK: Intervals: at most 1,000,000

    /// Five steps of 100 sets of 1000 reps (0.1 s holds, 10 ms rests) plus 250 reps: 1,000,000 intervals
    /// with the tail; the routine at the cap is accepted, one more step is refused, both without scheduling.
    func testTheIntervalCapIsCheckedWithoutScheduling() {
        let head = "title: Many intervals\ndefaults: {lead_in: 0, tail: 0, rest: 10ms, set_rest: 0, transition: 0}\nsteps:\n"
        let big = "  - {name: s, hold: 0.1s, reps: 1000, sets: 100}\n"
        let atCap = head + String(repeating: big, count: 5) + "  - {name: t, hold: 0.1s, reps: 250}\n"
        let result = timedParse(Array(atCap.utf8))
        XCTAssertNotNil(result.routine, result.description)
        assertQuick(result.seconds, "parsing a routine of 1,000,000 intervals")
        if let routine = result.routine {
            let intervals = routine.steps.reduce(Int64(1)) { $0 + ResolvedStep($1, level: .normal).size.intervals }
            XCTAssertEqual(intervals, Scheduler.maximumIntervals)
        }
        assertRejectedQuickly(
            Array((atCap + "  - {name: u, hold: 0.1s}\n").utf8), at: (3, 1),
            mentioning: ["1000001 intervals", "at most 1000000"], "1,000,001 intervals")
        assertRejectedQuickly(
            Array((head + String(repeating: big, count: 6)).utf8), at: (3, 1),
            mentioning: ["1199401 intervals"], "1,199,401 intervals")
    }

    /// Scheduling the largest allowed session is bounded: a million intervals in a few seconds and
    /// a few hundred MB (README: "a timeline of a million intervals and their cues takes a few hundred MB").
    func testASessionAtTheIntervalCapSchedules() throws {
        let head = "title: Many intervals\ndefaults: {lead_in: 0, tail: 0, rest: 10ms, set_rest: 0, transition: 0, countdown: 0}\nsteps:\n"
        let yaml =
            head + String(repeating: "  - {name: s, hold: 0.1s, reps: 1000, sets: 100}\n", count: 5)
            + "  - {name: t, hold: 0.1s, reps: 250}\n"
        let routine = try RoutineLoader.parse(Array(yaml.utf8), path: "limits.yaml")
        let started = Date()
        let timeline = Scheduler.schedule(routine, sampleRate: 8_000)
        let seconds = Date().timeIntervalSince(started)
        XCTAssertEqual(timeline.intervals.count, 999_999, "every interval but the empty tail")
        XCTAssertEqual(timeline.intervals.last?.end, timeline.totalSamples)
        print("limits: scheduling 1,000,000 intervals took \(String(format: "%.2f", seconds)) s")
        assertQuick(seconds, "scheduling 1,000,000 intervals", limit: 30)
    }

    // MARK: YAML anchors and aliases

    func testABillionLaughsAsValuesIsRefusedWellUnderASecond() {
        var lines = ["title: x", "lol0: &l0 \"lol\""]
        for level in 1...10 {
            lines.append("lol\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]")
        }
        lines += ["steps:", "  - name: *l10", "    hold: 3s"]
        assertRejectedQuickly(
            Array(lines.joined(separator: "\n").utf8), at: (2, 7), mentioning: ["anchors and aliases"],
            limit: 0.5, "ten levels of ten aliases as values")
    }

    /// REGRESSION (was a bug, now fixed): an alias used as a mapping KEY is expanded. Yams looks for
    /// duplicate keys (`Parser.checkDuplicates`) by hashing every key of every mapping, and the hash
    /// of an alias walks the whole aliased tree; `AnchorCheck` runs only after that. Seven levels of
    /// ten (10^7 leaves) take seconds here; nine take minutes and ten hours, in 400 bytes.
    func testAnAliasBombUsedAsAKeyIsRefusedQuickly() {
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...6 {
            lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]")
        }
        lines += ["? *a6", ": 1", "title: x", "steps: [{name: a, hold: 3s}]"]
        // Refused before any YAML is composed (YAMLShapeCheck), at the first anchor.
        assertRejectedQuickly(
            Array(lines.joined(separator: "\n").utf8), at: (1, 5), mentioning: ["anchors and aliases"],
            limit: 1, "an alias bomb of 10^7 leaves used as a key")
    }

    func testUndefinedAndSelfReferringAliasesAreRefused() {
        // Aliases are refused before parsing, defined or not.
        assertRejectedQuickly(
            Array("title: *nothing\nsteps: []\n".utf8), at: (1, 8), mentioning: ["anchors and aliases"], "an undefined alias")
        assertRejectedQuickly(Array("a: &a [*a]\ntitle: x\nsteps: []\n".utf8), mentioning: [], "an alias inside its own anchor")
    }

    // MARK: Nesting

    /// `[` and `{` nested past YAMLShapeCheck.maximumFlowDepth (16) are refused before parsing,
    /// at the bracket that goes one level too deep.
    func testNestingBeyondTheParsersLimitIsRefusedQuickly() {
        for (open, close) in [("[", "]"), ("{", "}"), ("{a: ", "}"), ("- [", "]")] {
            for depth in [17, 2_000, 100_000] {
                let text = "title: x\nsteps: " + String(repeating: open, count: depth) + "1" + String(repeating: close, count: depth) + "\n"
                assertRejectedQuickly(Array(text.utf8), mentioning: ["nested more than 16 deep"], "\(depth) levels of `\(open)`")
            }
        }
        // One line of 200,000 `- `: nested block sequences.
        assertRejectedQuickly(
            Array(("title: x\nsteps:\n  " + String(repeating: "- ", count: 200_000) + "x\n").utf8),
            mentioning: ["YAML syntax"], "200,000 nested `- `")
    }

    func testNestingJustUnderTheLimitIsReadQuickly() {
        let text = "title: x\nsteps: " + String(repeating: "[", count: 16) + String(repeating: "]", count: 16) + "\n"
        assertRejectedQuickly(Array(text.utf8), at: (2, 9), mentioning: ["a step must be a mapping"], "16 levels of `[`")
    }

    /// REGRESSION (was a bug, now fixed): mappings whose keys are mappings (`{{{...}}}`, legal YAML) take
    /// time quadratic in their depth: Yams hashes each mapping's keys to find duplicates, and each
    /// level hashes everything under it again. 998 levels (2 KB) take about a second in a debug
    /// build; a 1 MiB file of them takes over 90 s even in a release build.
    func testDeeplyNestedMappingKeysTakeLinearTime() {
        let block = String(repeating: "{", count: 998) + String(repeating: "}", count: 998)
        let text = "title: x\nsteps:\n" + String(repeating: "  - \(block)\n", count: 6)
        // Refused before parsing at the 17th `{` of the first block: line 3, column 5 + 16.
        assertRejectedQuickly(
            Array(text.utf8), at: (3, 21), mentioning: ["nested more than 16 deep"],
            "six blocks of 998 nested mapping keys (12 KB)")
    }

    // MARK: Huge lines and many errors

    func testASingleOneMebibyteLineIsHandledQuickly() {
        let filler = String(repeating: "a", count: (1 << 20) - 64)
        assertRejectedQuickly(
            Array("title: \(filler)\nsteps: [{name: a, hold: 3s}]\n".utf8), at: (1, 8),
            mentioning: ["at most 200"], "a title of 1 MiB")
        // YAML allows implicit keys of at most 1024 characters.
        assertRejectedQuickly(
            Array("title: x\n\(filler): 1\nsteps: [{name: a, hold: 3s}]\n".utf8),
            mentioning: ["YAML syntax: could not find expected ':'"], "a key of 1 MiB")
        assertRejectedQuickly(
            Array("title: x\nsteps: [{name: a, hold: \"\(filler)\"}]\n".utf8), at: (2, 25),
            mentioning: ["`hold`"], "a quoted value of 1 MiB")
        let comment = timedParse(Array("# \(filler)\ntitle: x\nsteps: [{name: a, hold: 3s}]\n".utf8))
        XCTAssertNotNil(comment.routine, "a comment of 1 MiB")
        assertQuick(comment.seconds, "a comment line of 1 MiB")
        let flow = "title: x\nsteps: [" + String(repeating: "{name: a, hold: 1s}, ", count: 20_000) + "{name: b, hold: 1s}]\n"
        assertRejectedQuickly(Array(flow.utf8), mentioning: ["too many steps"], "20,001 steps on one line (400 KB)")
    }

    /// REGRESSION (was a bug, now fixed): each report shows its source line in full, so twenty errors on one
    /// huge line print it twenty times: a 1 MiB file of NUL bytes gives a 63 MB report (and takes
    /// seconds to build). The report should cut the line around the caret.
    func testTwentyErrorsOnAHugeLineGiveASmallReportQuickly() {
        let result = timedParse([UInt8](repeating: 0, count: (1 << 20) - 1))
        XCTAssertEqual(result.diagnostics.count, 20)
        XCTAssertLessThan(result.description.utf8.count, 64 << 10, "the report of 20 errors is \(result.description.utf8.count) bytes")
        assertQuick(result.seconds, "a 1 MiB file of NUL bytes")
    }

    /// REGRESSION (was a bug, now fixed): the routine parser keeps every problem it finds in a mapping, each
    /// checked against all the others before it is added (`RoutineParser.report`): a mapping of n
    /// unknown keys costs n² comparisons (20,000 keys: 20 s in a debug build; a 1 MiB file of them,
    /// minutes), though only the first 20 are ever reported.
    func testManyUnknownKeysAreNotCollectedPastTheReportLimit() throws {
        let yaml = "title: x\n" + (0..<2_000).map { "k\($0): 1\n" }.joined() + "steps: [{name: a, hold: 3s}]\n"
        let root = try Yams.Parser(yaml: yaml).singleRoot()
        var parser = RoutineParser()
        _ = parser.parse(root)
        XCTAssertLessThanOrEqual(
            parser.diagnostics.count, 10 * RoutineError.maximumReported,
            "problems collected for 2,000 unknown keys, of which 20 are reported")
        assertRejectedQuickly(Array(yaml.utf8), at: (2, 1), mentioning: ["unknown key `k0`"], "2,000 unknown keys")
    }

    func testTwentyErrorsAtMostAreReportedWhateverTheFileHolds() {
        let many = "title: x\nsteps:\n" + (0..<400).map { "  - name: s\($0)\n    hold: 0s\n" }.joined()
        let result = timedParse(Array(many.utf8))
        XCTAssertEqual(result.diagnostics.count, 20)
        XCTAssertEqual(result.diagnostics.first?.position, SourcePosition(line: 4, column: 11))
        assertQuick(result.seconds, "400 steps with an error each")
    }
}
