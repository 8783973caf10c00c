import CadenceTestSupport
import Foundation
import XCTest

// Helpers for the batch (`cadence render FOLDER --out-dir DIR`) and `cadence watch` tests:
// small routines, the state of a track on disk (bytes, modification time, inode), the lines a
// batch prints, and running `cadence watch` in the background until it is sent SIGINT.

enum BatchCLI {
    static let manifestName = ".cadence-manifest.json"
    /// Every batch test renders at this rate, so tracks are small and quick.
    static let rate = ["--sample-rate", "8000"]

    /// A short valid routine (about `seconds` + 4 s long). `title` and `seconds` change its track's bytes.
    static func routine(_ title: String, seconds: Int = 3) -> String {
        """
        title: \(title)
        defaults: {lead_in: 1s, transition: 1s, tail: 1s, countdown: 1}
        steps:
          - name: Reach
            hold: \(seconds)s
          - name: Side bend
            hold: 1s
            sides: each
            switch: 0.5s

        """
    }

    /// A routine with an error at line 4, column 5 (an unknown key in a step).
    static let brokenRoutine = """
        title: Broken one
        steps:
          - name: Stretch
            hodl: 30s
            hold: 2s

        """
    static let brokenPosition = "4:5"

    /// A routine whose track takes a second or more to render at 8000 Hz (90 minutes of held stretches).
    static func longRoutine(_ title: String) -> String {
        """
        title: \(title)
        steps:
          - name: Long hold
            hold: 60s
            reps: 90
            rest: 1s

        """
    }

    /// A scratch folder holding `routines/` with `names` (each `NAME.yaml`, a distinct short routine)
    /// and an empty `tracks/`, removed when `test` ends.
    static func makeBatchFolder(_ names: [String], for test: XCTestCase) throws -> URL {
        let folder = try ScratchFolder(for: test).url
        let routines = folder.appendingPathComponent("routines"), tracks = folder.appendingPathComponent("tracks")
        try FileManager.default.createDirectory(at: routines, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: tracks, withIntermediateDirectories: true)
        for (index, name) in names.enumerated() {
            try write(routine("Routine \(name)", seconds: 2 + index), to: "\(name).yaml", in: routines)
        }
        return folder
    }

    /// The summary line a batch ends with (the last line of standard error that looks like one).
    static func summary(_ result: CommandResult) -> String? {
        result.stderrLines.last { $0.hasPrefix("rendered ") && $0.contains(", up to date ") && $0.contains(", failed ") }
    }

    /// The routines of the per-routine lines starting with `status` (`rendered`, `up to date`, `failed`), sorted.
    static func routines(_ status: String, in result: CommandResult) -> [String] {
        let prefix = status.padding(toLength: 12, withPad: " ", startingAt: 0)
        return result.stderrLines.filter { $0.hasPrefix(prefix) }.map { line in
            let rest = line.dropFirst(prefix.count)
            return String(rest.components(separatedBy: " -> ").first ?? String(rest))
        }.sorted()
    }

    /// The names of the files in `folder` (hidden ones too), sorted.
    static func files(in folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }
}

/// What a track is on disk. A track written again (renamed over the old one) gets a new inode and
/// modification time even when its bytes are the same.
struct TrackState: Equatable, CustomStringConvertible {
    var bytes: Data
    var modified: Int64
    var inode: UInt64

    init?(_ url: URL) {
        var status = stat()
        guard stat(url.path, &status) == 0, let data = try? Data(contentsOf: url) else { return nil }
        bytes = data
        modified = Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec)
        inode = UInt64(status.st_ino)
    }

    var description: String { "\(bytes.count) bytes, modified \(modified), inode \(inode)" }
}

/// The states of the tracks named `names` (`NAME.wav`) in `folder`; fails the test for a missing one.
func trackStates(
    _ names: [String], in folder: URL, ext: String = "wav",
    file: StaticString = #filePath, line: UInt = #line
) throws -> [String: TrackState] {
    var states: [String: TrackState] = [:]
    for name in names {
        states[name] = try XCTUnwrap(
            TrackState(folder.appendingPathComponent("\(name).\(ext)")),
            "\(name).\(ext) is missing", file: file, line: line)
    }
    return states
}

/// Polls `condition` every 10 ms until it holds or `timeout` passes; returns whether it held.
@discardableResult
func waitUntil(timeout: TimeInterval, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}

/// `cadence ARGS` running in the background (for `cadence watch`), its standard error readable
/// while it runs. `stop()` (also run when it is released) ends it if still running.
final class BackgroundCadence {
    private let process: RunningProcess

    /// - Parameter environment: variables added to this process's environment (such as
    ///   `CADENCE_NAMED_PARTIALS=1`, so the track being written can be seen by its name).
    init(
        _ args: [String], in directory: URL, environment: [String: String] = [:], file: StaticString = #filePath,
        line: UInt = #line
    ) throws {
        let executable = try XCTUnwrap(
            Paths.cadence, "the cadence binary was not found next to the test bundle",
            file: file, line: line)
        process = try RunningProcess(executable.path, args, in: directory, environment: environment)
    }

    var pid: Int32 { process.pid }

    var isRunning: Bool { process.isRunning }

    /// Everything written to standard error so far.
    var stderr: String { process.stderr }

    /// How many times `text` appears in standard error so far.
    func count(_ text: String) -> Int { stderr.components(separatedBy: text).count - 1 }

    /// Waits until standard error holds `text` at least `times` times; returns whether it did.
    @discardableResult
    func waitForStderr(_ text: String, times: Int = 1, timeout: TimeInterval) -> Bool {
        waitUntil(timeout: timeout) { count(text) >= times || !process.isRunning } && count(text) >= times
    }

    /// Sends SIGINT (Ctrl-C) and waits at most `timeout` for the exit; returns the exit status
    /// (128 + N for signal N), or nil if it was still running (it is then killed). When it had
    /// ended already, its exit status as Foundation reports it.
    func interrupt(timeout: TimeInterval = 20) -> Int32? {
        guard process.isRunning else { return process.status() }
        process.send(SIGINT)
        guard process.waitForExit(timeout: timeout) else {
            stop()
            return nil
        }
        return process.status(signalsAsShellStatus: true)
    }

    /// Ends the process if it still runs: SIGTERM, then SIGKILL after 5 s.
    func stop() { process.stop() }
}
