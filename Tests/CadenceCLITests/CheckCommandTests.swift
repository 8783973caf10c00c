import CadenceTestSupport
import Foundation
import XCTest

/// `cadence check ROUTINE ...` (cli.md): `OK  FILE  TITLE  (M:SS, N steps)` for each good routine,
/// `FILE:LINE:COLUMN: error: ...` with the source line and a caret for each bad one.
final class CheckCommandTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try ScratchFolder(for: self).url
        try write(
            """
            title: Broken
            steps:
              - name: Child's pose
                hold: 30x
                reps: 0
            """, to: "broken.yaml", in: folder)
        try write(
            "title: Short\ndefaults: {lead_in: 0, tail: 0}\nsteps:\n  - name: One\n    hold: 90s\n",
            to: "short.yaml", in: folder)
        try write("title: Pair\nsteps:\n  - name: A\n    hold: 1s\n  - name: B\n    hold: 1s\n", to: "pair.yaml", in: folder)
    }

    func testCheckPrintsOKWithTheTitleLengthAndStepCount() throws {
        // Lengths from the fixtures: basic 11245500, breathing 11774700 and sides 7320600 samples at 44100 Hz,
        // that is 255 s, 267 s and 166 s.
        let result = try runCadence(["check", "basic.yaml", "breathing.yaml", "sides.yaml"])
        XCTAssertEqual(result.code, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
        XCTAssertEqual(
            result.stdoutLines,
            [
                "OK  basic.yaml  Daily lower-back stretch  (4:15, 4 steps)",
                "OK  breathing.yaml  Box breathing and bridges  (4:27, 4 steps)",
                "OK  sides.yaml  Sides, sets and switches  (2:46, 4 steps)",
            ])
    }

    func testTheLengthCountsLeadInTransitionsAndTail() throws {
        // pair.yaml: 10 s lead-in + 1 s + 10 s transition + 1 s + 5 s tail = 27 s.
        let result = try runCadence(["check", "short.yaml", "pair.yaml"], in: folder)
        XCTAssertEqual(result.code, 0, result.stderr)
        XCTAssertEqual(result.stdoutLines.last, "OK  pair.yaml  Pair  (0:27, 2 steps)")
        XCTAssertTrue(result.stdoutLines.first?.hasPrefix("OK  short.yaml  Short  (1:30, ") ?? false, result.stdout)
    }

    func testTheFileIsNamedAsGiven() throws {
        let result = try runCadence(["check", Paths.example("sides.yaml").path], in: folder)
        XCTAssertEqual(result.code, 0, result.stderr)
        XCTAssertEqual(result.stdoutLines, ["OK  \(Paths.example("sides.yaml").path)  Sides, sets and switches  (2:46, 4 steps)"])
    }

    func testABrokenRoutineExitsWith65AndShowsEachErrorWithItsLineAndACaret() throws {
        let result = try runCadence(["check", "broken.yaml"], in: folder)
        XCTAssertEqual(result.code, 65)
        XCTAssertEqual(result.stdout, "", "no OK line for a bad routine")
        let lines = result.stderrLines
        XCTAssertEqual(lines.count, 6, result.stderr)
        guard lines.count == 6 else { return }
        XCTAssertTrue(lines[0].hasPrefix("broken.yaml:4:11: error: "), lines[0])
        XCTAssertTrue(lines[0].contains("30x"), lines[0])
        XCTAssertEqual(lines[1], "    hold: 30x")
        XCTAssertEqual(lines[2], "          ^")
        XCTAssertTrue(lines[3].hasPrefix("broken.yaml:5:11: error: "), lines[3])
        XCTAssertTrue(lines[3].contains("`reps`"), lines[3])
        XCTAssertEqual(lines[4], "    reps: 0")
        XCTAssertEqual(lines[5], "          ^")
    }

    func testWithSeveralFilesEachIsReportedAndTheExitCodeIsTheFirstFailures() throws {
        let mixed = try runCadence(["check", "pair.yaml", "broken.yaml", "missing.yaml", "short.yaml"], in: folder)
        XCTAssertEqual(mixed.code, 65, "broken.yaml fails first")
        XCTAssertEqual(mixed.stdoutLines.count, 2, mixed.stdout)
        XCTAssertTrue(mixed.stdoutLines.first?.hasPrefix("OK  pair.yaml  ") ?? false, mixed.stdout)
        XCTAssertTrue(mixed.stdoutLines.last?.hasPrefix("OK  short.yaml  ") ?? false, mixed.stdout)
        XCTAssertTrue(mixed.stderr.contains("broken.yaml:4:11: error: "), mixed.stderr)
        XCTAssertTrue(mixed.stderr.contains("missing.yaml"), mixed.stderr)

        let missingFirst = try runCadence(["check", "missing.yaml", "broken.yaml", "pair.yaml"], in: folder)
        XCTAssertEqual(missingFirst.code, 66, "missing.yaml fails first")
        XCTAssertEqual(missingFirst.stdoutLines.count, 1)
        XCTAssertTrue(missingFirst.stderr.contains("broken.yaml:4:11: error: "), missingFirst.stderr)
    }

    func testAMissingFileExitsWith66() throws {
        let result = try runCadence(["check", "missing.yaml"], in: folder)
        XCTAssertEqual(result.code, 66)
        XCTAssertEqual(result.stdout, "")
        XCTAssertTrue(result.stderr.hasPrefix("missing.yaml"), result.stderr)
    }

    func testAFolderStandsForTheRoutinesInIt() throws {
        let result = try runCadence(["check", "."], in: folder)
        XCTAssertEqual(result.code, 65, "the first failure is broken.yaml's")
        XCTAssertEqual(result.stdoutLines, ["OK  pair.yaml  Pair  (0:27, 2 steps)", "OK  short.yaml  Short  (1:30, 1 step)"])
        XCTAssertTrue(result.stderr.hasPrefix("broken.yaml:4:11: error:"), result.stderr)

        let empty = folder.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: false)
        let none = try runCadence(["check", "empty"], in: folder)
        XCTAssertEqual(none.code, 66)
        XCTAssertEqual(none.stdout, "")
        XCTAssertEqual(none.stderr, "empty: error: the folder has no .yaml or .yml routines\n")
    }

    func testAPipeOrADeviceNamedLikeARoutineIsRefusedAtOnce() throws {
        XCTAssertEqual(mkfifo(folder.appendingPathComponent("pipe.yaml").path, 0o600), 0)
        let started = Date()
        let pipe = try runCadence(["check", "pipe.yaml"], in: folder)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "check must not wait for a writer on the pipe")
        XCTAssertEqual(pipe.code, 66)
        XCTAssertEqual(pipe.stderr, "pipe.yaml: error: is a named pipe (FIFO), not a routine file\n")
        let device = try runCadence(["check", "/dev/zero"], in: folder)
        XCTAssertEqual(device.code, 66)
        XCTAssertEqual(device.stderr, "/dev/zero: error: is a device, not a routine file\n")
    }

    func testEveryShippedRoutinePasses() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Paths.routines.path)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
            .sorted()
        XCTAssertFalse(files.isEmpty, "Routines/ holds the shipped routines")
        let result = try runCadence(["check"] + files, in: Paths.routines)
        XCTAssertEqual(result.code, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
        XCTAssertEqual(result.stdoutLines.count, files.count, result.stdout)
        for (line, file) in zip(result.stdoutLines, files) {
            XCTAssertTrue(line.hasPrefix("OK  \(file)  "), line)
            // A routine with a program of days says which day the length is for.
            XCTAssertNotNil(line.range(of: #"  \(\d+:\d{2}, \d+ steps?(, day 1 of \d+)?\)$"#, options: .regularExpression), line)
        }
    }

    func testEveryShippedRoutineAlsoPlans() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Paths.routines.path).filter { $0.hasSuffix(".yaml") }
        for file in files {
            let result = try runCadence(["plan", "--json", file], in: Paths.routines)
            XCTAssertEqual(result.code, 0, "\(file): \(result.stderr)")
            // Every shipped routine is written in format 2, to say what its source says.
            XCTAssertEqual(try jsonObject(result.stdout)["format"] as? String, "cadence-timeline/2", file)
        }
    }
}
