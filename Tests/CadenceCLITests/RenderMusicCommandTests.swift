import CadenceTestSupport
import Foundation
import XCTest
@testable import CadenceKit

// `cadence render --music` and `--voice`, run as the built binary: loudness of the finished
// track, same bytes twice, how bad music files and bad voice options fail (exit code, message,
// nothing written), and that the voice leaves the timeline alone.

/// Music fixtures and measurements for the CLI tests (the CadenceKit tests have their own).
private enum MusicCLI {
    /// Writes a tone with ffmpeg: `expression` is an aevalsrc expression of t, one per channel.
    static func ffmpegWrite(
        _ expressions: [String], seconds: Double, rate: Int, to url: URL, codec: String? = nil,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let layout = [1: "mono", 2: "stereo"][expressions.count].map { ":c=\($0)" } ?? ""
        var args = [
            "-v", "error", "-nostdin", "-y", "-f", "lavfi",
            "-i", "aevalsrc=exprs=\(expressions.joined(separator: "|")):s=\(rate):d=\(seconds)\(layout)",
        ]
        if let codec { args += ["-c:a", codec] }
        let result = try ProcessRunner.run(RenderCLI.ffmpeg, args + [url.path], in: url.deletingLastPathComponent(), file: file, line: line)
        XCTAssertEqual(result.code, 0, "ffmpeg could not write \(url.lastPathComponent): \(result.stderr)", file: file, line: line)
    }

    /// Integrated loudness (LUFS) and true peak (dBTP) from `ffmpeg -af ebur128=peak=true`.
    static func loudness(_ url: URL, file: StaticString = #filePath, line: UInt = #line) throws -> (lufs: Double, truePeak: Double) {
        let result = try ProcessRunner.run(
            RenderCLI.ffmpeg,
            [
                "-hide_banner", "-nostats", "-nostdin", "-i", url.path,
                "-af", "ebur128=peak=true:framelog=verbose", "-f", "null", "-",
            ],
            in: url.deletingLastPathComponent(), file: file, line: line)
        XCTAssertEqual(result.code, 0, result.stderr, file: file, line: line)
        var lufs: Double?, peak: Double?
        for raw in result.stderr.components(separatedBy: "\n") {
            let fields = raw.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2 else { continue }
            if fields[0] == "I:" { lufs = Double(fields[1]) }
            if fields[0] == "Peak:" { peak = Double(fields[1]) }
        }
        return (try XCTUnwrap(lufs, result.stderr, file: file, line: line), try XCTUnwrap(peak, result.stderr, file: file, line: line))
    }
}

final class RenderMusicCommandTests: XCTestCase {
    static let routine = """
        title: Music render
        defaults: {lead_in: 2s, transition: 2s, tail: 3s}
        steps:
          - name: Hold
            hold: 8s
            halfway: true
          - name: Breathe
            breaths: 2
            inhale: 2s
            exhale: 2s
        """

    private var folder: URL!
    private let oldTrack = Data("an older track that must survive a failed render\n".utf8)

    override func setUpWithError() throws {
        folder = try ScratchFolder(for: self).url
        try write(Self.routine, to: "routine.yaml", in: folder)
        try oldTrack.write(to: folder.appendingPathComponent("track.wav"))
    }

    private func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    /// Two short music files: a 6 s FLAC chord at 48 kHz stereo and a 5 s MP3 at 22.05 kHz mono.
    private func playlist() throws -> [String] {
        try RenderCLI.requireFFmpeg()
        try MusicCLI.ffmpegWrite(
            ["0.3*sin(2*PI*220*t)+0.2*sin(2*PI*277.2*t)", "0.3*sin(2*PI*220*t)+0.2*sin(2*PI*329.6*t)"],
            seconds: 6, rate: 48_000, to: url("chord.flac"))
        try MusicCLI.ffmpegWrite(
            ["0.5*sin(2*PI*330*t)*(0.6+0.4*sin(2*PI*0.5*t))"], seconds: 5, rate: 22_050,
            to: url("swell.mp3"), codec: "libmp3lame")
        return ["--music", "chord.flac", "--music", "swell.mp3"]
    }

    private func render(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try runCadence(["render", "routine.yaml", "-q"] + args, in: folder, file: file, line: line)
        XCTAssertEqual(result.code, 0, "cadence render \(args.joined(separator: " ")): \(result.stderr)", file: file, line: line)
    }

    /// The folder holds what it held before (plus `extra`), `track.wav` unchanged, no partial file.
    private func assertFails(
        _ args: [String], codes: Set<Int32>, naming fragment: String, besides extra: [String],
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let result = try runCadence(["render", "routine.yaml", "-o", "track.wav"] + args, in: folder, file: file, line: line)
        let command = "cadence render routine.yaml -o track.wav " + args.joined(separator: " ")
        XCTAssertTrue(
            codes.contains(result.code), "\(command): exit \(result.code), expected one of \(codes.sorted()); stderr: \(result.stderr)",
            file: file, line: line)
        XCTAssertTrue(
            result.stderr.contains(fragment), "\(command): the message must name \(fragment): \(result.stderr)", file: file, line: line)
        XCTAssertEqual(RenderCLI.partialFiles(in: folder), [], "\(command): a partial file was left", file: file, line: line)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(),
            (["routine.yaml", "track.wav"] + extra).sorted(), "\(command): files in the folder", file: file, line: line)
        XCTAssertEqual(
            try Data(contentsOf: url("track.wav")), oldTrack, "\(command): the existing track was changed", file: file, line: line)
    }

    // MARK: Success

    func testARenderWithAPlaylistMeasuresMinus16LUFSAndAtMostMinus1dBTP() throws {
        let music = try playlist()
        for (output, extra) in [("mix.wav", ["--sample-rate", "48000"]), ("mix-mono.flac", ["--channels", "1", "--bit-depth", "24"])] {
            try render(["-o", output] + music + extra)
            let measured = try MusicCLI.loudness(url(output))
            XCTAssertEqual(measured.lufs, -16, accuracy: 1, "\(output): integrated loudness")
            XCTAssertLessThanOrEqual(measured.truePeak, -1, "\(output): true peak in dBTP")
        }
    }

    func testTwoRendersWithMusicWriteTheSameBytes() throws {
        let music = try playlist()
        for name in ["a.wav", "b.wav"] { try render(["-o", name, "--duck", "12", "--sample-rate", "32000"] + music) }
        XCTAssertTrue(
            try Data(contentsOf: url("a.wav")) == Data(contentsOf: url("b.wav")), "two renders with --music must give the same bytes")
        for name in ["a.ogg", "b.ogg"] { try render(["-o", name, "--sample-rate", "22050"] + music) }
        XCTAssertTrue(try Data(contentsOf: url("a.ogg")) == Data(contentsOf: url("b.ogg")), "same bytes in Ogg too")
    }

    func testTheDuckDepthMustBeFrom0To40() throws {
        try RenderCLI.requireFFmpeg()
        try MusicCLI.ffmpegWrite(["0.3*sin(2*PI*220*t)"], seconds: 4, rate: 8_000, to: url("bed.wav"))
        for duck in ["41", "-1", "loud"] {
            try assertFails(["--music", "bed.wav", "--duck", duck], codes: [64], naming: "duck", besides: ["bed.wav"])
        }
        for duck in ["0", "40"] {
            try render(["-o", "duck-\(duck).wav", "--sample-rate", "8000", "--music", "bed.wav", "--duck", duck])
        }
    }

    // MARK: Music files that cannot be used

    func testAMissingMusicFileExits66AndWritesNothing() throws {
        try assertFails(["--music", "no-such-song.flac"], codes: [66], naming: "no-such-song.flac", besides: [])
    }

    func testAMusicFolderExits66AndWritesNothing() throws {
        try FileManager.default.createDirectory(at: url("songs"), withIntermediateDirectories: true)
        try assertFails(["--music", "songs"], codes: [66], naming: "songs", besides: ["songs"])
    }

    func testATextFileNamedWavIsAnErrorThatNamesTheFile() throws {
        try Data("not audio at all, just some notes\n".utf8).write(to: url("notes.wav"))
        try assertFails(["--music", "notes.wav"], codes: [65, 66], naming: "notes.wav", besides: ["notes.wav"])
    }

    func testAWAVWithNoAudioIsAnErrorThatNamesTheFile() throws {
        try WAVFile.pcm16([], channels: 1, rate: 44_100).write(to: url("empty.wav"))
        try assertFails(["--music", "empty.wav"], codes: [65, 66], naming: "empty.wav", besides: ["empty.wav"])
    }

    /// The header promises 4 s of audio; the file holds the first 2 s (a download cut short).
    func testATruncatedWAVIsAnErrorThatNamesTheFile() throws {
        let rate = 22_050
        let audio = (0..<(4 * rate)).map { Int16(8_000 * sin(2 * Double.pi * 440 * Double($0) / Double(rate))) }
        let cut = WAVFile.pcm16(Array(audio.prefix(audio.count / 2)), channels: 1, rate: rate, claimedDataBytes: audio.count * 2)
        try cut.write(to: url("cut.wav"))
        try assertFails(["--music", "cut.wav"], codes: [65, 66], naming: "cut.wav", besides: ["cut.wav"])
        // Second in a playlist, after a good file: the same.
        try WAVFile.pcm16(audio, channels: 1, rate: rate).write(to: url("good.wav"))
        try assertFails(
            ["--music", "good.wav", "--music", "cut.wav"], codes: [65, 66], naming: "cut.wav", besides: ["cut.wav", "good.wav"])
    }
}

// MARK: - --voice

final class RenderVoiceCommandTests: XCTestCase {
    static let routine = """
        title: Voice render
        defaults: {lead_in: 3s, transition: 3s, countdown: 0, tail: 1s}
        steps:
          - name: Bridge
            say: Lift your hips
            hold: 3s
            halfway: true
          - name: Side stretch
            hold: 2s
            sides: each
            switch: 3s
        """

    private var folder: URL!
    private let oldTrack = Data("an older track that must survive a failed render\n".utf8)

    override func setUpWithError() throws {
        folder = try ScratchFolder(for: self).url
        try write(Self.routine, to: "routine.yaml", in: folder)
        try oldTrack.write(to: folder.appendingPathComponent("track.wav"))
        // The phrase cache goes outside the folder (whose files are checked) and is this test's own.
        cache = try ScratchFolder(for: self).url
        setenv("CADENCE_CACHE_DIR", cache.path, 1)
    }

    override func tearDownWithError() throws {
        unsetenv("CADENCE_CACHE_DIR")
    }

    private var cache: URL!

    private func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    private func requireEspeak() throws {
        guard Subprocess.find("espeak-ng") != nil else {
            throw XCTSkip("espeak-ng is not installed (`sudo apt-get install espeak-ng`); --voice cannot be tested")
        }
    }

    private func assertNothingWritten(_ context: String, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(RenderCLI.partialFiles(in: folder), [], "\(context): a partial file was left", file: file, line: line)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), ["routine.yaml", "track.wav"],
            "\(context): files in the folder", file: file, line: line)
        XCTAssertEqual(
            try Data(contentsOf: url("track.wav")), oldTrack, "\(context): the existing track was changed", file: file, line: line)
    }

    private func assertUsageError(
        _ args: [String], mentioning fragment: String,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let all = ["render", "routine.yaml", "-o", "track.wav", "--sample-rate", "8000"] + args
        let result = try runCadence(all, in: folder, file: file, line: line)
        XCTAssertEqual(result.code, 64, "\(args): \(result.stderr)", file: file, line: line)
        XCTAssertTrue(
            result.stderr.contains(fragment), "\(args): the message must mention \(fragment): \(result.stderr)", file: file, line: line)
        try assertNothingWritten("\(args)", file: file, line: line)
    }

    func testVoiceSpeedOutside80To450Exits64() throws {
        try assertUsageError(["--voice", "--voice-speed", "79"], mentioning: "--voice-speed")
        try assertUsageError(["--voice", "--voice-speed", "451"], mentioning: "--voice-speed")
    }

    func testVoiceNameOrSpeedWithoutVoiceExits64() throws {
        try assertUsageError(["--voice-name", "en"], mentioning: "--voice")
        try assertUsageError(["--voice-speed", "120"], mentioning: "--voice")
    }

    func testAnUnknownVoiceNameExits64WithAMessage() throws {
        try requireEspeak()
        try assertUsageError(["--voice", "--voice-name", "zzzvoice"], mentioning: "zzzvoice")
    }

    func testAKnownVoiceNameAndSpeedAreAccepted() throws {
        try requireEspeak()
        let result = try runCadence(
            [
                "render", "routine.yaml", "-o", "en.wav", "--sample-rate", "16000", "--voice",
                "--voice-engine", "espeak", "--voice-name", "en-us", "--voice-speed", "200",
            ], in: folder)
        XCTAssertEqual(result.code, 0, result.stderr)
    }

    /// Without espeak-ng on PATH, --voice fails with exit 1 and says how to install it.
    func testWithoutEspeakTheErrorSaysHowToInstallIt() throws {
        let emptyBin = url("empty-bin")
        try FileManager.default.createDirectory(at: emptyBin, withIntermediateDirectories: true)
        let result = try ProcessRunner.run(
            "/usr/bin/env",
            [
                "PATH=\(emptyBin.path)", try RenderCLI.cadencePath(),
                "render", "routine.yaml", "-o", "track.wav", "--sample-rate", "8000", "--voice",
            ],
            in: folder)
        XCTAssertEqual(result.code, 1, "missing espeak-ng: \(result.stderr)")
        XCTAssertTrue(
            result.stderr.contains("apt-get install espeak-ng"), "the message must say how to install espeak-ng: \(result.stderr)")
        try FileManager.default.removeItem(at: emptyBin)
        try assertNothingWritten("missing espeak-ng")
    }

    func testTheTimelineIsTheSameWithAndWithoutVoice() throws {
        try requireEspeak()
        for (name, extra) in [("plain", [String]()), ("voice", ["--voice"]), ("slow", ["--voice", "--voice-speed", "90"])] {
            let result = try runCadence(
                [
                    "render", "routine.yaml", "-o", "\(name).wav", "--sample-rate", "22050",
                    "--timeline", "\(name).json", "-q",
                ] + extra, in: folder)
            XCTAssertEqual(result.code, 0, "\(name): \(result.stderr)")
        }
        let plain = try Data(contentsOf: url("plain.json"))
        XCTAssertTrue(try Data(contentsOf: url("voice.json")) == plain, "--voice must not change the timeline")
        XCTAssertTrue(try Data(contentsOf: url("slow.json")) == plain, "--voice-speed must not change the timeline")
        let planned = try runCadence(["plan", "routine.yaml", "--json", "--sample-rate", "22050"], in: folder)
        XCTAssertEqual(
            try jsonObject(planned.stdout) as NSDictionary,
            try jsonObject(String(decoding: plain, as: UTF8.self)) as NSDictionary, "the timeline is the plan's")
        // And the tracks have the timeline's length, with the voice heard.
        let plainTrack = try RenderCLI.readChannel(url("plain.wav")), voiceTrack = try RenderCLI.readChannel(url("voice.wav"))
        XCTAssertEqual(plainTrack.samples.count, voiceTrack.samples.count)
        XCTAssertNotEqual(plainTrack.samples, voiceTrack.samples, "--voice must change the sound")
    }

    func testTwoRendersWithVoiceWriteTheSameBytes() throws {
        try requireEspeak()
        var args = ["--voice", "--sample-rate", "24000", "-q"]
        if FileManager.default.isExecutableFile(atPath: RenderCLI.ffmpeg) {
            try MusicCLI.ffmpegWrite(
                ["0.3*sin(2*PI*196*t)+0.1*sin(2*PI*294*t)"], seconds: 7, rate: 44_100, to: url("bed.ogg"),
                codec: "libvorbis")
            args += ["--music", "bed.ogg"]
        }
        for name in ["a.wav", "b.wav"] {
            let result = try runCadence(["render", "routine.yaml", "-o", name] + args, in: folder)
            XCTAssertEqual(result.code, 0, result.stderr)
        }
        XCTAssertTrue(
            try Data(contentsOf: url("a.wav")) == Data(contentsOf: url("b.wav")), "two renders with \(args) must give the same bytes")
    }
}
