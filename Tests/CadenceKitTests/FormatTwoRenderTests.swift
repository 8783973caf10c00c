import CadenceTestSupport
import Foundation
import XCTest
@testable import CadenceKit

/// The sounds format 2 adds, checked on rendered tracks sample by sample: the phase tick and the
/// own-pace pulse start exactly on their cue's sample with silence elsewhere, have no clicks, are
/// softer than a go and sit at their own pitches; the steady tone of a held breath lasts exactly
/// its cue's length, at the top or the bottom of the breath glide, quieter than the glides.
final class FormatTwoRenderTests: XCTestCase {
    /// Ticks and pulses with room around them, a held breath of each kind, and a pause.
    static let routine = """
        format: 2
        title: New sounds
        defaults: {lead_in: 1s, transition: 1s, countdown: 1, tail: 1s}
        steps:
          - name: Pulls
            tempo: pull 1.5s, lower 1.5s, hold 2s
            reps: 2
            rest: 0.5s
          - name: Walk
            own_pace: 5s
            pulse: 1s
          - name: Box
            breathing: box
            breaths: 1
          - pause: Sit up
            time: 1.5s
        """

    private var folder: URL!

    override func setUpWithError() throws {
        folder = try ScratchFolder(for: self, "render").url
    }

    func testTicksPulsesAndHeldBreathsStartOnTheirSamplesWithSilenceElsewhere() throws {
        for (rate, channels) in [(8_000, 1), (11_025, 2), (44_100, 1), (48_000, 2)] {
            let timeline = try RenderHarness.timeline(Self.routine, rate: rate)
            let options = RenderOptions(sampleRate: rate, channels: channels)
            let rendered = try RenderHarness.renderWAV(timeline, options: options, in: folder)
            let bank = try RenderHarness.bank(for: options)
            RenderHarness.assertCueTiming(rendered.mono, timeline: timeline, bank: bank, label: "format 2 at \(rate) Hz")
            // Every tick and pulse has silence before it here, so each one's onset is checked exactly.
            for cue in timeline.cues where cue.type == .phase || cue.type == .pulse {
                let at = Int(cue.sample)
                XCTAssertTrue(
                    rendered.mono[(at - RenderHarness.twoMilliseconds(rate))..<at].allSatisfy { $0 == 0 },
                    "\(cue.type.rawValue) at \(at): silence before it")
                XCTAssertNotEqual(rendered.mono[at], 0, "\(cue.type.rawValue) at \(at) at \(rate) Hz starts on its sample")
            }
            XCTAssertEqual(cues(timeline, .phase).count, 4)
            XCTAssertEqual(cues(timeline, .pulse).count, 3, "pulses at 1, 2 and 3 s; the pip at 4 s takes the fourth's place")
        }
    }

    /// A click is a jump no smooth sound makes: no step between two samples may exceed what the
    /// sound's highest partial at its peak level could do (2π·f/rate of the peak, with a margin),
    /// and the sound must start and end near zero.
    private func assertClickFree(_ sound: CueSound, highestPartial: Double, rate: Int, file: StaticString = #filePath, line: UInt = #line)
        throws
    {
        let samples = try RenderHarness.bank(for: RenderOptions(sampleRate: rate)).samples(for: sound)
        let peak = RenderHarness.peak(samples)
        XCTAssertGreaterThan(samples.count, rate / 50, "\(sound.rawValue) is a real sound", file: file, line: line)
        let steepest = zip(samples.dropFirst(), samples).map { abs($0 - $1) }.max() ?? 0
        let bound = peak * Float(2 * Double.pi * highestPartial / Double(rate)) * 1.5
        XCTAssertLessThanOrEqual(
            steepest, bound, "\(sound.rawValue) at \(rate) Hz: a step of \(steepest) against a peak of \(peak)", file: file, line: line)
        XCTAssertLessThan(abs(samples[0]), peak * 0.02, "\(sound.rawValue) starts near zero", file: file, line: line)
        XCTAssertLessThan(abs(samples[samples.count - 1]), peak * 0.02, "\(sound.rawValue) ends near zero", file: file, line: line)
        let firstMillisecond = samples.prefix(rate / 1000).map(abs).max() ?? 0
        XCTAssertLessThan(firstMillisecond, peak * 0.5, "\(sound.rawValue) rises over its first milliseconds", file: file, line: line)
    }

    func testTheTickAndThePulseAreClickFreeSoftAndApart() throws {
        for rate in [11_025, 44_100, 48_000] {
            try assertClickFree(.phase, highestPartial: 987.77 * 2.57, rate: rate)
            try assertClickFree(.pulse, highestPartial: 220 * 3, rate: rate)
            let bank = try RenderHarness.bank(for: RenderOptions(sampleRate: rate))
            let go = RenderHarness.peak(bank.samples(for: .go))
            let tick = bank.samples(for: .phase), pulse = bank.samples(for: .pulse)
            XCTAssertLessThan(RenderHarness.peak(tick), go * 0.5, "the tick is softer than a go")
            XCTAssertLessThan(RenderHarness.peak(pulse), go * 0.5, "the pulse is softer than a go")
            // Short: the tick is over in 80 ms, the pulse in under 300 ms.
            XCTAssertLessThanOrEqual(tick.count, rate * 8 / 100 + 1)
            XCTAssertLessThanOrEqual(pulse.count, rate * 28 / 100 + 1)
            // Their pitches stand apart from each other and from the countdown pip (G5, 784 Hz).
            let tickPitch = RenderHarness.zeroCrossingRate(tick, 0..<tick.count / 2, rate: rate) / 2
            let pulsePitch = RenderHarness.zeroCrossingRate(pulse, 0..<pulse.count / 2, rate: rate) / 2
            XCTAssertTrue((900...1_100).contains(tickPitch), "the tick is near B5 (988 Hz): \(tickPitch) Hz at \(rate) Hz")
            XCTAssertTrue((200...245).contains(pulsePitch), "the pulse is near A3 (220 Hz): \(pulsePitch) Hz at \(rate) Hz")
        }
    }

    func testAHeldBreathsToneLastsItsLengthAtTheGlidesEndsAndIsQuieter() throws {
        let rate = 44_100
        let timeline = try RenderHarness.timeline(Self.routine, rate: rate)
        let options = RenderOptions(bitDepth: .float, sampleRate: rate, channels: 1)
        let samples = try RenderHarness.renderWAV(timeline, options: options, in: folder).mono
        let bank = try RenderHarness.bank(for: options)
        let held = cues(timeline, .breathHold)
        XCTAssertEqual(held.map { $0.breath ?? "" }, ["in", "out"])
        func rms(_ range: Range<Int>) -> Double {
            (range.reduce(0.0) { $0 + Double(samples[$1]) * Double(samples[$1]) } / Double(range.count)).squareRoot()
        }
        let inhale = try XCTUnwrap(cues(timeline, .inhale).last)
        let inhaleRange = Int(inhale.sample) + Int(inhale.length!) / 4..<Int(inhale.sample) + Int(inhale.length!) * 3 / 4
        for cue in held {
            let start = Int(cue.sample), length = Int(try XCTUnwrap(cue.length))
            let interval = try XCTUnwrap(timeline.intervals.first { $0.start == cue.sample })
            XCTAssertEqual(Int64(length), interval.length, "the tone lasts its interval")
            XCTAssertTrue((start..<start + length).allSatisfy { samples[$0] != 0 }, "\(cue.breath!): sound on every sample of the hold")
            let index = try XCTUnwrap(timeline.cues.firstIndex(of: cue))
            let after = start + length
            if !RenderHarness.coverage(timeline, bank: bank, excluding: index)[after] {
                XCTAssertEqual(samples[after], 0, "\(cue.breath!): the tone stops where the hold ends")
            }
            // Steady at the glide's top after an inhale (D4) and at its bottom after an exhale (G3).
            let middle = start + length / 4..<start + length * 3 / 4
            let pitch = RenderHarness.zeroCrossingRate(samples, middle, rate: rate) / 2
            let expected = cue.breath == "in" ? BreathTone.high : BreathTone.low
            XCTAssertEqual(pitch, expected, accuracy: expected * 0.04, "\(cue.breath!): \(pitch) Hz")
            let first = RenderHarness.zeroCrossingRate(samples, start + length / 4..<start + length / 2, rate: rate)
            let second = RenderHarness.zeroCrossingRate(samples, start + length / 2..<start + length * 3 / 4, rate: rate)
            XCTAssertEqual(first, second, accuracy: first * 0.03, "the pitch holds still")
            // About 4 dB under the glide (0.09 against 0.14 at the peak); at least 3 dB.
            XCTAssertLessThan(20 * log10(rms(middle) / rms(inhaleRange)), -3, "\(cue.breath!) is quieter than the glides")
        }
        // Where the inhale hands over to the held tone there is no jump: the step between two samples
        // is no larger than inside the tones.
        let boundary = Int(held[0].sample)
        let across = abs(samples[boundary] - samples[boundary - 1])
        let inside = (boundary - 2_000..<boundary - 1).map { abs(samples[$0 + 1] - samples[$0]) }.max() ?? 0
        XCTAssertLessThanOrEqual(across, inside * 1.5 + 1e-4)
    }
}
