import CadenceTestSupport
import Foundation
import XCTest
@testable import CadenceKit

/// How `cadence render` fails (cli.md "Exit codes" and "Output guarantees"): the right exit code,
/// a message on standard error, no partial file left behind, and an existing track at the
/// destination left byte for byte as it was.
final class RenderCommandFailureTests: XCTestCase {
    static let routine = """
        title: Failing renders
        defaults: {lead_in: 1s, transition: 1s, tail: 1s}
        steps:
          - name: Hold
            hold: 3s
          - name: Breathe
            breaths: 2
            inhale: 1s
            exhale: 1s
        """

    private var folder: URL!
    /// What is at the destination before each failing render.
    private let oldTrack = Data("an older track that must survive a failed render\n".utf8)

    override func setUpWithError() throws {
        folder = try ScratchFolder(for: self).url
        try write(Self.routine, to: "routine.yaml", in: folder)
        try oldTrack.write(to: folder.appendingPathComponent("track.wav"))
    }

    /// The folder holds what it held before the render, with `track.wav` unchanged, and no partial file.
    private func assertNothingWritten(
        besides extra: [String] = [], _ context: String,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        XCTAssertEqual(RenderCLI.partialFiles(in: folder), [], "\(context): a partial file was left behind", file: file, line: line)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(),
            (["routine.yaml", "track.wav"] + extra).sorted(), "\(context): files in the folder", file: file, line: line)
        XCTAssertEqual(
            try Data(contentsOf: folder.appendingPathComponent("track.wav")), oldTrack,
            "\(context): the existing track was changed", file: file, line: line)
    }

    private func assertFails(
        _ args: [String], code: Int32, mentioning fragment: String? = nil, besides extra: [String] = [],
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let result = try runCadence(args, in: folder, file: file, line: line)
        let command = "cadence " + args.joined(separator: " ")
        XCTAssertEqual(result.code, code, "\(command): \(result.stderr)", file: file, line: line)
        XCTAssertFalse(result.stderr.isEmpty, "\(command) must say why on standard error", file: file, line: line)
        if let fragment {
            XCTAssertTrue(result.stderr.contains(fragment), "\(command): \(result.stderr)", file: file, line: line)
        }
        try assertNothingWritten(besides: extra, command, file: file, line: line)
    }

    // MARK: 64: bad command line

    func testBadOptionsExit64AndWriteNothing() throws {
        let render = ["render", "routine.yaml", "-o", "track.wav"]
        try assertFails(render + ["--sample-rate", "7000"], code: 64, mentioning: "7000")
        try assertFails(render + ["--sample-rate", "192001"], code: 64)
        try assertFails(["render", "routine.yaml", "-o", "track.opus", "--sample-rate", "44100"], code: 64, mentioning: "44100")
        try assertFails(render + ["--format", "opus", "--sample-rate", "44100"], code: 64)
        try assertFails(["render", "routine.yaml", "-o", "track.flac", "--bit-depth", "float"], code: 64)
        try assertFails(render + ["--format", "flac", "--bit-depth", "float"], code: 64)
        try assertFails(render + ["--channels", "3"], code: 64, mentioning: "3")
        try assertFails(render + ["--channels", "0"], code: 64)
        try assertFails(render + ["--gain", "7"], code: 64, mentioning: "7")
        try assertFails(render + ["--gain", "-41"], code: 64)
        try assertFails(render + ["--bit-depth", "8"], code: 64)
        try assertFails(render + ["--format", "aiff"], code: 64)
    }

    func testTheLimitsOfTheOptionsAreAccepted() throws {
        for (args, output) in [
            (["--sample-rate", "8000", "--gain", "6", "--channels", "1"], "a.wav"),
            (["--sample-rate", "192000", "--gain=-40"], "b.wav"),
            (["--sample-rate", "8000"], "c.opus"),
            (["--bit-depth", "24", "--sample-rate", "8000"], "d.flac"),
        ] {
            let result = try runCadence(["render", "routine.yaml", "-o", output] + args, in: folder)
            XCTAssertEqual(result.code, 0, "\(args) -o \(output): \(result.stderr)")
        }
    }

    /// cli.md: `--gain DB`, -40 to +6. A negative value written as the next argument, the way
    /// the table shows it, must be taken as the option's value.
    func testANegativeGainIsTakenAsTheValueOfGain() throws {
        let result = try runCadence(["render", "routine.yaml", "-o", "quiet.wav", "--sample-rate", "8000", "--gain", "-6"], in: folder)
        XCTAssertEqual(result.code, 0, "--gain -6: \(result.stderr)")
    }

    // MARK: 65: invalid routine

    func testAnInvalidRoutineExits65WithFileLineAndColumn() throws {
        try write(
            """
            title: Broken
            steps:
              - name: Typo
                hodl: 30s
            """, to: "broken.yaml", in: folder)
        try assertFails(["render", "broken.yaml", "-o", "track.wav"], code: 65, mentioning: "broken.yaml:4:", besides: ["broken.yaml"])
        let result = try runCadence(["render", "broken.yaml", "-o", "track.wav"], in: folder)
        XCTAssertTrue(result.stderr.contains(": error: "), result.stderr)
    }

    // MARK: 66: missing or unreadable input

    func testAMissingRoutineExits66() throws {
        try assertFails(["render", "no-such-routine.yaml", "-o", "track.wav"], code: 66, mentioning: "no-such-routine.yaml")
    }

    func testAMissingSoundsFolderExits66() throws {
        try assertFails(["render", "routine.yaml", "-o", "track.wav", "--sounds", "no-such-pack"], code: 66, mentioning: "no-such-pack")
    }

    func testAnUnreadableSoundInThePackExits66() throws {
        let pack = folder.appendingPathComponent("pack")
        try FileManager.default.createDirectory(at: pack, withIntermediateDirectories: true)
        try Data("this is not audio".utf8).write(to: pack.appendingPathComponent("stop.wav"))
        try assertFails(
            ["render", "routine.yaml", "-o", "track.wav", "--sounds", "pack"], code: 66, mentioning: "stop.wav",
            besides: ["pack"])
    }

    // MARK: 73: the output cannot be created

    func testAMissingOutputFolderIsCreated() throws {
        let result = try runCadence(["render", "routine.yaml", "-o", "new/folder/track.flac", "-q"], in: folder)
        XCTAssertEqual(result.code, 0, result.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("new/folder/track.flac").path))
    }

    func testAnOutputFolderBlockedByAFileExits73() throws {
        try Data("notes".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        try assertFails(["render", "routine.yaml", "-o", "notes.txt/track.wav"], code: 73, mentioning: "notes.txt", besides: ["notes.txt"])
    }

    func testADestinationThatIsAFolderExits73() throws {
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("album.wav"), withIntermediateDirectories: true)
        try assertFails(["render", "routine.yaml", "-o", "album.wav"], code: 73, mentioning: "album.wav", besides: ["album.wav"])
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("album.wav").path), [],
            "nothing may be written inside the folder")
    }

    /// The timeline file cannot be written (a file stands where its folder would be): the command
    /// fails with 73 before rendering, and the existing track at the destination is untouched.
    func testAnUncreatableTimelineFileLeavesTheExistingTrackUntouched() throws {
        try Data("notes".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        try assertFails(
            ["render", "routine.yaml", "-o", "track.wav", "--sample-rate", "8000", "--timeline", "notes.txt/t.json"],
            code: 73, mentioning: "notes.txt", besides: ["notes.txt"])
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("t.json"), withIntermediateDirectories: false)
        try assertFails(
            ["render", "routine.yaml", "-o", "track.wav", "--sample-rate", "8000", "--timeline", "t.json"],
            code: 73, mentioning: "t.json", besides: ["notes.txt", "t.json"])
    }

    func testAnUncreatableLabelsFileLeavesTheExistingTrackUntouched() throws {
        try Data("notes".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        try assertFails(
            ["render", "routine.yaml", "-o", "track.wav", "--sample-rate", "8000", "--labels", "notes.txt/l.txt"],
            code: 73, mentioning: "notes.txt", besides: ["notes.txt"])
    }

    // MARK: 74: writing fails

    func testAWriteThatFailsPartWayExits74AndLeavesTheOldTrack() throws {
        // 200 blocks of 512 bytes (dash) is 100 KiB: far less than either track (1.7 MB of WAV, 560 KB of FLAC).
        for (format, rate, depth) in [("wav", "44100", "16"), ("flac", "192000", "24")] {
            let result = try RenderCLI.runWithFileSizeLimit(
                200,
                [
                    "render", "routine.yaml", "-o", "track.\(format)",
                    "--sample-rate", rate, "--bit-depth", depth,
                ], in: folder)
            XCTAssertEqual(result.code, 74, "\(format) past the file size limit: \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("track.\(format)"), result.stderr)
            try assertNothingWritten("\(format) past the file size limit")
        }
    }

    func testAFailedWriteToANewDestinationLeavesNothing() throws {
        let result = try RenderCLI.runWithFileSizeLimit(
            200, ["render", "routine.yaml", "-o", "new.wav", "--sample-rate", "48000"], in: folder)
        XCTAssertEqual(result.code, 74, result.stderr)
        try assertNothingWritten("new destination past the file size limit")
    }

    // MARK: 130: interrupted

    func testCtrlCMidRenderExits130AndLeavesTheOldTrack() throws {
        try write(
            """
            title: One long hold
            steps:
              - name: Hold for an hour
                hold: 1h
            """, to: "long.yaml", in: folder)
        let (result, sawPartial) = try RenderCLI.interruptedRender(
            ["render", "long.yaml", "-o", "track.wav", "--sample-rate", "192000", "-q"],
            in: folder)
        XCTAssertTrue(sawPartial, "the temporary file never appeared beside the destination")
        XCTAssertEqual(result.code, 130, result.stderr)
        XCTAssertTrue(result.stderr.contains("track.wav"), result.stderr)
        try assertNothingWritten(besides: ["long.yaml"], "interrupted render")
    }

    // MARK: Several routines

    func testWithSeveralRoutinesEachIsRenderedAndTheFirstFailureIsTheExitCode() throws {
        let out = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try write("title: Bad\nsteps:\n  - name: x\n    hold: 0s\n", to: "b-bad.yaml", in: folder)
        try write("title: Good\nsteps:\n  - name: x\n    hold: 1s\n", to: "c-good.yaml", in: folder)
        let result = try runCadence(
            ["render", "routine.yaml", "b-bad.yaml", "c-good.yaml", "--out-dir", "out", "--sample-rate", "8000"],
            in: folder)
        XCTAssertEqual(result.code, 65, result.stderr)
        // The batch also keeps its manifest of what each track was made from.
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: out.path).sorted(),
            [".cadence-manifest.json", "c-good.wav", "routine.wav"])
        XCTAssertEqual(RenderCLI.partialFiles(in: out), [])
    }
}
