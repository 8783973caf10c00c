import CadenceTestSupport
import Foundation
import XCTest

/// The command line of format 2 (commands.md): `--day` for render, plan and check, `render
/// --all-days` as a batch of one track per day kept up to date, the errors of both (exit 64), and
/// every shipped routine checked and planned at every level and on its last day.
final class FormatTwoCommandTests: XCTestCase {
    static let program = """
        format: 2
        title: Five days
        days: 5
        defaults: {lead_in: 1s, transition: 1s, tail: 1s, countdown: 0}
        steps:
          - name: Piriformis stretch
            hold: 2s
            progress: {hold: 6s}
          - name: Pulls
            tempo: pull 1s, lower 1s
            reps: 2
            rest: 0

        """
    static let plain = """
        format: 2
        title: No program
        defaults: {lead_in: 1s, tail: 1s}
        steps:
          - name: Walk
            own_pace: 3s

        """

    private var folder: URL!

    override func setUpWithError() throws {
        folder = try ScratchFolder(for: self).url
        try write(Self.program, to: "program.yaml", in: folder)
        try write(Self.plain, to: "plain.yaml", in: folder)
    }

    private func run(_ args: [String], code: Int32, file: StaticString = #filePath, line: UInt = #line) throws -> CommandResult {
        let result = try runCadence(args, in: folder, file: file, line: line)
        XCTAssertEqual(result.code, code, "cadence \(args.joined(separator: " ")):\n\(result.stderr)", file: file, line: line)
        return result
    }

    // MARK: --day

    func testPlanShowsTheDayAskedFor() throws {
        let first = try run(["plan", "program.yaml"], code: 0)
        XCTAssertEqual(first.stdoutLines.first, "Five days  (44100 Hz, level normal, day 1 of 5)")
        XCTAssertTrue(first.stdout.contains("     2.000s  Piriformis stretch  -      1/1      Hold"), first.stdout)
        let third = try run(["plan", "program.yaml", "--day", "3"], code: 0)
        XCTAssertEqual(third.stdoutLines.first, "Five days  (44100 Hz, level normal, day 3 of 5)")
        XCTAssertTrue(third.stdout.contains("     4.000s  Piriformis stretch  -      1/1      Hold"), third.stdout)
        let json = try jsonObject(try run(["plan", "program.yaml", "--json", "--day", "5", "--sample-rate", "8000"], code: 0).stdout)
        XCTAssertEqual(json["format"] as? String, "cadence-timeline/2")
        XCTAssertEqual(json["day"] as? Int, 5)
        XCTAssertEqual(json["days"] as? Int, 5)
        // 1 s lead-in, 6 s hold, 1 s transition, 4 s of pulls, 1 s tail: 13 s.
        XCTAssertEqual(json["total_samples"] as? Int, 13 * 8_000)
    }

    func testCheckChecksEveryDayAndShowsTheOneAskedFor() throws {
        XCTAssertEqual(try run(["check", "program.yaml"], code: 0).stdout, "OK  program.yaml  Five days  (0:09, 2 steps, day 1 of 5)\n")
        XCTAssertEqual(
            try run(["check", "program.yaml", "--day", "5"], code: 0).stdout, "OK  program.yaml  Five days  (0:13, 2 steps, day 5 of 5)\n")
        // A program too long on its last day only: check finds it without --day, and names the day.
        try write(
            """
            format: 2
            title: Grows too long
            days: 10
            steps:
              - name: a
                hold: 1h
                reps: 2
                progress: {reps: 30}

            """, to: "long.yaml", in: folder)
        let long = try run(["check", "long.yaml"], code: 65)
        XCTAssertTrue(long.stderr.hasPrefix("long.yaml:4:1: error: the session lasts "), long.stderr)
        XCTAssertTrue(long.stderr.contains("at level normal on day 8; the longest allowed is 24 hours"), long.stderr)
        XCTAssertEqual(try run(["check", "long.yaml", "--day", "2"], code: 0).stdoutLines.count, 1)
    }

    func testADayOutsideTheProgramOrWithoutOneIsACommandLineError() throws {
        for command in [["plan", "program.yaml"], ["check", "program.yaml"], ["render", "program.yaml", "-o", "x.wav"]] {
            let result = try run(command + ["--day", "6"], code: 64)
            XCTAssertTrue(result.stderr.contains("--day must be from 1 to 5 for program.yaml, not 6"), result.stderr)
            let none = try run([command[0], "plain.yaml"] + command.dropFirst(2) + ["--day", "1"], code: 64)
            XCTAssertTrue(none.stderr.contains("plain.yaml has no `days:` program, so --day does not apply to it"), none.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("x.wav").path), "nothing is rendered")
        // The built-in routine has no program either.
        let builtIn = try run(["render", "--day", "2", "-o", "x.wav"], code: 64)
        XCTAssertTrue(builtIn.stderr.contains("has no `days:` program"), builtIn.stderr)
        XCTAssertTrue(try run(["render", "program.yaml", "plain.yaml", "--day", "2"], code: 64).stderr.contains("--day takes one routine"))
        XCTAssertTrue(try run(["render", "program.yaml", "--day", "2", "--all-days"], code: 64).stderr.contains("not both"))
        XCTAssertTrue(try run(["render", "program.yaml", "--all-days", "-o", "x.wav"], code: 64).stderr.contains("use --out-dir"))
        XCTAssertTrue(
            try run(["render", "program.yaml", "--all-days", "--timeline", "t.json"], code: 64).stderr.contains("one routine at a time"))
    }

    func testRenderingADayGivesThatDaysTrack() throws {
        _ = try run(
            ["render", "program.yaml", "--day", "4", "-o", "day4.wav", "--sample-rate", "8000", "-q", "--timeline", "day4.json"], code: 0)
        let timeline = try jsonObject(String(decoding: try Data(contentsOf: folder.appendingPathComponent("day4.json")), as: UTF8.self))
        XCTAssertEqual(timeline["day"] as? Int, 4)
        // 1 + 5 + 1 + 4 + 1 = 12 s at 8000 Hz, stereo 16-bit: 48 bytes of header at least, 12·8000·4 of audio.
        let size = try XCTUnwrap(
            try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent("day4.wav").path)[.size] as? Int)
        XCTAssertGreaterThan(size, 12 * 8_000 * 4)
        XCTAssertLessThan(size, 12 * 8_000 * 4 + 4_096)
    }

    // MARK: --all-days

    func testAllDaysWritesOneTrackPerDayAndKeepsThemUpToDate() throws {
        let args = ["render", "program.yaml", "plain.yaml", "--all-days", "--out-dir", "tracks", "--sample-rate", "8000"]
        let first = try run(args, code: 0)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("tracks").path)
            .filter { !$0.hasPrefix(".") }.sorted()
        XCTAssertEqual(
            names,
            [
                "plain.wav", "program-day01.wav", "program-day02.wav", "program-day03.wav", "program-day04.wav",
                "program-day05.wav",
            ])
        XCTAssertEqual(first.stderrLines.last, "rendered 6, up to date 0, failed 0", first.stderr)
        // Each day is its own track: the days differ from each other.
        let day1 = try Data(contentsOf: folder.appendingPathComponent("tracks/program-day01.wav"))
        let day5 = try Data(contentsOf: folder.appendingPathComponent("tracks/program-day05.wav"))
        XCTAssertNotEqual(day1, day5)
        // The same track as rendering that day alone.
        _ = try run(["render", "program.yaml", "--day", "5", "-o", "alone.wav", "--sample-rate", "8000", "-q"], code: 0)
        XCTAssertEqual(day5, try Data(contentsOf: folder.appendingPathComponent("alone.wav")))
        // Again: every track up to date.
        XCTAssertEqual(try run(args, code: 0).stderrLines.last, "rendered 0, up to date 6, failed 0")
        // A changed day-3 track is rendered again, and only it.
        try Data("not a track".utf8).write(to: folder.appendingPathComponent("tracks/program-day03.wav"))
        let third = try run(args, code: 0)
        XCTAssertEqual(third.stderrLines.last, "rendered 1, up to date 5, failed 0", third.stderr)
        XCTAssertTrue(third.stderr.contains("rendered    program.yaml -> tracks/program-day03.wav"), third.stderr)
        // Editing the program renders every day again; the routine without days is still up to date.
        try write(Self.program.replacingOccurrences(of: "hold: 2s", with: "hold: 3s"), to: "program.yaml", in: folder)
        XCTAssertEqual(try run(args, code: 0).stderrLines.last, "rendered 5, up to date 1, failed 0")
    }

    func testAllDaysPadsTheDayToTheProgramsLengthAndTakesFolders() throws {
        let routines = folder.appendingPathComponent("routines")
        try FileManager.default.createDirectory(at: routines, withIntermediateDirectories: true)
        try write(Self.program.replacingOccurrences(of: "days: 5", with: "days: 12"), to: "long-program.yaml", in: routines)
        let result = try run(["render", "routines", "--all-days", "--out-dir", "tracks", "--sample-rate", "8000", "-q"], code: 0)
        XCTAssertEqual(result.stderr, "")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("tracks").path)
            .filter { !$0.hasPrefix(".") }.sorted()
        XCTAssertEqual(names, (1...12).map { "long-program-day" + ($0 < 10 ? "0" : "") + "\($0).wav" })
    }

    func testAllDaysWithABrokenRoutineReportsItAndRendersTheRest() throws {
        try write("format: 2\ntitle: Broken\ndays: 3\nsteps:\n  - name: a\n    tempo: pull 2s, lower\n", to: "broken.yaml", in: folder)
        let result = try run(
            ["render", "broken.yaml", "program.yaml", "--all-days", "--out-dir", "tracks", "--sample-rate", "8000"], code: 65)
        XCTAssertTrue(result.stderr.contains("broken.yaml:6:21: error: `tempo`: the phase 'lower' has no time"), result.stderr)
        XCTAssertEqual(result.stderrLines.last, "rendered 5, up to date 0, failed 1")
    }

    // MARK: Shipped routines

    func testEveryShippedRoutineChecksAndPlansAtEveryLevelAndOnEveryDay() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Paths.routines.path).filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertEqual(files.count, 5)
        for level in ["easy", "normal", "hard"] {
            let check = try runCadence(["check", "--level", level] + files, in: Paths.routines)
            XCTAssertEqual(check.code, 0, "level \(level): \(check.stderr)")
            XCTAssertEqual(check.stdoutLines.count, files.count)
            for file in files {
                let plan = try runCadence(["plan", file, "--level", level, "--json"], in: Paths.routines)
                XCTAssertEqual(plan.code, 0, "\(file) at \(level): \(plan.stderr)")
                let timeline = try jsonObject(plan.stdout)
                XCTAssertEqual(timeline["format"] as? String, "cadence-timeline/2", file)
                if let days = timeline["days"] as? Int {
                    let last = try runCadence(["plan", file, "--level", level, "--day", "\(days)"], in: Paths.routines)
                    XCTAssertEqual(last.code, 0, "\(file) at \(level) on day \(days): \(last.stderr)")
                    XCTAssertTrue(last.stdoutLines.first?.hasSuffix("day \(days) of \(days))") ?? false, last.stdout)
                }
            }
        }
    }

    func testTheLumbarProgramGrowsThePiriformisHoldAsItsSourceSays() throws {
        func piriformis(_ day: Int) throws -> String? {
            let plan = try runCadence(["plan", "lumbar-stretch-sequence.yaml", "--day", "\(day)"], in: Paths.routines)
            XCTAssertEqual(plan.code, 0, plan.stderr)
            return plan.stdoutLines.first { $0.contains("Piriformis stretch") && $0.hasSuffix("Hold") }
        }
        XCTAssertTrue(try piriformis(1)?.contains("     5.000s  Piriformis stretch") ?? false)
        XCTAssertTrue(try piriformis(10)?.contains("    17.000s  Piriformis stretch") ?? false)
        XCTAssertTrue(try piriformis(20)?.contains("    30.000s  Piriformis stretch") ?? false)
    }
}
