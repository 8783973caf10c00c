import Foundation
import XCTest
@testable import CadenceKit

// Helpers for the `cadence render` tests. Running `cadence` itself goes through `runCadence` and
// `Paths.cadence` of CLISupport.swift; what is here is what that helper does not do: run other
// programs (ffmpeg, ffprobe, /bin/sh with a file size limit), interrupt a render mid-way, and
// schedule a routine in-process to know what the track must hold.

enum RenderCLI {
    static let ffmpeg = "/usr/bin/ffmpeg"
    static let ffprobe = "/usr/bin/ffprobe"

    /// Skips the test when ffmpeg or ffprobe is not installed (scripts/bootstrap installs them).
    static func requireFFmpeg() throws {
        for tool in [ffmpeg, ffprobe] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw XCTSkip("\(tool) is not installed (scripts/bootstrap installs ffmpeg); this test decodes tracks with it")
        }
    }

    /// Runs `executable` with `args` in `directory`, output collected through files; kills it after `timeout` seconds.
    static func run(_ executable: String, _ args: [String], in directory: URL, timeout: TimeInterval = 60,
                    file: StaticString = #filePath, line: UInt = #line) throws -> CommandResult {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("cadence-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        defer { try? out.close(); try? err.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = args
        process.currentDirectoryURL = directory
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            XCTFail("\(executable) \(args.joined(separator: " ")) did not finish within \(Int(timeout)) s", file: file, line: line)
        }
        process.waitUntilExit()
        return CommandResult(code: process.terminationStatus,
                             stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                             stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    static func cadencePath(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try XCTUnwrap(Paths.cadence, "the cadence binary was not found next to the test bundle", file: file, line: line).path
    }

    /// Runs `cadence args` through `/bin/sh` with `ulimit -f blocks`, so writing past that size fails with EFBIG.
    static func runWithFileSizeLimit(_ blocks: Int, _ args: [String], in directory: URL,
                                     file: StaticString = #filePath, line: UInt = #line) throws -> CommandResult {
        try run("/bin/sh", ["-c", "ulimit -f \(blocks); exec \"$0\" \"$@\"", try cadencePath(file: file, line: line)] + args,
                in: directory, file: file, line: line)
    }

    /// Starts `cadence args` in `directory`, waits until a `*.cadence-partial` file appears there,
    /// sends SIGINT, and waits for the exit. Returns the result and whether the partial file was seen.
    static func interruptedRender(_ args: [String], in directory: URL, file: StaticString = #filePath,
                                  line: UInt = #line) throws -> (result: CommandResult, sawPartial: Bool) {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("cadence-sigint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let err = try FileHandle(forWritingTo: errURL)
        defer { try? err.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try cadencePath(file: file, line: line))
        process.arguments = args
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var sawPartial = false
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning, Date() < deadline {
            if isWriting(process.processIdentifier, in: directory) { sawPartial = true; break }
            usleep(2_000)
        }
        if sawPartial {
            usleep(50_000)   // let it write a little
            process.interrupt()
        }
        let stopDeadline = Date().addingTimeInterval(30)
        while process.isRunning, Date() < stopDeadline { usleep(5_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            XCTFail("cadence did not stop within 30 s of SIGINT", file: file, line: line)
        }
        process.waitUntilExit()
        return (CommandResult(code: process.terminationStatus, stdout: "",
                              stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self)), sawPartial)
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
                  target.hasPrefix(base), target.hasSuffix("(deleted)") else { return nil }
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
        let result = try run(ffprobe, ["-v", "error", "-of", "json"] + args + [path.path],
                             in: path.deletingLastPathComponent(), file: file, line: line)
        XCTAssertEqual(result.code, 0, "ffprobe \(path.lastPathComponent): \(result.stderr)", file: file, line: line)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
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
        let result = try run(ffmpeg, ["-v", "error", "-nostdin", "-y", "-i", path.path, "-f", "f32le", "-ac", "1", raw.path],
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
