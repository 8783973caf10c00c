import Foundation
import XCTest
@testable import CadenceKit

/// The polyphase resampler that converts music to the track's rate: the right length with no
/// delay, unit gain in the pass band, tones above the new Nyquist frequency removed, the same
/// output however the input is cut into blocks, and one filter shared per pair of rates.
final class MusicResamplerTests: XCTestCase {
    /// Resamples `input` (interleaved) feeding `block` frames at a time and draining in `outBlock`.
    private func resample(
        _ input: [Float], channels: Int, from source: Int, to target: Int,
        block: Int = 4_096, outBlock: Int = 3_000
    ) throws -> [Float] {
        let filter = try XCTUnwrap(PolyphaseFilter.shared(from: source, to: target))
        let resampler = PolyphaseResampler(filter: filter, channels: channels)
        var output: [Float] = []
        var scratch = [Float](repeating: 0, count: outBlock * channels)
        var position = 0
        let frames = input.count / channels
        while true {
            let take = min(block, frames - position)
            let end = position + take == frames
            let result = input.withUnsafeBufferPointer { buffer in
                scratch.withUnsafeMutableBufferPointer { out in
                    resampler.process(
                        buffer.baseAddress! + position * channels, inputFrames: take,
                        into: out.baseAddress!, outputFrames: outBlock, endOfInput: end)
                }
            }
            position += result.used
            output += scratch[0..<(result.made * channels)]
            if end, position == frames, result.made == 0 { break }
        }
        return output
    }

    func testTheLengthIsTheInputsAtTheNewRateAndThereIsNoDelay() throws {
        let rate = 48_000
        var input = [Float](repeating: 0, count: rate)
        input[24_000] = 1  // an impulse half a second in
        for (target, block) in [(44_100, 4_096), (22_050, 777), (96_000, 1)] {
            let output = try resample(input, channels: 1, from: rate, to: target, block: block)
            XCTAssertEqual(output.count, target, "\(rate) -> \(target) Hz, blocks of \(block)")
            let peakIndex = output.indices.max { abs(output[$0]) < abs(output[$1]) }!
            XCTAssertEqual(Double(peakIndex), Double(target) / 2, accuracy: 1, "the impulse stays where it was (\(target) Hz)")
        }
        let odd = try resample([Float](repeating: 0.25, count: 1_001), channels: 1, from: 44_100, to: 48_000)
        XCTAssertEqual(odd.count, (1_001 * 160 + 146) / 147, "rounded up")
    }

    func testTonesInTheBandKeepTheirLevelAndTonesAboveItAreRemoved() throws {
        for (source, target) in [(48_000, 44_100), (44_100, 48_000), (22_050, 44_100), (96_000, 44_100), (32_000, 44_100)] {
            let low = MusicHarness.tones([(1_000, 0.5)], seconds: 1, rate: source)
            let out = try resample(low, channels: 1, from: source, to: target)
            let window = (target / 4)..<(target * 3 / 4)
            XCTAssertEqual(
                MusicHarness.amplitude(out, window, frequency: 1_000, rate: target), 0.5, accuracy: 0.005,
                "1 kHz, \(source) -> \(target) Hz")
            if target < source {
                // Just above the new Nyquist frequency: must not fold back into the band.
                let high = MusicHarness.tones([(Double(target) * 0.55, 0.5)], seconds: 1, rate: source)
                let folded = try resample(high, channels: 1, from: source, to: target)
                XCTAssertLessThan(MusicHarness.rms(folded, window), 0.5 * 0.0005, "a tone above \(target / 2) Hz must be removed (-60 dB)")
            }
        }
    }

    func testStereoChannelsStaySeparateAndBlockSizesDoNotMatter() throws {
        let rate = 48_000
        let left = MusicHarness.tones([(440, 0.4)], seconds: 0.5, rate: rate)
        let right = MusicHarness.tones([(660, 0.3)], seconds: 0.5, rate: rate)
        var stereo = [Float](repeating: 0, count: left.count * 2)
        for index in left.indices {
            stereo[2 * index] = left[index]
            stereo[2 * index + 1] = right[index]
        }
        let whole = try resample(stereo, channels: 2, from: rate, to: 44_100, block: 100_000, outBlock: 100_000)
        for (block, outBlock) in [(1, 1), (333, 5_000), (4_096, 17)] {
            XCTAssertEqual(
                try resample(stereo, channels: 2, from: rate, to: 44_100, block: block, outBlock: outBlock), whole,
                "blocks of \(block) in, \(outBlock) out")
        }
        let monoLeft = try resample(left, channels: 1, from: rate, to: 44_100)
        for index in stride(from: 0, to: monoLeft.count, by: 97) {
            XCTAssertEqual(whole[2 * index], monoLeft[index], accuracy: 1e-6, "the left channel is the left input alone")
        }
    }

    func testOneFilterIsMadePerPairOfRatesAndOddRatiosAreLeftToLibsamplerate() {
        XCTAssertTrue(
            PolyphaseFilter.shared(from: 48_000, to: 44_100) === PolyphaseFilter.shared(from: 96_000, to: 88_200),
            "the same ratio, reduced, is the same filter")
        XCTAssertEqual(PolyphaseFilter.shared(from: 48_000, to: 44_100)?.up, 147)
        XCTAssertNil(PolyphaseFilter.shared(from: 44_101, to: 48_000), "160 000 phases: too many")
    }
}
