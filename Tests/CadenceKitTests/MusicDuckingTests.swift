import CadenceTestSupport
import Foundation
import XCTest
@testable import CadenceKit

/// Ducking (the music issue): while any cue sound plays, the music drops by `--duck DB` (default
/// 9 dB), gliding down over 50 ms before the sound and back up over 400 ms after it; sounds closer
/// together than attack + release are one ducked stretch.
final class MusicDuckingTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try ScratchFolder(for: self, "render").url
    }

    /// A long hold with no cue inside (countdown 0, no halfway), then a breath step whose breath
    /// tones play back to back: one long ducked stretch.
    static let routine = """
        title: Ducking
        defaults: {lead_in: 2s, countdown: 0, tail: 3s}
        steps:
          - name: Long hold
            hold: 30s
          - name: Breathe
            transition: 2s
            breaths: 3
            inhale: 4s
            exhale: 4s
        """

    static let attack = 0.05
    static let release = 0.4

    // MARK: Measured on rendered tracks

    /// Writes a steady 70 s music bed (longer than the session, so no crossfade moves its level):
    /// tones at 100, 125 and 250 Hz, whole periods in any 80 ms window at 16 kHz.
    private func steadyBed(rate: Int) throws -> String {
        let url = folder.appendingPathComponent("bed.wav")
        let samples = MusicHarness.tones([(100, 0.2), (125, 0.15), (250, 0.1)], seconds: 70, rate: rate)
        try WAVFile.write(samples, channels: 1, rate: rate, to: url)
        return url.path
    }

    func testTheMusicDropsByTheDuckDepthDuringACueSoundStretch() throws {
        let rate = 16_000
        let timeline = try RenderHarness.timeline(Self.routine, rate: rate)
        let bed = try steadyBed(rate: rate)
        // (depth asked, or nil for the default; cue gain; how the music is measured)
        // With the cues at -40 dB the whole signal's RMS is the music's; at full cue level the
        // music is measured at 100 Hz only, where no cue sound has energy (breath tones start at 196 Hz).
        let cases: [(duck: Double?, gain: Double, at100Hz: Bool)] = [(nil, -40, false), (15, -40, false), (0, -40, false), (9, 0, true)]
        for (duck, gain, at100Hz) in cases {
            var options = RenderOptions(bitDepth: .float, sampleRate: rate, channels: 1, gainDecibels: gain, music: [bed])
            if let duck { options.duckDecibels = duck }
            let expected = duck ?? 9
            let label = "--duck \(duck.map { "\($0)" } ?? "(default)") --gain \(gain)"
            let path = try RenderHarness.render(timeline, options: options, in: folder, name: "duck-\(expected)-\(gain).wav")
            let track = try RenderHarness.read(path)
            XCTAssertEqual(track.frames, Int(timeline.totalSamples), label)
            let samples = track.channel(0)

            // Where the sounds play, from the timeline: the breath step is the longest stretch.
            let bank = try RenderHarness.bank(for: options)
            let merge = MusicHarness.seconds(Self.attack + Self.release, rate)
            let stretches = MusicHarness.soundStretches(timeline, bank: bank, mergeGap: merge)
            let ducked = try XCTUnwrap(stretches.max { $0.count < $1.count }, label)
            let free = try XCTUnwrap(MusicHarness.gaps(between: stretches, total: track.frames).max { $0.count < $1.count }, label)
            // Keep clear of the ramps, the fade-in (first seconds) and the fade-out over the tail.
            let margin = MusicHarness.seconds(0.5, rate)
            let tail = MusicHarness.tailStart(timeline)
            let duckedWindow = (ducked.lowerBound + margin)..<min(ducked.upperBound, tail) - margin
            let freeWindow =
                max(
                    free.lowerBound + MusicHarness.seconds(Self.release, rate) + margin, MusicHarness.seconds(4, rate))..<min(
                    free.upperBound - MusicHarness.seconds(Self.attack, rate) - margin, tail - margin)
            XCTAssertGreaterThan(duckedWindow.count, 10 * rate, "\(label): the breath step should give a long ducked stretch")
            XCTAssertGreaterThan(freeWindow.count, 10 * rate, "\(label): the hold should give a long stretch without cue sounds")
            guard duckedWindow.count > rate, freeWindow.count > rate else { continue }

            let level: (Range<Int>) -> Double = { window in
                at100Hz ? MusicHarness.amplitude(samples, window, frequency: 100, rate: rate) : MusicHarness.rms(samples, window)
            }
            let drop = MusicHarness.decibels(level(freeWindow) / level(duckedWindow))
            XCTAssertEqual(
                drop, expected, accuracy: 1,
                "\(label): the music must be \(expected) dB lower while cue sounds play; measured \(drop) dB "
                    + "(free \(freeWindow), ducked \(duckedWindow))")
            // And the music is really there in both.
            XCTAssertGreaterThan(level(freeWindow), 0.01, "\(label): no music in the free stretch")
        }
    }

    /// The music is already down when a sound begins (the attack comes before it) and is back up
    /// 400 ms after it ends: measured around the `go` of a hold, 5.6 s after the announcement.
    func testTheMusicIsAlreadyDuckedAtTheCueAndRecoversAfterTheRelease() throws {
        let rate = 16_000
        let timeline = try RenderHarness.timeline(
            """
            title: Attack and release
            defaults: {lead_in: 6s, countdown: 0, tail: 2s}
            steps:
              - name: Hold
                hold: 10s
            """, rate: rate)
        let options = RenderOptions(
            bitDepth: .float, sampleRate: rate, channels: 1, gainDecibels: 0,
            music: [try steadyBed(rate: rate)], duckDecibels: 12)
        let track = try RenderHarness.read(try RenderHarness.render(timeline, options: options, in: folder, name: "attack.wav"))
        let samples = track.channel(0)
        let bank = try RenderHarness.bank(for: options)
        let go = try XCTUnwrap(timeline.cues.first { $0.type == .go && $0.step == 0 })
        let start = Int(go.sample)
        let end = start + RenderHarness.soundLength(of: go, bank: bank)
        // 100 Hz over 80 ms windows (8 whole periods): no cue sound has energy there.
        let window = MusicHarness.seconds(0.08, rate)
        func level(at sample: Int) -> Double { MusicHarness.amplitude(samples, sample..<sample + window, frequency: 100, rate: rate) }
        let full = level(at: MusicHarness.seconds(11, rate))
        let beforeAttack = level(at: start - MusicHarness.seconds(Self.attack, rate) - window - MusicHarness.seconds(0.01, rate))
        let atOnset = level(at: start)
        let afterRelease = level(at: end + MusicHarness.seconds(Self.release, rate) + MusicHarness.seconds(0.01, rate))
        let midRelease = level(at: end + MusicHarness.seconds(Self.release / 2, rate) - window / 2)
        XCTAssertEqual(
            MusicHarness.decibels(full / beforeAttack), 0, accuracy: 0.5,
            "the music must be at full level until 50 ms before the sound")
        XCTAssertEqual(
            MusicHarness.decibels(full / atOnset), 12, accuracy: 1,
            "the music must already be 12 dB down when the sound starts")
        XCTAssertEqual(
            MusicHarness.decibels(full / afterRelease), 0, accuracy: 0.5,
            "the music must be back at full level 400 ms after the sound ends")
        let middle = MusicHarness.decibels(full / midRelease)
        XCTAssertTrue(middle > 1 && middle < 11, "halfway through the release the music must be on its way up, not jump: \(middle) dB down")
    }

    // MARK: The envelope itself

    /// Gains for `count` samples, filled in blocks of `block` samples (the mixer streams).
    private func gains(_ envelope: DuckingEnvelope, count: Int, block: Int) -> [Float] {
        var envelope = envelope
        var out = [Float](repeating: -1, count: count)
        var at = 0
        while at < count {
            let size = min(block, count - at)
            out.withUnsafeMutableBufferPointer { envelope.fill($0.baseAddress! + at, from: Int64(at), count: size) }
            at += size
        }
        return out
    }

    func testTheEnvelopeGlidesDown50msBeforeTheSoundAndUp400msAfterIt() {
        let rate = 8_000
        let depth = Float(pow(10, -9.0 / 20))
        let sound: (start: Int64, end: Int64) = (8_000, 12_000)
        let envelope = DuckingEnvelope(sounds: [sound], decibels: 9, sampleRate: rate)
        let gain = gains(envelope, count: 24_000, block: 24_000)
        let attack = 400, release = 3_200  // 50 ms and 400 ms at 8 kHz
        let slack = 8  // 1 ms
        XCTAssertEqual(gain[..<(8_000 - attack - slack)].filter { $0 != 1 }.count, 0, "untouched before the attack")
        XCTAssertLessThan(gain[8_000 - attack / 2], 1 - 0.2 * (1 - depth), "the attack must be under way 25 ms before the sound")
        XCTAssertGreaterThan(gain[8_000 - attack / 2], depth + 0.2 * (1 - depth), "the attack must take about 50 ms, not jump")
        for index in 8_000..<12_000 {
            XCTAssertEqual(gain[index], depth, accuracy: 1e-4, "fully ducked while the sound plays (sample \(index))")
            if abs(gain[index] - depth) > 1e-4 { break }
        }
        XCTAssertGreaterThan(gain[12_000 + release / 2], depth + 0.2 * (1 - depth), "the release must be under way 200 ms after")
        XCTAssertLessThan(gain[12_000 + release / 2], 1 - 0.2 * (1 - depth), "the release must take about 400 ms, not jump")
        XCTAssertEqual(gain[(12_000 + release + slack)...].filter { $0 != 1 }.count, 0, "back to 1 after the release")
        // Smooth: monotonic ramps, no step bigger than 1 % of the depth range.
        for index in 1..<gain.count {
            let step = gain[index] - gain[index - 1]
            XCTAssertLessThanOrEqual(abs(step), 0.01 * (1 - depth), "a jump of \(step) at sample \(index)")
            if index <= 8_000 { XCTAssertLessThanOrEqual(step, 0, "the attack must only go down (sample \(index))") }
            if index > 12_000 { XCTAssertGreaterThanOrEqual(step, 0, "the release must only go up (sample \(index))") }
            if abs(step) > 0.01 * (1 - depth) { break }
        }
    }

    func testSoundsCloserThanAttackPlusReleaseAreOneDuckedStretch() {
        let rate = 8_000
        let depth = Float(pow(10, -9.0 / 20))
        // 375 ms apart (< 450 ms): the music stays down between them.
        let close = gains(
            DuckingEnvelope(sounds: [(8_000, 9_000), (12_000, 13_000)], decibels: 9, sampleRate: rate),
            count: 20_000, block: 1_000)
        XCTAssertEqual(close[9_000..<12_000].max() ?? 0, depth, accuracy: 1e-4, "sounds 375 ms apart must be one ducked stretch")
        // 1 s apart: the music comes back up between them.
        let apart = gains(
            DuckingEnvelope(sounds: [(8_000, 9_000), (17_000, 18_000)], decibels: 9, sampleRate: rate),
            count: 24_000, block: 1_000)
        XCTAssertEqual(apart[9_000..<17_000].max() ?? 0, 1, accuracy: 1e-4, "sounds 1 s apart must be ducked separately")
        // Overlapping sounds given in any order: ducked from the first start to the last end.
        let overlapping = gains(
            DuckingEnvelope(
                sounds: [(10_000, 14_000), (8_000, 11_000), (13_000, 13_500)], decibels: 9,
                sampleRate: rate), count: 20_000, block: 777)
        XCTAssertEqual(overlapping[8_000..<14_000].max() ?? 0, depth, accuracy: 1e-4)
        XCTAssertEqual(overlapping[14_000 + 3_200 + 8], 1)
    }

    func testTheEnvelopeIsTheSameWhateverTheBlockSize() {
        let sounds: [(start: Int64, end: Int64)] = [(300, 900), (5_000, 5_100), (5_500, 9_000), (15_000, 15_001), (30_000, 40_000)]
        let envelope = DuckingEnvelope(sounds: sounds, decibels: 20, sampleRate: 8_000)
        let whole = gains(envelope, count: 45_000, block: 45_000)
        for block in [1, 64, 1_000, 4_099] {
            XCTAssertEqual(gains(envelope, count: 45_000, block: block), whole, "filled in blocks of \(block)")
        }
        XCTAssertLessThan(whole[0], 1, "a sound 37 ms after the start is already being ducked at sample 0")
        XCTAssertEqual(whole[300], Float(pow(10, -20.0 / 20)), accuracy: 1e-4)
        XCTAssertEqual(whole[35_000], Float(pow(10, -20.0 / 20)), accuracy: 1e-4)
    }

    func testZeroDecibelsLeavesTheMusicAlone() {
        let envelope = DuckingEnvelope(sounds: [(100, 5_000)], decibels: 0, sampleRate: 8_000)
        XCTAssertEqual(Set(gains(envelope, count: 10_000, block: 512)), [1])
    }
}
