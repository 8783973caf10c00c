import CadenceTestSupport
import Foundation
import XCTest
@testable import CadenceKit

/// Music input (the music issue): anything libsndfile reads (WAV, FLAC, Ogg Vorbis, Opus, MP3) at
/// any rate and channel count is resampled to the track's rate and mixed to its channels: a 1 kHz
/// tone stays 1 kHz. Files that cannot be used are errors that name the file, and leave nothing.
final class MusicFormatTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try ScratchFolder(for: self, "render").url
    }

    static let routine = """
        title: Formats
        defaults: {lead_in: 0.5s, countdown: 0, tail: 1s}
        steps:
          - name: Hold
            hold: 5s
        """

    /// Renders `music` (float WAV, quiet cues) and returns each output channel.
    private func render(
        _ music: [String], rate: Int, channels: Int, label: String,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> [[Float]]? {
        let timeline = try RenderHarness.timeline(Self.routine, rate: rate)
        let options = RenderOptions(bitDepth: .float, sampleRate: rate, channels: channels, gainDecibels: -40, music: music)
        let path = folder.appendingPathComponent("out-\(UUID().uuidString.prefix(6)).wav").path
        do {
            try TrackRenderer.render(timeline, to: path, options: options)
        } catch {
            XCTFail("\(label): the render failed: \(error)", file: file, line: line)
            return nil
        }
        let track = try RenderHarness.read(path, file: file, line: line)
        XCTAssertEqual(track.sampleRate, rate, label, file: file, line: line)
        XCTAssertEqual(track.channels, channels, label, file: file, line: line)
        XCTAssertEqual(track.frames, Int(timeline.totalSamples), label, file: file, line: line)
        return (0..<track.channels).map(track.channel)
    }

    /// 1.5 s to 5 s: inside the hold, after the go sound, before the finish.
    private func window(_ rate: Int) -> Range<Int> { MusicHarness.seconds(1.5, rate)..<MusicHarness.seconds(5, rate) }

    func testEveryFormatRateAndChannelCountPlaysAtTheRightPitch() throws {
        try MusicHarness.require(MusicHarness.ffmpeg, for: "encode the music fixtures")
        // (extension, ffmpeg encoder, file rate, file channels, output rate, output channels)
        let cases: [(String, String, Int, Int, Int, Int)] = [
            ("wav", "pcm_s16le", 22_050, 1, 44_100, 2),
            ("wav", "pcm_f32le", 96_000, 2, 44_100, 1),
            ("wav", "pcm_s24le", 48_000, 4, 44_100, 2),
            ("flac", "flac", 96_000, 2, 48_000, 2),
            ("flac", "flac", 22_050, 4, 44_100, 1),
            ("ogg", "libvorbis", 48_000, 2, 44_100, 2),
            ("ogg", "libvorbis", 22_050, 1, 48_000, 1),
            ("ogg", "libvorbis", 96_000, 4, 44_100, 2),
            ("opus", "libopus", 48_000, 2, 44_100, 2),
            ("opus", "libopus", 48_000, 1, 22_050, 1),
            ("mp3", "libmp3lame", 22_050, 1, 44_100, 2),
            ("mp3", "libmp3lame", 48_000, 2, 48_000, 1),
        ]
        for (ext, codec, fileRate, fileChannels, rate, channels) in cases {
            let label = "\(ext) \(fileRate) Hz \(fileChannels) ch -> \(rate) Hz \(channels) ch"
            let url = folder.appendingPathComponent("tone-\(fileRate)-\(fileChannels).\(ext)")
            try MusicHarness.ffmpegSine(1_000, seconds: 8, rate: fileRate, channels: fileChannels, codec: codec, to: url)
            guard let output = try render([url.path], rate: rate, channels: channels, label: label) else { continue }
            for (index, samples) in output.enumerated() {
                let range = window(rate)
                let frequency = MusicHarness.dominantFrequency(samples, range, rate: rate)
                XCTAssertEqual(frequency, 1_000, accuracy: 2, "\(label), channel \(index): the 1 kHz tone must stay 1 kHz")
                let tone = MusicHarness.amplitude(samples, range, frequency: 1_000, rate: rate)
                let rms = MusicHarness.rms(samples, range)
                XCTAssertGreaterThan(tone, 0.05, "\(label), channel \(index): the music must be there")
                // Nearly all the power is the tone: no aliasing, clicks or wrong-rate garbage.
                XCTAssertGreaterThan(tone * tone / 2 / max(rms * rms, 1e-12), 0.95, "\(label), channel \(index): the tone must be clean")
            }
        }
    }

    func testStereoMusicKeepsItsSidesAndMonoOutputHearsBoth() throws {
        let rate = 44_100
        let frames = 8 * rate
        var stereo = [Float](repeating: 0, count: frames * 2)
        for frame in 0..<frames {
            stereo[frame * 2] = Float(0.4 * sin(2 * Double.pi * 500 * Double(frame) / Double(rate)))
            stereo[frame * 2 + 1] = Float(0.4 * sin(2 * Double.pi * 800 * Double(frame) / Double(rate)))
        }
        let url = folder.appendingPathComponent("sides.wav")
        try WAVFile.write(stereo, channels: 2, rate: rate, to: url)

        let range = window(rate)
        if let output = try render([url.path], rate: rate, channels: 2, label: "stereo") {
            let left500 = MusicHarness.amplitude(output[0], range, frequency: 500, rate: rate)
            let left800 = MusicHarness.amplitude(output[0], range, frequency: 800, rate: rate)
            let right500 = MusicHarness.amplitude(output[1], range, frequency: 500, rate: rate)
            let right800 = MusicHarness.amplitude(output[1], range, frequency: 800, rate: rate)
            XCTAssertGreaterThan(left500, 0.05, "the left channel of the music must be on the left")
            XCTAssertGreaterThan(right800, 0.05, "the right channel of the music must be on the right")
            XCTAssertLessThan(left800, 0.01 * left500, "the right channel must not leak into the left")
            XCTAssertLessThan(right500, 0.01 * right800, "the left channel must not leak into the right")
        }
        if let output = try render([url.path], rate: rate, channels: 1, label: "mono") {
            let a500 = MusicHarness.amplitude(output[0], range, frequency: 500, rate: rate)
            let a800 = MusicHarness.amplitude(output[0], range, frequency: 800, rate: rate)
            XCTAssertGreaterThan(a500, 0.05, "mono output must carry the left channel")
            XCTAssertEqual(MusicHarness.decibels(a500 / a800), 0, accuracy: 1, "mono output mixes both sides equally")
        }
    }

    /// "Mix down to the output channels": a 4-channel file's rear channels (3 and 4) must be heard
    /// in a stereo track too, not dropped. Here the rear channels carry 800 Hz, the front 500 Hz.
    func testFourChannelMusicIsMixedDownToStereoWithoutDroppingChannels() throws {
        let rate = 44_100
        let frames = 8 * rate
        var quad = [Float](repeating: 0, count: frames * 4)
        for frame in 0..<frames {
            let front = Float(0.3 * sin(2 * Double.pi * 500 * Double(frame) / Double(rate)))
            let rear = Float(0.3 * sin(2 * Double.pi * 800 * Double(frame) / Double(rate)))
            quad[frame * 4] = front
            quad[frame * 4 + 1] = front
            quad[frame * 4 + 2] = rear
            quad[frame * 4 + 3] = rear
        }
        let url = folder.appendingPathComponent("quad.wav")
        try WAVFile.write(quad, channels: 4, rate: rate, to: url)
        let range = window(rate)
        for channels in [1, 2] {
            guard let output = try render([url.path], rate: rate, channels: channels, label: "\(channels) ch") else { continue }
            for (index, samples) in output.enumerated() {
                let a500 = MusicHarness.amplitude(samples, range, frequency: 500, rate: rate)
                let a800 = MusicHarness.amplitude(samples, range, frequency: 800, rate: rate)
                XCTAssertGreaterThan(a500, 0.02, "\(channels)-channel output, channel \(index): the front channels must be heard")
                XCTAssertGreaterThan(
                    a800, 0.25 * a500,
                    "\(channels)-channel output, channel \(index): the rear channels of a 4-channel file must be "
                        + "mixed in, not dropped (800 Hz at \(MusicHarness.decibels(a800 / a500)) dB against the front)")
            }
        }
    }

    // MARK: Files that cannot be used

    func testUnusableMusicFilesAreErrorsThatNameTheFileAndWriteNothing() throws {
        let rate = 16_000
        let good = folder.appendingPathComponent("good.wav")
        try WAVFile.write(MusicHarness.tones([(440, 0.3)], seconds: 4, rate: rate), channels: 1, rate: rate, to: good)

        let text = folder.appendingPathComponent("notes.wav")
        try Data("these are my notes, not audio\n".utf8).write(to: text)

        // A WAV header with a data chunk of 0 bytes.
        let empty = folder.appendingPathComponent("empty.wav")
        try WAVFile.bytes([], channels: 1, rate: rate).write(to: empty)

        // A WAV whose data chunk promises 4 s but whose file holds only the first half of it.
        let truncated = folder.appendingPathComponent("truncated.wav")
        let whole = try Data(contentsOf: good)
        try whole.prefix(44 + (whole.count - 44) / 2).write(to: truncated)

        var cases: [(URL, String)] = [
            (text, "a text file named .wav"), (empty, "a WAV with no audio"),
            (truncated, "a WAV cut in half, header kept"),
        ]
        if FileManager.default.isExecutableFile(atPath: MusicHarness.ffmpeg) {
            // A FLAC whose STREAMINFO promises 8 s, cut in half.
            let flac = folder.appendingPathComponent("whole.flac")
            try MusicHarness.ffmpegSine(440, seconds: 8, rate: rate, channels: 1, codec: "flac", to: flac)
            let bytes = try Data(contentsOf: flac)
            let cut = folder.appendingPathComponent("truncated.flac")
            try bytes.prefix(bytes.count / 2).write(to: cut)
            cases.append((cut, "a FLAC cut in half"))
        }

        let timeline = try RenderHarness.timeline(Self.routine, rate: rate)
        for (bad, label) in cases {
            for playlist in [[bad.path], [good.path, bad.path]] {
                let output = folder.appendingPathComponent("track.wav")
                let options = RenderOptions(sampleRate: rate, music: playlist)
                XCTAssertThrowsError(
                    try TrackRenderer.render(timeline, to: output.path, options: options),
                    "\(label) in \(playlist.map { ($0 as NSString).lastPathComponent }) must be an error"
                ) { error in
                    XCTAssertTrue("\(error)".contains(bad.path), "\(label): the error must name the file: \(error)")
                    XCTAssertTrue(
                        error is InputError || error is AudioFileError,
                        "\(label): a bad input file is an input error (exit 66), not \(type(of: error))")
                }
                XCTAssertFalse(FileManager.default.fileExists(atPath: output.path), "\(label): no track may be written")
                let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains("cadence-partial") }
                XCTAssertEqual(leftovers, [], "\(label): no partial file may be left")
                try? FileManager.default.removeItem(at: output)
            }
        }
    }
}
