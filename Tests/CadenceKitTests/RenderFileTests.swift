import CadenceTestSupport
import Foundation
import XCTest
@testable import CadenceKit

/// What the track file holds (cli.md "Output guarantees"): a WAV whose RIFF structure is sound,
/// 16-bit PCM by default, 24-bit or float on request, with one named marker per step; the same
/// bytes on every render, in every format.
final class RenderFileTests: XCTestCase {
    /// Five steps whose starts fall on different samples; names with UTF-8, odd and even lengths
    /// (so `labl` padding is exercised); a tail of 0.500125 s so at 8000 Hz the track is an odd
    /// number of frames (27201) and a mono 24-bit data chunk has an odd size.
    static let markers = """
        title: Markers “quoted” title
        defaults: {lead_in: 0.5s, transition: 0.25s, tail: 0.500125s, countdown: 0}
        steps:
          - name: Cat-cow warm-up
            breaths: 1
            inhale: 0.5s
            exhale: 0.5s
          - name: Child’s pose
            hold: 0.3s
          - name: Hamstring stretch, each leg
            hold: 0.2s
            sides: each
            switch: 0.1s
          - name: A
            transition: 0
            hold: 0.1s
          - name: Side bend (right hand down)
            transition: 1.005s
            hold: 0.2s
        """

    private var folder: URL!

    override func setUpWithError() throws {
        folder = try ScratchFolder(for: self, "render").url
    }

    private func bytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

    // MARK: WAV structure and markers

    private func assertWAVStructure(
        rate: Int, channels: Int, bitDepth: BitDepth,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> [Float] {
        let timeline = try RenderHarness.timeline(Self.markers, rate: rate, file: file, line: line)
        let options = RenderOptions(bitDepth: bitDepth, sampleRate: rate, channels: channels)
        let rendered = try RenderHarness.renderWAV(timeline, options: options, in: folder, file: file, line: line)
        let data = try bytes(rendered.path)
        let label = "\(rate) Hz, \(channels) ch, \(bitDepth.rawValue)"

        XCTAssertEqual(String(decoding: data[0..<4], as: UTF8.self), "RIFF", label, file: file, line: line)
        XCTAssertEqual(
            RenderHarness.uint32(data, 4), data.count - 8, "\(label): the RIFF size is the file size - 8",
            file: file, line: line)
        let chunks = RenderHarness.chunks(data, file: file, line: line)
        let format = try XCTUnwrap(RenderHarness.format(data, chunks), "\(label): no fmt chunk", file: file, line: line)
        let bytesPerSample: Int
        switch bitDepth {
        case .pcm16: bytesPerSample = 2
        case .pcm24: bytesPerSample = 3
        case .float: bytesPerSample = 4
        }
        XCTAssertEqual(
            format,
            RenderHarness.Format(
                formatTag: bitDepth == .float ? 3 : 1, channels: channels, sampleRate: rate,
                bitsPerSample: 8 * bytesPerSample, blockAlign: channels * bytesPerSample),
            "\(label): fmt chunk (format tag 1 = PCM, 3 = IEEE float)", file: file, line: line)
        let dataChunk = try XCTUnwrap(chunks.first { $0.id == "data" }, "\(label): no data chunk", file: file, line: line)
        XCTAssertEqual(
            dataChunk.size, Int(timeline.totalSamples) * channels * bytesPerSample,
            "\(label): the data chunk holds exactly total_samples frames", file: file, line: line)
        XCTAssertEqual(chunks.filter { $0.id == "data" }.count, 1, label, file: file, line: line)

        // One marker per step, at the step's start sample, named after the step.
        let expected = timeline.steps.map { RenderHarness.Marker(sample: Int($0.start), name: $0.name) }
        XCTAssertEqual(expected.count, 5)
        XCTAssertEqual(RenderHarness.markers(data, chunks, file: file, line: line), expected, label, file: file, line: line)
        XCTAssertEqual(chunks.filter { $0.id == "cue " }.count, 1, "\(label): one cue chunk", file: file, line: line)
        return rendered.mono
    }

    func testSixteenBitStereoWAVHasAValidHeaderAndOneMarkerPerStep() throws {
        _ = try assertWAVStructure(rate: 44_100, channels: 2, bitDepth: .pcm16)
    }

    func testTwentyFourBitMonoWAVWithAnOddDataSizeIsStillAValidRIFFFile() throws {
        let timeline = try RenderHarness.timeline(Self.markers, rate: 8_000)
        XCTAssertEqual(timeline.totalSamples % 2, 1, "the routine must give an odd number of frames at 8000 Hz")
        _ = try assertWAVStructure(rate: 8_000, channels: 1, bitDepth: .pcm24)
    }

    func testFloatStereoWAVHasAnIEEEFloatFormat() throws {
        _ = try assertWAVStructure(rate: 48_000, channels: 2, bitDepth: .float)
    }

    func testTheMarkerNamesAndPositionsOfTheTimelineAtEveryRate() throws {
        // Step starts are samples of the timeline, so they move with the rate; markers follow them.
        for rate in [8_000, 96_000] {
            _ = try assertWAVStructure(rate: rate, channels: 1, bitDepth: .pcm16)
        }
    }

    // MARK: Bit depths

    /// 16-bit and 24-bit tracks are the float track rounded to the nearest step, sample for sample:
    /// nothing moves in time and nothing else changes.
    func testSixteenAndTwentyFourBitTracksAreTheFloatTrackRounded() throws {
        let rate = 44_100
        let timeline = try RenderHarness.timeline(RenderTimingTests.breaths, rate: rate)
        let reference = try RenderHarness.renderWAV(
            timeline, options: RenderOptions(bitDepth: .float, sampleRate: rate, channels: 1),
            in: folder
        ).mono
        for (bitDepth, step) in [(BitDepth.pcm16, Float(1.0 / 32_768)), (.pcm24, Float(1.0 / 8_388_608))] {
            let samples = try RenderHarness.renderWAV(
                timeline, options: RenderOptions(bitDepth: bitDepth, sampleRate: rate, channels: 1),
                in: folder
            ).mono
            var worst: (index: Int, error: Float) = (0, 0)
            for index in samples.indices {
                let error = abs(samples[index] - reference[index])
                if error > worst.error { worst = (index, error) }
                // Whole steps only: libsndfile reads PCM back as k / 2^15 or k / 2^23.
                let steps = samples[index] / step
                if steps != steps.rounded() {
                    XCTFail("\(bitDepth.rawValue)-bit sample \(index) is not a whole step: \(samples[index])")
                    break
                }
            }
            XCTAssertLessThanOrEqual(
                worst.error, step * 0.5001,
                "\(bitDepth.rawValue)-bit: sample \(worst.index) is \(worst.error / step) steps from the float track")
        }
    }

    // MARK: Same routine, same options, same bytes

    func testTwoRendersAreByteIdenticalInEveryFormat() throws {
        let timeline44 = try RenderHarness.timeline(Self.markers, rate: 44_100)
        let timeline48 = try RenderHarness.timeline(Self.markers, rate: 48_000)
        let cases: [(AudioFormat, BitDepth, Timeline)] = [
            (.wav, .pcm16, timeline44), (.wav, .pcm24, timeline44), (.wav, .float, timeline44), (.flac, .pcm24, timeline44),
            (.ogg, .pcm16, timeline44), (.mp3, .pcm16, timeline44), (.opus, .pcm16, timeline48),
        ]
        for (format, bitDepth, timeline) in cases {
            let options = RenderOptions(format: format, bitDepth: bitDepth, sampleRate: timeline.sampleRate, channels: 2)
            let first = try RenderHarness.render(timeline, options: options, in: folder, name: "a.\(format.rawValue)")
            let second = try RenderHarness.render(timeline, options: options, in: folder, name: "b.\(format.rawValue)")
            let a = try bytes(first), b = try bytes(second)
            XCTAssertGreaterThan(a.count, 1_000, "\(format.rawValue)")
            XCTAssertTrue(
                a == b,
                "\(format.rawValue) \(bitDepth.rawValue): two renders differ "
                    + "(sizes \(a.count) and \(b.count), first difference at byte \(zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)))"
            )
        }
    }

    func testFLACHoldsExactlyTheSamplesOfTheWAV() throws {
        let rate = 48_000
        let timeline = try RenderHarness.timeline(Self.markers, rate: rate)
        for bitDepth in [BitDepth.pcm16, .pcm24] {
            let wav = try RenderHarness.renderWAV(
                timeline, options: RenderOptions(bitDepth: bitDepth, sampleRate: rate, channels: 2),
                in: folder
            ).track
            let flacPath = try RenderHarness.render(
                timeline,
                options: RenderOptions(
                    format: .flac, bitDepth: bitDepth, sampleRate: rate,
                    channels: 2), in: folder, name: "t\(bitDepth.rawValue).flac")
            XCTAssertEqual(Array(try bytes(flacPath).prefix(4)), Array("fLaC".utf8))
            let flac = try RenderHarness.read(flacPath)
            XCTAssertEqual(flac.frames, Int(timeline.totalSamples))
            XCTAssertEqual(flac.channels, 2)
            XCTAssertEqual(flac.sampleRate, rate)
            XCTAssertTrue(flac.interleaved == wav.interleaved, "\(bitDepth.rawValue)-bit FLAC must decode to the WAV's samples")
        }
    }

    // MARK: Atomic writes (library level)

    func testAFailedRenderLeavesTheExistingDestinationAndNoPartialFile() throws {
        let timeline = try RenderHarness.timeline(Self.markers, rate: 8_000)
        let destination = folder.appendingPathComponent("track.wav")
        let old = Data("the old track".utf8)
        try old.write(to: destination)
        // Interrupted after the third block.
        var blocks = 0
        XCTAssertThrowsError(
            try TrackRenderer.render(
                timeline, to: destination.path, options: RenderOptions(sampleRate: 8_000),
                shouldStop: {
                    blocks += 1
                    return blocks > 3
                })
        ) { error in
            guard case RenderError.interrupted? = error as? RenderError else {
                return XCTFail("expected RenderError.interrupted, got \(error)")
            }
            XCTAssertEqual((error as? RenderError)?.exitStatus, .interrupted)
        }
        XCTAssertEqual(try Data(contentsOf: destination), old, "the existing file must be untouched")
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: folder.path), ["track.wav"],
            "nothing but the old track may be left in the folder")
    }

    // MARK: Sound packs

    /// `samples` of a sine at `frequency`, starting at `phase` (radians), at `amplitude`.
    private func sine(_ frequency: Double, seconds: Double, rate: Int, amplitude: Double = 0.5, phase: Double = 0) -> [Float] {
        (0..<Int(seconds * Double(rate))).map { Float(amplitude * sin(phase + 2 * Double.pi * frequency * Double($0) / Double(rate))) }
    }

    private static let packRoutine = """
        title: Pack
        defaults: {lead_in: 1s, countdown: 0, tail: 1s}
        steps:
          - name: Two holds
            hold: 1s
            reps: 2
            rest: 1s
        """

    /// A pack with `go.wav` (22050 Hz stereo 16-bit, 20 ms of silence then 0.25 s of 300 Hz) and
    /// `stop.wav` (96000 Hz mono float, 0.15 s of 500 Hz): both are resampled and start on their
    /// cues; every other sound falls back to the built-in one, sample for sample.
    func testASoundPackReplacesSomeSoundsAndTheOthersFallBackToTheBuiltInOnes() throws {
        let pack = folder.appendingPathComponent("pack")
        try FileManager.default.createDirectory(at: pack, withIntermediateDirectories: true)
        var go: [Float] = [Float](repeating: 0, count: 441) + sine(300, seconds: 0.25, rate: 22_050) + [Float](repeating: 0, count: 661)
        go = go.flatMap { [$0, $0] }
        try WAVFile.bytes(go, channels: 2, rate: 22_050).write(to: pack.appendingPathComponent("go.wav"))
        try WAVFile.bytes(sine(500, seconds: 0.15, rate: 96_000), channels: 1, rate: 96_000, float: true)
            .write(to: pack.appendingPathComponent("stop.wav"))

        let rate = 48_000
        let timeline = try RenderHarness.timeline(Self.packRoutine, rate: rate)
        let options = RenderOptions(sampleRate: rate, channels: 1, soundsFolder: pack.path)
        let packed = try RenderHarness.renderWAV(timeline, options: options, in: folder).mono
        let builtIn = try RenderHarness.renderWAV(timeline, options: RenderOptions(sampleRate: rate, channels: 1), in: folder).mono
        let bank = try RenderHarness.bank(for: options)
        RenderHarness.assertCueTiming(packed, timeline: timeline, bank: bank, label: "with the pack")

        func nextCue(after sample: Int64) -> Int { Int(timeline.cues.first { $0.sample > sample }?.sample ?? timeline.totalSamples) }
        for (type, frequency, seconds) in [(CueType.go, 300.0, 0.25), (.stop, 500.0, 0.15)] {
            let cues = timeline.cues.filter { $0.type == type }
            XCTAssertFalse(cues.isEmpty)
            for cue in cues {
                let start = Int(cue.sample)
                XCTAssertNotEqual(packed[start], 0, "\(type.rawValue) at \(start): the pack sound starts on its cue")
                XCTAssertEqual(packed[start - 1], 0)
                // It lasts as long as the file's sound (its silence trimmed), give or take 5 ms.
                let end = nextCue(after: cue.sample)
                let last = try XCTUnwrap(packed[start..<end].lastIndex { $0 != 0 })
                XCTAssertEqual(Double(last + 1 - start) / Double(rate), seconds, accuracy: 0.005, "\(type.rawValue) at \(start): length")
                // And it is the file's tone, not the built-in sound.
                let measured =
                    RenderHarness.zeroCrossingRate(
                        packed, start + rate / 50..<start + Int(seconds * Double(rate)) - rate / 50,
                        rate: rate) / 2
                XCTAssertEqual(measured, frequency, accuracy: frequency * 0.03, "\(type.rawValue) at \(start): pitch")
            }
        }
        // Announce and finish come from the built-in pack: identical to the render without a pack.
        for type in [CueType.announce, .finish] {
            let cue = try XCTUnwrap(timeline.cues.first { $0.type == type })
            let range = Int(cue.sample)..<nextCue(after: cue.sample)
            XCTAssertGreaterThan(RenderHarness.peak(Array(builtIn[range])), 0.1)
            XCTAssertTrue(packed[range] == builtIn[range], "\(type.rawValue): the built-in sound must be used when the pack has no file")
        }
    }

    /// A pack sound whose waveform starts downwards (a 440 Hz sine from phase π), on the same sample
    /// as an inhale tone, which starts upwards (the go and inhale cues of a breath step): the two
    /// first samples must not cancel out in the 16-bit track, which must be non-zero exactly at the cue.
    func testAPackSoundStartingDownwardsOnTheSampleOfAnInhaleStillStartsOnItsCue() throws {
        let pack = folder.appendingPathComponent("pack")
        try FileManager.default.createDirectory(at: pack, withIntermediateDirectories: true)
        try WAVFile.bytes(sine(440, seconds: 0.3, rate: 48_000, phase: Double.pi), channels: 1, rate: 48_000)
            .write(to: pack.appendingPathComponent("go.wav"))
        for rate in [44_100, 48_000] {
            let timeline = try RenderHarness.timeline(
                """
                title: Breathing with a pack
                defaults: {lead_in: 2s, tail: 1s}
                steps:
                  - name: Breathe
                    breaths: 1
                    inhale: 1s
                    exhale: 1s
                """, rate: rate)
            let go = try XCTUnwrap(timeline.cues.first { $0.type == .go })
            XCTAssertTrue(timeline.cues.contains { $0.type == .inhale && $0.sample == go.sample })
            let options = RenderOptions(sampleRate: rate, channels: 1, soundsFolder: pack.path)
            let samples = try RenderHarness.renderWAV(timeline, options: options, in: folder).mono
            RenderHarness.assertCueTiming(
                samples, timeline: timeline, bank: try RenderHarness.bank(for: options),
                label: "downward pack sound at \(rate) Hz")
        }
    }
}
