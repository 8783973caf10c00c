import CadenceTestSupport
import Foundation
import XCTest
@testable import CadenceKit

/// The playlist (the music issue): the files play in order with 3 s equal-power crossfades and
/// repeat until the session ends; the music fades in at the start and out over the tail.
/// Measured on rendered tracks: which file sounds is told by its pitch (440 Hz or 660 Hz).
final class MusicPlaylistTests: XCTestCase {
    private var folder: URL!
    static let rate = 16_000

    override func setUpWithError() throws {
        folder = try ScratchFolder(for: self, "render").url
    }

    private func sineFile(_ name: String, _ frequency: Double, amplitude: Double = 0.3, seconds: Double) throws -> String {
        let url = folder.appendingPathComponent(name)
        try WAVFile.write(
            MusicHarness.tones([(frequency, amplitude)], seconds: seconds, rate: Self.rate),
            channels: 1, rate: Self.rate, to: url)
        return url.path
    }

    /// Renders with quiet cues (-40 dB) and no ducking, so the track is the music.
    private func render(_ yaml: String, music: [String]) throws -> (samples: [Float], timeline: Timeline) {
        let timeline = try RenderHarness.timeline(yaml, rate: Self.rate)
        let options = RenderOptions(
            bitDepth: .float, sampleRate: Self.rate, channels: 1, gainDecibels: -40,
            music: music, duckDecibels: 0)
        let path = try RenderHarness.render(timeline, options: options, in: folder, name: "playlist-\(UUID().uuidString.prefix(6)).wav")
        let track = try RenderHarness.read(path)
        XCTAssertEqual(track.frames, Int(timeline.totalSamples))
        return (track.channel(0), timeline)
    }

    /// 100 ms windows hold whole periods of 440 Hz (44) and 660 Hz (66) at 16 kHz.
    private func levels(_ samples: [Float], at seconds: Double) -> (a440: Double, a660: Double) {
        let window = Self.rate / 10
        let start = MusicHarness.seconds(seconds, Self.rate) - window / 2
        let range = start..<start + window
        return (
            MusicHarness.amplitude(samples, range, frequency: 440, rate: Self.rate),
            MusicHarness.amplitude(samples, range, frequency: 660, rate: Self.rate)
        )
    }

    func testTwoFilesPlayInOrderCrossfadeAndRepeatUntilTheEnd() throws {
        // A: 440 Hz, 12 s. B: 660 Hz, 10 s, 23 dB quieter (each file is normalized). With 3 s
        // crossfades they sound at A 0-12, B 9-19, A 16-28, B 25-35, A 32-44, B 41-51, A 48-60, B 57-...
        let a = try sineFile("a-440.wav", 440, amplitude: 0.3, seconds: 12)
        let b = try sineFile("b-660.wav", 660, amplitude: 0.02, seconds: 10)
        let (samples, timeline) = try render(
            """
            title: Playlist
            defaults: {lead_in: 1s, countdown: 0, tail: 10s}
            steps:
              - name: Long hold
                hold: 55s
            """, music: [a, b])
        XCTAssertEqual(timeline.totalSamples, Int64(66 * Self.rate))

        // Only one file sounds, at its own pitch, away from the crossfades, the fade-in and the tail.
        let onlyA = [5.0, 22, 38, 53], onlyB = [14.0, 30, 46]
        var fullA: [Double] = [], fullB: [Double] = []
        for time in onlyA {
            let level = levels(samples, at: time)
            fullA.append(level.a440)
            XCTAssertLessThan(level.a660, 0.01 * level.a440, "at \(time) s only the first file (440 Hz) should play")
            let range = MusicHarness.seconds(time - 1, Self.rate)..<MusicHarness.seconds(time + 1, Self.rate)
            XCTAssertEqual(MusicHarness.dominantFrequency(samples, range, rate: Self.rate), 440, accuracy: 3, "pitch at \(time) s")
        }
        for time in onlyB {
            let level = levels(samples, at: time)
            fullB.append(level.a660)
            XCTAssertLessThan(level.a440, 0.01 * level.a660, "at \(time) s only the second file (660 Hz) should play")
            let range = MusicHarness.seconds(time - 1, Self.rate)..<MusicHarness.seconds(time + 1, Self.rate)
            XCTAssertEqual(MusicHarness.dominantFrequency(samples, range, rate: Self.rate), 660, accuracy: 3, "pitch at \(time) s")
        }
        let steadyA = fullA[0], steadyB = fullB[0]
        XCTAssertGreaterThan(steadyA, 0.01, "the music must be audible")
        XCTAssertGreaterThan(steadyB, 0.01, "the music must be audible")
        // Every repeat at the same level (both files are normalized, so also about the same level as each other).
        for (index, level) in fullA.enumerated() {
            XCTAssertEqual(MusicHarness.decibels(level / steadyA), 0, accuracy: 0.5, "repeat \(index) of the first file")
        }
        for (index, level) in fullB.enumerated() {
            XCTAssertEqual(MusicHarness.decibels(level / steadyB), 0, accuracy: 0.5, "repeat \(index) of the second file")
        }
        XCTAssertEqual(
            MusicHarness.decibels(steadyA / steadyB), 0, accuracy: 1.5,
            "each file is normalized: a quiet file plays about as loud as a loud one")

        // Crossfades: A -> B from 9 s, B -> A from 16 s, and again A -> B from 41 s.
        for (start, outgoingIs440) in [(9.0, true), (16.0, false), (41.0, true)] {
            func gains(_ time: Double) -> (out: Double, in: Double) {
                let level = levels(samples, at: time)
                let a = level.a440 / steadyA, b = level.a660 / steadyB
                return outgoingIs440 ? (a, b) : (b, a)
            }
            let before = gains(start - 0.5), after = gains(start + 3.5)
            XCTAssertLessThan(before.in, 0.02, "crossfade at \(start) s: the next file must not start early")
            XCTAssertLessThan(after.out, 0.02, "crossfade at \(start) s: the previous file must be gone after 3 s")
            XCTAssertGreaterThan(before.out, 0.9, "crossfade at \(start) s: the previous file at full level just before")
            XCTAssertGreaterThan(after.in, 0.9, "crossfade at \(start) s: the next file at full level just after")
            let early = gains(start + 0.5), middle = gains(start + 1.5), late = gains(start + 2.5)
            XCTAssertGreaterThan(early.out, early.in, "crossfade at \(start) s: after 0.5 s the previous file still leads")
            XCTAssertLessThan(late.out, late.in, "crossfade at \(start) s: after 2.5 s the next file leads")
            XCTAssertEqual(MusicHarness.decibels(middle.out), -3, accuracy: 1, "crossfade at \(start) s: equal-power midpoint, outgoing")
            XCTAssertEqual(MusicHarness.decibels(middle.in), -3, accuracy: 1, "crossfade at \(start) s: equal-power midpoint, incoming")
            for (offset, gain) in [(0.5, early), (1.5, middle), (2.5, late)] {
                let power = 10 * log10(gain.out * gain.out + gain.in * gain.in)
                XCTAssertEqual(power, 0, accuracy: 1, "crossfade at \(start) s + \(offset) s: equal power (\(gain))")
            }
        }

        // Fade-in: near silence at the very start, rising, full by 4 s.
        let opening = MusicHarness.amplitude(samples, 0..<400, frequency: 440, rate: Self.rate)  // 25 ms, 11 periods
        XCTAssertLessThan(opening, 0.1 * steadyA, "the music must fade in, not start at full level")
        let rising = [0.25, 0.75, 1.25].map { levels(samples, at: $0).a440 }
        XCTAssertTrue(rising[0] < rising[1] && rising[1] < rising[2], "the music must rise at the start: \(rising)")
        XCTAssertEqual(MusicHarness.decibels(levels(samples, at: 4).a440 / steadyA), 0, accuracy: 0.5, "full level by 4 s")

        // Fade-out over the tail (56 s to 66 s): full just before, falling all the way, silent at the end.
        let tail = Double(MusicHarness.tailStart(timeline)) / Double(Self.rate)
        XCTAssertEqual(tail, 56, accuracy: 0.001)
        func level(_ time: Double) -> Double {
            let value = levels(samples, at: time)
            return (pow(value.a440 / steadyA, 2) + pow(value.a660 / steadyB, 2)).squareRoot()
        }
        XCTAssertEqual(MusicHarness.decibels(level(55.5)), 0, accuracy: 0.5, "the music is at full level until the tail")
        let falling = [56.5, 58.5, 60.5, 62.5, 64.5, 65.5].map(level)
        for index in 1..<falling.count {
            XCTAssertLessThan(falling[index], falling[index - 1], "the music must keep falling over the tail: \(falling)")
        }
        XCTAssertTrue(level(61) > 0.15 && level(61) < 0.85, "halfway through the tail the music is fading, not full or gone: \(level(61))")
        let end = samples.count
        let lastRMS = MusicHarness.rms(samples, (end - Self.rate / 20)..<end)
        XCTAssertLessThan(lastRMS, 0.01 * steadyA / 2.squareRoot(), "the last 50 ms must be (near) silent: RMS \(lastRMS)")
    }

    func testOneShortFileRepeatsWithoutGapsUntilTheTail() throws {
        // A chord, so that no crossfade of the file with itself can cancel out.
        let url = folder.appendingPathComponent("short-chord.wav")
        try WAVFile.write(
            MusicHarness.tones([(440, 0.2), (554.37, 0.15), (659.25, 0.1)], seconds: 4, rate: Self.rate),
            channels: 1, rate: Self.rate, to: url)
        let (samples, timeline) = try render(
            """
            title: One short file
            defaults: {lead_in: 1s, countdown: 0, tail: 2s}
            steps:
              - name: Hold
                hold: 20s
            """, music: [url.path])
        let window = Self.rate / 10
        func level(_ time: Double) -> Double {
            let start = MusicHarness.seconds(time, Self.rate)
            return MusicHarness.rms(samples, start..<start + window)
        }
        let steady = level(3)
        XCTAssertGreaterThan(steady, 0.01)
        let tail = Double(MusicHarness.tailStart(timeline)) / Double(Self.rate)
        var time = 2.5
        while time < tail - 0.5 {
            XCTAssertGreaterThan(level(time), 0.3 * steady, "the music must keep playing at \(time) s (the 4 s file repeats)")
            time += 0.1
        }
    }
}
