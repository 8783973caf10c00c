import Foundation
import XCTest

/// `cadence watch FOLDER --out-dir DIR` (README): renders what is not up to date, then renders a
/// routine again within a second or two of it being saved; errors are reported and watching goes
/// on; Ctrl-C stops it with exit 0, leaving no half-written track.
final class WatchCommandTests: XCTestCase {
    static let names = ["alpha", "bravo", "charlie"]

    private var folder: URL!
    private var routines: URL { folder.appendingPathComponent("routines") }
    private var tracks: URL { folder.appendingPathComponent("tracks") }
    private var watcher: BackgroundCadence?

    override func setUpWithError() throws {
        folder = try BatchCLI.makeBatchFolder(Self.names, for: self)
        // The watcher stops before the folder it writes in is removed (teardown blocks run last first).
        addTeardownBlock {
            self.watcher?.stop()
            self.watcher = nil
        }
    }

    private func track(_ name: String, ext: String = "wav") -> URL { tracks.appendingPathComponent("\(name).\(ext)") }

    /// Starts `cadence watch routines --out-dir tracks --sample-rate 8000 EXTRA`.
    private func startWatching(_ extra: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws -> BackgroundCadence {
        // Named partial files, so a test can see which track is being written.
        let watcher = try BackgroundCadence(
            ["watch", "routines", "--out-dir", "tracks"] + BatchCLI.rate + extra,
            in: folder, environment: ["CADENCE_NAMED_PARTIALS": "1"], file: file, line: line)
        self.watcher = watcher
        return watcher
    }

    /// Waits for the summary line `summary` to have been printed `times` times, then a little more,
    /// so that the watcher is back to looking at the folder (a save made while it is still busy with
    /// a batch is a case of its own: see the last tests).
    private func waitForSummary(
        _ watcher: BackgroundCadence, _ summary: String, times: Int = 1, timeout: TimeInterval = 30,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertTrue(
            watcher.waitForStderr(summary, times: times, timeout: timeout),
            "expected `\(summary)` \(times) time(s); standard error:\n\(watcher.stderr)", file: file, line: line)
        usleep(200_000)
    }

    /// Writes `text` to `routines/NAME.yaml`, then waits for the track to be written again (a new
    /// inode: tracks are renamed into place). Returns the seconds it took, or nil on timeout. Then
    /// waits for the batch to end (its summary line) before returning.
    private func saveAndWaitForTrack(_ name: String, _ text: String, timeout: TimeInterval = 5) throws -> TimeInterval? {
        let before = TrackState(track(name))
        let batches = watcher?.count(", failed ") ?? 0
        let saved = Date()
        try write(text, to: "\(name).yaml", in: routines)
        let changed = waitUntil(timeout: timeout) {
            guard let now = TrackState(track(name)) else { return false }
            return now.inode != before?.inode || now.modified != before?.modified
        }
        let took = Date().timeIntervalSince(saved)
        if changed, let watcher {
            XCTAssertTrue(waitUntil(timeout: 10) { watcher.count(", failed ") > batches }, "no summary:\n\(watcher.stderr)")
            usleep(200_000)
        }
        return changed ? took : nil
    }

    /// Sends SIGINT and checks the clean end: exit 0, "stopped watching", no temporary files.
    private func stopAndCheck(_ watcher: BackgroundCadence, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertTrue(watcher.isRunning, "cadence watch must still be running before Ctrl-C:\n\(watcher.stderr)", file: file, line: line)
        let code = watcher.interrupt()
        XCTAssertEqual(code, 0, "Ctrl-C ends watch with exit 0:\n\(watcher.stderr)", file: file, line: line)
        XCTAssertTrue(watcher.stderr.contains("stopped watching routines"), watcher.stderr, file: file, line: line)
        XCTAssertEqual(RenderCLI.partialFiles(in: tracks), [], "temporary files left behind", file: file, line: line)
        XCTAssertEqual(RenderCLI.partialFiles(in: routines), [], file: file, line: line)
    }

    /// The track `cadence render routines/NAME.yaml` gives alone, with the watch's options.
    private func renderedAlone(_ name: String, _ extra: [String] = [], ext: String = "wav") throws -> Data {
        let reference = "alone-\(UUID().uuidString).\(ext)"
        defer { try? FileManager.default.removeItem(at: folder.appendingPathComponent(reference)) }
        let result = try runCadence(["render", "routines/\(name).yaml", "-o", reference, "-q"] + BatchCLI.rate + extra, in: folder)
        XCTAssertEqual(result.code, 0, result.stderr)
        return try Data(contentsOf: folder.appendingPathComponent(reference))
    }

    func testWatchRendersTheFolderThenASavedRoutineWithinTwoSeconds() throws {
        let watcher = try startWatching()
        waitForSummary(watcher, "rendered 3, up to date 0, failed 0")
        XCTAssertTrue(watcher.stderr.hasPrefix("watching routines"), watcher.stderr)
        let before = try trackStates(Self.names, in: tracks)

        let took = try XCTUnwrap(
            try saveAndWaitForTrack("bravo", BatchCLI.routine("Routine bravo, edited", seconds: 8)),
            "bravo.wav was not rendered again within 10 s of saving bravo.yaml:\n\(watcher.stderr)")
        XCTAssertLessThan(took, 2.0, "the track must follow its routine within 2 s")
        waitForSummary(watcher, "rendered 1, up to date 0, failed 0")
        let after = try trackStates(Self.names, in: tracks)
        XCTAssertEqual(after["alpha"], before["alpha"], "alpha was not saved: its track stays as it was")
        XCTAssertEqual(after["charlie"], before["charlie"])
        XCTAssertEqual(watcher.count("rendered    routines/bravo.yaml"), 2, watcher.stderr)

        // A second save of the same routine is noticed too.
        let again = try XCTUnwrap(
            try saveAndWaitForTrack("bravo", BatchCLI.routine("Routine bravo, edited twice", seconds: 4)),
            "a second save was not rendered:\n\(watcher.stderr)")
        XCTAssertLessThan(again, 2.0)
        stopAndCheck(watcher)
        XCTAssertEqual(
            try Data(contentsOf: track("bravo")), try renderedAlone("bravo"),
            "the watched track is the one the saved routine gives")
    }

    func testABrokenRoutineIsReportedAndWatchingGoesOn() throws {
        let watcher = try startWatching()
        waitForSummary(watcher, "rendered 3, up to date 0, failed 0")

        try write(BatchCLI.brokenRoutine, to: "broken.yaml", in: routines)
        XCTAssertTrue(
            watcher.waitForStderr("routines/broken.yaml:\(BatchCLI.brokenPosition): error: unknown key `hodl`", timeout: 5),
            "the error must be reported while watching:\n\(watcher.stderr)")
        waitForSummary(watcher, "rendered 0, up to date 0, failed 1")
        XCTAssertTrue(watcher.isRunning, "an error must not stop watching:\n\(watcher.stderr)")
        XCTAssertNil(TrackState(track("broken")))

        // Watching goes on: another routine saved is rendered.
        let took = try XCTUnwrap(
            try saveAndWaitForTrack("charlie", BatchCLI.routine("Routine charlie, edited", seconds: 6)),
            "charlie was not rendered after the error:\n\(watcher.stderr)")
        XCTAssertLessThan(took, 2.0)

        // The broken routine, fixed, is rendered.
        XCTAssertNotNil(
            try saveAndWaitForTrack("broken", BatchCLI.routine("Fixed")),
            "the fixed routine was not rendered:\n\(watcher.stderr)")

        // A routine removed while watching does not stop it either.
        try FileManager.default.removeItem(at: routines.appendingPathComponent("alpha.yaml"))
        XCTAssertNotNil(
            try saveAndWaitForTrack("bravo", BatchCLI.routine("Routine bravo, after alpha left", seconds: 5)),
            watcher.stderr)
        stopAndCheck(watcher)
    }

    func testTracksAlreadyUpToDateAreNotRenderedWhenWatchingStarts() throws {
        let render = try runCadence(["render", "routines", "--out-dir", "tracks", "-q"] + BatchCLI.rate, in: folder)
        XCTAssertEqual(render.code, 0, render.stderr)
        let before = try trackStates(Self.names, in: tracks)
        try write(BatchCLI.routine("Routine alpha, edited while not watching", seconds: 7), to: "alpha.yaml", in: routines)

        let watcher = try startWatching()
        waitForSummary(watcher, "rendered 1, up to date 2, failed 0")
        let after = try trackStates(Self.names, in: tracks)
        XCTAssertNotEqual(after["alpha"], before["alpha"])
        XCTAssertEqual(after["bravo"], before["bravo"])
        XCTAssertEqual(after["charlie"], before["charlie"])
        stopAndCheck(watcher)
    }

    func testCtrlCDuringARenderStopsCleanly() throws {
        try FileManager.default.removeItem(at: routines)
        try FileManager.default.createDirectory(at: routines, withIntermediateDirectories: false)
        try write(BatchCLI.longRoutine("Long session"), to: "long.yaml", in: routines)
        let watcher = try startWatching(["--channels", "1"])
        XCTAssertTrue(
            waitUntil(timeout: 30) { !RenderCLI.partialFiles(in: tracks).isEmpty || !watcher.isRunning },
            "no render started:\n\(watcher.stderr)")
        let code = watcher.interrupt()
        XCTAssertEqual(code, 0, "Ctrl-C ends watch with exit 0, even mid-render:\n\(watcher.stderr)")
        XCTAssertTrue(watcher.stderr.contains("stopped watching routines"), watcher.stderr)
        XCTAssertEqual(RenderCLI.partialFiles(in: tracks), [], "the half-written track must be removed")
        XCTAssertNil(TrackState(track("long")), "an interrupted render leaves no track")
    }

    func testARoutineSavedWhileItIsBeingRenderedIsRenderedAgain() throws {
        // The save comes after the watcher read the routine (its temporary track exists) and before the
        // render ends: the track must end up following the saved routine.
        try FileManager.default.removeItem(at: routines)
        try FileManager.default.createDirectory(at: routines, withIntermediateDirectories: false)
        try write(BatchCLI.longRoutine("Long session one"), to: "long.yaml", in: routines)
        let options = ["--channels", "1", "--format", "flac"]
        let watcher = try startWatching(options)
        XCTAssertTrue(
            waitUntil(timeout: 30) { !RenderCLI.partialFiles(in: tracks).isEmpty || !watcher.isRunning },
            "no render started:\n\(watcher.stderr)")
        try write(BatchCLI.longRoutine("Long session two"), to: "long.yaml", in: routines)
        let savedDuringRender = !RenderCLI.partialFiles(in: tracks).isEmpty
        waitForSummary(watcher, "rendered 1, up to date 0, failed 0")
        let title = Data("Long session two".utf8)
        let followed = waitUntil(timeout: 5) {
            (try? Data(contentsOf: track("long", ext: "flac")))?.range(of: title) != nil
        }
        XCTAssertTrue(
            followed,
            "the track still holds the routine as it was before the save "
                + "(saved during the render: \(savedDuringRender)):\n\(watcher.stderr)")
        stopAndCheck(watcher)
    }

    func testARoutineSavedWhileAnotherIsBeingRenderedIsRenderedToo() throws {
        // A coach saves alpha.yaml while long.yaml (saved just before) is still being rendered.
        try write(BatchCLI.longRoutine("Long session one"), to: "long.yaml", in: routines)
        let watcher = try startWatching(["--channels", "1"])
        waitForSummary(watcher, "rendered 4, up to date 0, failed 0")
        let before = try trackStates(Self.names, in: tracks)

        try write(BatchCLI.longRoutine("Long session two"), to: "long.yaml", in: routines)
        XCTAssertTrue(
            waitUntil(timeout: 30) { RenderCLI.partialFiles(in: tracks).contains { $0.contains("long") } || !watcher.isRunning },
            "long.yaml's new render was not seen:\n\(watcher.stderr)")
        try write(BatchCLI.routine("Routine alpha, saved during another render", seconds: 6), to: "alpha.yaml", in: routines)
        let savedDuringRender = RenderCLI.partialFiles(in: tracks).contains { $0.contains("long") }
        let rendered = waitUntil(timeout: 5) { TrackState(track("alpha"))?.inode != before["alpha"]?.inode }
        XCTAssertTrue(
            rendered,
            "alpha.yaml was saved but its track was never rendered again "
                + "(saved during long's render: \(savedDuringRender)):\n\(watcher.stderr)")
        stopAndCheck(watcher)
    }

    func testWatchCreatesAMissingOutDir() throws {
        let watcher = try BackgroundCadence(["watch", "routines", "--out-dir", "new/tracks"] + BatchCLI.rate, in: folder)
        self.watcher = watcher
        waitForSummary(watcher, "rendered 3, up to date 0, failed 0")
        XCTAssertEqual(
            BatchCLI.files(in: folder.appendingPathComponent("new/tracks")),
            [BatchCLI.manifestName] + Self.names.map { "\($0).wav" })
        XCTAssertEqual(watcher.interrupt(), 0, watcher.stderr)

        try write("not a folder", to: "afile", in: folder)
        let refused = try runCadence(["watch", "routines", "--out-dir", "afile"] + BatchCLI.rate, in: folder)
        XCTAssertEqual(refused.code, 73, refused.stderr)
    }

    func testWatchNeedsSomethingThatExists() throws {
        let result = try runCadence(["watch", "missing-folder", "--out-dir", "tracks"] + BatchCLI.rate, in: folder)
        XCTAssertEqual(result.code, 66, result.stderr)
        XCTAssertEqual(result.stderr, "missing-folder: error: no such folder or routine file\n")
        XCTAssertEqual(BatchCLI.files(in: tracks), [])
    }

    func testWatchingOneFileRendersItAndOnlyIt() throws {
        let watcher = try BackgroundCadence(["watch", "routines/alpha.yaml", "--out-dir", "tracks"] + BatchCLI.rate, in: folder)
        self.watcher = watcher
        waitForSummary(watcher, "rendered 1, up to date 0, failed 0")
        XCTAssertEqual(BatchCLI.files(in: tracks), [".cadence-manifest.json", "alpha.wav"], watcher.stderr)
        XCTAssertNotNil(try saveAndWaitForTrack("alpha", BatchCLI.routine("Routine alpha, edited", seconds: 6)), watcher.stderr)
        XCTAssertEqual(BatchCLI.files(in: tracks), [".cadence-manifest.json", "alpha.wav"], "only the watched file is rendered")
        XCTAssertEqual(watcher.interrupt(), 0, watcher.stderr)
        XCTAssertTrue(watcher.stderr.contains("stopped watching routines/alpha.yaml"), watcher.stderr)
    }
}
