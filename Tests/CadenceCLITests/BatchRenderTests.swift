import CadenceTestSupport
import Foundation
import XCTest

/// `cadence render FOLDER_OR_FILES... --out-dir DIR` (cli.md, README "Rendering a folder, and keeping
/// it up to date"): every routine is rendered once, then only what changed (routine, options, sound
/// pack, music, the track itself) is rendered again; a damaged manifest means "render again"; one
/// bad routine does not stop the others and the exit code is the first failure's in argument order;
/// the bytes do not depend on --jobs. Tracks are rendered at 8000 Hz to keep the suite quick.
final class BatchRenderTests: XCTestCase {
    static let names = ["alpha", "bravo", "charlie", "delta", "echo"]
    static let routinePaths = names.map { "routines/\($0).yaml" }

    private var folder: URL!
    private var routines: URL { folder.appendingPathComponent("routines") }
    private var tracks: URL { folder.appendingPathComponent("tracks") }

    override func setUpWithError() throws {
        folder = try BatchCLI.makeBatchFolder(Self.names, for: self)
    }

    /// `cadence render routines --out-dir tracks --sample-rate 8000 EXTRA`, asserting its exit code.
    @discardableResult
    private func batch(
        _ extra: [String] = [], sources: [String] = ["routines"], code: Int32 = 0,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> CommandResult {
        let args = ["render"] + sources + ["--out-dir", "tracks"] + BatchCLI.rate + extra
        let result = try runCadence(args, in: folder, file: file, line: line)
        XCTAssertEqual(result.code, code, "cadence \(args.joined(separator: " ")):\n\(result.stderr)", file: file, line: line)
        return result
    }

    private func assertSummary(
        _ result: CommandResult, rendered: Int, upToDate: Int, failed: Int,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(
            BatchCLI.summary(result), "rendered \(rendered), up to date \(upToDate), failed \(failed)",
            "summary line; standard error:\n\(result.stderr)", file: file, line: line)
        XCTAssertEqual(
            result.stderrLines.last, "rendered \(rendered), up to date \(upToDate), failed \(failed)",
            "the summary must be the last line", file: file, line: line)
    }

    private func states(
        _ names: [String] = BatchRenderTests.names, ext: String = "wav",
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> [String: TrackState] {
        try trackStates(names, in: tracks, ext: ext, file: file, line: line)
    }

    private func track(_ name: String, ext: String = "wav") -> URL { tracks.appendingPathComponent("\(name).\(ext)") }

    private func assertNoPartialFiles(file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(RenderCLI.partialFiles(in: tracks), [], "temporary files left in the output folder", file: file, line: line)
        XCTAssertEqual(RenderCLI.partialFiles(in: folder), [], "temporary files left in the current folder", file: file, line: line)
    }

    /// The track `cadence render ROUTINE -o FILE` writes for one routine alone, with the same options.
    private func renderedAlone(
        _ routine: String, _ extra: [String] = [], file: StaticString = #filePath,
        line: UInt = #line
    ) throws -> Data {
        let reference = folder.appendingPathComponent("alone-\(UUID().uuidString).wav")
        defer { try? FileManager.default.removeItem(at: reference) }
        let result = try runCadence(
            ["render", routine, "-o", reference.lastPathComponent] + BatchCLI.rate + extra,
            in: folder, file: file, line: line)
        XCTAssertEqual(result.code, 0, result.stderr, file: file, line: line)
        return try Data(contentsOf: reference)
    }

    // MARK: Up-to-date checks

    func testFirstRunRendersEveryRoutineAndASecondRunRendersNone() throws {
        let first = try batch()
        assertSummary(first, rendered: 5, upToDate: 0, failed: 0)
        XCTAssertEqual(BatchCLI.routines("rendered", in: first), Self.routinePaths, first.stderr)
        for name in Self.names {
            let prefix = "rendered    routines/\(name).yaml -> tracks/\(name).wav  ("
            XCTAssertEqual(
                first.stderrLines.filter { $0.hasPrefix(prefix) && $0.hasSuffix(" s)") }.count, 1,
                "one line for \(name):\n\(first.stderr)")
        }
        XCTAssertEqual(first.stdout, "", "progress and summary go to standard error")
        XCTAssertEqual(BatchCLI.files(in: tracks), [BatchCLI.manifestName] + Self.names.map { "\($0).wav" })
        for name in Self.names {
            let bytes = try RenderCLI.bytes(track(name))
            XCTAssertEqual(Array(bytes.prefix(4)), Array("RIFF".utf8), name)
            XCTAssertEqual(Array(bytes[8..<12]), Array("WAVE".utf8), name)
            let rate = UInt32(bytes[24]) | UInt32(bytes[25]) << 8 | UInt32(bytes[26]) << 16 | UInt32(bytes[27]) << 24
            XCTAssertEqual(rate, 8000, "\(name): --sample-rate applies to every track")
        }
        let before = try states()

        let second = try batch()
        assertSummary(second, rendered: 0, upToDate: 5, failed: 0)
        XCTAssertEqual(BatchCLI.routines("up to date", in: second), Self.routinePaths, second.stderr)
        XCTAssertEqual(BatchCLI.routines("rendered", in: second), [], second.stderr)
        XCTAssertEqual(second.stderrLines.filter { $0.hasPrefix("up to date  routines/alpha.yaml -> tracks/alpha.wav") }.count, 1)
        XCTAssertEqual(try states(), before, "a second run must not touch any track")
        assertNoPartialFiles()
    }

    func testASecondRunOfARealFolderIsFasterThanTheFirst() throws {
        // The five routines of Routines/ (6 to 25 minutes each): real work on the first run.
        for file in try FileManager.default.contentsOfDirectory(atPath: Paths.routines.path) where file.hasSuffix(".yaml") {
            try FileManager.default.copyItem(
                at: Paths.routines.appendingPathComponent(file),
                to: folder.appendingPathComponent("real").appendingPathComponent(file)
                    .creatingFolder())
        }
        var start = Date()
        let first = try batch(sources: ["real"])
        let firstTime = Date().timeIntervalSince(start)
        assertSummary(first, rendered: 5, upToDate: 0, failed: 0)
        start = Date()
        let second = try batch(sources: ["real"])
        let secondTime = Date().timeIntervalSince(start)
        assertSummary(second, rendered: 0, upToDate: 5, failed: 0)
        // Loose on purpose (shared machine): nothing rendered must cost less than rendering everything.
        XCTAssertLessThan(secondTime, firstTime, "second run \(secondTime) s, first run \(firstTime) s")
    }

    func testEditingOneRoutineRendersExactlyThatOneAgain() throws {
        try batch()
        let before = try states()
        try write(BatchCLI.routine("Routine charlie, edited", seconds: 9), to: "charlie.yaml", in: routines)

        let result = try batch()
        assertSummary(result, rendered: 1, upToDate: 4, failed: 0)
        XCTAssertEqual(BatchCLI.routines("rendered", in: result), ["routines/charlie.yaml"], result.stderr)
        XCTAssertEqual(BatchCLI.routines("up to date", in: result), Self.routinePaths.filter { !$0.contains("charlie") })
        let after = try states()
        for name in Self.names where name != "charlie" {
            XCTAssertEqual(after[name], before[name], "\(name): bytes, modification time and inode must not change")
        }
        XCTAssertNotEqual(after["charlie"]?.bytes, before["charlie"]?.bytes, "charlie's track must follow its routine")
        XCTAssertEqual(
            after["charlie"]?.bytes, try renderedAlone("routines/charlie.yaml"),
            "the new track is the one charlie.yaml gives alone")
        assertSummary(try batch(), rendered: 0, upToDate: 5, failed: 0)
    }

    func testSavingARoutineWithTheSameBytesKeepsItsTrack() throws {
        try batch()
        let before = try states()
        let path = routines.appendingPathComponent("delta.yaml")
        let bytes = try Data(contentsOf: path)
        try bytes.write(to: path)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(60)], ofItemAtPath: path.path)
        assertSummary(try batch(), rendered: 0, upToDate: 5, failed: 0)
        XCTAssertEqual(try states(), before)
    }

    func testChangingAnOptionRendersEveryTrackAgain() throws {
        try batch()
        let original = try states()
        var previous = original
        for option in [["--level", "hard"], ["--gain", "-6"], ["--channels", "1"], ["--bit-depth", "24"]] {
            let changed = try batch(option)
            assertSummary(changed, rendered: 5, upToDate: 0, failed: 0)
            let now = try states()
            for name in Self.names {
                XCTAssertNotEqual(now[name]?.inode, previous[name]?.inode, "\(option): \(name) must be written again")
            }
            if option[0] != "--level" {
                XCTAssertNotEqual(now["alpha"]?.bytes, previous["alpha"]?.bytes, "\(option) changes the track")
            }
            assertSummary(try batch(option), rendered: 0, upToDate: 5, failed: 0)
            previous = try states()
        }
        // Back to the defaults: rendered again, to the same bytes as the first time.
        assertSummary(try batch(), rendered: 5, upToDate: 0, failed: 0)
        let back = try states()
        for name in Self.names { XCTAssertEqual(back[name]?.bytes, original[name]?.bytes, name) }
    }

    func testChangingASoundPackFileRendersEveryTrackAgain() throws {
        let export = try runCadence(["sounds", "export", "pack"], in: folder)
        XCTAssertEqual(export.code, 0, export.stderr)
        let pack = folder.appendingPathComponent("pack")
        let go = pack.appendingPathComponent("go.wav")

        assertSummary(try batch(["--sounds", "pack"]), rendered: 5, upToDate: 0, failed: 0)
        assertSummary(try batch(["--sounds", "pack"]), rendered: 0, upToDate: 5, failed: 0)
        let before = try states()

        // go.wav now holds the stop sound: same name, other content.
        try FileManager.default.removeItem(at: go)
        try FileManager.default.copyItem(at: pack.appendingPathComponent("stop.wav"), to: go)
        assertSummary(try batch(["--sounds", "pack"]), rendered: 5, upToDate: 0, failed: 0)
        XCTAssertNotEqual(try states()["alpha"]?.bytes, before["alpha"]?.bytes, "the track uses the new go sound")
        assertSummary(try batch(["--sounds", "pack"]), rendered: 0, upToDate: 5, failed: 0)

        // A pack file removed: the built-in sound is used, so the tracks change again.
        try FileManager.default.removeItem(at: go)
        assertSummary(try batch(["--sounds", "pack"]), rendered: 5, upToDate: 0, failed: 0)
    }

    func testChangingAMusicFileRendersEveryTrackAgain() throws {
        let export = try runCadence(["sounds", "export", "pack"], in: folder)
        XCTAssertEqual(export.code, 0, export.stderr)
        let music = folder.appendingPathComponent("music.wav")
        try FileManager.default.copyItem(at: folder.appendingPathComponent("pack/finish.wav"), to: music)

        assertSummary(try batch(["--music", "music.wav"]), rendered: 5, upToDate: 0, failed: 0)
        assertSummary(try batch(["--music", "music.wav"]), rendered: 0, upToDate: 5, failed: 0)
        try FileManager.default.removeItem(at: music)
        try FileManager.default.copyItem(at: folder.appendingPathComponent("pack/switch.wav"), to: music)
        assertSummary(try batch(["--music", "music.wav"]), rendered: 5, upToDate: 0, failed: 0)
        assertSummary(try batch(["--music", "music.wav"]), rendered: 0, upToDate: 5, failed: 0)
    }

    func testADeletedOrChangedTrackIsRenderedAgain() throws {
        try batch()
        let before = try states()
        try FileManager.default.removeItem(at: track("bravo"))
        // delta: longer. echo: same size, one byte changed in place (so only its modification time tells).
        let delta = try FileHandle(forWritingTo: track("delta"))
        try delta.seekToEnd()
        try delta.write(contentsOf: Data([1, 2, 3, 4]))
        try delta.close()
        usleep(20_000)
        let echo = try FileHandle(forWritingTo: track("echo"))
        try echo.seek(toOffset: UInt64(before["echo"]!.bytes.count - 2))
        try echo.write(contentsOf: Data([before["echo"]!.bytes.last! ^ 0x55]))
        try echo.close()
        let changedEcho = try XCTUnwrap(TrackState(track("echo")))
        XCTAssertEqual(changedEcho.bytes.count, before["echo"]!.bytes.count)
        XCTAssertNotEqual(changedEcho.modified, before["echo"]!.modified, "precondition: the edit changed the time")

        let result = try batch()
        assertSummary(result, rendered: 3, upToDate: 2, failed: 0)
        XCTAssertEqual(BatchCLI.routines("rendered", in: result), ["routines/bravo.yaml", "routines/delta.yaml", "routines/echo.yaml"])
        let after = try states()
        for name in ["bravo", "delta", "echo"] {
            XCTAssertEqual(after[name]?.bytes, before[name]?.bytes, "\(name) is rendered again to its original bytes")
        }
        for name in ["alpha", "charlie"] { XCTAssertEqual(after[name], before[name], name) }
        assertSummary(try batch(), rendered: 0, upToDate: 5, failed: 0)
    }

    func testForceRendersEveryTrack() throws {
        try batch()
        let before = try states()
        let forced = try batch(["--force"])
        assertSummary(forced, rendered: 5, upToDate: 0, failed: 0)
        XCTAssertEqual(BatchCLI.routines("rendered", in: forced), Self.routinePaths)
        let after = try states()
        for name in Self.names {
            XCTAssertNotEqual(after[name]?.inode, before[name]?.inode, "\(name) must be written again")
            XCTAssertEqual(after[name]?.bytes, before[name]?.bytes, "\(name): same inputs, same bytes")
        }
        assertSummary(try batch(), rendered: 0, upToDate: 5, failed: 0)
    }

    // MARK: The manifest

    func testADamagedManifestMeansEverythingIsRenderedAgain() throws {
        try batch()
        let manifest = tracks.appendingPathComponent(BatchCLI.manifestName)
        let good = try Data(contentsOf: manifest)
        let text = String(decoding: good, as: UTF8.self)
        XCTAssertTrue(text.contains("\"version\" : 2"), "precondition: the manifest format is known: \(text)")
        let damaged: [(String, Data)] = [
            ("garbage bytes", Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) })),
            ("truncated JSON", good.prefix(good.count / 2)),
            ("an empty file", Data()),
            ("JSON null", Data("null".utf8)),
            ("tracks of the wrong type", Data(#"{"version": 2, "tracks": [1, 2, 3]}"#.utf8)),
            ("another manifest version", Data(text.replacingOccurrences(of: "\"version\" : 2", with: "\"version\" : 3").utf8)),
            ("invalid UTF-8", Data([0x7B, 0xFF, 0xFE, 0x22])),
        ]
        for (what, bytes) in damaged {
            try bytes.write(to: manifest)
            let result = try batch()
            XCTAssertFalse(result.stderr.contains("Fatal error"), "\(what): \(result.stderr)")
            assertSummary(result, rendered: 5, upToDate: 0, failed: 0)
            // The manifest is written anew.
            let json = try JSONSerialization.jsonObject(with: Data(contentsOf: manifest)) as? [String: Any]
            XCTAssertEqual(json?["version"] as? Int, 2, what)
            XCTAssertEqual(
                (json?["tracks"] as? [[String: Any]])?.compactMap { $0["name"] as? String }, Self.names.map { "\($0).wav" }, what)
        }
        // So the next run renders nothing.
        assertSummary(try batch(), rendered: 0, upToDate: 5, failed: 0)
        assertNoPartialFiles()
    }

    func testAMissingManifestMeansEverythingIsRenderedAgain() throws {
        try batch()
        try FileManager.default.removeItem(at: tracks.appendingPathComponent(BatchCLI.manifestName))
        assertSummary(try batch(), rendered: 5, upToDate: 0, failed: 0)
        assertSummary(try batch(), rendered: 0, upToDate: 5, failed: 0)
    }

    func testAFolderNamedLikeTheManifestDoesNotStopTheBatch() throws {
        let blocker = tracks.appendingPathComponent(BatchCLI.manifestName)
        try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: false)
        for _ in 0..<2 {
            // The manifest cannot be written: every run renders everything, and succeeds.
            let result = try batch()
            assertSummary(result, rendered: 5, upToDate: 0, failed: 0)
        }
        var isFolder: ObjCBool = false
        XCTAssertTrue(FileManager.default.fileExists(atPath: blocker.path, isDirectory: &isFolder) && isFolder.boolValue)
        XCTAssertEqual(BatchCLI.files(in: tracks), [BatchCLI.manifestName] + Self.names.map { "\($0).wav" })
        assertNoPartialFiles()
    }

    func testAManifestEntryMadeFromOtherInputsIsRenderedAgain() throws {
        // What a track made by another version of Cadence (or from other inputs) looks like: another fingerprint.
        try batch()
        let before = try states()
        let manifest = tracks.appendingPathComponent(BatchCLI.manifestName)
        var json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: manifest)) as? [String: Any])
        var entries = try XCTUnwrap(json["tracks"] as? [[String: Any]])
        let index = try XCTUnwrap(
            entries.firstIndex { $0["name"] as? String == "delta.wav" }, "the manifest has an entry per track: \(json)")
        entries[index]["fingerprint"] = "0123456789abcdef"
        json["tracks"] = entries
        try JSONSerialization.data(withJSONObject: json).write(to: manifest)

        let result = try batch()
        assertSummary(result, rendered: 1, upToDate: 4, failed: 0)
        XCTAssertEqual(BatchCLI.routines("rendered", in: result), ["routines/delta.yaml"])
        let after = try states()
        for name in Self.names where name != "delta" { XCTAssertEqual(after[name], before[name], name) }
    }

    // MARK: Failures

    func testABrokenRoutineIsReportedAndTheOthersAreRendered() throws {
        try write(BatchCLI.brokenRoutine, to: "broken.yaml", in: routines)
        let result = try batch(code: 65)
        XCTAssertTrue(
            result.stderr.contains("routines/broken.yaml:\(BatchCLI.brokenPosition): error: unknown key `hodl`"),
            result.stderr)
        XCTAssertEqual(BatchCLI.routines("failed", in: result), ["routines/broken.yaml"], result.stderr)
        XCTAssertEqual(BatchCLI.routines("rendered", in: result), Self.routinePaths, result.stderr)
        assertSummary(result, rendered: 5, upToDate: 0, failed: 1)
        XCTAssertEqual(
            BatchCLI.files(in: tracks), [BatchCLI.manifestName] + Self.names.map { "\($0).wav" },
            "no track for the broken routine")
        assertNoPartialFiles()

        // Still reported on the next run, while the others are up to date.
        let again = try batch(code: 65)
        assertSummary(again, rendered: 0, upToDate: 5, failed: 1)
        XCTAssertTrue(again.stderr.contains("routines/broken.yaml:\(BatchCLI.brokenPosition): error:"), again.stderr)
    }

    func testARoutineBrokenAfterItsTrackWasMadeKeepsTheTrackUntilItIsFixed() throws {
        try batch()
        let before = try states()
        let path = routines.appendingPathComponent("charlie.yaml")
        let good = try Data(contentsOf: path)
        try write(BatchCLI.brokenRoutine, to: "charlie.yaml", in: routines)
        let broken = try batch(code: 65)
        assertSummary(broken, rendered: 0, upToDate: 4, failed: 1)
        XCTAssertTrue(broken.stderr.contains("routines/charlie.yaml:\(BatchCLI.brokenPosition): error:"), broken.stderr)
        XCTAssertEqual(try states(), before, "a failed render leaves the existing track untouched")
        // Put back as it was: the track was made from these bytes, so it is up to date.
        try good.write(to: path)
        assertSummary(try batch(), rendered: 0, upToDate: 5, failed: 0)
        XCTAssertEqual(try states(), before)
    }

    func testAMissingRoutineAmongOthersIsReportedWith66AndTheOthersAreRendered() throws {
        // cli.md: "With several routines, each is rendered or reported on its own; the exit code is
        // the first failure's". A missing file is one routine's failure, not the whole command's.
        let result = try batch(sources: ["routines/alpha.yaml", "routines/missing.yaml", "routines/bravo.yaml"], code: 66)
        XCTAssertTrue(result.stderr.contains("routines/missing.yaml"), result.stderr)
        XCTAssertNotNil(TrackState(track("alpha")), "alpha must be rendered despite the missing routine:\n\(result.stderr)")
        XCTAssertNotNil(TrackState(track("bravo")), "bravo must be rendered despite the missing routine")
        assertSummary(result, rendered: 2, upToDate: 0, failed: 1)

        // In argument order: a broken routine named before the missing one gives 65, after it 66.
        try write(BatchCLI.brokenRoutine, to: "broken.yaml", in: routines)
        try batch(sources: ["routines/broken.yaml", "routines/missing.yaml", "routines/alpha.yaml"], code: 65)
        try batch(sources: ["routines/missing.yaml", "routines/broken.yaml", "routines/alpha.yaml"], code: 66)
    }

    func testTheExitCodeIsTheFirstFailuresInArgumentOrder() throws {
        // charlie's track cannot be created (a folder is in the way: 73); broken.yaml is invalid (65).
        try FileManager.default.createDirectory(at: track("charlie"), withIntermediateDirectories: false)
        try write(BatchCLI.brokenRoutine, to: "broken.yaml", in: routines)
        for jobs in ["1", "2", "3"] {
            let first = try batch(
                ["--jobs", jobs, "--force"],
                sources: [
                    "routines/alpha.yaml", "routines/charlie.yaml", "routines/broken.yaml",
                    "routines/bravo.yaml",
                ], code: 73)
            assertSummary(first, rendered: 2, upToDate: 0, failed: 2)
            XCTAssertTrue(first.stderr.contains("tracks/charlie.wav"), first.stderr)
            XCTAssertTrue(first.stderr.contains("routines/broken.yaml:\(BatchCLI.brokenPosition): error:"), first.stderr)
            let second = try batch(
                ["--jobs", jobs, "--force"],
                sources: ["routines/broken.yaml", "routines/alpha.yaml", "routines/charlie.yaml"], code: 65)
            assertSummary(second, rendered: 1, upToDate: 0, failed: 2)
        }
        XCTAssertNotNil(TrackState(track("alpha")))
        XCTAssertNotNil(TrackState(track("bravo")))
    }

    func testAnInterruptedBatchExits130AndTheNextRunRendersWhatWasLeft() throws {
        // zulu.yaml sorts last and takes a second or so: Ctrl-C while it renders, the others done.
        try write(BatchCLI.longRoutine("Long session"), to: "zulu.yaml", in: routines)
        let options = ["--jobs", "1", "--channels", "1"]
        let run = try BackgroundCadence(
            ["render", "routines", "--out-dir", "tracks"] + BatchCLI.rate + options, in: folder,
            environment: ["CADENCE_NAMED_PARTIALS": "1"])
        XCTAssertTrue(
            waitUntil(timeout: 30) { RenderCLI.partialFiles(in: tracks).contains { $0.contains("zulu") } || !run.isRunning },
            "zulu's render was not seen:\n\(run.stderr)")
        XCTAssertEqual(run.interrupt(), 130, run.stderr)
        assertNoPartialFiles()
        XCTAssertNil(TrackState(track("zulu")), "an interrupted render leaves no track")
        let done = try states()

        let next = try batch(options)
        assertSummary(next, rendered: 1, upToDate: 5, failed: 0)
        XCTAssertEqual(BatchCLI.routines("rendered", in: next), ["routines/zulu.yaml"])
        XCTAssertEqual(try states(), done, "the tracks finished before Ctrl-C are up to date")
    }

    // MARK: --jobs

    func testTracksAreByteIdenticalWhateverJobsIs() throws {
        // Two real routines (breaths, sides, sets, announcements) with the five short ones.
        for file in ["daily-lower-back.yaml", "gentle-back-pain-relief.yaml"] {
            try FileManager.default.copyItem(
                at: Paths.routines.appendingPathComponent(file),
                to: routines.appendingPathComponent(file))
        }
        let all = BatchCLI.files(in: routines).map { ($0 as NSString).deletingPathExtension }
        XCTAssertEqual(all.count, 7)
        var outputs: [String: [String: Data]] = [:]
        for jobs in ["1", "2", "3"] {
            let out = "out-\(jobs)"
            try FileManager.default.createDirectory(at: folder.appendingPathComponent(out), withIntermediateDirectories: false)
            let args = ["render", "routines", "--out-dir", out, "--jobs", jobs] + BatchCLI.rate
            let result = try runCadence(args, in: folder)
            XCTAssertEqual(result.code, 0, result.stderr)
            XCTAssertEqual(BatchCLI.summary(result), "rendered 7, up to date 0, failed 0", result.stderr)
            outputs[jobs] = try Dictionary(
                uniqueKeysWithValues: all.map {
                    ($0, try Data(contentsOf: folder.appendingPathComponent(out).appendingPathComponent("\($0).wav")))
                })
        }
        for name in all {
            XCTAssertEqual(outputs["2"]?[name], outputs["1"]?[name], "\(name): --jobs 2 and --jobs 1 differ")
            XCTAssertEqual(outputs["3"]?[name], outputs["1"]?[name], "\(name): --jobs 3 and --jobs 1 differ")
        }
        XCTAssertEqual(
            outputs["2"]?["daily-lower-back"], try renderedAlone("routines/daily-lower-back.yaml"),
            "a track of a batch is the track of its routine rendered alone")
    }

    func testJobsMustBeAtLeastOne() throws {
        let result = try batch(["--jobs", "0"], code: 64)
        XCTAssertTrue(result.stderr.contains("--jobs"), result.stderr)
        XCTAssertEqual(BatchCLI.files(in: tracks), [])
    }

    // MARK: Command line

    func testTwoRoutinesWithTheSameBaseNameAreRefused() throws {
        for sub in ["x", "y"] {
            let dir = folder.appendingPathComponent(sub)
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: false)
            try write(BatchCLI.routine("Warm-up \(sub)"), to: "warmup.yaml", in: dir)
        }
        let result = try batch(sources: ["x/warmup.yaml", "y/warmup.yaml"], code: 64)
        XCTAssertTrue(result.stderr.contains("x/warmup.yaml") && result.stderr.contains("y/warmup.yaml"), result.stderr)
        XCTAssertTrue(result.stderr.contains("tracks/warmup.wav"), "the message names the clashing track: \(result.stderr)")
        XCTAssertEqual(BatchCLI.files(in: tracks), [], "nothing is rendered")

        // Also within one folder: alpha.yaml and alpha.yml.
        try write(BatchCLI.routine("Alpha again"), to: "alpha.yml", in: routines)
        let same = try batch(code: 64)
        XCTAssertTrue(same.stderr.contains("alpha.yaml") && same.stderr.contains("alpha.yml"), same.stderr)
        XCTAssertEqual(BatchCLI.files(in: tracks), [])
    }

    func testOutputWithSeveralRoutinesIsACommandLineError() throws {
        for sources in [["routines/alpha.yaml", "routines/bravo.yaml"], ["routines"]] {
            let result = try runCadence(["render"] + sources + ["-o", "one.wav"] + BatchCLI.rate, in: folder)
            XCTAssertEqual(result.code, 64, "\(sources): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("--out-dir"), "the message says what to use: \(result.stderr)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("one.wav").path))
        }
        XCTAssertEqual(BatchCLI.files(in: tracks), [])
    }

    func testTimelineOrLabelsWithSeveralRoutinesIsACommandLineError() throws {
        for sources in [["routines/alpha.yaml", "routines/bravo.yaml"], ["routines"]] {
            for option in ["--timeline", "--labels"] {
                let result = try batch([option, "out.txt"], sources: sources, code: 64)
                XCTAssertTrue(result.stderr.contains(option), "\(sources) \(option): \(result.stderr)")
                XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out.txt").path))
            }
        }
        XCTAssertEqual(BatchCLI.files(in: tracks), [])
    }

    func testFormatAppliesToEveryTrack() throws {
        let flac = try batch(["--format", "flac"])
        assertSummary(flac, rendered: 5, upToDate: 0, failed: 0)
        XCTAssertEqual(BatchCLI.files(in: tracks), [BatchCLI.manifestName] + Self.names.map { "\($0).flac" })
        for name in Self.names {
            XCTAssertEqual(Array(try RenderCLI.bytes(track(name, ext: "flac")).prefix(4)), Array("fLaC".utf8), name)
        }
        XCTAssertTrue(flac.stderr.contains("routines/alpha.yaml -> tracks/alpha.flac"), flac.stderr)
        assertSummary(try batch(["--format", "flac"]), rendered: 0, upToDate: 5, failed: 0)
        // Another format is another set of tracks; the FLAC ones stay up to date.
        assertSummary(try batch(["--format", "wav"]), rendered: 5, upToDate: 0, failed: 0)
        assertSummary(try batch(["--format", "flac"]), rendered: 0, upToDate: 5, failed: 0)
    }

    func testWithoutOutDirTracksGoToTheCurrentFolderAndOneRoutineLeavesNoManifest() throws {
        let single = try runCadence(["render", "routines/alpha.yaml", "-q"] + BatchCLI.rate, in: folder)
        XCTAssertEqual(single.code, 0, single.stderr)
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: folder.appendingPathComponent(BatchCLI.manifestName).path),
            "a single routine never leaves a manifest")
        let first = try runCadence(["render", "routines"] + BatchCLI.rate, in: folder)
        XCTAssertEqual(first.code, 0, first.stderr)
        XCTAssertEqual(BatchCLI.summary(first), "rendered 5, up to date 0, failed 0")
        for name in Self.names {
            XCTAssertNotNil(TrackState(folder.appendingPathComponent("\(name).wav")), name)
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent(BatchCLI.manifestName).path))
        let second = try runCadence(["render", "routines"] + BatchCLI.rate, in: folder)
        XCTAssertEqual(BatchCLI.summary(second), "rendered 0, up to date 5, failed 0", second.stderr)
    }

    func testAMissingOutDirIsCreatedAndAFileInItsPlaceIsRefused() throws {
        let result = try runCadence(["render", "routines", "--out-dir", "new/deeper"] + BatchCLI.rate, in: folder)
        XCTAssertEqual(result.code, 0, result.stderr)
        XCTAssertEqual(BatchCLI.summary(result), "rendered 5, up to date 0, failed 0", result.stderr)
        XCTAssertEqual(
            BatchCLI.files(in: folder.appendingPathComponent("new/deeper")),
            [BatchCLI.manifestName] + Self.names.map { "\($0).wav" })

        try write("not a folder", to: "afile", in: folder)
        let refused = try runCadence(["render", "routines", "--out-dir", "afile"] + BatchCLI.rate, in: folder)
        XCTAssertEqual(refused.code, 73, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("afile"), refused.stderr)
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("afile"), encoding: .utf8), "not a folder")
    }

    func testQuietPrintsOnlyTheErrors() throws {
        try write(BatchCLI.brokenRoutine, to: "broken.yaml", in: routines)
        let result = try batch(["-q"], code: 65)
        XCTAssertTrue(result.stderr.contains("routines/broken.yaml:\(BatchCLI.brokenPosition): error:"), result.stderr)
        XCTAssertNil(BatchCLI.summary(result), result.stderr)
        XCTAssertFalse(result.stderr.contains("routines/alpha.yaml"), result.stderr)
        XCTAssertEqual(try states().count, 5)
    }
}

private extension URL {
    /// Creates the folder this file goes in, and returns the file's URL.
    func creatingFolder() throws -> URL {
        try FileManager.default.createDirectory(at: deletingLastPathComponent(), withIntermediateDirectories: true)
        return self
    }
}
