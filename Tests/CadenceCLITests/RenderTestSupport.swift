import CadenceTestSupport
import Foundation
import XCTest
@testable import CadenceKit

// Helpers for the `cadence render` tests. Running `cadence` itself goes through `runCadence` and
// `Paths.cadence` of CLISupport.swift, other programs through CadenceTestSupport's `ProcessRunner`;
// what is here: ffmpeg and ffprobe, `cadence` under a file size limit or interrupted mid-way, and
// scheduling a routine in-process to know what the track must hold.

enum RenderCLI {
    static let ffmpeg = "/usr/bin/ffmpeg"
    static let ffprobe = "/usr/bin/ffprobe"

    /// Skips the test when ffmpeg or ffprobe is not installed (scripts/bootstrap installs them).
    static func requireFFmpeg() throws {
        for tool in [ffmpeg, ffprobe] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw XCTSkip("\(tool) is not installed (scripts/bootstrap installs ffmpeg); this test decodes tracks with it")
        }
    }

    static func cadencePath(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try XCTUnwrap(Paths.cadence, "the cadence binary was not found next to the test bundle", file: file, line: line).path
    }

    /// Runs `cadence args` through `/bin/sh` with `ulimit -f blocks`, so writing past that size fails with EFBIG.
    static func runWithFileSizeLimit(
        _ blocks: Int, _ args: [String], in directory: URL,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> CommandResult {
        let script = "ulimit -f \(blocks); exec \"$0\" \"$@\""
        return try ProcessRunner.run(
            "/bin/sh", ["-c", script, try cadencePath(file: file, line: line)] + args, in: directory,
            file: file, line: line)
    }

    /// Starts `cadence args` in `directory`, waits until it writes a track there, lets it write a
    /// little, sends SIGINT, and waits for the exit. Returns the result and whether the track was seen.
    static func interruptedRender(
        _ args: [String], in directory: URL, file: StaticString = #filePath,
        line: UInt = #line
    ) throws -> (result: CommandResult, sawPartial: Bool) {
        var sawPartial = false
        let interruption = Interruption(signal: SIGINT, settle: 0.05) { pid, _ in
            sawPartial = isWriting(pid, in: directory)
            return sawPartial
        }
        let result = try ProcessRunner.run(
            try cadencePath(file: file, line: line), args, in: directory, interruption: interruption,
            name: "cadence", file: file, line: line)
        return (result, sawPartial)
    }

    /// Temporary track files left in a folder: `.NAME.cadence-XXXX.partial` (and the
    /// `.NAME.PID.cadence-partial` of Cadence 0.1).
    static func partialFiles(in folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".partial") || $0.contains("cadence-partial") }
    }

    /// The unnamed files (O_TMPFILE) process `pid` has open in `folder`: the tracks it is writing
    /// there. /proc shows each as `FOLDER/#INODE (deleted)`.
    static func unnamedFiles(of pid: Int32, in folder: URL) -> [String] {
        let descriptors = "/proc/\(pid)/fd"
        let base = folder.resolvingSymlinksInPath().path + "/#"
        return ((try? FileManager.default.contentsOfDirectory(atPath: descriptors)) ?? []).compactMap { entry in
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: descriptors + "/" + entry),
                target.hasPrefix(base), target.hasSuffix("(deleted)")
            else { return nil }
            return target
        }
    }

    /// Whether process `pid` is writing a file into `folder` (unnamed, or a named partial file).
    static func isWriting(_ pid: Int32, in folder: URL) -> Bool {
        !unnamedFiles(of: pid, in: folder).isEmpty || !partialFiles(in: folder).isEmpty
    }

    /// Parses and schedules a routine in-process: what `cadence render` must put in the track.
    static func timeline(_ yaml: String, rate: Int, file: StaticString = #filePath, line: UInt = #line) throws -> Timeline {
        do {
            let routine = try RoutineLoader.parse(Array(yaml.utf8), path: "routine.yaml")
            return Scheduler.schedule(routine, sampleRate: rate)
        } catch {
            XCTFail("routine rejected:\n\(error)", file: file, line: line)
            throw error
        }
    }

    /// ffprobe's JSON output for `path`.
    static func probe(_ path: URL, _ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let result = try ProcessRunner.run(
            ffprobe, ["-v", "error", "-of", "json"] + args + [path.path],
            in: path.deletingLastPathComponent(), file: file, line: line)
        XCTAssertEqual(result.code, 0, "ffprobe \(path.lastPathComponent): \(result.stderr)", file: file, line: line)
        return try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
            file: file, line: line)
    }

    /// The `title` tag ffprobe finds in the container or the first stream (tag names compared without case).
    static func title(of path: URL, file: StaticString = #filePath, line: UInt = #line) throws -> String? {
        let json = try probe(path, ["-show_entries", "format_tags:stream_tags"], file: file, line: line)
        var tags: [[String: Any]] = []
        if let format = json["format"] as? [String: Any], let formatTags = format["tags"] as? [String: Any] { tags.append(formatTags) }
        for stream in json["streams"] as? [[String: Any]] ?? [] {
            if let streamTags = stream["tags"] as? [String: Any] { tags.append(streamTags) }
        }
        for group in tags {
            for (key, value) in group where key.lowercased() == "title" { return value as? String }
        }
        return nil
    }

    /// The track decoded by ffmpeg to mono float samples at its own rate (channels averaged).
    static func decode(_ path: URL, file: StaticString = #filePath, line: UInt = #line) throws -> [Float] {
        let raw = path.deletingLastPathComponent().appendingPathComponent("decoded-\(UUID().uuidString).f32")
        defer { try? FileManager.default.removeItem(at: raw) }
        let result = try ProcessRunner.run(
            ffmpeg, ["-v", "error", "-nostdin", "-y", "-i", path.path, "-f", "f32le", "-ac", "1", raw.path],
            in: path.deletingLastPathComponent(), file: file, line: line)
        XCTAssertEqual(result.code, 0, "ffmpeg cannot decode \(path.lastPathComponent): \(result.stderr)", file: file, line: line)
        let data = try Data(contentsOf: raw)
        return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    /// Reads a WAV/FLAC track through libsndfile (CadenceKit's own reader): one channel.
    static func readChannel(_ path: URL, channel: Int = 0) throws -> (samples: [Float], rate: Int, channels: Int) {
        let sound = try Sndfile.openForReading(path: path.path, kind: "track")
        var samples = [Float](repeating: 0, count: Int(sound.frames) * sound.channels)
        let count = try samples.withUnsafeMutableBufferPointer { try sound.read(into: $0.baseAddress!, frameCount: Int(sound.frames)) }
        var out = [Float](repeating: 0, count: count)
        for frame in 0..<count { out[frame] = samples[frame * sound.channels + channel] }
        return (out, sound.sampleRate, sound.channels)
    }

    static func bytes(_ url: URL) throws -> [UInt8] { [UInt8](try Data(contentsOf: url)) }
}
