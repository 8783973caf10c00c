import CadenceTestSupport
import Foundation
import XCTest

// Helpers for the Safety*Tests and FrontDoorTests: running the built `cadence` with extra
// environment variables (CADENCE_FAULTS, CADENCE_NAMED_PARTIALS, PATH, TMPDIR) or through
// /bin/sh (non-UTF-8 arguments, ulimit, pipes), timing it, and looking at a folder's raw names.
// Running `cadence` itself is `runCadence` (CLISupport.swift), `RenderCLI` (RenderTestSupport.swift)
// and `BackgroundCadence` (BatchTestSupport.swift), all through CadenceTestSupport's `ProcessRunner`;
// snapshots are `Faults` (FaultInjectionSupport.swift); WAV files are CadenceTestSupport's `WAVFile`.

enum Safety {
    /// Every short render of these tests is at 8 kHz.
    static let rate = ["--sample-rate", "8000"]

    /// A short valid routine (about `seconds` + 5 s); `title` changes its track's bytes.
    static func routine(_ title: String, seconds: Int = 2) -> String {
        """
        title: \(title)
        defaults: {lead_in: 1s, transition: 1s, tail: 1s, countdown: 1}
        steps:
          - name: Reach
            hold: \(seconds)s
          - name: Breathe
            breaths: 1
            inhale: 1s
            exhale: 1s

        """
    }

    /// An hour of holding: as FLAC at 48 kHz it takes several seconds to render, long enough to be
    /// signalled mid-way (and the partial file stays small).
    static let longRoutine = "title: One long hold\nsteps:\n  - name: Hold for an hour\n    hold: 1h\n"
    static let longArgs = ["--sample-rate", "48000", "-q"]

    /// Runs `executable args` in `folder` with `environment` added, stdin from /dev/null; kills it
    /// (SIGKILL) after `timeout`. A signal that ends it is status 128 + N, as a shell reports it.
    /// Returns the result and the seconds it took.
    static func run(
        _ executable: String, _ args: [String], in folder: URL, environment: [String: String] = [:],
        timeout: TimeInterval = 60, file: StaticString = #filePath, line: UInt = #line
    ) throws -> (CommandResult, TimeInterval) {
        let result = try ProcessRunner.run(
            executable, args, in: folder, environment: environment, timeout: timeout, timeoutSignal: SIGKILL,
            signalsAsShellStatus: true, file: file, line: line)
        return (result, result.seconds)
    }

    /// `cadence args` with `environment` added.
    static func cadence(
        _ args: [String], in folder: URL, environment: [String: String] = [:], timeout: TimeInterval = 60,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> (CommandResult, TimeInterval) {
        try run(
            try RenderCLI.cadencePath(file: file, line: line), args, in: folder, environment: environment, timeout: timeout,
            file: file, line: line)
    }

    /// `/bin/sh -c script` with `$0` set to the cadence binary (`exec "$0" ...`), for arguments that
    /// are not UTF-8 (`"$(printf 'caf\351.yaml')"`), ulimits and pipes.
    static func shell(
        _ script: String, in folder: URL, environment: [String: String] = [:], timeout: TimeInterval = 60,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> (CommandResult, TimeInterval) {
        try run(
            "/bin/sh", ["-c", script, try RenderCLI.cadencePath(file: file, line: line)], in: folder,
            environment: environment, timeout: timeout, file: file, line: line)
    }

    /// The names in `folder` as their raw bytes (readdir), hidden ones included, sorted.
    static func rawNames(in folder: URL) -> [[UInt8]] {
        guard let handle = opendir(folder.path) else { return [] }
        defer { closedir(handle) }
        var names: [[UInt8]] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if name != [0x2E], name != [0x2E, 0x2E] { names.append(name) }
        }
        return names.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// The names in `folder` (UTF-8 ones), hidden ones included, sorted.
    static func names(in folder: URL) -> [String] {
        rawNames(in: folder).map { String(decoding: $0, as: UTF8.self) }.sorted()
    }

    static func bytes(_ url: URL) -> Data? { try? Data(contentsOf: url) }

    static func mode(of url: URL) -> mode_t? {
        var status = stat()
        guard stat(url.path, &status) == 0 else { return nil }
        return status.st_mode & 0o7777
    }

    /// The lines of standard error that are messages (not a source line or caret of a routine
    /// report, not swift-argument-parser's usage lines).
    static func messageLines(_ result: CommandResult) -> [String] {
        result.stderrLines.filter { line in
            !line.hasPrefix(" ") && !line.hasPrefix("^") && !line.hasPrefix("Usage:") && !line.isEmpty
        }
    }

    /// Asserts every message on standard error says `error:` once, lowercase, at its start or
    /// after the file it is about (`FILE: error:`, `FILE:LINE:COL: error:`), and never `Error:`.
    static func assertErrorPrefixes(_ result: CommandResult, _ context: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(result.stderr.contains("Error:"), "\(context): `Error:` in\n\(result.stderr)", file: file, line: line)
        let errors = messageLines(result).filter { $0.contains("error:") }
        XCTAssertFalse(errors.isEmpty, "\(context): no error message in\n\(result.stderr)", file: file, line: line)
        for message in errors {
            XCTAssertEqual(
                message.components(separatedBy: "error:").count, 2, "\(context): two `error:` in \(message)", file: file, line: line)
            let named = message.range(of: ": error: ").map { $0.lowerBound != message.startIndex } ?? false
            XCTAssertTrue(message.hasPrefix("error: ") || named, "\(context): \(message)", file: file, line: line)
        }
    }

    /// A folder holding a fake `espeak-ng` (a shell script running `body`) that records each run
    /// in `ran` beside it; put the folder first in PATH.
    static func fakeEspeak(in folder: URL, _ body: String) throws -> URL {
        let bin = folder.appendingPathComponent("fake-bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let script = bin.appendingPathComponent("espeak-ng")
        try Data("#!/bin/sh\necho \"$@\" >> \"$(dirname \"$0\")/ran\"\n\(body)\n".utf8).write(to: script)
        XCTAssertEqual(chmod(script.path, 0o755), 0)
        return bin
    }

    /// PATH with `bin` first, and a phrase cache of its own (beside `bin`), so a phrase cached by
    /// an earlier run cannot spare the fake program its run.
    static func path(with bin: URL) -> [String: String] {
        [
            "PATH": bin.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"),
            "CADENCE_CACHE_DIR": bin.deletingLastPathComponent().appendingPathComponent("phrase-cache").path,
        ]
    }

    static var hasEspeak: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/espeak-ng") }
}
