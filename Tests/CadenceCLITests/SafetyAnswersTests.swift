import CadenceTestSupport
import Foundation
import XCTest

/// "Wrong answers": the items of the issue where Cadence said or wrote the wrong thing, against
/// the built `cadence`. Steps with nothing to say; sound pack folders and files; output extensions
/// and formats; long, non-UTF-8, differently normalized and combining-mark names; big batches;
/// `--gain -0`; and the routine reports (a typo, more than 20 errors, tabs).
final class SafetyAnswersTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        let scratch = try ScratchFolder(for: self)
        folder = scratch.url
        // A test may leave the folder read-only: it is made writable again before it is removed
        // (teardown blocks run last first).
        addTeardownBlock { _ = chmod(scratch.path, 0o755) }
        try write(Safety.routine("Routine"), to: "r.yaml", in: folder)
    }

    private func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    /// Makes a file whose name is `name`'s bytes exactly (Foundation might not keep them).
    private func create(_ name: [UInt8], in subfolder: URL? = nil, contents: String) throws {
        let path = Array((subfolder ?? folder).path.utf8) + [0x2F] + name + [0]
        let descriptor = path.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_EXCL | O_WRONLY, 0o644) }
        }
        XCTAssertGreaterThanOrEqual(descriptor, 0, "cannot create \(name)")
        let bytes = Array(contents.utf8)
        XCTAssertEqual(bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress!, $0.count) }, bytes.count)
        close(descriptor)
    }

    // MARK: Steps with nothing to say

    /// `check` said OK to steps named `...`, `?` or `♪♪`, which `render --voice` then refused. Both
    /// now accept them; with nothing to say, the step's announce sound plays (the same track as
    /// without --voice).
    func testStepsWithNothingToSayPassCheckAndRenderWithVoice() throws {
        guard Safety.hasEspeak else { throw XCTSkip("espeak-ng is not installed") }
        try write(
            """
            title: Nothing to say
            steps:
              - name: "..."
                hold: 1s
              - name: "?"
                hold: 1s
              - name: "♪♪"
                hold: 1s

            """, to: "quiet.yaml", in: folder)
        let check = try runCadence(["check", "quiet.yaml"], in: folder)
        XCTAssertEqual(check.code, 0, check.stderr)
        XCTAssertTrue(check.stdout.hasPrefix("OK  quiet.yaml  Nothing to say  ("), check.stdout)
        let voice = try runCadence(["render", "quiet.yaml", "-o", "voice.wav", "--voice"] + Safety.rate, in: folder)
        XCTAssertEqual(voice.code, 0, voice.stderr)
        XCTAssertTrue(voice.stderr.hasPrefix("wrote voice.wav  "), voice.stderr)
        let plain = try runCadence(["render", "quiet.yaml", "-o", "plain.wav", "-q"] + Safety.rate, in: folder)
        XCTAssertEqual(plain.code, 0, plain.stderr)
        XCTAssertEqual(
            try Data(contentsOf: url("voice.wav")), try Data(contentsOf: url("plain.wav")),
            "with nothing to say, each step plays its announce sound, as without --voice")
    }

    // MARK: Sound packs

    /// An unreadable --sounds folder was silently ignored (the built-in sounds played): 66 naming it.
    func testAnUnreadableSoundsFolderIs66() throws {
        try Faults.requireUnprivilegedRun()
        try FileManager.default.createDirectory(at: url("pack"), withIntermediateDirectories: true)
        try Faults.toneWAV(frames: 800, rate: 8_000, channels: 1).write(to: url("pack/go.wav"))
        XCTAssertEqual(chmod(url("pack").path, 0o700), 0)  // root's: nobody may not list it
        try FileManager.default.createDirectory(at: url("out"), withIntermediateDirectories: true)
        XCTAssertEqual(chmod(url("out").path, 0o777), 0)
        XCTAssertEqual(chmod(folder.path, 0o755), 0)
        for command in [
            ["render", "r.yaml", "-o", "out/x.wav"], ["render", "r.yaml", "--out-dir", "out"], ["watch", "r.yaml", "--out-dir", "out"],
        ] {
            let result = try Faults.runCadenceAsNobody(command + ["--sounds", "pack"] + Safety.rate, in: folder)
            if result.code == 126 || result.code == 127 { throw XCTSkip("nobody cannot run the cadence binary here: \(result.stderr)") }
            XCTAssertEqual(result.code, 66, "\(command): \(result.stderr)")
            XCTAssertEqual(result.stderr, "pack: error: cannot read this sound pack folder: permission denied\n", "\(command)")
        }
        XCTAssertEqual(Safety.names(in: url("out")), [])
    }

    /// Pack files in another case or extension (Go.wav, countdown_last.flac, go.mp3) were silently
    /// ignored. They are used: the track differs from the built-in one, and a pack with the
    /// canonical names and the same bytes gives the same track. A file that names no sound gets a
    /// warning naming it and the sounds that were read; notes (README, *.md, *.txt) do not.
    func testPackFilesInAnyCaseAndExtensionAreUsedAndOthersAreNamedInAWarning() throws {
        let tone = Faults.toneWAV(frames: 2_400, rate: 8_000, channels: 1)
        let flac = try Faults.renderAudio(
            "title: Beep\nsteps:\n  - name: Beep\n    hold: 0.5s\n", to: "beep.flac", in: folder, args: ["--sample-rate", "8000"])
        let mp3 = try Faults.renderAudio(
            "title: Go\nsteps:\n  - name: Go\n    hold: 0.5s\n", to: "go-source.mp3", in: folder, args: ["--sample-rate", "8000"])
        func pack(_ name: String, _ files: [(String, Data)]) throws {
            try FileManager.default.createDirectory(at: url(name), withIntermediateDirectories: true)
            for (file, data) in files { try data.write(to: url("\(name)/\(file)")) }
        }
        let flacBytes = try Data(contentsOf: flac)
        try pack("odd", [("Go.wav", tone), ("countdown_last.flac", flacBytes)])
        try pack("canonical", [("go.wav", tone), ("countdown-last.flac", flacBytes)])
        try pack(
            "noisy",
            [
                ("Go.wav", tone), ("countdown_last.flac", flacBytes), ("beep.wav", tone), ("README.txt", Data("notes".utf8)),
                ("notes.md", Data("# notes".utf8)), (".hidden.wav", tone),
            ])
        try pack("mp3", [("go.mp3", try Data(contentsOf: mp3))])
        for name in ["builtin", "odd", "canonical", "noisy", "mp3"] {
            let result = try runCadence(
                ["render", "r.yaml", "-o", "\(name).wav"] + (name == "builtin" ? [] : ["--sounds", name]) + Safety.rate,
                in: folder)
            XCTAssertEqual(result.code, 0, "\(name): \(result.stderr)")
            if name == "noisy" {
                XCTAssertEqual(
                    result.stderrLines.first,
                    "noisy/beep.wav: warning: not a sound of the pack, so it is not used; a pack's files are "
                        + "named go, countdown, countdown-last, stop, switch, finish, halfway, announce, phase, pulse, with an audio extension such as "
                        + ".wav or .flac. Read from this pack: go (Go.wav), countdown-last (countdown_last.flac).")
                XCTAssertEqual(result.stderrLines.count, 2, result.stderr)
            } else {
                XCTAssertEqual(result.stderrLines.count, 1, "\(name): \(result.stderr)")
            }
        }
        let builtin = try Data(contentsOf: url("builtin.wav"))
        XCTAssertNotEqual(try Data(contentsOf: url("odd.wav")), builtin, "Go.wav and countdown_last.flac were not used")
        XCTAssertNotEqual(try Data(contentsOf: url("mp3.wav")), builtin, "go.mp3 was not used")
        XCTAssertEqual(try Data(contentsOf: url("odd.wav")), try Data(contentsOf: url("canonical.wav")))
        XCTAssertEqual(try Data(contentsOf: url("noisy.wav")), try Data(contentsOf: url("canonical.wav")))

        // Two files for one sound is an error naming both.
        try pack("double", [("go.wav", tone), ("GO.flac", flacBytes)])
        let double = try runCadence(["render", "r.yaml", "-o", "double.wav", "--sounds", "double"] + Safety.rate, in: folder)
        XCTAssertEqual(double.code, 66, double.stderr)
        XCTAssertEqual(double.stderr, "double/go.wav: error: the pack has two files for the sound go (this one and GO.flac); keep one\n")
    }

    /// `sounds export` must not overwrite edited sounds without --force: 73 naming them, nothing
    /// changed; --force replaces them with the built-in ones.
    func testSoundsExportNeverOverwritesAnEditedSoundWithoutForce() throws {
        let first = try runCadence(["sounds", "export", "pack"], in: folder)
        XCTAssertEqual(first.code, 0, first.stderr)
        let exported = Faults.snapshot(url("pack"))
        XCTAssertEqual(exported.count, 10, "one file per cue sound")
        let again = try runCadence(["sounds", "export", "pack"], in: folder)
        XCTAssertEqual(again.code, 0, "exporting over unedited sounds is fine: \(again.stderr)")
        var edited = try Data(contentsOf: url("pack/go.wav"))
        edited[edited.count - 1] ^= 0x55
        try edited.write(to: url("pack/go.wav"))
        try Data("my own".utf8).write(to: url("pack/stop.wav"))
        let before = Faults.snapshot(url("pack"))
        let refused = try runCadence(["sounds", "export", "pack"], in: folder)
        XCTAssertEqual(refused.code, 73, refused.stderr)
        XCTAssertEqual(
            refused.stderr,
            "pack: error: cannot create the file: it holds edited sounds (go.wav, stop.wav), which Cadence does not "
                + "overwrite; export to another folder, or add --force to replace them\n")
        XCTAssertEqual(refused.stdout, "")
        Faults.assertUnchanged(url("pack"), since: before, "sounds export over edited sounds")
        let forced = try runCadence(["sounds", "export", "pack", "--force"], in: folder)
        XCTAssertEqual(forced.code, 0, forced.stderr)
        Faults.assertUnchanged(url("pack"), since: exported, "sounds export --force")
    }

    // MARK: Formats

    /// -o t.m4a / t.mp4 wrote WAV; -o t.mp3 --format flac wrote FLAC into .mp3; --format mp3
    /// --bit-depth 24 was accepted silently; --duck without --music did nothing. All 64, nothing written.
    func testOutputsAndOptionsThatCannotWorkTogetherAre64() throws {
        let cases: [([String], String)] = [
            (["-o", "t.m4a"], "error: -o t.m4a: Cadence cannot write .m4a files; it writes .wav, .flac, .ogg, .opus and .mp3"),
            (["-o", "t.mp4"], "error: -o t.mp4: Cadence cannot write .mp4 files; it writes .wav, .flac, .ogg, .opus and .mp3"),
            (["-o", "t.aiff"], "error: -o t.aiff: Cadence cannot write .aiff files"),
            (["-o", "t.mp3", "--format", "flac"], "error: -o t.mp3 ends in .mp3, but --format is flac; make them agree"),
            (["-o", "t.WAV", "--format", "ogg"], "error: -o t.WAV ends in .WAV, but --format is ogg; make them agree"),
            (
                ["--format", "mp3", "--bit-depth", "24"],
                "error: --bit-depth 24 has no effect on MP3 tracks (it applies to wav and flac); leave it out"
            ),
            (["-o", "t.ogg", "--bit-depth", "16"], "error: --bit-depth 16 has no effect on"),
            (["-o", "t.flac", "--duck", "3"], "error: --duck goes with --music: without music nothing is ducked"),
        ]
        let before = Faults.snapshot(folder)
        for (options, message) in cases {
            let result = try runCadence(["render", "r.yaml"] + options + Safety.rate, in: folder)
            XCTAssertEqual(result.code, 64, "\(options): \(result.stderr)")
            XCTAssertTrue(result.stderrLines.first?.hasPrefix(message) == true, "\(options): \(result.stderr)")
        }
        let batch = try runCadence(["render", ".", "--out-dir", "o", "--format", "opus", "--bit-depth", "24"] + Safety.rate, in: folder)
        XCTAssertEqual(batch.code, 64, batch.stderr)
        Faults.assertUnchanged(folder, since: before, "refused formats")
        // An extension in any case gives its format.
        for (name, magic) in [("t.Mp3", "ID3"), ("T.FLAC", "fLaC"), ("t.OGG", "OggS"), ("t.Opus", "OggS")] {
            let result = try runCadence(["render", "r.yaml", "-o", name, "-q"] + Safety.rate, in: folder)
            XCTAssertEqual(result.code, 0, "\(name): \(result.stderr)")
            XCTAssertEqual(try Data(contentsOf: url(name)).prefix(magic.utf8.count), Data(magic.utf8), name)
        }
    }

    // MARK: Names

    private func name(bytes count: Int, extension ext: String) -> String {
        String(repeating: "n", count: count - 1 - ext.count) + "." + ext
    }

    /// Legal long names (233 to 255 bytes) failed "File name too long" (the temporary name was
    /// longer), and an MP3 destination of 229-232 bytes rendered, then exited 74. Every format
    /// now takes names up to 255 bytes (with named partials too); 256 is refused at once (73),
    /// before any rendering.
    func testNamesOf233To255BytesWorkInEveryFormatAnd256FailsAtOnce() throws {
        for format in ["wav", "flac", "ogg", "opus", "mp3"] {
            for length in [229, 232, 233, 240, 255] {
                let out = url("long-\(format)-\(length)")
                let target = out.appendingPathComponent(name(bytes: length, extension: format))
                let environment = length == 255 ? ["CADENCE_NAMED_PARTIALS": "1"] : [:]
                let (result, _) = try Safety.cadence(
                    ["render", "r.yaml", "-o", target.path, "-q"] + Safety.rate, in: folder, environment: environment)
                XCTAssertEqual(result.code, 0, "\(format), \(length) bytes: \(result.stderr)")
                XCTAssertEqual(Safety.names(in: out), [target.lastPathComponent], "\(format), \(length) bytes: other files appeared")
            }
        }
        let sides = url("long-sides")
        let name255 = { (ext: String) in sides.appendingPathComponent(self.name(bytes: 255, extension: ext)).path }
        let sideResult = try runCadence(
            [
                "render", "r.yaml", "-o", name255("wav"), "--timeline", name255("json"), "--labels", name255("txt"),
                "--html", name255("html"), "-q",
            ] + Safety.rate, in: folder)
        XCTAssertEqual(sideResult.code, 0, sideResult.stderr)
        let plan = try runCadence(["plan", "r.yaml", "--svg", name255("svg")], in: folder)
        XCTAssertEqual(plan.code, 0, plan.stderr)
        XCTAssertEqual(Safety.names(in: sides).count, 5)

        try write(Safety.longRoutine, to: "long.yaml", in: folder)
        let tooLong = name(bytes: 256, extension: "flac")
        let twoByteLetters = String(repeating: "é", count: 126) + ".mp3"  // 256 bytes, 130 characters
        for (output, extra) in [
            (tooLong, [String]()), (twoByteLetters, []), ("ok.flac", ["--timeline", name(bytes: 256, extension: "json")]),
        ] {
            let (result, seconds) = try Safety.cadence(["render", "long.yaml", "-o", output] + extra + Safety.longArgs, in: folder)
            XCTAssertEqual(result.code, 73, "\(output): \(result.stderr)")
            XCTAssertLessThan(seconds, 2, "a name that is too long must be refused before rendering an hour")
            XCTAssertTrue(
                result.stderr.hasSuffix(
                    ": error: cannot create the file: the file name is 256 bytes long; this file system allows at most 255\n"),
                result.stderr)
        }
        XCTAssertEqual(Safety.names(in: folder).filter { !$0.hasPrefix("long") }, ["r.yaml"])
    }

    /// Names that are not UTF-8 (`caf\xE9.yaml`) were "no such file", and `-o $'out\xE9.wav'` wrote
    /// a different name. They are kept byte for byte, and shown as `\xE9`.
    func testNamesThatAreNotUTF8AreKeptByteForByte() throws {
        let latin1 = Array("caf".utf8) + [0xE9]
        try create(latin1 + Array(".yaml".utf8), contents: Safety.routine("Latin-1"))
        let (check, _) = try Safety.shell(#"exec "$0" check "$(printf 'caf\351.yaml')""#, in: folder)
        XCTAssertEqual(check.code, 0, check.stderr)
        XCTAssertEqual(check.stdout, "OK  caf\\xE9.yaml  Latin-1  (0:07, 2 steps)\n")
        let (render, _) = try Safety.shell(
            #"exec "$0" render "$(printf 'caf\351.yaml')" -o "$(printf 'out\351.wav')" --sample-rate 8000"#, in: folder)
        XCTAssertEqual(render.code, 0, render.stderr)
        XCTAssertEqual(render.stderr, "wrote out\\xE9.wav  0:07  8 kHz stereo WAV\n")
        XCTAssertTrue(
            Safety.rawNames(in: folder).contains(Array("out".utf8) + [0xE9] + Array(".wav".utf8)), "\(Safety.rawNames(in: folder))")
        XCTAssertFalse(Safety.rawNames(in: folder).contains(Array("out\u{E9}.wav".utf8)), "the name was written as UTF-8")

        let (missing, _) = try Safety.shell(#"exec "$0" render "$(printf 'nope\351.yaml')""#, in: folder)
        XCTAssertEqual(missing.code, 66)
        XCTAssertEqual(missing.stderr, "nope\\xE9.yaml: error: no such routine file\n")

        try FileManager.default.removeItem(at: url("r.yaml"))
        for run in 1...2 {
            let (batch, _) = try Safety.shell(#"exec "$0" render . --out-dir "$(printf 'tracks\351')" --sample-rate 8000"#, in: folder)
            XCTAssertEqual(batch.code, 0, batch.stderr)
            XCTAssertEqual(
                BatchCLI.summary(batch), run == 1 ? "rendered 1, up to date 0, failed 0" : "rendered 0, up to date 1, failed 0",
                batch.stderr)
            XCTAssertTrue(batch.stderr.contains("caf\\xE9.yaml -> tracks\\xE9/caf\\xE9.wav"), batch.stderr)
        }
        let listing = Safety.rawNames(in: folder)
        XCTAssertTrue(listing.contains(Array("tracks".utf8) + [0xE9]), "\(listing)")
    }

    /// `café` composed (U+00E9) and decomposed (e + U+0301) are two files on Linux; Swift calls
    /// the strings equal. Both are rendered, each to its own track (REGRESSION: a batch of the two
    /// was refused, "would both be rendered to", and -o and --timeline of the two forms were
    /// called the same file).
    func testNamesThatDifferOnlyInUnicodeNormalizationAreTwoFiles() throws {
        let composed = Array("caf\u{E9}".utf8), decomposed = Array("cafe\u{301}".utf8)
        let routines = url("routines")
        try FileManager.default.createDirectory(at: routines, withIntermediateDirectories: true)
        try create(composed + Array(".yaml".utf8), in: routines, contents: Safety.routine("Composed"))
        try create(decomposed + Array(".yaml".utf8), in: routines, contents: Safety.routine("Decomposed", seconds: 3))
        let batch = try runCadence(["render", "routines", "--out-dir", "tracks"] + Safety.rate, in: folder)
        XCTAssertEqual(batch.code, 0, batch.stderr)
        XCTAssertEqual(BatchCLI.summary(batch), "rendered 2, up to date 0, failed 0")
        let tracks = Safety.rawNames(in: url("tracks"))
        XCTAssertEqual(
            tracks,
            [Array(".cadence-manifest.json".utf8), composed + Array(".wav".utf8), decomposed + Array(".wav".utf8)]
                .sorted { $0.lexicographicallyPrecedes($1) })
        let (pair, _) = try Safety.shell(
            #"exec "$0" render r.yaml -o "$(printf 'caf\303\251.wav')" --timeline "$(printf 'cafe\314\201.wav')" -q --sample-rate 8000"#,
            in: folder)
        XCTAssertEqual(pair.code, 0, "two different files were called one: \(pair.stderr)")
        XCTAssertTrue(Safety.rawNames(in: folder).contains(decomposed + Array(".wav".utf8)))
        XCTAssertTrue(Safety.rawNames(in: folder).contains(composed + Array(".wav".utf8)))
    }

    /// A name that begins with a combining mark (`\u{301}b.wav`) joins the `/` before it into one
    /// Swift Character. REGRESSION: its folder was lost (73, "no such file or folder").
    func testANameBeginningWithACombiningMarkKeepsItsFolder() throws {
        let one = try runCadence(["render", "r.yaml", "-o", "sub/\u{301}b.wav", "-q"] + Safety.rate, in: folder)
        XCTAssertEqual(one.code, 0, one.stderr)
        XCTAssertEqual(Safety.rawNames(in: url("sub")), [Array("\u{301}b.wav".utf8)])
        let routines = url("routines")
        try FileManager.default.createDirectory(at: routines, withIntermediateDirectories: true)
        try create(Array("\u{301}a.yaml".utf8), in: routines, contents: Safety.routine("Accent"))
        try create(Array(".\u{301}hidden.yaml".utf8), in: routines, contents: "not a routine: hidden")
        let batch = try runCadence(["render", "routines", "--out-dir", "tracks"] + Safety.rate, in: folder)
        XCTAssertEqual(batch.code, 0, batch.stderr)
        XCTAssertEqual(
            BatchCLI.summary(batch), "rendered 1, up to date 0, failed 0", "a hidden file was taken for a routine: \(batch.stderr)")
        XCTAssertEqual(Safety.rawNames(in: url("tracks")), [Array(".cadence-manifest.json".utf8), Array("\u{301}a.wav".utf8)])
    }

    // MARK: Batches

    /// Batch time grew with the square of the number of routines (6,000 tiny ones: 165 s). A batch
    /// of 2,000 finishes, and a second run finds every track up to date. (A correctness check: the
    /// time is only bounded by the test's timeout.)
    func testABatchOf2000TinyRoutinesFinishesAndIsThenUpToDate() throws {
        let routines = url("routines")
        try FileManager.default.createDirectory(at: routines, withIntermediateDirectories: true)
        for index in 1...2_000 {
            try Data("title: Tiny \(index)\nsteps:\n  - name: Hold\n    hold: 0.1s\n".utf8).write(
                to: routines.appendingPathComponent("t\(index).yaml"))
        }
        let (first, seconds) = try Safety.cadence(
            ["render", "routines", "--out-dir", "tracks", "--jobs", "2"] + Safety.rate, in: folder, timeout: 400)
        XCTAssertEqual(first.code, 0, String(first.stderr.suffix(1000)))
        XCTAssertEqual(BatchCLI.summary(first), "rendered 2000, up to date 0, failed 0")
        let (second, _) = try Safety.cadence(
            ["render", "routines", "--out-dir", "tracks", "--jobs", "2"] + Safety.rate, in: folder, timeout: 400)
        XCTAssertEqual(BatchCLI.summary(second), "rendered 0, up to date 2000, failed 0")
        XCTAssertEqual(Safety.names(in: url("tracks")).count, 2_001)
        print("2,000 tiny routines: \(String(format: "%.1f", seconds)) s")
    }

    /// --gain -0 and --gain 0 fingerprinted differently: now the second run is all up to date.
    func testGainMinusZeroIsGainZero() throws {
        let routines = url("routines")
        try FileManager.default.createDirectory(at: routines, withIntermediateDirectories: true)
        for name in ["a", "b", "c"] { try write(Safety.routine(name), to: "\(name).yaml", in: routines) }
        let first = try runCadence(["render", "routines", "--out-dir", "tracks", "--gain", "-0"] + Safety.rate, in: folder)
        XCTAssertEqual(BatchCLI.summary(first), "rendered 3, up to date 0, failed 0", first.stderr)
        let states = try trackStates(["a", "b", "c"], in: url("tracks"))
        for gain in ["0", "-0.0", "+0", "0.000"] {
            let again = try runCadence(["render", "routines", "--out-dir", "tracks", "--gain", gain] + Safety.rate, in: folder)
            XCTAssertEqual(BatchCLI.summary(again), "rendered 0, up to date 3, failed 0", "--gain \(gain): \(again.stderr)")
        }
        XCTAssertEqual(try trackStates(["a", "b", "c"], in: url("tracks")), states, "a track was written again")
    }

    // MARK: Routine reports

    /// A typo'd `hold` gave "a step needs exactly one of hold or breaths" first: now the typo is
    /// the only error, with its did-you-mean.
    func testAMisspeltHoldIsTheOnlyErrorWithItsSuggestion() throws {
        try write("title: T\nsteps:\n  - name: Stretch\n    hodl: 30s\n", to: "typo.yaml", in: folder)
        for command in [["check", "typo.yaml"], ["render", "typo.yaml"], ["plan", "typo.yaml"]] {
            let result = try runCadence(command, in: folder)
            XCTAssertEqual(result.code, 65, result.stderr)
            XCTAssertEqual(
                result.stderrLines,
                [
                    "typo.yaml:4:5: error: unknown key `hodl` in a step; did you mean `hold`? Allowed keys: name, say, sets, sides, first, "
                        + "transition, switch, set_rest, countdown, halfway, hold, reps, rest, breaths, inhale, exhale, hold_in, hold_out",
                    "    hodl: 30s",
                    "    ^",
                ], "\(command)")
        }
        XCTAssertEqual(Safety.names(in: folder), ["r.yaml", "typo.yaml"])
    }

    /// After 20 errors the report says how many more there are.
    func testPastTwentyErrorsTheRestAreCounted() throws {
        let keys = (0..<25).map { "    extra\($0)x: 1" }.joined(separator: "\n")
        try write("title: T\nsteps:\n  - name: S\n    hold: 3s\n\(keys)\n", to: "keys.yaml", in: folder)
        let result = try runCadence(["check", "keys.yaml"], in: folder)
        XCTAssertEqual(result.code, 65)
        let errors = result.stderrLines.filter { $0.hasPrefix("keys.yaml:") && $0.contains(": error: ") }
        XCTAssertEqual(errors.count, 20, result.stderr)
        XCTAssertEqual(
            errors.first,
            "keys.yaml:5:5: error: unknown key `extra0x` in a step. Allowed keys: name, say, sets, sides, first, "
                + "transition, switch, set_rest, countdown, halfway, hold, reps, rest")
        XCTAssertEqual(result.stderrLines.last, "keys.yaml: 5 more errors not shown (the first 20 are)")
        let exactly = (0..<20).map { "    extra\($0)x: 1" }.joined(separator: "\n")
        try write("title: T\nsteps:\n  - name: S\n    hold: 3s\n\(exactly)\n", to: "twenty.yaml", in: folder)
        let twenty = try runCadence(["check", "twenty.yaml"], in: folder)
        XCTAssertFalse(twenty.stderr.contains("more error"), "exactly 20 errors: nothing more to count")
    }

    /// A tab in a shown source line is a visible marker (␉), so the caret lines up.
    func testATabInAReportedLineShowsAsAVisibleMarker() throws {
        try write("title: T\nsteps:\n  - name: S\n\thold: 3s\n", to: "tab.yaml", in: folder)
        let result = try runCadence(["check", "tab.yaml"], in: folder)
        XCTAssertEqual(result.code, 65)
        XCTAssertTrue(result.stderrLines.first?.hasPrefix("tab.yaml:4:1: error: a tab character") == true, result.stderr)
        XCTAssertTrue(result.stderrLines.contains("\u{2409}hold: 3s"), result.stderr)
        XCTAssertFalse(result.stderr.contains("\t"), "a raw tab reached the terminal")
    }
}
