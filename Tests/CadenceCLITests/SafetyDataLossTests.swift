import CadenceTestSupport
import Foundation
import XCTest

/// "Nothing lost": the data-loss and wrong-track items of the issue, against the built `cadence`.
/// No output is ever an input or another output of the run; two batches into one folder never
/// leave a track called up to date that holds the other's audio; temporary files have random
/// names and a run never removes a file it did not make; no signal (SIGKILL included) leaves a
/// partial file, or, with named partials, the next run removes it and says so; a re-render keeps
/// the track's mode. Each test checks the exit code, the message naming the files, the bytes of
/// the files, and that nothing else appeared in the folder (hidden files included).
final class SafetyDataLossTests: XCTestCase {
    private var folder: URL!
    private var routineBytes: Data!

    override func setUpWithError() throws {
        folder = try ScratchFolder(for: self).url
        try write(Safety.routine("Routine"), to: "r.yaml", in: folder)
        routineBytes = try Data(contentsOf: folder.appendingPathComponent("r.yaml"))
        try write(Safety.longRoutine, to: "long.yaml", in: folder)
    }

    private func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    /// Runs each refused command and checks: 64, the first message line says `fragment`, and the
    /// folder is byte for byte as it was (no track, no side file, no manifest, no folder made).
    private func assertRefused(_ cases: [([String], String)], file: StaticString = #filePath, line: UInt = #line) throws {
        for (args, fragment) in cases {
            let before = Faults.snapshot(folder)
            let (result, seconds) = try Safety.cadence(args + Safety.rate, in: folder)
            let context = "cadence \(args.joined(separator: " "))"
            XCTAssertEqual(result.code, 64, "\(context): \(result.stderr)", file: file, line: line)
            XCTAssertTrue(
                result.stderrLines.first?.contains(fragment) == true, "\(context): expected `\(fragment)` in:\n\(result.stderr)",
                file: file, line: line)
            Safety.assertErrorPrefixes(result, context, file: file, line: line)
            XCTAssertLessThan(seconds, 10, context, file: file, line: line)
            Faults.assertUnchanged(folder, since: before, context, file: file, line: line)
        }
    }

    // MARK: An output is never an input

    /// `render r.yaml -o r.yaml` used to replace the routine with a WAV (exit 0); so did the side
    /// files and `plan --svg` naming it, through a link too.
    func testAnOutputThatIsTheRoutineIsRefusedAndTheRoutineKept() throws {
        try routineBytes.write(to: url("r.wav"))  // routines whose names end in .wav
        try Data(Safety.routine("W").utf8).write(to: url("w.wav"))
        XCTAssertEqual(symlink("r.yaml", url("link.wav").path), 0)
        XCTAssertEqual(link(url("r.yaml").path, url("hard.wav").path), 0)
        try assertRefused([
            (["render", "r.yaml", "-o", "r.yaml"], "-o r.yaml"),
            (["render", "r.yaml", "-o", "r.yaml", "--format", "wav"], "-o r.yaml"),
            (["render", "r.wav", "-o", "r.wav"], "error: -o r.wav is the routine file r.wav"),
            (["render", "r.wav"], "error: -o r.wav is the routine file r.wav"),
            (["render", "r.yaml", "-o", "link.wav"], "error: -o link.wav is the routine file r.yaml"),
            (["render", "r.yaml", "-o", "hard.wav"], "error: -o hard.wav is the routine file r.yaml"),
            (["render", "r.yaml", "-o", "x.wav", "--timeline", "r.yaml"], "error: --timeline r.yaml is the routine file r.yaml"),
            (["render", "r.yaml", "-o", "x.wav", "--labels", "./r.yaml"], "error: --labels ./r.yaml is the routine file r.yaml"),
            (["render", "r.yaml", "-o", "x.wav", "--html", url("r.yaml").path], "is the routine file r.yaml"),
            (["render", "r.yaml", "-o", "x.wav", "--timeline", "hard.wav"], "error: --timeline hard.wav is the routine file r.yaml"),
            (["render", "r.yaml", "w.wav", "--out-dir", "."], "error: the track w.wav is the routine file w.wav"),
        ])
        let before = Faults.snapshot(folder)
        let plan = try runCadence(["plan", "r.yaml", "--svg", "r.yaml"], in: folder)
        XCTAssertEqual(plan.code, 64, plan.stderr)
        XCTAssertEqual(
            plan.stderrLines.first,
            "error: --svg r.yaml is the routine file r.yaml: an output is never one of the inputs; choose another file name")
        XCTAssertEqual(plan.stdout, "", "nothing is printed when the picture is refused")
        Faults.assertUnchanged(folder, since: before, "plan --svg r.yaml")
        XCTAssertEqual(try Data(contentsOf: url("r.yaml")), routineBytes)
    }

    /// -o naming a --music file or a sound of the --sounds pack, in one render and in a batch.
    func testAnOutputThatIsAMusicFileOrAPackSoundIsRefused() throws {
        try Faults.toneWAV(frames: 8_000, rate: 8_000).write(to: url("m.wav"))
        try FileManager.default.createDirectory(at: url("pack"), withIntermediateDirectories: true)
        try Faults.toneWAV(frames: 800, rate: 8_000, channels: 1).write(to: url("pack/go.wav"))
        try Faults.toneWAV(frames: 400, rate: 8_000, channels: 1).write(to: url("pack/Stop.WAV"))
        try FileManager.default.createDirectory(at: url("routines"), withIntermediateDirectories: true)
        try write(Safety.routine("Go"), to: "go.yaml", in: url("routines"))
        try write(Safety.routine("Other"), to: "other.yaml", in: url("routines"))
        try write(Safety.routine("Music"), to: "m.yaml", in: url("routines"))
        try assertRefused([
            (["render", "r.yaml", "-o", "m.wav", "--music", "m.wav"], "error: -o m.wav is the music file m.wav"),
            (
                ["render", "r.yaml", "-o", "x.wav", "--music", "m.wav", "--timeline", "./m.wav"],
                "error: --timeline ./m.wav is the music file m.wav"
            ),
            (["render", "r.yaml", "-o", "pack/go.wav", "--sounds", "pack"], "error: -o pack/go.wav is the pack sound pack/go.wav"),
            (["render", "r.yaml", "-o", "pack/Stop.WAV", "--sounds", "pack"], "error: -o pack/Stop.WAV is the pack sound pack/Stop.WAV"),
            (
                ["render", "routines", "--out-dir", "pack", "--sounds", "pack"],
                "error: the track pack/go.wav is the pack sound pack/go.wav"
            ),
            (["render", "routines", "--out-dir", ".", "--music", "m.wav"], "error: the track m.wav is the music file m.wav"),
        ])
    }

    /// Two outputs of one run that are one file (`-o x.wav --timeline x.wav`), also through a link
    /// and in a folder the run would make (`new/x.wav`, `new/./x.wav`).
    func testTwoOutputsOfOneRunThatAreOneFileAreRefused() throws {
        try Data("{}".utf8).write(to: url("t.json"))
        XCTAssertEqual(symlink("t.json", url("l.txt").path), 0)
        try assertRefused([
            (
                ["render", "r.yaml", "-o", "x.wav", "--timeline", "x.wav"],
                "error: -o x.wav and --timeline x.wav are the same file; give each output its own name"
            ),
            (["render", "r.yaml", "-o", "x.wav", "--labels", "./x.wav"], "error: -o x.wav and --labels ./x.wav are the same file"),
            (["render", "r.yaml", "-o", "x.wav", "--html", url("x.wav").path], "are the same file"),
            (
                ["render", "r.yaml", "-o", "y.wav", "--timeline", "t.json", "--labels", "t.json"],
                "error: --timeline t.json and --labels t.json are the same file"
            ),
            (
                ["render", "r.yaml", "-o", "y.wav", "--timeline", "t.json", "--labels", "l.txt"],
                "error: --timeline t.json and --labels l.txt are the same file"
            ),
            (
                ["render", "r.yaml", "-o", "new/x.wav", "--timeline", "new/x.wav"],
                "error: -o new/x.wav and --timeline new/x.wav are the same file"
            ),
            // REGRESSION (fixed with this test): a folder still to be made was compared as written.
            (
                ["render", "r.yaml", "-o", "new/x.wav", "--timeline", "new/./x.wav"],
                "error: -o new/x.wav and --timeline new/./x.wav are the same file"
            ),
            (
                ["render", "r.yaml", "-o", "new/x.wav", "--labels", "new/sub/../x.wav"],
                "error: -o new/x.wav and --labels new/sub/../x.wav are the same file"
            ),
        ])
        XCTAssertFalse(FileManager.default.fileExists(atPath: url("new").path), "a refused run made its folder")
        // Different files are fine, side by side in a folder the run makes.
        let ok = try runCadence(
            ["render", "r.yaml", "-o", "new/x.wav", "--timeline", "new/./x.json", "--labels", "new/sub/../x.txt"] + Safety.rate,
            in: folder)
        XCTAssertEqual(ok.code, 0, ok.stderr)
        XCTAssertEqual(Safety.names(in: url("new")), ["sub", "x.json", "x.txt", "x.wav"])
    }

    // MARK: Two batches into one folder

    /// Two batch renders into one --out-dir at once, with different --gain, several rounds: after
    /// each, a third run of either gain may call a track "up to date" only if it holds exactly the
    /// bytes a fresh render with that gain gives (and re-renders the others), compared byte for byte.
    /// Both checks look at the same state: each runs in a copy of the folder made of hard links
    /// (same inodes, sizes and times, so the manifest's stamps still match). Without the stamps
    /// (a manifest that trusts the fingerprint alone) the check of the last saver's gain calls the
    /// tracks the other batch wrote last up to date.
    func testTwoBatchesIntoOneFolderAtOnceNeverLeaveAWrongTrackUpToDate() throws {
        let names = (1...20).map { "t\($0)" }
        let routines = url("routines")
        try FileManager.default.createDirectory(at: routines, withIntermediateDirectories: true)
        for (index, name) in names.enumerated() {
            try write(Safety.routine("Race \(name)", seconds: 1 + index % 4), to: "\(name).yaml", in: routines)
        }
        let gains = ["0", "-6"]
        var reference: [String: [String: Data]] = [:]
        for gain in gains {
            let result = try runCadence(["render", "routines", "--out-dir", "ref\(gain)", "--gain", gain, "-q"] + Safety.rate, in: folder)
            XCTAssertEqual(result.code, 0, result.stderr)
            reference[gain] = try Dictionary(uniqueKeysWithValues: names.map { ($0, try Data(contentsOf: url("ref\(gain)/\($0).wav"))) })
        }
        XCTAssertNotEqual(reference["0"]?["t1"], reference["-6"]?["t1"], "precondition: the gains give other bytes")
        var claimed = 0
        for round in 1...4 {
            // The two take the routines in opposite orders, so each is the last to write half of
            // the tracks, whichever saves the manifest last.
            let forward = names.map { "routines/\($0).yaml" }
            let runs = try gains.enumerated().map { index, gain in
                let order = (index + round) % 2 == 0 ? forward : forward.reversed()
                return try BackgroundCadence(
                    ["render"] + order + ["--out-dir", "tracks", "--gain", gain, "--jobs", "2", "-q"] + Safety.rate,
                    in: folder)
            }
            XCTAssertTrue(waitUntil(timeout: 120) { runs.allSatisfy { !$0.isRunning } }, "round \(round): the two batches did not finish")
            for run in runs { XCTAssertEqual(run.interrupt(), 0, "round \(round): \(run.stderr)") }
            for gain in gains {
                let copy = "check\(round)\(gain)"
                try FileManager.default.createDirectory(at: url(copy), withIntermediateDirectories: true)
                for name in Safety.names(in: url("tracks")) {
                    XCTAssertEqual(link(url("tracks/\(name)").path, url("\(copy)/\(name)").path), 0, name)
                }
                let check = try runCadence(
                    ["render"] + names.map { "routines/\($0).yaml" } + ["--out-dir", copy, "--gain", gain] + Safety.rate,
                    in: folder)
                XCTAssertEqual(check.code, 0, check.stderr)
                let upToDate = Set(BatchCLI.routines("up to date", in: check))
                claimed += upToDate.count
                for name in names {
                    let bytes = try Data(contentsOf: url("\(copy)/\(name).wav"))
                    let said = upToDate.contains("routines/\(name).yaml") ? "called up to date" : "rendered"
                    XCTAssertEqual(
                        bytes, reference[gain]?[name], "round \(round), gain \(gain): \(name).wav was \(said) but holds other bytes")
                }
                XCTAssertEqual(RenderCLI.partialFiles(in: url(copy)), [])
            }
            XCTAssertEqual(RenderCLI.partialFiles(in: url("tracks")), [])
        }
        XCTAssertGreaterThan(claimed, 0, "no track was ever up to date: the test did not test the claim")
        XCTAssertEqual(Safety.names(in: url("tracks")), ([BatchCLI.manifestName] + names.map { "\($0).wav" }).sorted())
    }

    // MARK: Temporary names

    /// A named partial file is `.NAME.cadence-RANDOM.partial` (not the process number: two
    /// containers both have a PID 1), and no run ever removes a file it did not make: a partial
    /// another live writer holds locked, an old-style `.NAME.1.cadence-partial`, one just made.
    func testTemporaryNamesAreRandomAndAFileThisRunDidNotMakeIsNeverRemoved() throws {
        let named = ["CADENCE_NAMED_PARTIALS": "1"]
        let render = try BackgroundCadence(["render", "long.yaml", "-o", "x.flac"] + Safety.longArgs, in: folder, environment: named)
        XCTAssertTrue(waitUntil(timeout: 30) { !RenderCLI.partialFiles(in: folder).isEmpty }, "no named partial file appeared")
        let partial = try XCTUnwrap(RenderCLI.partialFiles(in: folder).first)
        XCTAssertNotNil(partial.range(of: #"^\.x\.flac\.cadence-[a-z2-7]{12}\.partial$"#, options: .regularExpression), partial)
        XCTAssertFalse(partial.contains("\(render.pid)"), "the partial name holds the process number: \(partial)")
        XCTAssertEqual(render.interrupt(), 130, render.stderr)
        XCTAssertEqual(RenderCLI.partialFiles(in: folder), [], "a stopped render removes its own partial file")

        // Files made by others, in the folder every run below writes to.
        let held = url(".x.wav.cadence-aaaaaaaaaaaa.partial"), oldStyle = url(".x.wav.1.cadence-partial")
        let fresh = url(".x.wav.cadence-bbbbbbbbbbbb.partial")
        for file in [held, oldStyle] { try Data("another writer's \(file.lastPathComponent)".utf8).write(to: file) }
        let lock = open(held.path, O_RDONLY)
        defer { close(lock) }
        XCTAssertEqual(flock(lock, LOCK_EX | LOCK_NB), 0)
        usleep(2_200_000)  // old enough for the sweep, except `fresh`
        try Data("just made".utf8).write(to: fresh)
        let before = Faults.snapshot(folder)
        for (environment, expected) in [
            (named, Int32(0)), ([:], 0), (named.merging(["CADENCE_FAULTS": "write:ENOSPC@3"]) { $1 }, 74),
            (["CADENCE_FAULTS": "write:EIO@3"], 74),
        ] {
            try Data("just made".utf8).write(to: fresh)  // made again: never 2 s old when a run looks
            let (result, _) = try Safety.cadence(
                ["render", "r.yaml", "-o", "x.wav", "-q"] + Safety.rate, in: folder, environment: environment)
            XCTAssertEqual(result.code, expected, "\(environment): \(result.stderr)")
            for file in [held, oldStyle, fresh] {
                XCTAssertEqual(Safety.bytes(file), before[file.lastPathComponent], "\(environment): \(file.lastPathComponent) was touched")
            }
        }
        try FileManager.default.removeItem(at: url("x.wav"))
        Faults.assertUnchangedButPartials(folder, since: before, "renders beside other writers' files")
    }

    // MARK: Signals

    /// kill -9 mid-render: nothing new in the folder (the track was an unnamed file), the old
    /// track byte for byte as it was.
    func testKillMinus9MidRenderLeavesNothing() throws {
        try FileManager.default.createDirectory(at: url("out"), withIntermediateDirectories: true)
        try Data("the old track".utf8).write(to: url("out/x.flac"))
        let before = Faults.snapshot(url("out"))
        let render = try BackgroundCadence(["render", "long.yaml", "-o", "out/x.flac"] + Safety.longArgs, in: folder)
        XCTAssertTrue(waitUntil(timeout: 30) { RenderCLI.isWriting(render.pid, in: url("out")) }, "the render never started writing")
        usleep(100_000)
        kill(render.pid, SIGKILL)
        XCTAssertTrue(waitUntil(timeout: 10) { !render.isRunning })
        Faults.assertUnchanged(url("out"), since: before, "kill -9 mid-render")
    }

    /// With named partials (file systems without unnamed files), kill -9 leaves the partial file;
    /// the next render into that folder removes it and says so in a `note:` line (after 2 s: a
    /// partial just made may not be locked yet), quietly with -q.
    func testKillMinus9WithNamedPartialsLeavesAPartialTheNextRenderRemovesAndNotes() throws {
        let named = ["CADENCE_NAMED_PARTIALS": "1"]
        try FileManager.default.createDirectory(at: url("out"), withIntermediateDirectories: true)
        try Data("the old track".utf8).write(to: url("out/x.flac"))
        let before = Faults.snapshot(url("out"))
        for quiet in [false, true] {
            let render = try BackgroundCadence(
                ["render", "long.yaml", "-o", "out/x.flac"] + Safety.longArgs, in: folder, environment: named)
            XCTAssertTrue(waitUntil(timeout: 30) { !RenderCLI.partialFiles(in: url("out")).isEmpty }, "no partial file appeared")
            usleep(100_000)
            kill(render.pid, SIGKILL)
            XCTAssertTrue(waitUntil(timeout: 10) { !render.isRunning })
            let left = RenderCLI.partialFiles(in: url("out"))
            XCTAssertEqual(left.count, 1, "kill -9 with named partials leaves its partial file: \(left)")
            usleep(2_200_000)
            let (next, _) = try Safety.cadence(
                ["render", "r.yaml", "-o", "out/y.wav"] + Safety.rate + (quiet ? ["-q"] : []), in: folder,
                environment: named)
            XCTAssertEqual(next.code, 0, next.stderr)
            if quiet {
                XCTAssertEqual(next.stderr, "", "-q prints nothing")
            } else {
                XCTAssertEqual(
                    next.stderrLines.first,
                    "note: removed out/\(left.first ?? "?"), a partial file left by a render that did not finish")
            }
            XCTAssertEqual(RenderCLI.partialFiles(in: url("out")), [], "the stale partial file is still there")
            try FileManager.default.removeItem(at: url("out/y.wav"))
            Faults.assertUnchanged(url("out"), since: before, "after the sweep")
        }
    }

    /// kill -9 mid-batch, with and without named partials: every old track whole, no new file
    /// (named partials are swept, with a note, by the next batch).
    func testKillMinus9MidBatchLeavesEveryTrackWhole() throws {
        try FileManager.default.createDirectory(at: url("routines"), withIntermediateDirectories: true)
        for name in ["a", "b", "c"] {
            try write(
                Safety.longRoutine.replacingOccurrences(of: "One long hold", with: "Long \(name)"), to: "\(name).yaml", in: url("routines"))
        }
        try FileManager.default.createDirectory(at: url("tracks"), withIntermediateDirectories: true)
        for name in ["a", "b", "c"] { try Data("old \(name)".utf8).write(to: url("tracks/\(name).flac")) }
        let before = Faults.snapshot(url("tracks"))
        for environment in [[:], ["CADENCE_NAMED_PARTIALS": "1"]] {
            let batch = try BackgroundCadence(
                ["render", "routines", "--out-dir", "tracks", "--format", "flac", "--jobs", "2"] + Safety.longArgs,
                in: folder, environment: environment)
            XCTAssertTrue(waitUntil(timeout: 30) { RenderCLI.isWriting(batch.pid, in: url("tracks")) }, "the batch never started writing")
            usleep(200_000)
            kill(batch.pid, SIGKILL)
            XCTAssertTrue(waitUntil(timeout: 10) { !batch.isRunning })
            if environment.isEmpty {
                Faults.assertUnchanged(url("tracks"), since: before, "kill -9 mid-batch")
            } else {
                XCTAssertFalse(RenderCLI.partialFiles(in: url("tracks")).isEmpty, "precondition: named partials are left by kill -9")
                usleep(2_200_000)
                let (sweep, _) = try Safety.cadence(["render", "r.yaml", "-o", "tracks/r.wav"] + Safety.rate, in: folder)
                XCTAssertEqual(sweep.code, 0, sweep.stderr)
                XCTAssertTrue(
                    sweep.stderrLines.contains {
                        $0.hasPrefix("note: removed tracks/.") && $0.hasSuffix(", a partial file left by a render that did not finish")
                    },
                    sweep.stderr)
                try FileManager.default.removeItem(at: url("tracks/r.wav"))
                Faults.assertUnchanged(url("tracks"), since: before, "kill -9 mid-batch with named partials, then the sweep")
            }
        }
    }

    /// SIGHUP (a closed terminal) and SIGTERM stop like Ctrl-C: 128 + N, a message naming the track
    /// and the signal, nothing left (named partials included), the old track as it was. A second
    /// signal ends the process at once.
    func testSIGHUPSIGTERMAndCtrlCStopCleanlyWithNothingLeft() throws {
        try Data("the old track".utf8).write(to: url("x.flac"))
        for (signal, code, name) in [
            (SIGHUP, 129, "SIGHUP (the terminal was closed)"), (SIGTERM, 143, "SIGTERM"), (SIGINT, 130, "Ctrl-C (SIGINT)"),
        ] {
            for environment in [[:], ["CADENCE_NAMED_PARTIALS": "1"]] {
                let before = Faults.snapshot(folder)
                let render = try BackgroundCadence(
                    ["render", "long.yaml", "-o", "x.flac"] + Safety.longArgs, in: folder, environment: environment)
                XCTAssertTrue(waitUntil(timeout: 30) { RenderCLI.isWriting(render.pid, in: folder) })
                usleep(100_000)
                let sent = Date()
                kill(render.pid, signal)
                XCTAssertTrue(waitUntil(timeout: 10) { !render.isRunning }, "no stop within 10 s of signal \(signal)")
                XCTAssertLessThan(Date().timeIntervalSince(sent), 5)
                XCTAssertEqual(render.interrupt(), Int32(code), render.stderr)
                XCTAssertEqual(render.stderr, "x.flac: error: interrupted by \(name); nothing was written there\n")
                Faults.assertUnchanged(folder, since: before, "signal \(signal) \(environment)")
            }
        }
        let before = Faults.snapshot(folder)
        let render = try BackgroundCadence(["render", "long.yaml", "-o", "x.flac"] + Safety.longArgs, in: folder)
        XCTAssertTrue(waitUntil(timeout: 30) { RenderCLI.isWriting(render.pid, in: folder) })
        kill(render.pid, SIGTERM)
        usleep(20_000)
        kill(render.pid, SIGTERM)
        XCTAssertTrue(waitUntil(timeout: 5) { !render.isRunning }, "a second SIGTERM did not end the process at once")
        XCTAssertEqual(render.interrupt(), 143)
        Faults.assertUnchanged(folder, since: before, "two SIGTERMs")
    }

    /// SIGPIPE is ignored: `cadence render dir --out-dir o 2>&1 | head -1` renders every track
    /// (the bytes of a normal batch), leaves no partial and exits 0; so does one render whose
    /// `wrote` line meets a closed pipe, a plan printed into `head`, and a render sent SIGPIPE.
    func testAClosedPipeOnStandardErrorDoesNotStopARenderOrABatch() throws {
        let names = (1...12).map { "p\($0)" }
        try FileManager.default.createDirectory(at: url("routines"), withIntermediateDirectories: true)
        for name in names { try write(Safety.routine("Pipe \(name)"), to: "\(name).yaml", in: url("routines")) }
        let reference = try runCadence(["render", "routines", "--out-dir", "ref", "-q"] + Safety.rate, in: folder)
        XCTAssertEqual(reference.code, 0, reference.stderr)
        let (batch, _) = try Safety.shell(
            #"{ "$0" render routines --out-dir tracks --jobs 2 --sample-rate 8000 2>&1; echo $? > status; } | head -1 > first"#,
            in: folder)
        XCTAssertEqual(batch.code, 0, batch.stderr)
        XCTAssertEqual(try String(contentsOf: url("status"), encoding: .utf8), "0\n", "cadence did not exit 0 after the pipe closed")
        XCTAssertEqual(try String(contentsOf: url("first"), encoding: .utf8).components(separatedBy: "\n").count, 2)
        XCTAssertEqual(Safety.names(in: url("tracks")), ([BatchCLI.manifestName] + names.map { "\($0).wav" }).sorted())
        for name in names {
            XCTAssertEqual(Safety.bytes(url("tracks/\(name).wav")), Safety.bytes(url("ref/\(name).wav")), "\(name).wav")
        }
        let (one, _) = try Safety.shell(#"{ "$0" render r.yaml -o x.wav --sample-rate 8000 2>&1; echo $? > status; } | true"#, in: folder)
        XCTAssertEqual(one.code, 0)
        XCTAssertEqual(try String(contentsOf: url("status"), encoding: .utf8), "0\n")
        XCTAssertTrue(WAVFile.isWhole(try Data(contentsOf: url("x.wav"))))
        let (plan, _) = try Safety.shell(
            #"{ "$0" plan long.yaml --sample-rate 8000; echo $? > status; } | head -c 10 > /dev/null"#, in: folder)
        XCTAssertEqual(plan.code, 0)
        XCTAssertEqual(try String(contentsOf: url("status"), encoding: .utf8), "0\n")
        XCTAssertEqual(RenderCLI.partialFiles(in: folder) + RenderCLI.partialFiles(in: url("tracks")), [])

        // SIGPIPE sent to the process itself is ignored too: the render goes on to the end.
        let render = try BackgroundCadence(
            ["render", "long.yaml", "-o", "piped.flac"] + Safety.longArgs, in: folder,
            environment: ["CADENCE_NAMED_PARTIALS": "1"])
        XCTAssertTrue(waitUntil(timeout: 30) { !RenderCLI.partialFiles(in: folder).isEmpty }, "the render never started writing")
        kill(render.pid, SIGPIPE)
        XCTAssertTrue(waitUntil(timeout: 120) { !render.isRunning }, "the render did not finish")
        XCTAssertEqual(render.interrupt(), 0, render.stderr)
        XCTAssertEqual(try Data(contentsOf: url("piped.flac")).prefix(4), Data("fLaC".utf8))
        XCTAssertEqual(RenderCLI.partialFiles(in: folder), [])
    }

    /// A stop while the --html page's audio is rendered (after the track, in a scratch file beside
    /// the page) leaves nothing: kill -9 then, and SIGTERM while --voice waits for espeak-ng (the
    /// speech goes through a pipe, nothing in TMPDIR).
    func testAStopWhileThePageOrTheSpeechIsMadeLeavesNothing() throws {
        try FileManager.default.createDirectory(at: url("out"), withIntermediateDirectories: true)
        let before = Faults.snapshot(url("out"))
        let page = try BackgroundCadence(
            ["render", "long.yaml", "-o", "out/x.wav", "--html", "out/x.html", "-q"] + Safety.rate, in: folder)
        // The pending page, the finished track, and the page's audio in its scratch file: three unnamed files.
        let sawPageAudio = waitUntil(timeout: 60) { RenderCLI.unnamedFiles(of: page.pid, in: url("out")).count >= 3 || !page.isRunning }
        XCTAssertTrue(sawPageAudio && page.isRunning, "never saw the page's audio being made")
        kill(page.pid, SIGKILL)
        XCTAssertTrue(waitUntil(timeout: 10) { !page.isRunning })
        Faults.assertUnchanged(url("out"), since: before, "kill -9 while the page's audio is made")

        let bin = try Safety.fakeEspeak(in: folder, "exec sleep 20")
        let temporary = url("tmp")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
        for environment in [[:], ["CADENCE_NAMED_PARTIALS": "1"]] {
            let speaking = try BackgroundCadence(
                ["render", "r.yaml", "-o", "out/v.wav", "--voice", "--voice-engine", "espeak"] + Safety.rate, in: folder,
                environment: Safety.path(with: bin).merging(["TMPDIR": temporary.path]) { $1 }.merging(environment) { $1 })
            XCTAssertTrue(
                waitUntil(timeout: 20) { FileManager.default.fileExists(atPath: bin.appendingPathComponent("ran").path) },
                "espeak-ng was never started")
            let sent = Date()
            kill(speaking.pid, SIGTERM)
            XCTAssertTrue(waitUntil(timeout: 10) { !speaking.isRunning })
            XCTAssertLessThan(Date().timeIntervalSince(sent), 3, "a stop while espeak-ng speaks waited for it")
            XCTAssertEqual(speaking.interrupt(), 143, speaking.stderr)
            XCTAssertEqual(Safety.names(in: temporary), [], "files left in TMPDIR")
            Faults.assertUnchanged(url("out"), since: before, "SIGTERM while espeak-ng speaks \(environment)")
            try FileManager.default.removeItem(at: bin.appendingPathComponent("ran"))
        }
    }

    /// A manifest that cannot be put in place (the rename fails) leaves no partial manifest; the
    /// tracks are whole, and the next run renders them again (nothing claims to be up to date).
    func testAManifestThatCannotBeWrittenLeavesNoPartialFile() throws {
        try FileManager.default.createDirectory(at: url("routines"), withIntermediateDirectories: true)
        for name in ["a", "b", "c"] { try write(Safety.routine("Manifest \(name)"), to: "\(name).yaml", in: url("routines")) }
        for environment in [["CADENCE_FAULTS": "rename:EIO@4"], ["CADENCE_FAULTS": "rename:EIO@4", "CADENCE_NAMED_PARTIALS": "1"]] {
            try? FileManager.default.removeItem(at: url("tracks"))
            let (result, _) = try Safety.cadence(
                ["render", "routines", "--out-dir", "tracks", "--jobs", "1"] + Safety.rate, in: folder,
                environment: environment)
            XCTAssertEqual(result.code, 0, "\(environment): \(result.stderr)")
            XCTAssertEqual(
                Safety.names(in: url("tracks")).filter { $0 != BatchCLI.manifestName }, ["a.wav", "b.wav", "c.wav"], "\(environment)")
            for name in ["a", "b", "c"] { XCTAssertTrue(WAVFile.isWhole(try Data(contentsOf: url("tracks/\(name).wav"))), name) }
            do {
                XCTAssertEqual(Safety.names(in: url("tracks")), ["a.wav", "b.wav", "c.wav"], "\(environment): a partial manifest was left")
                let again = try runCadence(["render", "routines", "--out-dir", "tracks"] + Safety.rate, in: folder)
                XCTAssertEqual(BatchCLI.summary(again), "rendered 3, up to date 0, failed 0", again.stderr)
            }
        }
    }

    /// A re-render turned mode 600 into 644: the track, its side files and batch tracks keep theirs.
    func testAReRenderKeepsTheModeOfEveryFile() throws {
        let first = try runCadence(
            ["render", "r.yaml", "-o", "x.wav", "--timeline", "x.json", "--labels", "x.txt", "-q"] + Safety.rate, in: folder)
        XCTAssertEqual(first.code, 0, first.stderr)
        XCTAssertEqual(chmod(url("x.wav").path, 0o600), 0)
        XCTAssertEqual(chmod(url("x.json").path, 0o640), 0)
        XCTAssertEqual(chmod(url("x.txt").path, 0o604), 0)
        for environment in [[:], ["CADENCE_NAMED_PARTIALS": "1"]] {
            for gain in ["-3", "-6"] {
                let (again, _) = try Safety.cadence(
                    ["render", "r.yaml", "-o", "x.wav", "--timeline", "x.json", "--labels", "x.txt", "--gain", gain, "-q"]
                        + Safety.rate, in: folder, environment: environment)
                XCTAssertEqual(again.code, 0, again.stderr)
                XCTAssertEqual(Safety.mode(of: url("x.wav")), 0o600, "the track's mode \(environment)")
                XCTAssertEqual(Safety.mode(of: url("x.json")), 0o640, "the timeline's mode \(environment)")
                XCTAssertEqual(Safety.mode(of: url("x.txt")), 0o604, "the labels' mode \(environment)")
            }
        }
        try FileManager.default.createDirectory(at: url("routines"), withIntermediateDirectories: true)
        try write(Safety.routine("Batch"), to: "b.yaml", in: url("routines"))
        XCTAssertEqual(try runCadence(["render", "routines", "--out-dir", "tracks", "-q"] + Safety.rate, in: folder).code, 0)
        XCTAssertEqual(chmod(url("tracks/b.wav").path, 0o600), 0)
        XCTAssertEqual(
            try runCadence(["render", "routines", "--out-dir", "tracks", "--force", "--gain", "-2", "-q"] + Safety.rate, in: folder).code, 0
        )
        XCTAssertEqual(Safety.mode(of: url("tracks/b.wav")), 0o600, "a batch re-render keeps the mode")
    }
}

extension Faults {
    /// Like `assertUnchanged`, for a folder that holds other writers' partial files on purpose.
    static func assertUnchangedButPartials(
        _ folder: URL, since before: [String: Data], _ context: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let after = snapshot(folder)
        XCTAssertEqual(after.keys.sorted(), before.keys.sorted(), "\(context): the files in the folder changed", file: file, line: line)
        for (name, bytes) in before where after[name] != bytes {
            XCTFail("\(context): \(name) was changed", file: file, line: line)
        }
    }
}
