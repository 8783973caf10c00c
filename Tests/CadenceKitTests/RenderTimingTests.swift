import CadenceTestSupport
import Foundation
import XCTest
@testable import CadenceKit

/// timeline.md "Rendering", checked sample by sample on tracks rendered from small routines:
/// each cue's sound starts exactly at its cue's sample, digital silence where nothing plays,
/// breath tones last exactly their cue's length (rising in, falling out), the track is exactly
/// `total_samples` long, and the mix stays at or below -1 dBFS even with `--gain 6` and stacked cues.
final class RenderTimingTests: XCTestCase {
    // MARK: Routines

    /// Hold steps: sides each with reps and rests, halfway cues that land on a countdown beep,
    /// then an alternating step with first: right, two sets and a set rest.
    static let holds = """
        title: Holds
        defaults: {lead_in: 1s, transition: 1.5s, countdown: 1, tail: 2s}
        steps:
          - name: Side holds
            hold: 2s
            reps: 2
            rest: 0.5s
            sides: each
            switch: 0.75s
            halfway: true
          - name: Alternating
            hold: 0.6s
            sides: alternate
            first: right
            switch: 2s
            sets: 2
            set_rest: 1.25s
        """

    /// Breath steps: holds after inhale and exhale, alternate sides with no transition, and
    /// sides each with a counted-down switch, two sets and a set rest.
    static let breaths = """
        title: Breaths
        defaults: {lead_in: 0.5s, tail: 1.5s, countdown: 1}
        steps:
          - name: Paced
            breaths: 2
            inhale: 1s
            hold_in: 0.5s
            exhale: 1.2s
            hold_out: 0.5s
          - name: Sides
            transition: 0
            breaths: 2
            sides: alternate
            inhale: 0.9s
            exhale: 1.1s
          - name: Each
            transition: 0.3s
            breaths: 1
            sides: each
            switch: 2s
            inhale: 0.6s
            exhale: 0.6s
            sets: 2
            set_rest: 0.5s
        """

    /// A 10 ms tail: the finish bell starts 10 ms before the end and is cut short.
    static let shortTail = """
        title: Short tail
        defaults: {lead_in: 0.25s, tail: 10ms, countdown: 0}
        steps:
          - name: Quick
            hold: 0.7s
            reps: 2
            rest: 0.7s
        """

    /// No lead-in and no tail: the session starts with a cue at sample 0 and ends on the last
    /// exhale, so the finish cue falls at `total_samples`, just past the track.
    static let noTail = """
        title: No tail
        defaults: {lead_in: 0, tail: 0}
        steps:
          - name: Hold then breathe
            hold: 1s
            countdown: 0
          - name: Last breath
            transition: 0.5s
            breaths: 1
            inhale: 0.6s
            exhale: 0.8s
        """

    /// Cues piled on each other: announce + go at the start of the first hold; halfway + last
    /// countdown beep 1 s later; announce + go + inhale at the next step; then a go every 0.1 s
    /// (alternate sides, no switch), the finish bell ringing over the last of them.
    static func stacked(leadIn: String) -> String {
        """
        title: Stacked
        defaults: {lead_in: \(leadIn), transition: 0, countdown: 1, tail: 1s}
        steps:
          - name: Hold with halfway
            hold: 2s
            halfway: true
          - name: Breath right after
            breaths: 1
            inhale: 0.5s
            exhale: 0.5s
          - name: Quick alternating
            hold: 0.1s
            reps: 4
            sides: alternate
            switch: 0
        """
    }

    private var folder: URL!

    override func setUpWithError() throws {
        folder = try ScratchFolder(for: self, "render").url
    }

    // MARK: Timing, silence and length

    private func assertTiming(
        _ yaml: String, rate: Int, channels: Int, gain: Double = 0, bitDepth: BitDepth = .pcm16,
        minimumOnsets: Int, file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let timeline = try RenderHarness.timeline(yaml, rate: rate, file: file, line: line)
        let options = RenderOptions(bitDepth: bitDepth, sampleRate: rate, channels: channels, gainDecibels: gain)
        let rendered = try RenderHarness.renderWAV(timeline, options: options, in: folder, file: file, line: line)
        let label = "\(timeline.title) at \(rate) Hz, \(channels) ch, gain \(gain) dB, \(bitDepth.rawValue)"
        let onsets = RenderHarness.assertCueTiming(
            rendered.mono, timeline: timeline, bank: try RenderHarness.bank(for: options),
            label: label, file: file, line: line)
        XCTAssertGreaterThanOrEqual(onsets, minimumOnsets, "\(label): too few isolated cues were checked", file: file, line: line)
        XCTAssertLessThanOrEqual(RenderHarness.peak(rendered.mono), RenderHarness.minusOneDBFS, label, file: file, line: line)
    }

    func testHoldCuesStartExactlyOnTheirSamplesWithSilenceElsewhere() throws {
        // Isolated cues: announce, go (after the transition), stop/rest, switch, go after the switch...
        try assertTiming(Self.holds, rate: 8_000, channels: 1, minimumOnsets: 8)
        try assertTiming(Self.holds, rate: 44_100, channels: 2, minimumOnsets: 8)
        try assertTiming(Self.holds, rate: 96_000, channels: 1, minimumOnsets: 8)
    }

    func testBreathCuesStartExactlyOnTheirSamplesWithSilenceElsewhere() throws {
        try assertTiming(Self.breaths, rate: 8_000, channels: 2, minimumOnsets: 8)
        try assertTiming(Self.breaths, rate: 48_000, channels: 1, minimumOnsets: 8)
        try assertTiming(Self.breaths, rate: 96_000, channels: 2, minimumOnsets: 8)
    }

    func testAShortTailCutsTheFinishBellButKeepsItsOnsetAndTheLength() throws {
        for (rate, channels) in [(8_000, 1), (44_100, 2), (48_000, 2), (96_000, 1)] {
            let timeline = try RenderHarness.timeline(Self.shortTail, rate: rate)
            let finish = try XCTUnwrap(timeline.cues.first { $0.type == .finish })
            // 10 ms before the end, as the timeline says.
            XCTAssertEqual(timeline.totalSamples - finish.sample, Int64(rate / 100))
            try assertTiming(Self.shortTail, rate: rate, channels: channels, minimumOnsets: 3)
            // The bell does start: something is heard in the last 10 ms.
            let rendered = try RenderHarness.renderWAV(timeline, options: RenderOptions(sampleRate: rate, channels: channels), in: folder)
            XCTAssertNotEqual(rendered.mono[Int(finish.sample)], 0, "finish bell at \(rate) Hz")
            XCTAssertGreaterThan(
                RenderHarness.peak(Array(rendered.mono[Int(finish.sample)...])), 0.01,
                "the finish bell is audible in the 10 ms tail at \(rate) Hz")
        }
    }

    func testNoLeadInAndNoTailStartsOnSampleZeroAndEndsOnTheLastInterval() throws {
        for (rate, channels) in [(8_000, 2), (44_100, 1), (48_000, 1)] {
            let timeline = try RenderHarness.timeline(Self.noTail, rate: rate)
            XCTAssertEqual(timeline.cues.first?.sample, 0)
            XCTAssertEqual(timeline.intervals.last?.kind, .exhale)
            try assertTiming(Self.noTail, rate: rate, channels: channels, minimumOnsets: 3)
            let rendered = try RenderHarness.renderWAV(timeline, options: RenderOptions(sampleRate: rate, channels: channels), in: folder)
            XCTAssertNotEqual(rendered.mono[0], 0, "the first sample of the track is the onset of the cues at 0")
        }
    }

    func testAQuietGainKeepsEveryOnsetOnItsSample() throws {
        // At -40 dB every sound is a hundred times quieter; its first sample must still not round to 0.
        try assertTiming(Self.holds, rate: 44_100, channels: 1, gain: -40, minimumOnsets: 8)
        try assertTiming(Self.breaths, rate: 8_000, channels: 1, gain: -40, minimumOnsets: 8)
    }

    func testTwentyFourBitAndFloatTracksKeepTheSameTiming() throws {
        try assertTiming(Self.holds, rate: 48_000, channels: 2, bitDepth: .pcm24, minimumOnsets: 8)
        try assertTiming(Self.breaths, rate: 44_100, channels: 1, bitDepth: .float, minimumOnsets: 8)
    }

    // MARK: Breath tones

    /// Every breath cue's tone is non-zero on each of its `length` samples, and (where no other
    /// sound covers it) the sample right after the tone is zero. Float output, so no quantization.
    private func assertBreathTonesLastTheirLength(
        _ yaml: String, rate: Int, file: StaticString = #filePath,
        line: UInt = #line
    ) throws -> Int {
        let timeline = try RenderHarness.timeline(yaml, rate: rate, file: file, line: line)
        let options = RenderOptions(bitDepth: .float, sampleRate: rate, channels: 1)
        let samples = try RenderHarness.renderWAV(timeline, options: options, in: folder, file: file, line: line).mono
        let bank = try RenderHarness.bank(for: options)
        var endsChecked = 0
        for (index, cue) in timeline.cues.enumerated() where cue.type == .inhale || cue.type == .exhale {
            let start = Int(cue.sample), length = Int(try XCTUnwrap(cue.length))
            let interval = try XCTUnwrap(timeline.intervals.first { $0.start == cue.sample && $0.kind.rawValue == cue.type.rawValue })
            XCTAssertEqual(Int64(length), interval.length, "the cue's length is its interval's", file: file, line: line)
            let zeros = (start..<start + length).filter { samples[$0] == 0 }
            XCTAssertTrue(
                zeros.isEmpty,
                "\(cue.type.rawValue) at \(start), length \(length) at \(rate) Hz: "
                    + "\(zeros.count) silent samples inside the tone, the first at \(zeros.first ?? 0) "
                    + "(\((zeros.first ?? 0) - start) into it; the track has \(samples.count) samples)", file: file, line: line)
            let after = start + length
            if after < samples.count, !RenderHarness.coverage(timeline, bank: bank, excluding: index)[after] {
                endsChecked += 1
                XCTAssertEqual(
                    samples[after], 0, "\(cue.type.rawValue) at \(start): the tone goes on past its length", file: file, line: line)
            }
        }
        return endsChecked
    }

    func testBreathTonesLastExactlyTheirCueLength() throws {
        for rate in [8_000, 44_100] {
            let ends = try assertBreathTonesLastTheirLength(Self.breaths, rate: rate)
            XCTAssertGreaterThanOrEqual(ends, 3, "tones followed by a hold must be checked for what comes after them")
        }
    }

    /// With `tail: 0` the last exhale runs to the last sample of the track: it must still last its
    /// whole length (timeline.md: "A breath tone lasts exactly its cue's length").
    func testABreathToneEndingTheTrackLastsItsWholeLength() throws {
        for rate in [8_000, 48_000] {
            _ = try assertBreathTonesLastTheirLength(Self.noTail, rate: rate)
        }
    }

    /// A 22 s inhale at 192 kHz is over four million samples: a tone that long cannot be kept
    /// whole in memory and is made as it plays. It must be the same kind of tone: exact length,
    /// on its cue, rising.
    func testALongInhaleAtTheHighestRateLastsItsLengthAndRises() throws {
        let rate = 192_000
        let yaml = """
            title: Long breath
            defaults: {lead_in: 0.5s, tail: 0.5s}
            steps:
              - name: Slow inhale
                breaths: 1
                inhale: 22s
                hold_in: 0.5s
                exhale: 0.5s
            """
        let ends = try assertBreathTonesLastTheirLength(yaml, rate: rate)
        XCTAssertEqual(ends, 1, "the inhale is followed by its hold, in silence (the finish bell starts where the exhale ends)")
        let timeline = try RenderHarness.timeline(yaml, rate: rate)
        let inhale = try XCTUnwrap(timeline.cues.first { $0.type == .inhale })
        XCTAssertEqual(inhale.length, 22 * 192_000)
        let samples = try RenderHarness.renderWAV(
            timeline, options: RenderOptions(bitDepth: .float, sampleRate: rate, channels: 1),
            in: folder
        ).mono
        let start = Int(inhale.sample), length = Int(inhale.length ?? 0), second = rate
        // The go sound plays over the first half second; measure one second after it and the last second.
        let early = RenderHarness.zeroCrossingRate(samples, start + second..<start + 2 * second, rate: rate) / 2
        let late = RenderHarness.zeroCrossingRate(samples, start + length - second..<start + length, rate: rate) / 2
        XCTAssertGreaterThan(late, early * 1.1, "the pitch must rise: ~\(Int(early)) Hz after 1 s, ~\(Int(late)) Hz in the last second")
    }

    func testInhaleTonesRiseAndExhaleTonesFall() throws {
        let rate = 44_100
        let timeline = try RenderHarness.timeline(Self.breaths, rate: rate)
        let options = RenderOptions(bitDepth: .float, sampleRate: rate, channels: 1)
        let samples = try RenderHarness.renderWAV(timeline, options: options, in: folder).mono
        let bank = try RenderHarness.bank(for: options)
        var measured: [CueType: Int] = [:]
        for (index, cue) in timeline.cues.enumerated() where cue.type == .inhale || cue.type == .exhale {
            let start = Int(cue.sample), length = Int(cue.length ?? 0)
            // Only tones no other sound plays over, so the zero crossings are the tone's own.
            let others = RenderHarness.coverage(timeline, bank: bank, excluding: index)
            guard !others[start..<start + length].contains(true) else { continue }
            let quarter = length / 4
            let first = RenderHarness.zeroCrossingRate(samples, start..<start + quarter, rate: rate) / 2
            let last = RenderHarness.zeroCrossingRate(samples, start + length - quarter..<start + length, rate: rate) / 2
            let what = "\(cue.type.rawValue) at \(start): first quarter ~\(Int(first)) Hz, last quarter ~\(Int(last)) Hz"
            // A hum between G3 (196 Hz) and D4 (294 Hz), gliding a fifth: the quarters differ by well over 10 %.
            for frequency in [first, last] {
                XCTAssertTrue((150...350).contains(frequency), what)
            }
            if cue.type == .inhale {
                XCTAssertGreaterThan(last, first * 1.1, "an inhale's pitch must rise: " + what)
            } else {
                XCTAssertLessThan(last, first / 1.1, "an exhale's pitch must fall: " + what)
            }
            measured[cue.type, default: 0] += 1
        }
        XCTAssertGreaterThanOrEqual(measured[.inhale] ?? 0, 2, "too few inhale tones were clear of other sounds")
        XCTAssertGreaterThanOrEqual(measured[.exhale] ?? 0, 2, "too few exhale tones were clear of other sounds")
    }

    // MARK: Never clipping

    private func assertStackedCuesStayBelowMinusOneDBFS(leadIn: String, file: StaticString = #filePath, line: UInt = #line) throws {
        for (rate, channels, bitDepth) in [(44_100, 2, BitDepth.pcm16), (8_000, 1, .float), (96_000, 1, .pcm24)] {
            let timeline = try RenderHarness.timeline(Self.stacked(leadIn: leadIn), rate: rate, file: file, line: line)
            let options = RenderOptions(bitDepth: bitDepth, sampleRate: rate, channels: channels, gainDecibels: 6)
            let bank = try RenderHarness.bank(for: options)
            // The routine really does pile sounds past full scale: simply adding them would clip.
            var sum = [Float](repeating: 0, count: Int(timeline.totalSamples))
            for cue in timeline.cues where cue.sample < timeline.totalSamples && cue.type != .inhale && cue.type != .exhale {
                guard let sound = CueSound.forCue(cue) else { continue }
                for (offset, value) in bank.samples(for: sound).enumerated() where Int(cue.sample) + offset < sum.count {
                    sum[Int(cue.sample) + offset] += value
                }
            }
            XCTAssertGreaterThan(RenderHarness.peak(sum), 1.5, "the stacked routine must overload a plain sum", file: file, line: line)

            let rendered = try RenderHarness.renderWAV(timeline, options: options, in: folder, file: file, line: line)
            let samples = rendered.mono
            let over = samples.indices.filter { abs(samples[$0]) > RenderHarness.minusOneDBFS }
            let peak = RenderHarness.peak(samples)
            XCTAssertTrue(
                over.isEmpty,
                "lead_in \(leadIn), \(rate) Hz, \(bitDepth.rawValue), +6 dB: peak \(peak) > -1 dBFS at "
                    + "\(over.count) samples, from \(over.first ?? 0) to \(over.last ?? 0) "
                    + "(\(String(format: "%.2f", Double(over.first ?? 0) * 1000 / Double(rate))) ms)", file: file, line: line)
            XCTAssertGreaterThan(peak, 0.5, "the limiter must not squash the whole track", file: file, line: line)
            RenderHarness.assertCueTiming(
                samples, timeline: timeline, bank: bank, label: "stacked at \(rate) Hz +6 dB",
                file: file, line: line)
            let first = try XCTUnwrap(timeline.cues.first)
            XCTAssertNotEqual(samples[Int(first.sample)], 0, "the first cue starts on its sample", file: file, line: line)
        }
    }

    func testStackedCuesAtPlusSixDecibelsStayAtOrBelowMinusOneDBFS() throws {
        try assertStackedCuesStayBelowMinusOneDBFS(leadIn: "1s")
    }

    /// The same stack with no lead-in: the first cues (announce + go) start on sample 0, so the
    /// loudest part of the mix falls in the first 10 ms of the track.
    func testStackedCuesOnTheFirstSampleOfTheTrackStayAtOrBelowMinusOneDBFS() throws {
        try assertStackedCuesStayBelowMinusOneDBFS(leadIn: "0")
    }

    func testGainScalesAnIsolatedCueWhenNothingComesNearFullScale() throws {
        // -12 dB against 0 dB: where the limiter has nothing to do, an isolated cue sound is the
        // same sound a quarter as loud, sample for sample (within 16-bit rounding).
        let rate = 8_000
        let timeline = try RenderHarness.timeline(Self.holds, rate: rate)
        let loud = try RenderHarness.renderWAV(
            timeline, options: RenderOptions(bitDepth: .float, sampleRate: rate, channels: 1), in: folder
        ).mono
        let quiet = try RenderHarness.renderWAV(
            timeline,
            options: RenderOptions(
                bitDepth: .float, sampleRate: rate, channels: 1,
                gainDecibels: -12), in: folder
        ).mono
        let ratio = Float(pow(10.0, -12.0 / 20.0))
        let go = try XCTUnwrap(timeline.cues.first { $0.type == .go })
        let range = Int(go.sample)..<Int(go.sample) + rate / 4
        XCTAssertGreaterThan(RenderHarness.peak(Array(loud[range])), 0.1)
        for index in range where abs(loud[index]) > 0.001 {
            XCTAssertEqual(quiet[index], loud[index] * ratio, accuracy: 0.0005, "sample \(index)")
        }
    }
}
