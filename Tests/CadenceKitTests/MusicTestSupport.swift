import CadenceTestSupport
import Foundation
import XCTest
@testable import CadenceKit

// Helpers for the music and voice tests (Music*.swift, Voice*.swift): music fixtures (samples made
// in Swift, written by CadenceTestSupport's `WAVFile`, or encoded by ffmpeg for the compressed
// formats), the tools they need, and measuring real audio (RMS, Goertzel amplitude of one
// frequency, dominant frequency, EBU R 128 loudness and true peak). Programs run through
// CadenceTestSupport's `ProcessRunner`; reading and rendering tracks go through `RenderHarness`
// (RenderSupport.swift).

enum MusicHarness {
    static let ffmpeg = "/usr/bin/ffmpeg"
    static let sox = "/usr/bin/sox"
    static let espeak = "/usr/bin/espeak-ng"

    // MARK: Tools

    /// Skips the test when `tool` is not installed (scripts/bootstrap installs ffmpeg, sox and espeak-ng).
    static func require(_ tool: String, for purpose: String) throws {
        guard FileManager.default.isExecutableFile(atPath: tool) else {
            throw XCTSkip("\(tool) is not installed (scripts/bootstrap installs it); this test uses it to \(purpose)")
        }
    }

    /// Whether espeak-ng can be found the way Cadence finds it (on PATH).
    static var hasEspeak: Bool { Subprocess.find("espeak-ng") != nil }

    static func requireEspeak() throws {
        guard hasEspeak else {
            throw XCTSkip("espeak-ng is not installed (`sudo apt-get install espeak-ng`); --voice cannot be tested")
        }
    }

    // MARK: Writing fixtures

    /// A sum of sines, the same on every channel, interleaved.
    static func tones(
        _ partials: [(frequency: Double, amplitude: Double)], seconds: Double, rate: Int,
        channels: Int = 1
    ) -> [Float] {
        let frames = Int((seconds * Double(rate)).rounded())
        var out = [Float](repeating: 0, count: frames * channels)
        out.withUnsafeMutableBufferPointer { buffer in
            for (frequency, amplitude) in partials {
                let step = 2 * Double.pi * frequency / Double(rate)
                for frame in 0..<frames {
                    let value = Float(amplitude * sin(step * Double(frame)))
                    for channel in 0..<channels { buffer[frame * channels + channel] += value }
                }
            }
        }
        return out
    }

    /// A small deterministic random generator (SplitMix64), so noise fixtures are the same every run.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        /// Uniform in -1...1.
        mutating func uniform() -> Double { Double(next() >> 11) / Double(1 << 52) - 1 }
    }

    /// Pink noise (Paul Kellet's filter), independent on each channel, scaled to peak near 1.
    static func pinkNoise(seconds: Double, rate: Int, channels: Int, seed: UInt64) -> [Float] {
        let frames = Int(seconds * Double(rate))
        var out = [Float](repeating: 0, count: frames * channels)
        var random = Random(state: seed)
        for channel in 0..<channels {
            var b0 = 0.0, b1 = 0.0, b2 = 0.0, b3 = 0.0, b4 = 0.0, b5 = 0.0, b6 = 0.0
            for frame in 0..<frames {
                let white = random.uniform()
                b0 = 0.99886 * b0 + white * 0.0555179
                b1 = 0.99332 * b1 + white * 0.0750759
                b2 = 0.96900 * b2 + white * 0.1538520
                b3 = 0.86650 * b3 + white * 0.3104856
                b4 = 0.55000 * b4 + white * 0.5329522
                b5 = -0.7616 * b5 - white * 0.0168980
                let pink = b0 + b1 + b2 + b3 + b4 + b5 + b6 + white * 0.5362
                b6 = white * 0.115926
                out[frame * channels + channel] = Float(pink * 0.2)
            }
        }
        return out
    }

    /// Scales `samples` so that they measure `lufs` (EBU R 128, measured with libebur128).
    static func normalize(_ samples: [Float], channels: Int, rate: Int, to lufs: Double) -> [Float] {
        let measured = integratedLoudness(samples, channels: channels, rate: rate)
        let gain = Float(pow(10, (lufs - measured) / 20))
        return samples.map { $0 * gain }
    }

    /// Encodes a sine of `frequency` on every channel with ffmpeg, in any format it writes.
    /// `codec` picks the encoder (e.g. "pcm_s24le", "pcm_f32le", "flac", "libvorbis", "libopus", "libmp3lame").
    static func ffmpegSine(
        _ frequency: Double, amplitude: Double = 0.5, seconds: Double, rate: Int, channels: Int,
        codec: String, to url: URL, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let expression = (0..<channels).map { _ in "\(amplitude)*sin(2*PI*\(frequency)*t)" }.joined(separator: "|")
        let layout = [1: "mono", 2: "stereo", 4: "quad"][channels].map { ":c=\($0)" } ?? ""
        let result = try ProcessRunner.run(
            ffmpeg,
            [
                "-v", "error", "-nostdin", "-y", "-f", "lavfi",
                "-i", "aevalsrc=exprs=\(expression):s=\(rate):d=\(seconds)\(layout)",
                "-c:a", codec, url.path,
            ], file: file, line: line)
        XCTAssertEqual(
            result.code, 0, "ffmpeg could not write the fixture \(url.lastPathComponent): \(result.stderr)",
            file: file, line: line)
    }

    // MARK: Measuring

    static func seconds(_ value: Double, _ rate: Int) -> Int { Int((value * Double(rate)).rounded()) }

    static func decibels(_ ratio: Double) -> Double { 20 * log10(ratio) }

    static func rms(_ samples: [Float], _ range: Range<Int>) -> Double {
        var sum = 0.0
        for index in range { sum += Double(samples[index]) * Double(samples[index]) }
        return (sum / Double(max(1, range.count))).squareRoot()
    }

    /// The amplitude of the sine at `frequency` in `samples[range]` (Goertzel). Exact for a steady
    /// sine when the window holds a whole number of its periods.
    static func amplitude(_ samples: [Float], _ range: Range<Int>, frequency: Double, rate: Int) -> Double {
        let coefficient = 2 * cos(2 * Double.pi * frequency / Double(rate))
        var s1 = 0.0, s2 = 0.0
        for index in range {
            let s0 = Double(samples[index]) + coefficient * s1 - s2
            s2 = s1
            s1 = s0
        }
        let power = max(0, s1 * s1 + s2 * s2 - coefficient * s1 * s2)
        return 2 * power.squareRoot() / Double(range.count)
    }

    /// The dominant frequency of `samples[range]`, from its zero crossings.
    static func dominantFrequency(_ samples: [Float], _ range: Range<Int>, rate: Int) -> Double {
        RenderHarness.zeroCrossingRate(samples, range, rate: rate) / 2
    }

    static func integratedLoudness(_ interleaved: [Float], channels: Int, rate: Int) -> Double {
        let meter = LoudnessMeter(channels: channels, sampleRate: rate)!
        interleaved.withUnsafeBufferPointer { meter.add($0.baseAddress!, frameCount: $0.count / channels) }
        return meter.integratedLoudness
    }

    /// Integrated loudness (LUFS) and true peak (dBTP) with the library's meter (libebur128).
    static func loudness(of track: RenderHarness.Track) -> (lufs: Double, truePeak: Double) {
        let meter = LoudnessMeter(channels: track.channels, sampleRate: track.sampleRate, truePeak: true)!
        track.interleaved.withUnsafeBufferPointer { meter.add($0.baseAddress!, frameCount: track.frames) }
        return (meter.integratedLoudness, decibels(meter.truePeak))
    }

    /// Integrated loudness (LUFS) and true peak (dBTP) as `ffmpeg -af ebur128=peak=true` reports them.
    static func ffmpegLoudness(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> (
        lufs: Double, truePeak: Double
    ) {
        let result = try ProcessRunner.run(
            ffmpeg,
            [
                "-hide_banner", "-nostats", "-nostdin", "-i", path,
                "-af", "ebur128=peak=true:framelog=verbose", "-f", "null", "-",
            ],
            file: file, line: line)
        XCTAssertEqual(result.code, 0, "ffmpeg ebur128 failed on \(path): \(result.stderr)", file: file, line: line)
        var lufs: Double?, peak: Double?
        for raw in result.stderr.components(separatedBy: "\n") {
            let text = raw.trimmingCharacters(in: .whitespaces)
            let fields = text.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2 else { continue }
            if fields[0] == "I:" { lufs = Double(fields[1]) }
            if fields[0] == "Peak:" { peak = Double(fields[1]) }
        }
        return (
            try XCTUnwrap(lufs, "no integrated loudness in ffmpeg's output:\n\(result.stderr)", file: file, line: line),
            try XCTUnwrap(peak, "no true peak in ffmpeg's output:\n\(result.stderr)", file: file, line: line)
        )
    }

    // MARK: Where the cue sounds play

    /// The stretches of the track where cue sounds play, from the timeline (cue samples + sound
    /// lengths), merging sounds whose gap is shorter than `mergeGap` samples. Half-open ranges, in order.
    static func soundStretches(_ timeline: Timeline, bank: SoundBank, mergeGap: Int) -> [Range<Int>] {
        let covered = RenderHarness.coverage(timeline, bank: bank)
        var stretches: [Range<Int>] = []
        var index = 0
        while index < covered.count {
            guard covered[index] else {
                index += 1
                continue
            }
            var end = index
            while end < covered.count, covered[end] { end += 1 }
            if let last = stretches.last, index - last.upperBound < mergeGap {
                stretches[stretches.count - 1] = last.lowerBound..<end
            } else {
                stretches.append(index..<end)
            }
            index = end
        }
        return stretches
    }

    /// The gaps between `stretches` within 0..<total, in order.
    static func gaps(between stretches: [Range<Int>], total: Int) -> [Range<Int>] {
        var gaps: [Range<Int>] = []
        var cursor = 0
        for stretch in stretches {
            if stretch.lowerBound > cursor { gaps.append(cursor..<stretch.lowerBound) }
            cursor = max(cursor, stretch.upperBound)
        }
        if cursor < total { gaps.append(cursor..<total) }
        return gaps
    }

    /// The start of the tail (where the music's fade-out begins), or the end of the track.
    static func tailStart(_ timeline: Timeline) -> Int {
        Int(timeline.intervals.last(where: { $0.kind == .tail })?.start ?? timeline.totalSamples)
    }
}
