import CadenceTestSupport
import Foundation
import XCTest

// Helpers for the fault-injection tests (FaultInjectionTests.swift) and the CLI limits and corpus
// tests: small file systems that fill up or are read-only (tmpfs, when this machine lets the tests
// mount one), running `cadence` as an unprivileged user, signals mid-render, and snapshots of a
// folder to prove a failure changed nothing in it. Running `cadence` itself goes through
// `runCadence` (CLISupport.swift) and `RenderCLI` (RenderTestSupport.swift), programs through
// CadenceTestSupport's `ProcessRunner`, WAV files through its `WAVFile`.

enum Faults {
    // MARK: tmpfs

    /// Whether this process may mount a tmpfs (root with CAP_SYS_ADMIN; not in most CI containers).
    static let canMount: Bool = {
        guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/bin/mount") else { return false }
        guard let probe = try? ScratchFolder("mount-probe") else { return false }
        defer { probe.remove() }
        guard run("/bin/mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", probe.path]) == 0 else { return false }
        _ = run("/bin/umount", [probe.path])
        return true
    }()

    static func requireMount() throws {
        if !canMount {
            throw XCTSkip(
                "mounting a tmpfs is not permitted here (it needs root with CAP_SYS_ADMIN); "
                    + "the disk-full cases that need no mount (ulimit -f) still run")
        }
    }

    /// Mounts a tmpfs of `kibibytes` at `folder` (created if needed). Call `unmount` when done.
    static func mountTmpfs(at folder: URL, kibibytes: Int, file: StaticString = #filePath, line: UInt = #line) throws {
        try requireMount()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let status = run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(kibibytes)k,mode=0755", "tmpfs", folder.path])
        XCTAssertEqual(status, 0, "mount -t tmpfs at \(folder.path)", file: file, line: line)
        if status != 0 { throw XCTSkip("mount -t tmpfs failed (\(status))") }
    }

    static func remountReadOnly(_ folder: URL, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(run("/bin/mount", ["-o", "remount,ro", folder.path]), 0, "remount read-only", file: file, line: line)
    }

    /// Unmounts `folder` (lazily, so a file still open cannot keep it mounted); nothing if not mounted.
    static func unmount(_ folder: URL) {
        _ = run("/bin/umount", ["-l", folder.path])
    }

    // MARK: Processes

    /// Runs a program to completion and returns its exit status (its output is not looked at), or -1
    /// when it cannot be started.
    @discardableResult
    static func run(_ executable: String, _ args: [String]) -> Int32 {
        (try? ProcessRunner.run(executable, args))?.code ?? -1
    }

    /// `setpriv`, to run `cadence` as the unprivileged user `nobody` (root ignores file permissions).
    static let setpriv = "/usr/bin/setpriv"

    static func requireUnprivilegedRun() throws {
        guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: setpriv) else {
            throw XCTSkip("running as another user needs root and setpriv (util-linux)")
        }
    }

    /// Runs `cadence args` in `directory` as user and group 65534 (nobody).
    static func runCadenceAsNobody(
        _ args: [String], in directory: URL, file: StaticString = #filePath,
        line: UInt = #line
    ) throws -> CommandResult {
        try requireUnprivilegedRun()
        return try ProcessRunner.run(
            setpriv,
            [
                "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                try RenderCLI.cadencePath(file: file, line: line),
            ] + args,
            in: directory, file: file, line: line)
    }

    /// Starts `cadence args` in `directory`, waits until a `*.cadence-partial` file appears in
    /// `watching` (default: `directory`) or `delay` seconds pass when `delay` is given, sends `signal`,
    /// and waits for the exit (killing it after 30 s). Returns the result and whether a partial file was seen.
    static func signalledRun(
        _ args: [String], in directory: URL, watching: URL? = nil, signal: Int32,
        delay: TimeInterval? = nil, file: StaticString = #filePath,
        line: UInt = #line
    ) throws -> (result: CommandResult, sawPartial: Bool) {
        let watched = watching ?? directory
        var sawPartial = false
        let interruption = Interruption(signal: signal, settle: delay == nil ? 0.05 : 0, sendAnyway: true) { pid, elapsed in
            if RenderCLI.isWriting(pid, in: watched) { sawPartial = true }
            if let delay { return elapsed >= delay }
            return sawPartial
        }
        let result = try ProcessRunner.run(
            try RenderCLI.cadencePath(file: file, line: line), args, in: directory,
            interruption: interruption, name: "cadence", file: file, line: line)
        XCTAssertNotNil(
            result.sentSignal, "cadence finished before the signal could be sent; make the render longer",
            file: file, line: line)
        return (result, sawPartial)
    }

    // MARK: Folders

    /// Every file under `folder` (relative path -> bytes; folders as `/` entries), hidden files included.
    static func snapshot(_ folder: URL) -> [String: Data] {
        var result: [String: Data] = [:]
        guard
            let enumerator = FileManager.default.enumerator(
                at: folder, includingPropertiesForKeys: [.isDirectoryKey],
                options: [])
        else { return result }
        let base = folder.standardizedFileURL.path
        for case let url as URL in enumerator {
            let path = String(url.standardizedFileURL.path.dropFirst(base.count + 1))
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder)
            result[isFolder.boolValue ? path + "/" : path] =
                isFolder.boolValue ? Data() : (try? Data(contentsOf: url)) ?? Data("<unreadable>".utf8)
        }
        return result
    }

    /// Asserts `folder` holds exactly what `before` recorded, byte for byte, and no partial file.
    static func assertUnchanged(
        _ folder: URL, since before: [String: Data], _ context: String,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        let after = snapshot(folder)
        XCTAssertEqual(RenderCLI.partialFiles(in: folder), [], "\(context): a partial file was left behind", file: file, line: line)
        XCTAssertEqual(after.keys.sorted(), before.keys.sorted(), "\(context): the files in the folder changed", file: file, line: line)
        for (name, bytes) in before where after[name] != nil && after[name] != bytes {
            XCTFail("\(context): \(name) was changed (\(bytes.count) bytes before, \(after[name]!.count) after)", file: file, line: line)
        }
    }

    /// Asserts standard error has a line naming `name` that says what happened (`error:` or
    /// `interrupted`) in a single line of reasonable length.
    static func assertClearMessage(
        _ result: CommandResult, naming name: String, saying fragment: String? = nil,
        _ context: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        let lines = result.stderrLines.filter { $0.contains(name) && ($0.contains("error:") || $0.contains("interrupted")) }
        XCTAssertFalse(lines.isEmpty, "\(context): no message naming \(name) on standard error:\n\(result.stderr)", file: file, line: line)
        if let fragment {
            XCTAssertTrue(
                lines.contains { $0.contains(fragment) }, "\(context): expected `\(fragment)` in:\n\(result.stderr)",
                file: file, line: line)
        }
        for message in lines where message.count > 400 {
            XCTFail("\(context): a message of \(message.count) characters", file: file, line: line)
        }
    }

    // MARK: Audio files

    /// A 16-bit PCM WAV file of `frames` frames of a 440 Hz tone whose header may promise
    /// `promisedFrames` (more than it holds: a file that ends early).
    static func toneWAV(frames: Int, promisedFrames: Int? = nil, rate: Int = 44_100, channels: Int = 2) -> Data {
        var samples: [Int16] = []
        samples.reserveCapacity(frames * channels)
        for frame in 0..<frames {
            let value = Int16(truncatingIfNeeded: Int(sin(Double(frame) * 2 * Double.pi * 440 / Double(rate)) * 8_000))
            for _ in 0..<channels { samples.append(value) }
        }
        return WAVFile.pcm16(samples, channels: channels, rate: rate, claimedDataBytes: promisedFrames.map { $0 * channels * 2 })
    }

    /// Renders `routine` (text) with `cadence` to `name` in `folder`: a real audio file in any format.
    @discardableResult
    static func renderAudio(
        _ routine: String, to name: String, in folder: URL, args: [String] = [],
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> URL {
        let source = "audio-source-\(UUID().uuidString).yaml"
        try write(routine, to: source, in: folder)
        defer { try? FileManager.default.removeItem(at: folder.appendingPathComponent(source)) }
        let result = try runCadence(["render", source, "-o", name, "-q"] + args, in: folder, file: file, line: line)
        XCTAssertEqual(result.code, 0, "rendering \(name): \(result.stderr)", file: file, line: line)
        return folder.appendingPathComponent(name)
    }
}
