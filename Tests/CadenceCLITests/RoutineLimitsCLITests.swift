import CadenceTestSupport
import Foundation
import XCTest

/// The limits of CadenceKitTests/RoutineLimitsTests, through the built `cadence`: each hostile
/// routine ends well within a deadline (30 s, against minutes for the bugs) with exit 65 and a report of at most 20 well-formed errors
/// that fits on a screen or two, and `render` writes nothing for it. A run that does not finish
/// within the deadline is killed and reported as a hang.
final class RoutineLimitsCLITests: XCTestCase {
    /// A hang guard, not a timing: the bugs these catch took minutes (quadratic work); a correct
    /// answer takes under a second in release and up to about 6 s in a debug build on a loaded
    /// 2-core machine, so the deadline leaves room for both.
    static let deadline: TimeInterval = 30
    /// 20 reports of a message and a source line: a few KiB. More means a flood.
    static let largestReport = 64 << 10

    private var folder: URL!

    override func setUpWithError() throws {
        folder = try ScratchFolder(for: self).url
    }

    private func write(_ bytes: [UInt8], to name: String) throws {
        try Data(bytes).write(to: folder.appendingPathComponent(name))
    }

    /// Runs `cadence check name` with the deadline and checks the exit code, the time, the size and
    /// the form of the report, and (optionally) a fragment of it.
    /// `largestReport` is the bound for the test of report size; the others only check that the
    /// output stays bounded (a source line of a few hundred KB is shown whole: see testHugeLinesGiveASmallReport).
    private func assertRefused(
        _ name: String, mentioning fragment: String? = nil, largestReport: Int = 4 << 20,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let started = Date()
        let result = try ProcessRunner.run(
            try RenderCLI.cadencePath(file: file, line: line), ["check", name], in: folder,
            timeout: Self.deadline, file: file, line: line)
        let seconds = Date().timeIntervalSince(started)
        XCTAssertEqual(
            result.code, 65, "\(name): exit \(result.code) after \(String(format: "%.1f", seconds)) s: \(result.stderr.prefix(500))",
            file: file, line: line)
        XCTAssertLessThan(seconds, Self.deadline, "\(name) took \(String(format: "%.1f", seconds)) s", file: file, line: line)
        XCTAssertLessThanOrEqual(
            result.stderr.utf8.count, largestReport,
            "\(name): a report of \(result.stderr.utf8.count) bytes", file: file, line: line)
        if result.code == 65 {
            if let problem = ReportShape.check(result.stderr, path: name) {
                XCTFail("\(name): \(problem)", file: file, line: line)
            }
            if let fragment {
                XCTAssertTrue(
                    result.stderr.contains(fragment), "\(name): expected `\(fragment)` in \(result.stderr.prefix(1_000))",
                    file: file, line: line)
            }
        }
    }

    private func lines(_ text: [String]) -> [UInt8] { Array(text.joined(separator: "\n").utf8) + [0x0A] }

    // MARK: Size, steps, counts, length, intervals

    func testOversizedFilesAreRefusedQuickly() throws {
        try write([UInt8](repeating: 0x23, count: (1 << 20) + 1), to: "one-byte-over.yaml")
        try assertRefused("one-byte-over.yaml", mentioning: "at most 1048576 bytes")
        let sparse = folder.appendingPathComponent("sparse.yaml")
        XCTAssertTrue(FileManager.default.createFile(atPath: sparse.path, contents: nil))
        let handle = try FileHandle(forWritingTo: sparse)
        try handle.truncate(atOffset: 256 << 20)
        try handle.close()
        try assertRefused("sparse.yaml", mentioning: "at most 1048576 bytes")
    }

    func testStepsCountsLengthAndIntervalsAreRefused() throws {
        try write(Array(("title: Many\nsteps:\n" + (1...501).map { "  - {name: s\($0), hold: 1s}\n" }.joined()).utf8), to: "steps.yaml")
        try assertRefused("steps.yaml", mentioning: "too many steps: 501")
        try write(
            Array("title: x\nsteps:\n  - {name: a, hold: 1s, sets: 101, reps: 1001}\n  - {name: b, breaths: 1001, countdown: 11}\n".utf8),
            to: "counts.yaml")
        try assertRefused("counts.yaml", mentioning: "`sets` must be from 1 to 100")
        try write(
            Array("title: Day\ndefaults: {rest: 0}\nsteps:\n  - {name: h, hold: 1h, reps: 23}\n  - {name: r, hold: 59m35.000001s}\n".utf8),
            to: "day.yaml")
        try assertRefused("day.yaml", mentioning: "the longest allowed is 24 hours")
        let big = "  - {name: s, hold: 0.1s, reps: 1000, sets: 100}\n"
        try write(
            Array(
                ("title: x\ndefaults: {lead_in: 0, tail: 0, rest: 10ms, set_rest: 0, transition: 0}\nsteps:\n"
                    + String(repeating: big, count: 6)).utf8), to: "intervals.yaml")
        try assertRefused("intervals.yaml", mentioning: "Cadence schedules at most 1000000")
        // `plan` checks the limits before it schedules anything.
        let plan = try ProcessRunner.run(try RenderCLI.cadencePath(), ["plan", "intervals.yaml"], in: folder, timeout: Self.deadline)
        XCTAssertEqual(plan.code, 65, plan.stderr)
        XCTAssertEqual(plan.stdout, "")
    }

    // MARK: Aliases, nesting, huge lines

    func testABillionLaughsAsValuesIsRefusedQuickly() throws {
        var text = ["title: x", "lol0: &l0 \"lol\""]
        for level in 1...10 {
            text.append("lol\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]")
        }
        try write(lines(text + ["steps:", "  - name: *l10", "    hold: 3s"]), to: "laughs.yaml")
        try assertRefused("laughs.yaml", mentioning: "anchors and aliases")
    }

    /// REGRESSION (was a bug; see RoutineLimitsTests.testAnAliasBombUsedAsAKeyIsRefusedQuickly):
    /// ten levels of ten aliases, used as a key, in 600 bytes: hours of hashing.
    func testABillionLaughsAsAKeyIsRefusedQuickly() throws {
        var text = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...9 {
            text.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]")
        }
        try write(lines(text + ["? *a9", ": 1", "title: x", "steps: [{name: a, hold: 3s}]"]), to: "key-bomb.yaml")
        try assertRefused("key-bomb.yaml", mentioning: "anchors and aliases")
    }

    func testDeepNestingIsRefusedQuickly() throws {
        try write(
            Array(("title: x\nsteps: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n").utf8),
            to: "deep.yaml")
        try assertRefused("deep.yaml", mentioning: "nested more than 16 deep")
        try write(Array(("title: x\nsteps:\n  " + String(repeating: "- ", count: 100_000) + "x\n").utf8), to: "dashes.yaml")
        try assertRefused("dashes.yaml", mentioning: "YAML syntax")
    }

    /// REGRESSION (was a bug; see RoutineLimitsTests.testDeeplyNestedMappingKeysTakeLinearTime):
    /// 1 MiB of `{{{...}}}` blocks, each under the nesting limit: minutes of hashing (90 s in release).
    func testAMebibyteOfNestedMappingKeysIsRefusedQuickly() throws {
        let block = "  - " + String(repeating: "{", count: 998) + String(repeating: "}", count: 998) + "\n"
        try write(
            Array(("title: x\nsteps:\n" + String(repeating: block, count: ((1 << 20) - 64) / block.utf8.count)).utf8), to: "keys.yaml")
        try assertRefused("keys.yaml")
    }

    /// REGRESSION (was a bug; see RoutineLimitsTests.testManyUnknownKeysAreNotCollectedPastTheReportLimit):
    /// 95,000 unknown keys (0.9 MiB): quadratic, minutes in a debug build, 7 s in release.
    func testAMebibyteOfUnknownKeysIsRefusedQuickly() throws {
        try write(
            Array(("title: x\n" + (0..<95_000).map { "k\($0): 1\n" }.joined() + "steps: [{name: a, hold: 3s}]\n").utf8),
            to: "unknown-keys.yaml")
        try assertRefused("unknown-keys.yaml", mentioning: "unknown key `k0`")
    }

    /// REGRESSION (was a bug; see RoutineLimitsTests.testTwentyErrorsOnAHugeLineGiveASmallReportQuickly):
    /// every report repeats its whole source line: 20 errors on a 1 MiB line print 63 MB.
    func testHugeLinesGiveASmallReport() throws {
        try write([UInt8](repeating: 0, count: (1 << 20) - 1), to: "nul.yaml")
        try assertRefused("nul.yaml", mentioning: "the control character U+0000", largestReport: Self.largestReport)
        try write(
            Array(("title: " + String(repeating: "a", count: (1 << 20) - 64) + "\nsteps: [{name: a, hold: 3s}]\n").utf8), to: "title.yaml")
        try assertRefused("title.yaml", mentioning: "at most 200 are allowed", largestReport: Self.largestReport)
    }

    // MARK: render

    /// `render` of a hostile routine writes nothing; in a batch, the good routines are still rendered.
    func testRenderWritesNothingForAHostileRoutine() throws {
        try write(Array(("title: Many\nsteps:\n" + (1...501).map { "  - {name: s\($0), hold: 1s}\n" }.joined()).utf8), to: "steps.yaml")
        try write([UInt8](repeating: 0x23, count: (1 << 20) + 1), to: "big.yaml")
        try write(Array("title: Good\nsteps:\n  - {name: a, hold: 1s}\n".utf8), to: "good.yaml")
        for name in ["steps.yaml", "big.yaml"] {
            let result = try runCadence(["render", name, "-o", "track.wav", "--sample-rate", "8000"], in: folder)
            XCTAssertEqual(result.code, 65, "\(name): \(result.stderr.prefix(300))")
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("track.wav").path), name)
        }
        let out = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let batch = try runCadence(
            ["render", "big.yaml", "good.yaml", "steps.yaml", "--out-dir", "out", "--sample-rate", "8000"], in: folder)
        XCTAssertEqual(batch.code, 65, batch.stderr.prefix(500).description)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path).filter { !$0.hasPrefix(".") }, ["good.wav"])
        XCTAssertEqual(RenderCLI.partialFiles(in: out), [])
    }
}

/// The shape of a report of routine errors on standard error: for each error, the line
/// `PATH:LINE:COLUMN: error: MESSAGE`, the source line, and a caret line (spaces then `^`); after
/// 20 of them, one line `PATH: N more errors not shown (the first 20 are)`.
enum ReportShape {
    /// Nil when `stderr` is only such reports (at most 20) about `path`; else what is wrong.
    static func check(_ stderr: String, path: String) -> String? {
        var lines = stderr.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        guard !lines.isEmpty else { return "no report on standard error" }
        if let last = lines.last, last.hasPrefix(path + ": "), last.hasSuffix(" not shown (the first 20 are)") {
            let count = last.dropFirst(path.count + 2).prefix(while: \.isNumber)
            guard let more = Int(count), more > 0, last.contains(more == 1 ? " more error " : " more errors ") else {
                return "malformed count of errors not shown: `\(last)`"
            }
            lines.removeLast()
            guard lines.count == 60 else { return "errors not shown, but \(lines.count / 3) reports instead of 20" }
        }
        var index = 0, reports = 0
        while index < lines.count {
            let head = lines[index]
            guard head.hasPrefix(path + ":"), let rest = Optional(head.dropFirst(path.count + 1)),
                let errorRange = rest.range(of: ": error: ")
            else {
                return "report \(reports + 1): expected `\(path):LINE:COLUMN: error: MESSAGE`, found `\(head.prefix(200))`"
            }
            let numbers = rest[..<errorRange.lowerBound].split(separator: ":")
            guard numbers.count == 2, numbers.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }),
                !rest[errorRange.upperBound...].isEmpty
            else {
                return "report \(reports + 1): malformed position or empty message in `\(head.prefix(200))`"
            }
            guard index + 2 < lines.count else { return "report \(reports + 1): the source line and caret are missing" }
            let caret = lines[index + 2]
            guard caret.last == "^", caret.dropLast().allSatisfy({ $0 == " " }) else {
                return "report \(reports + 1): expected a caret line after the source line, found `\(caret.prefix(200))`"
            }
            index += 3
            reports += 1
        }
        return reports > 20 ? "\(reports) reports; at most 20 are allowed" : nil
    }
}
