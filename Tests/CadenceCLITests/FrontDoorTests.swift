import CadenceTestSupport
import Foundation
import XCTest

/// "Front door": the command-line items of the issue, against the built `cadence`. A mistyped
/// command or option is refused with a suggestion and writes nothing; success says what was
/// written; missing output folders are made; check and watch take folders and files; new,
/// format; one `error:` prefix; help texts that say what is true.
final class FrontDoorTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try ScratchFolder(for: self).url
        try write(Safety.routine("Routine"), to: "x.yaml", in: folder)
    }

    private func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    /// `cadence rendr x.yaml` rendered x.yaml (the default command took `rendr` for a routine).
    /// Now 64 with "did you mean", and nothing written: no track, no manifest.
    func testAMistypedCommandIsRefusedWithASuggestionAndWritesNothing() throws {
        let before = Faults.snapshot(folder)
        for (word, suggestion) in [("rendr", "render"), ("chek", "check"), ("plna", "plan"), ("wach", "watch"), ("fromat", "format")] {
            let result = try runCadence([word, "x.yaml"] + Safety.rate, in: folder)
            XCTAssertEqual(result.code, 64, "\(word): \(result.stderr)")
            XCTAssertEqual(result.stderrLines.first, "error: unknown command '\(word)'; did you mean '\(suggestion)'?")
            XCTAssertEqual(
                result.stderrLines.last,
                "The commands are: render, plan, check, watch, site, new, format, sounds. A routine file to render "
                    + "ends in .yaml or .yml. See 'cadence --help'.")
            XCTAssertEqual(result.stdout, "")
        }
        let unknown = try runCadence(["xyzzy"], in: folder)
        XCTAssertEqual(unknown.code, 64)
        XCTAssertEqual(unknown.stderrLines.first, "error: unknown command 'xyzzy'", "no suggestion for a word that is not close")
        Faults.assertUnchanged(folder, since: before, "mistyped commands")
        // A routine as the first word is still rendered (render is the default command).
        let routine = try runCadence(["x.yaml", "-q"] + Safety.rate, in: folder)
        XCTAssertEqual(routine.code, 0, routine.stderr)
        XCTAssertTrue(WAVFile.isWhole(try Data(contentsOf: url("x.wav"))))
    }

    /// `render R --durk 3 -o x.wav` said "-o names one track" (--durk's 3 was taken for a second
    /// routine): it names the unknown option and suggests --duck.
    func testAnUnknownOptionIsNamedWithASuggestion() throws {
        let before = Faults.snapshot(folder)
        let result = try runCadence(["render", "x.yaml", "--durk", "3", "-o", "x.wav"], in: folder)
        XCTAssertEqual(result.code, 64, result.stderr)
        XCTAssertEqual(result.stderrLines.first, "error: Unknown option '--durk'. Did you mean '--duck'?")
        XCTAssertFalse(result.stderr.contains("names one track"), result.stderr)
        Safety.assertErrorPrefixes(result, "--durk")
        Faults.assertUnchanged(folder, since: before, "an unknown option")
    }

    /// Success was silent: it says `wrote FILE  M:SS  RATE CHANNELS FORMAT`, and each side file;
    /// -q says nothing.
    func testSuccessSaysWhatWasWrittenAndQuietSaysNothing() throws {
        let cases: [([String], [String])] = [
            (["-o", "x.wav"], ["wrote x.wav  0:07  44.1 kHz stereo WAV"]),
            (
                ["-o", "x.flac", "--sample-rate", "8000", "--channels", "1", "--bit-depth", "24"],
                ["wrote x.flac  0:07  8 kHz mono 24-bit FLAC"]
            ),
            (["-o", "x.mp3", "--sample-rate", "22050"], ["wrote x.mp3  0:07  22.05 kHz stereo MP3"]),
            (["-o", "x.opus"], ["wrote x.opus  0:07  48 kHz stereo Opus"]),
            (
                ["-o", "y.wav", "--bit-depth", "float", "--sample-rate", "8000", "--timeline", "y.json", "--labels", "y.txt"],
                ["wrote y.wav  0:07  8 kHz stereo 32-bit float WAV", "wrote y.json", "wrote y.txt"]
            ),
        ]
        for (options, lines) in cases {
            let result = try runCadence(["render", "x.yaml"] + options, in: folder)
            XCTAssertEqual(result.code, 0, result.stderr)
            XCTAssertEqual(result.stderrLines, lines, "\(options)")
            XCTAssertEqual(result.stdout, "")
        }
        let quiet = try runCadence(["render", "x.yaml", "-o", "q.wav", "--timeline", "q.json", "-q"] + Safety.rate, in: folder)
        XCTAssertEqual(quiet.code, 0)
        XCTAssertEqual(quiet.stderr + quiet.stdout, "", "-q prints nothing")
        XCTAssertTrue(FileManager.default.fileExists(atPath: url("q.json").path))
    }

    /// Missing output folders were not created: -o, side files and --out-dir (one routine and a batch) make them.
    func testMissingOutputFoldersAreCreated() throws {
        let one = try runCadence(
            ["render", "x.yaml", "-o", "out/deep/x.flac", "--timeline", "side/t.json", "-q"] + Safety.rate, in: folder)
        XCTAssertEqual(one.code, 0, one.stderr)
        XCTAssertEqual(Safety.names(in: url("out/deep")), ["x.flac"])
        XCTAssertEqual(Safety.names(in: url("side")), ["t.json"])
        let single = try runCadence(["render", "x.yaml", "--out-dir", "new/dir", "-q"] + Safety.rate, in: folder)
        XCTAssertEqual(single.code, 0, single.stderr)
        XCTAssertEqual(Safety.names(in: url("new/dir")), ["x.wav"], "one routine makes no manifest")
        try FileManager.default.createDirectory(at: url("routines"), withIntermediateDirectories: true)
        try write(Safety.routine("A"), to: "a.yaml", in: url("routines"))
        try write(Safety.routine("B"), to: "b.yaml", in: url("routines"))
        let batch = try runCadence(["render", "routines", "--out-dir", "batch/dir", "-q"] + Safety.rate, in: folder)
        XCTAssertEqual(batch.code, 0, batch.stderr)
        XCTAssertEqual(Safety.names(in: url("batch/dir")), [BatchCLI.manifestName, "a.wav", "b.wav"])
        let plan = try runCadence(["plan", "x.yaml", "--svg", "pictures/x.svg"], in: folder)
        XCTAssertEqual(plan.code, 0, plan.stderr)
        XCTAssertEqual(Safety.names(in: url("pictures")), ["x.svg"])
        try Data("a file".utf8).write(to: url("blocker"))
        let blocked = try runCadence(["render", "x.yaml", "-o", "blocker/x.wav"] + Safety.rate, in: folder)
        XCTAssertEqual(blocked.code, 73)
        XCTAssertEqual(blocked.stderr, "blocker/x.wav: error: cannot create the file: a file stands where the folder blocker would be\n")
    }

    /// `check DIR` checks the folder's routines (*.yaml, *.yml, not hidden ones); a folder without
    /// any is 66.
    func testCheckOfAFolderChecksItsRoutines() throws {
        try FileManager.default.createDirectory(at: url("routines"), withIntermediateDirectories: true)
        try write(Safety.routine("A"), to: "a.yaml", in: url("routines"))
        try write(Safety.routine("B"), to: "b.yml", in: url("routines"))
        try write("not a routine", to: "notes.txt", in: url("routines"))
        try write("title: [", to: ".hidden.yaml", in: url("routines"))
        let result = try runCadence(["check", "routines", "x.yaml"], in: folder)
        XCTAssertEqual(result.code, 0, result.stderr)
        XCTAssertEqual(
            result.stdoutLines,
            [
                "OK  routines/a.yaml  A  (0:07, 2 steps)", "OK  routines/b.yml  B  (0:07, 2 steps)",
                "OK  x.yaml  Routine  (0:07, 2 steps)",
            ])
        try FileManager.default.createDirectory(at: url("empty"), withIntermediateDirectories: true)
        let empty = try runCadence(["check", "empty"], in: folder)
        XCTAssertEqual(empty.code, 66)
        XCTAssertEqual(empty.stderr, "empty: error: the folder has no .yaml or .yml routines\n")
    }

    /// `watch FILE` watches that file: rendered at once, again when saved, and only it.
    func testWatchOfAFileWatchesThatFile() throws {
        try write(Safety.routine("Other"), to: "other.yaml", in: folder)
        let watch = try BackgroundCadence(["watch", "x.yaml", "--out-dir", "tracks"] + Safety.rate, in: folder)
        XCTAssertTrue(watch.waitForStderr("rendered    x.yaml -> tracks/x.wav", timeout: 20), watch.stderr)
        let first = try Data(contentsOf: url("tracks/x.wav"))
        usleep(1_100_000)
        try write(Safety.routine("Routine, saved again", seconds: 3), to: "x.yaml", in: folder)
        XCTAssertTrue(watch.waitForStderr("rendered    x.yaml -> tracks/x.wav", times: 2, timeout: 20), watch.stderr)
        XCTAssertEqual(watch.interrupt(), 0, watch.stderr)
        XCTAssertNotEqual(try Data(contentsOf: url("tracks/x.wav")), first)
        XCTAssertEqual(Safety.names(in: url("tracks")), [BatchCLI.manifestName, "x.wav"], "watch rendered a file it was not given")
        XCTAssertTrue(watch.stderr.hasPrefix("watching x.yaml (Ctrl-C to stop)\n"), watch.stderr)
        let missing = try runCadence(["watch", "nope.yaml"], in: folder)
        XCTAssertEqual(missing.code, 66)
        XCTAssertEqual(missing.stderr, "nope.yaml: error: no such folder or routine file\n")
    }

    /// `cadence new morning` writes morning.yaml, which passes `check`; a second `new` exits 73 and
    /// leaves the file as it was.
    func testNewWritesAStarterThatPassesCheckAndNeverOverwrites() throws {
        let made = try runCadence(["new", "morning"], in: folder)
        XCTAssertEqual(made.code, 0, made.stderr)
        XCTAssertEqual(made.stderr, "wrote morning.yaml; edit it, then `cadence check morning.yaml` and `cadence render morning.yaml`\n")
        let check = try runCadence(["check", "morning.yaml"], in: folder)
        XCTAssertEqual(check.code, 0, check.stderr)
        XCTAssertTrue(check.stdout.hasPrefix("OK  morning.yaml  morning  ("), check.stdout)
        let bytes = try Data(contentsOf: url("morning.yaml"))
        for name in ["morning", "morning.yaml"] {
            let again = try runCadence(["new", name], in: folder)
            XCTAssertEqual(again.code, 73, again.stderr)
            XCTAssertEqual(
                again.stderr, "morning.yaml: error: cannot create the file: it already exists; `cadence new` never overwrites a file\n")
            XCTAssertEqual(try Data(contentsOf: url("morning.yaml")), bytes)
        }
        // REGRESSION (fixed with this test): a name that is no file's got ".yaml" added: `new /` wrote /.yaml.
        let atRoot = "/.yaml", rootHadOne = FileManager.default.fileExists(atPath: "/.yaml")
        for name in ["", "/", ".", "..", "plans/", "plans/.."] {
            let refused = try runCadence(["new", name], in: folder)
            XCTAssertEqual(refused.code, 64, "new '\(name)': \(refused.stderr)")
            XCTAssertEqual(
                refused.stderrLines.first, "error: '\(name)' is not a file name; give the routine file to write, such as morning.yaml")
        }
        if !rootHadOne, FileManager.default.fileExists(atPath: atRoot) {
            try? FileManager.default.removeItem(atPath: atRoot)  // made by the run above
            XCTFail("`cadence new /` wrote /.yaml")
        }
        XCTAssertEqual(Safety.names(in: folder), ["morning.yaml", "x.yaml"])
        let nested = try runCadence(["new", "plans/evening.yml"], in: folder)
        XCTAssertEqual(nested.code, 0, nested.stderr)
        XCTAssertEqual(Safety.names(in: url("plans")), ["evening.yml"])
        XCTAssertEqual(Safety.names(in: folder), ["morning.yaml", "plans", "x.yaml"])
    }

    /// `cadence format` prints docs/routine-format.md, byte for byte.
    func testFormatPrintsTheRoutineFormatReference() throws {
        let result = try runCadence(["format"], in: folder)
        XCTAssertEqual(result.code, 0, result.stderr)
        let reference = try String(contentsOf: Paths.packageRoot.appendingPathComponent("docs/routine-format.md"), encoding: .utf8)
        XCTAssertEqual(result.stdout, reference)
        XCTAssertEqual(result.stderr, "")
    }

    /// `render --help` showed --jobs's default twice; `watch --help` spoke of an -o (and of "the
    /// output's extension") that watch does not have.
    func testHelpTextsSayWhatIsTrue() throws {
        let render = try runCadence(["render", "--help"], in: folder)
        XCTAssertEqual(render.code, 0)
        let jobs = try XCTUnwrap(optionHelp("--jobs", in: render.stdout))
        XCTAssertEqual(jobs.components(separatedBy: "default").count - 1, 1, "--jobs: \(jobs)")
        XCTAssertTrue(jobs.contains("the number of cores"), jobs)
        XCTAssertTrue(try XCTUnwrap(optionHelp("--format", in: render.stdout)).contains("-o"))
        let watch = try runCadence(["watch", "--help"], in: folder)
        XCTAssertEqual(watch.code, 0)
        XCTAssertFalse(watch.stdout.contains("-o,") || watch.stdout.contains(" -o ") || watch.stdout.contains("--output"), watch.stdout)
        let format = try XCTUnwrap(optionHelp("--format", in: watch.stdout))
        XCTAssertFalse(format.contains("output") || format.contains("-o"), "watch --format: \(format)")
        XCTAssertTrue(format.contains("default: wav"), format)
        for command in ["render", "plan", "check", "watch", "new", "format", "sounds"] {
            let help = try runCadence([command, "--help"], in: folder)
            XCTAssertEqual(help.code, 0, command)
            for line in help.stdout.components(separatedBy: "\n") {
                XCTAssertLessThanOrEqual(line.components(separatedBy: "(default:").count, 2, "\(command): \(line)")
            }
        }
    }

    /// The help of one option: its line and the indented lines after it.
    private func optionHelp(_ option: String, in help: String) -> String? {
        let lines = help.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.hasPrefix("  \(option) ") || $0.hasPrefix("  \(option)\n") }) else { return nil }
        var text = lines[start]
        for line in lines[(start + 1)...] {
            guard line.hasPrefix("                    ") else { break }
            text += " " + line.trimmingCharacters(in: .whitespaces)
        }
        return text
    }

    /// One `error:` prefix, lowercase, at the start of every message (or after the file it is
    /// about), never `Error:`, for errors of every kind.
    func testEveryErrorHasOneLowercaseErrorPrefix() throws {
        try write("title: T\nsteps:\n  - name: S\n    hodl: 3s\n", to: "bad.yaml", in: folder)
        let commands: [[String]] = [
            ["render", "x.yaml", "--bogus"], ["render", "x.yaml", "--sample-rate", "7"], ["render", "x.yaml", "--gain", "loud"],
            ["render", "x.yaml", "--channels", "3"], ["render", "missing.yaml"], ["render", "bad.yaml"],
            ["check", "bad.yaml", "missing.yaml"],
            ["plan", "x.yaml", "--level", "extreme"], ["check"], ["watch"], ["render", "x.yaml", "-o", "x.m4a"],
            ["render", "x.yaml", "x.yaml"],
            ["render", "x.yaml", "--voice-name", "en"], ["render", "x.yaml", "--music", "missing.wav"],
            ["render", "x.yaml", "--sounds", "nope"],
            ["render", "x.yaml", "-o", "x.wav", "--out-dir", "o"], ["new"], ["sounds", "export"], ["rendr"],
            // REGRESSION (fixed with this test): an empty name gave ": error: no such routine file".
            ["render", ""], ["check", ""], ["plan", ""], ["watch", ""], ["render", "x.yaml", "--music", ""],
            ["render", "x.yaml", "--sounds", ""],
            ["render", "x.yaml", "--out-dir", ""], ["render", "x.yaml", "--timeline", ""], ["new", ""],
        ]
        let before = Faults.snapshot(folder)
        for command in commands {
            let result = try runCadence(command, in: folder)
            XCTAssertNotEqual(result.code, 0, "\(command)")
            Safety.assertErrorPrefixes(result, command.joined(separator: " "))
        }
        Faults.assertUnchanged(folder, since: before, "failing commands")
    }
}
