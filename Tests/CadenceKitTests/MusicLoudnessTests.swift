import CadenceTestSupport
import Foundation
import XCTest
@testable import CadenceKit

/// Loudness (the music issue): with music, the finished mix measures -16 LUFS integrated (within
/// 1 LU) with a true peak at or below -1 dBTP, whatever the music's own level: measured on the
/// written track both with `ffmpeg -af ebur128=peak=true` and with the library's LoudnessMeter.
final class MusicLoudnessTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try ScratchFolder(for: self, "render").url
    }

    /// Cues of every common kind at their normal level (countdowns, halfway, breath tones, a finish bell).
    static let routine = """
        title: Loudness
        defaults: {lead_in: 2s, tail: 3s}
        steps:
          - name: Hold
            hold: 12s
            halfway: true
          - name: Breathe
            transition: 2s
            breaths: 2
            inhale: 3s
            exhale: 3s
        """

    /// Pink noise at -35 LUFS: a quiet recording.
    private func quietFile() throws -> String {
        let rate = 44_100
        let noise = MusicHarness.pinkNoise(seconds: 12, rate: rate, channels: 2, seed: 7)
        let quiet = MusicHarness.normalize(noise, channels: 2, rate: rate, to: -35)
        XCTAssertEqual(MusicHarness.integratedLoudness(quiet, channels: 2, rate: rate), -35, accuracy: 0.1, "fixture level")
        let url = folder.appendingPathComponent("quiet.wav")
        try WAVFile.write(quiet, channels: 2, rate: rate, float: true, to: url)
        return url.path
    }

    /// Hard-clipped noise at full scale: about as loud as a file can be, square-ish.
    private func loudFile() throws -> String {
        let rate = 44_100
        var random = MusicHarness.Random(state: 11)
        var samples = [Float](repeating: 0, count: 12 * rate * 2)
        for index in samples.indices { samples[index] = Float(max(-1, min(1, 4 * random.uniform()))) }
        XCTAssertGreaterThan(MusicHarness.integratedLoudness(samples, channels: 2, rate: rate), -4, "fixture level")
        let url = folder.appendingPathComponent("loud.wav")
        try WAVFile.write(samples, channels: 2, rate: rate, to: url)
        return url.path
    }

    /// A pad with rare, sharp full-scale clicks: a high crest factor (the clicks peak some 20 dB
    /// above the loudness, which the pad carries), so bringing it to -16 LUFS pushes the clicks far
    /// past full scale and the peaks must be held down.
    private func clickyPadFile() throws -> String {
        let rate = 48_000
        var samples = MusicHarness.tones([(220, 0.1), (330, 0.07), (495, 0.04)], seconds: 12, rate: rate)
        var at = rate / 10
        while at + rate / 1_000 < samples.count {
            for offset in 0..<(rate / 1_000) {  // 1 ms of 3 kHz at full scale
                samples[at + offset] = Float(0.99 * sin(2 * Double.pi * 3_000 * Double(offset) / Double(rate)))
            }
            at += rate * 9 / 10
        }
        let url = folder.appendingPathComponent("clicky-pad.wav")
        try WAVFile.write(samples, channels: 1, rate: rate, to: url)
        return url.path
    }

    /// Sparse 5 ms bursts at full scale carry this file's loudness (like a solo woodblock): its
    /// crest factor is larger than the 15 dB between -16 LUFS and -1 dBTP, so the peaks must be
    /// limited by several dB and the level made up for it.
    private func percussiveFile() throws -> String {
        let rate = 48_000
        var samples = MusicHarness.tones([(220, 0.03), (330, 0.02), (495, 0.01)], seconds: 12, rate: rate)
        var at = rate / 10
        while at + rate / 200 < samples.count {
            for offset in 0..<(rate / 200) {  // 5 ms of 3 kHz at full scale
                samples[at + offset] = Float(0.99 * sin(2 * Double.pi * 3_000 * Double(offset) / Double(rate)))
            }
            at += rate * 37 / 100
        }
        let url = folder.appendingPathComponent("percussive.wav")
        try WAVFile.write(samples, channels: 1, rate: rate, to: url)
        return url.path
    }

    /// Renders `file` under the routine and checks the finished track with both meters.
    private func assertTargetLoudness(
        _ file: String, channels: Int, rate: Int, label: String,
        line: UInt = #line
    ) throws {
        let label = "\(label), \(channels == 1 ? "mono" : "stereo") \(rate) Hz"
        let timeline = try RenderHarness.timeline(Self.routine, rate: rate)
        let options = RenderOptions(sampleRate: rate, channels: channels, music: [file])
        let path = try RenderHarness.render(
            timeline, options: options, in: folder,
            name: "mix-\(channels)-\(rate)-\(UUID().uuidString.prefix(4)).wav")
        let track = try RenderHarness.read(path)
        XCTAssertEqual(track.channels, channels, label, line: line)
        XCTAssertEqual(track.frames, Int(timeline.totalSamples), label, line: line)

        let library = MusicHarness.loudness(of: track)
        XCTAssertEqual(library.lufs, -16, accuracy: 1, "\(label): integrated loudness (LoudnessMeter)", line: line)
        XCTAssertLessThanOrEqual(library.truePeak, -1, "\(label): true peak (LoudnessMeter) in dBTP", line: line)

        let ffmpeg = try MusicHarness.ffmpegLoudness(path)
        XCTAssertEqual(ffmpeg.lufs, -16, accuracy: 1, "\(label): integrated loudness (ffmpeg ebur128)", line: line)
        XCTAssertLessThanOrEqual(ffmpeg.truePeak, -1, "\(label): true peak (ffmpeg ebur128) in dBTP", line: line)
    }

    func testTheMixMeasuresMinus16LUFSWithATruePeakAtMostMinus1dBTP() throws {
        try MusicHarness.require(MusicHarness.ffmpeg, for: "measure loudness with its ebur128 filter")
        let quiet = try quietFile(), loud = try loudFile(), clicky = try clickyPadFile()
        try assertTargetLoudness(quiet, channels: 2, rate: 44_100, label: "quiet -35 LUFS pink noise")
        try assertTargetLoudness(quiet, channels: 1, rate: 48_000, label: "quiet -35 LUFS pink noise")
        try assertTargetLoudness(loud, channels: 2, rate: 48_000, label: "loud clipped noise")
        try assertTargetLoudness(loud, channels: 1, rate: 44_100, label: "loud clipped noise")
        try assertTargetLoudness(clicky, channels: 2, rate: 44_100, label: "pad with full-scale clicks")
    }

    /// The loudness target holds even when reaching it takes real peak limiting.
    func testAPercussiveFileThatNeedsLimitingStillComesOutAtMinus16LUFS() throws {
        try MusicHarness.require(MusicHarness.ffmpeg, for: "measure loudness with its ebur128 filter")
        let file = try percussiveFile()
        let rate = 48_000
        let source = try RenderHarness.read(file)
        let meter = LoudnessMeter(channels: 1, sampleRate: rate, truePeak: true)!
        source.interleaved.withUnsafeBufferPointer { meter.add($0.baseAddress!, frameCount: source.frames) }
        let crest = MusicHarness.decibels(meter.truePeak) - meter.integratedLoudness
        XCTAssertGreaterThan(crest, 16, "test setup: the file's true peak must be more than 15 dB above its loudness")
        try assertTargetLoudness(file, channels: 2, rate: 44_100, label: "percussive bursts")
    }
}
