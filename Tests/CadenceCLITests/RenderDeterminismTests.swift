import CadenceTestSupport
import Foundation
import XCTest

/// "The same routine and options give the same bytes" (cli.md), beyond what RenderCommandTests
/// (two runs in every format) and CadenceKitTests/RenderFileTests (every format and bit depth in
/// process) check: whatever `--jobs` is, a track rendered in a batch is the track rendered alone,
/// and music and voice do not bring in the clock or the machine.
final class RenderDeterminismTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try ScratchFolder(for: self).url
    }

    /// The tracks of `out` (hidden files, such as the manifest, aside), by name.
    private func tracks(in out: String) throws -> [String: Data] {
        let url = folder.appendingPathComponent(out)
        var result: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: url.path) where !name.hasPrefix(".") {
            result[name] = try Data(contentsOf: url.appendingPathComponent(name))
        }
        return result
    }

    private func assertSame(_ a: [String: Data], _ b: [String: Data], _ context: String, file: StaticString = #filePath, line: UInt = #line)
    {
        XCTAssertEqual(a.keys.sorted(), b.keys.sorted(), context, file: file, line: line)
        for (name, bytes) in a where b[name] != bytes {
            let other = b[name] ?? Data()
            let first = zip(bytes, other).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(bytes.count, other.count)
            XCTFail("\(context): \(name) differs (\(bytes.count) and \(other.count) bytes, first at byte \(first))", file: file, line: line)
        }
    }

    /// The five shipped routines (about 1 h 40 min in all) rendered with 1 and 2 jobs; and the spec's
    /// four examples as MP3 and Ogg, whose encoders keep state, with 1 and 2 jobs.
    func testAFolderGivesTheSameBytesWhateverTheNumberOfJobs() throws {
        let routines = folder.appendingPathComponent("routines")
        try FileManager.default.copyItem(at: Paths.routines, to: routines)
        var first: [String: Data]?
        for jobs in [1, 2] {
            let result = try runCadence(
                [
                    "render", "routines", "--out-dir", "jobs\(jobs)", "--jobs", "\(jobs)", "--sample-rate", "8000",
                    "--channels", "1", "-q",
                ], in: folder)
            XCTAssertEqual(result.code, 0, "--jobs \(jobs): \(result.stderr)")
            let rendered = try tracks(in: "jobs\(jobs)")
            XCTAssertEqual(rendered.count, 5, "--jobs \(jobs)")
            if let first { assertSame(first, rendered, "--jobs 1 and --jobs \(jobs)") } else { first = rendered }
            try FileManager.default.removeItem(at: folder.appendingPathComponent("jobs\(jobs)"))
        }
        let pair = folder.appendingPathComponent("pair")
        try FileManager.default.createDirectory(at: pair, withIntermediateDirectories: true)
        for name in Paths.exampleNames {
            try FileManager.default.copyItem(at: Paths.example("\(name).yaml"), to: pair.appendingPathComponent("\(name).yaml"))
        }
        for format in ["mp3", "ogg"] {
            var single: [String: Data]?
            for jobs in [1, 2] {
                let out = "\(format)-jobs\(jobs)"
                let result = try runCadence(
                    [
                        "render", "pair", "--out-dir", out, "--jobs", "\(jobs)", "--format", format,
                        "--sample-rate", "8000", "--channels", "1", "-q",
                    ], in: folder)
                XCTAssertEqual(result.code, 0, "\(format) --jobs \(jobs): \(result.stderr)")
                let rendered = try tracks(in: out)
                if let single { assertSame(single, rendered, "\(format) with --jobs 1 and 2") } else { single = rendered }
            }
        }
    }

    /// README: "Every track is rendered exactly as it would be alone."
    func testATrackRenderedInABatchIsTheTrackRenderedAlone() throws {
        let routines = folder.appendingPathComponent("routines")
        try FileManager.default.createDirectory(at: routines, withIntermediateDirectories: true)
        for name in ["basic", "breathing", "ranges", "sides"] {
            try FileManager.default.copyItem(at: Paths.example("\(name).yaml"), to: routines.appendingPathComponent("\(name).yaml"))
        }
        for format in ["wav", "flac"] {
            let batch = try runCadence(
                [
                    "render", "routines", "--out-dir", "batch-\(format)", "--format", format, "--level", "hard",
                    "--sample-rate", "16000", "-q",
                ], in: folder)
            XCTAssertEqual(batch.code, 0, batch.stderr)
            let inBatch = try tracks(in: "batch-\(format)")
            for name in ["basic", "breathing", "ranges", "sides"] {
                let alone = try runCadence(
                    [
                        "render", "routines/\(name).yaml", "-o", "alone.\(format)", "--level", "hard",
                        "--sample-rate", "16000", "-q",
                    ], in: folder)
                XCTAssertEqual(alone.code, 0, alone.stderr)
                XCTAssertTrue(
                    try Data(contentsOf: folder.appendingPathComponent("alone.\(format)")) == inBatch["\(name).\(format)"],
                    "\(name).\(format): the batch track differs from the track rendered alone")
            }
        }
    }

    /// Music is decoded, resampled, measured and mixed the same way on every run (WAV, and the two
    /// encoders that keep state between blocks).
    func testMusicGivesTheSameBytesOnEveryRun() throws {
        try write(
            "title: Music\ndefaults: {lead_in: 2s, transition: 2s, tail: 3s}\nsteps:\n  - {name: Hold, hold: 4s, halfway: true}\n"
                + "  - {name: Breathe, breaths: 2, inhale: 1.5s, exhale: 1.5s}\n", to: "routine.yaml", in: folder)
        // Two songs at rates other than the track's, so the resampler and the crossfade both run.
        try Faults.toneWAV(frames: 22_050 * 6, rate: 22_050, channels: 1).write(to: folder.appendingPathComponent("a.wav"))
        try Faults.toneWAV(frames: 32_000 * 5, rate: 32_000, channels: 2).write(to: folder.appendingPathComponent("b.wav"))
        for (format, rate) in [("wav", 44_100), ("ogg", 44_100), ("mp3", 44_100)] {
            var bytes: [Data] = []
            for run in 1...2 {
                let output = "music-\(run).\(format)"
                let result = try runCadence(
                    [
                        "render", "routine.yaml", "-o", output, "--sample-rate", "\(rate)", "--music", "a.wav",
                        "--music", "b.wav", "-q",
                    ], in: folder)
                XCTAssertEqual(result.code, 0, "\(format): \(result.stderr)")
                bytes.append((try? Data(contentsOf: folder.appendingPathComponent(output))) ?? Data())
            }
            XCTAssertGreaterThan(bytes[0].count, 1_000, format)
            XCTAssertTrue(bytes[0] == bytes[1], "\(format) with music: two runs differ (\(bytes[0].count) and \(bytes[1].count) bytes)")
        }
    }

    /// With music, a batch's jobs share the music's measurements and decoded frames, and the music
    /// is made on threads of its own: none of it may change a byte, whatever `--jobs` is, with the
    /// measurements cached or not.
    func testMusicInABatchGivesTheSameBytesWhateverTheNumberOfJobsAndAlone() throws {
        let routines = folder.appendingPathComponent("routines")
        try FileManager.default.createDirectory(at: routines, withIntermediateDirectories: true)
        for (name, hold) in [("one", 5), ("two", 7), ("three", 4)] {
            try write(
                "title: \(name)\ndefaults: {lead_in: 2s, tail: 2s}\nsteps:\n  - {name: Hold, hold: \(hold)s, halfway: true}\n",
                to: "\(name).yaml", in: routines)
        }
        try Faults.toneWAV(frames: 22_050 * 4, rate: 22_050, channels: 1).write(to: folder.appendingPathComponent("a.wav"))
        try Faults.toneWAV(frames: 48_000 * 3, rate: 48_000, channels: 2).write(to: folder.appendingPathComponent("b.wav"))
        let music = ["--music", "a.wav", "--music", "b.wav"]
        var first: [String: Data]?
        for (jobs, cache) in [(1, "off"), (2, "off"), (2, "on")] {
            let out = "jobs\(jobs)-\(cache)"
            let result = try runCadence(
                ["render", "routines", "--out-dir", out, "--jobs", "\(jobs)", "-q"] + music, in: folder,
                environment: cache == "off" ? ["CADENCE_CACHE": "off"] : [:])
            XCTAssertEqual(result.code, 0, "--jobs \(jobs): \(result.stderr)")
            let rendered = try tracks(in: out)
            XCTAssertEqual(rendered.count, 3)
            if let first { assertSame(first, rendered, "--jobs 1 and --jobs \(jobs), cache \(cache)") } else { first = rendered }
        }
        let alone = try runCadence(["render", "routines/two.yaml", "-o", "alone.wav", "-q"] + music, in: folder)
        XCTAssertEqual(alone.code, 0, alone.stderr)
        XCTAssertTrue(
            try Data(contentsOf: folder.appendingPathComponent("alone.wav")) == first?["two.wav"],
            "with music, the batch track differs from the track rendered alone")
    }

    /// espeak-ng runs as a separate process; its speech must come out the same each time.
    func testVoiceGivesTheSameBytesOnEveryRun() throws {
        guard ["/usr/bin/espeak-ng", "/usr/local/bin/espeak-ng"].contains(where: FileManager.default.isExecutableFile(atPath:)) else {
            throw XCTSkip("espeak-ng is not installed (scripts/bootstrap installs it)")
        }
        try write(
            "title: Voice\ndefaults: {lead_in: 2s, tail: 1s}\nsteps:\n  - {name: Child's pose, hold: 3s, sides: each, halfway: true}\n",
            to: "routine.yaml", in: folder)
        var bytes: [Data] = []
        for run in 1...2 {
            let result = try runCadence(
                ["render", "routine.yaml", "-o", "voice-\(run).wav", "--voice", "--sample-rate", "22050", "-q"], in: folder)
            XCTAssertEqual(result.code, 0, result.stderr)
            bytes.append((try? Data(contentsOf: folder.appendingPathComponent("voice-\(run).wav"))) ?? Data())
        }
        XCTAssertTrue(bytes[0] == bytes[1], "with --voice, two runs differ")
    }
}
