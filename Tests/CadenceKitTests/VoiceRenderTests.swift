import CadenceTestSupport
import Foundation
import Synchronization
import XCTest
@testable import CadenceKit

/// `--voice` (the voice issue), with espeak-ng (`VoiceEngineTests` has both engines): at every `announce` cue espeak-ng speaks the step's `say` text
/// (else "Next:" and its name), starting exactly at the cue's sample where it fits and replacing the soft announce call; after
/// the `switch` chime it says "Switch to the left side" / "... right side", after the `halfway` taps "Halfway" (with the
/// layout's 100 ms margin). The voice never shifts the timeline; speech is resampled, faded, brought to one loudness and made
/// once per phrase.
/// Every test is skipped when espeak-ng is not installed.
final class VoiceRenderTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        try MusicHarness.requireEspeak()
        folder = try RenderHarness.makeFolder()
        // Phrases are kept in a cache of this test's own (and so synthesized afresh for each test).
        setenv("CADENCE_CACHE_DIR", folder.appendingPathComponent("cache").path, 1)
    }

    override func tearDownWithError() throws {
        unsetenv("CADENCE_CACHE_DIR")
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    /// Three announcements (a `say`, a name, a long `say`), a halfway, a switch to the right and
    /// one to the left. No countdowns; with `quietStopPack` the transitions are silent apart from
    /// the announcement.
    static let routine = """
        title: Voice
        defaults: {lead_in: 3s, transition: 4s, countdown: 0, tail: 2s}
        steps:
          - name: Bridge
            say: Lift your hips
            hold: 4s
            halfway: true
          - name: Side stretch
            hold: 3s
            sides: each
            switch: 3s
          - name: Twist
            say: Twist gently and breathe out slowly
            hold: 2s
            sides: each
            first: right
            switch: 3s
        """

    /// What the voice must say at each announce cue, by step (routine-format.md: `say`, else `name`).
    static let announcements = [0: "Lift your hips", 1: "Side stretch", 2: "Twist gently and breathe out slowly"]

    /// A sound pack whose `stop` is a 20 ms blip, so the transition after a `stop` is silent
    /// before its announcement.
    private func quietStopPack(rate: Int) throws -> String {
        let pack = folder.appendingPathComponent("pack")
        try FileManager.default.createDirectory(at: pack, withIntermediateDirectories: true)
        let blip = MusicHarness.tones([(1_000, 0.3)], seconds: 0.02, rate: rate)
        try WAVFile.bytes(blip, channels: 1, rate: rate).write(to: pack.appendingPathComponent("stop.wav"))
        return pack.path
    }

    private func renderMono(_ timeline: Timeline, _ options: RenderOptions, _ name: String) throws -> [Float] {
        let track = try RenderHarness.read(try RenderHarness.render(timeline, options: options, in: folder, name: name))
        XCTAssertEqual(track.frames, Int(timeline.totalSamples), "\(name): the voice must not change the track's length")
        return track.channel(0)
    }

    /// The phrase the voice must say for `cue` (docs/timeline.md, "Where the voice speaks"), or nil.
    static func expectedLine(_ cue: Cue) -> String? {
        switch cue.type {
        case .announce: return cue.step == 1 ? "Next: Side stretch" : Self.announcements[cue.step]
        case .switchSides: return cue.side == .left ? "Switch to the left side" : "Switch to the right side"
        case .halfway: return "Halfway"
        default: return nil
        }
    }

    /// Where that phrase starts: on an announce cue; 100 ms after the switch chime or the halfway
    /// taps have played (in this routine everything fits).
    static func expectedStart(_ cue: Cue, bank: SoundBank) -> Int {
        let margin = Int(0.1 * Double(bank.sampleRate))
        switch cue.type {
        case .switchSides: return Int(cue.sample) + bank.samples(for: .switchSides).count + margin
        case .halfway: return Int(cue.sample) + bank.samples(for: .halfway).count + margin
        default: return Int(cue.sample)
        }
    }

    func testSpeechStartsExactlyOnEachAnnounceCueAndReplacesTheAnnounceCall() throws {
        let rate = 48_000
        let timeline = try RenderHarness.timeline(Self.routine, rate: rate)
        var options = RenderOptions(
            bitDepth: .float, sampleRate: rate, channels: 1, gainDecibels: -6,
            soundsFolder: try quietStopPack(rate: rate))
        let plain = try renderMono(timeline, options, "plain.wav")
        options.voice = SpeechVoice(engine: .espeak)
        let spoken = try renderMono(timeline, options, "spoken.wav")
        let announceCall = try RenderHarness.bank(for: options).samples(for: .announce)
        let announces = timeline.cues.filter { $0.type == .announce }
        XCTAssertEqual(announces.count, 3)
        let silence = MusicHarness.seconds(0.05, rate)
        for cue in announces {
            let at = Int(cue.sample)
            let label = "announce of step \(cue.step) at sample \(at)"
            // Silent before, sound exactly at the cue's sample.
            XCTAssertTrue(
                plain[max(0, at - silence)..<at].allSatisfy { $0 == 0 }, "\(label): the routine must be silent before (test setup)")
            let firstSound = spoken[max(0, at - silence)...].firstIndex { $0 != 0 }
            XCTAssertEqual(firstSound, at, "\(label): the speech must start exactly at the cue's sample")
            XCTAssertLessThan(abs(spoken[at]), 0.01, "\(label): the speech must fade in, not click")
            let speech = MusicHarness.rms(spoken, at..<at + MusicHarness.seconds(0.4, rate))
            XCTAssertGreaterThan(speech, 0.01, "\(label): there must be speech after the cue (RMS \(speech))")
            // The announce call is gone: what plays is not correlated with it.
            let range = at..<at + announceCall.count
            XCTAssertEqual(Array(plain[range]), announceCall, "\(label): without --voice the announce call plays here (test setup)")
            var dot = 0.0, energyCall = 0.0, energySpoken = 0.0
            for index in range {
                dot += Double(spoken[index]) * Double(plain[index])
                energyCall += Double(plain[index]) * Double(plain[index])
                energySpoken += Double(spoken[index]) * Double(spoken[index])
            }
            let correlation = dot / (energyCall * energySpoken).squareRoot()
            XCTAssertLessThan(
                abs(correlation), 0.3, "\(label): the announce call must be replaced by the speech (correlation \(correlation))")
        }
    }

    /// The whole track with --voice is the track without it, minus the announce calls, plus the
    /// right phrase at every announce, switch and halfway cue, sample for sample: the right words,
    /// exactly on time, and nothing else moved.
    func testTheRightPhrasesPlayAtAnnounceSwitchAndHalfwayCuesAndNothingElseChanges() throws {
        let rate = 44_100
        let timeline = try RenderHarness.timeline(Self.routine, rate: rate)
        // (With the quiet stop, no stop sound rings into an announcement, where it would be cut.)
        var options = RenderOptions(
            bitDepth: .float, sampleRate: rate, channels: 1, gainDecibels: -6, soundsFolder: try quietStopPack(rate: rate))
        let plain = try renderMono(timeline, options, "plain.wav")
        options.voice = SpeechVoice(engine: .espeak)
        let spoken = try renderMono(timeline, options, "spoken.wav")
        let synthesizer = try SpeechSynthesizer(sampleRate: rate, voice: SpeechVoice(engine: .espeak), gainDecibels: -6)
        let announceCall = try RenderHarness.bank(for: options).samples(for: .announce)

        var expected = plain.map(Double.init)
        var lines: [String: Int] = [:]
        let bank = try RenderHarness.bank(for: options)
        for cue in timeline.cues {
            guard let line = Self.expectedLine(cue) else { continue }
            lines[line, default: 0] += 1
            if cue.type == .announce {
                let at = Int(cue.sample)
                for (offset, value) in announceCall.enumerated() where at + offset < expected.count {
                    expected[at + offset] -= Double(value)
                }
            }
            let at = Self.expectedStart(cue, bank: bank)
            let phrase = try XCTUnwrap(try synthesizer.phrase(line))
            XCTAssertGreaterThan(phrase.count, rate / 5, "\"\(line)\" must be spoken for more than 0.2 s")
            for (offset, value) in phrase.enumerated() where at + offset < expected.count { expected[at + offset] += Double(value) }

            // Nothing changes before the cue; the speech is there from the cue's sample on. (At an
            // announce cue the call and the phrase may begin with the same sample value, so the
            // difference itself can start a sample later there.)
            let before = MusicHarness.seconds(0.05, rate)
            let difference = (max(0, at - before)..<at + 10).map { Double(spoken[$0]) - Double(plain[$0]) }
            let firstChange = difference.firstIndex { $0 != 0 }.map { $0 + max(0, at - before) }
            XCTAssertGreaterThanOrEqual(
                firstChange ?? -1, at, "\(cue.type.rawValue) at \(at): the voice must not change anything before its phrase")
            if cue.type != .announce {
                XCTAssertEqual(firstChange, at, "\(cue.type.rawValue) at \(at): the speech must start exactly at the cue's sample")
            }
            XCTAssertNotEqual(spoken[at], 0, "\(cue.type.rawValue) at \(at): sound at the cue's sample")
        }
        XCTAssertEqual(
            lines,
            [
                "Lift your hips": 1, "Next: Side stretch": 1, "Twist gently and breathe out slowly": 1,
                "Halfway": 1, "Switch to the right side": 1, "Switch to the left side": 1,
            ], "test setup: the cues of the routine")
        var worst = 0.0, worstIndex = 0
        for index in expected.indices {
            let error = abs(expected[index] - Double(spoken[index]))
            if error > worst {
                worst = error
                worstIndex = index
            }
        }
        XCTAssertLessThan(
            worst, 1e-5,
            "the track with --voice differs from plain - announce calls + phrases by \(worst) at sample "
                + "\(worstIndex) (\(Double(worstIndex) / Double(rate)) s)")
    }

    /// Each phrase is brought to one loudness, whatever its words and whatever the voice (espeak-ng's
    /// own output differs by some 3 LU between its default voice and `en-us+klatt`).
    func testPhrasesAreBroughtToOneLoudnessWhateverTheWordsAndVoice() throws {
        let rate = 48_000
        let timeline = try RenderHarness.timeline(Self.routine, rate: rate)
        let pack = try quietStopPack(rate: rate)
        var loudness: [String: Double] = [:]
        for voice in [SpeechVoice(engine: .espeak), SpeechVoice(engine: .espeak, name: "en-us+klatt")] {
            // At -6 dB, so that no peak of any voice comes near the limiter's ceiling.
            let options = RenderOptions(
                bitDepth: .float, sampleRate: rate, channels: 1, gainDecibels: -6, soundsFolder: pack,
                voice: voice)
            let spoken = try renderMono(timeline, options, "spoken-\(voice.name ?? "default").wav")
            for cue in timeline.cues where cue.type == .announce {
                // From the cue to the end of the phrase, which ends in silence before the next cue.
                let at = Int(cue.sample)
                let next = Int(try XCTUnwrap(timeline.cues.first { $0.sample > cue.sample }).sample)
                let end = try XCTUnwrap(spoken[at..<next].lastIndex { $0 != 0 }) + 1
                XCTAssertLessThan(end, next - rate / 10, "the phrase must end before the next cue (test setup)")
                let key = "\(voice.name ?? "default"): \(Self.announcements[cue.step]!)"
                loudness[key] = MusicHarness.integratedLoudness(Array(spoken[at..<end]), channels: 1, rate: rate)
            }
        }
        let values = loudness.values.filter(\.isFinite)
        XCTAssertEqual(values.count, 6, "every announcement must be measurable: \(loudness)")
        XCTAssertLessThanOrEqual((values.max() ?? 0) - (values.min() ?? 0), 1, "phrases must come out at one loudness: \(loudness)")
    }

    /// Speech is resampled, not played at the wrong rate: a phrase lasts as long in the track as
    /// espeak-ng's own rendering of it (at its own rate).
    func testAPhraseLastsAsLongAsEspeakSaysItAtAnyRate() throws {
        let text = "Twist gently and breathe out slowly"
        let raw = folder.appendingPathComponent("espeak.wav")
        let result = try ProcessRunner.run(MusicHarness.espeak, ["-w", raw.path, text])
        XCTAssertEqual(result.code, 0, result.stderr)
        let reference = try RenderHarness.read(raw.path)
        let referenceSeconds = Self.speechSeconds(reference.channel(0), rate: reference.sampleRate)
        XCTAssertGreaterThan(referenceSeconds, 1, "espeak-ng's own rendering")
        for rate in [16_000, 48_000, 96_000] {
            let timeline = try RenderHarness.timeline(Self.routine, rate: rate)
            let options = RenderOptions(
                bitDepth: .float, sampleRate: rate, channels: 1, soundsFolder: try quietStopPack(rate: rate),
                voice: SpeechVoice(engine: .espeak))
            let spoken = try renderMono(timeline, options, "spoken-\(rate).wav")
            let cue = try XCTUnwrap(timeline.cues.first { $0.type == .announce && $0.step == 2 })
            let next = try XCTUnwrap(timeline.cues.first { $0.sample > cue.sample })
            let seconds = Self.speechSeconds(Array(spoken[Int(cue.sample)..<Int(next.sample)]), rate: rate)
            XCTAssertEqual(seconds, referenceSeconds, accuracy: 0.03, "at \(rate) Hz the phrase must last as long as espeak-ng says it")
        }
    }

    /// From the first to the last sample above 1 % of the peak, in seconds.
    static func speechSeconds(_ samples: [Float], rate: Int) -> Double {
        let threshold = 0.01 * RenderHarness.peak(samples)
        guard let first = samples.firstIndex(where: { abs($0) > threshold }),
            let last = samples.lastIndex(where: { abs($0) > threshold })
        else { return 0 }
        return Double(last - first + 1) / Double(rate)
    }

    func testTheVoiceSpeedMakesPhrasesLongerOrShorter() throws {
        let rate = 16_000
        let timeline = try RenderHarness.timeline(
            """
            title: Speed
            defaults: {lead_in: 9s, countdown: 0, tail: 0.5s}
            steps:
              - name: Bridge
                say: Slowly lift your hips and hold them up high
                hold: 1s
            """, rate: rate)
        let announce = try XCTUnwrap(timeline.cues.first { $0.type == .announce })
        let go = try XCTUnwrap(timeline.cues.first { $0.type == .go })
        var lengths: [String: Double] = [:]
        for (name, speed) in [("120", 120), ("default", nil), ("300", 300)] as [(String, Int?)] {
            let options = RenderOptions(
                bitDepth: .float, sampleRate: rate, channels: 1, voice: SpeechVoice(engine: .espeak, wordsPerMinute: speed))
            let spoken = try renderMono(timeline, options, "speed-\(name).wav")
            let segment = Array(spoken[Int(announce.sample)..<Int(go.sample)])
            XCTAssertEqual(
                segment.suffix(rate / 10).filter { $0 != 0 }.count, 0, "at \(name) wpm the phrase must end before the go cue (test setup)")
            lengths[name] = Self.speechSeconds(segment, rate: rate)
        }
        let slow = lengths["120"]!, normal = lengths["default"]!, fast = lengths["300"]!
        XCTAssertGreaterThan(slow, 1.5 * fast, "--voice-speed 120 must speak much slower than 300: \(lengths)")
        XCTAssertTrue(slow > normal && normal > fast, "the default speed (175) lies between: \(lengths)")
    }

    func testTwoRendersWithVoiceAndMusicAreByteIdentical() throws {
        let rate = 22_050
        let timeline = try RenderHarness.timeline(Self.routine, rate: rate)
        let music = folder.appendingPathComponent("pad.wav")
        try WAVFile.write(MusicHarness.pinkNoise(seconds: 9, rate: 32_000, channels: 2, seed: 3), channels: 2, rate: 32_000, to: music)
        let options = RenderOptions(sampleRate: rate, music: [music.path], voice: SpeechVoice(engine: .espeak, wordsPerMinute: 200))
        let first = try RenderHarness.render(timeline, options: options, in: folder, name: "first.wav")
        let second = try RenderHarness.render(timeline, options: options, in: folder, name: "second.wav")
        let a = try Data(contentsOf: URL(fileURLWithPath: first)), b = try Data(contentsOf: URL(fileURLWithPath: second))
        XCTAssertGreaterThan(a.count, Int(timeline.totalSamples) * 4, "a stereo 16-bit track")
        XCTAssertTrue(a == b, "two renders with --voice and --music must give the same bytes")
        let plain = try RenderHarness.render(
            timeline, options: RenderOptions(sampleRate: rate, music: [music.path]), in: folder, name: "plain.wav")
        XCTAssertFalse(a == (try Data(contentsOf: URL(fileURLWithPath: plain))), "the voice must be heard in the track")
    }

    /// The music is ducked under speech for as long as the phrase lasts (the phrase is the cue's
    /// sound), not only for the length of the announce call it replaces.
    func testTheMusicIsDuckedUnderTheWholePhrase() throws {
        let rate = 16_000
        let timeline = try RenderHarness.timeline(
            """
            title: Ducked speech
            defaults: {lead_in: 1s, countdown: 0, tail: 1s}
            steps:
              - name: Warm up
                hold: 6s
              - name: Bridge
                say: \(Self.longSay)
                transition: 12s
                hold: 3s
            """, rate: rate)
        let bed = folder.appendingPathComponent("bed.wav")
        try WAVFile.write(
            MusicHarness.tones([(100, 0.2), (125, 0.15), (250, 0.1)], seconds: 30, rate: rate),
            channels: 1, rate: rate, to: bed)
        // Cues (and so speech) at -40 dB: the track is the music.
        let options = RenderOptions(
            bitDepth: .float, sampleRate: rate, channels: 1, gainDecibels: -40, music: [bed.path],
            voice: SpeechVoice(engine: .espeak))
        let samples = try renderMono(timeline, options, "ducked.wav")
        let announce = Int(try XCTUnwrap(timeline.cues.first { $0.type == .announce && $0.step == 1 }).sample)
        let go = Int(try XCTUnwrap(timeline.cues.first { $0.type == .go && $0.step == 1 }).sample)
        let phrase = try XCTUnwrap(
            try SpeechSynthesizer(sampleRate: rate, voice: SpeechVoice(engine: .espeak), gainDecibels: -40).phrase(Self.longSay))
        let call = try RenderHarness.bank(for: options).samples(for: .announce).count
        XCTAssertGreaterThan(phrase.count, call + MusicHarness.seconds(2.5, rate), "test setup: the phrase must outlast the call by far")
        // During the phrase, well after the announce call would have ended and been released.
        let during = (announce + call + MusicHarness.seconds(0.9, rate))..<(announce + phrase.count - MusicHarness.seconds(0.2, rate))
        // After the phrase and its release, before the attack of the go cue.
        let after = (announce + phrase.count + MusicHarness.seconds(0.6, rate))..<(go - MusicHarness.seconds(0.2, rate))
        XCTAssertGreaterThan(during.count, rate, "test setup")
        XCTAssertGreaterThan(after.count, rate / 2, "test setup")
        let drop = MusicHarness.decibels(MusicHarness.rms(samples, after) / MusicHarness.rms(samples, during))
        XCTAssertEqual(drop, 18, accuracy: 1, "the music must be ducked 18 dB (the depth under speech) for the whole phrase")
    }

    static let longSay = "Lie on your back, bend your knees, and slowly lift your hips towards the ceiling"

    /// Renders of different routines may run at once in one process (`--jobs`, cli.md: "Routines
    /// rendered at once"); each must still say its own phrases and give the same bytes as alone.
    /// (A clash between renders shows only when their espeak-ng runs overlap, so three renders
    /// run together, up to three times.)
    func testRoutinesRenderedAtTheSameTimeEachSayTheirOwnPhrases() throws {
        let rate = 8_000
        func routine(_ words: [String]) -> String {
            "title: Many phrases\ndefaults: {lead_in: 2s, transition: 2s, countdown: 0, tail: 0.5s}\nsteps:\n"
                + words.map { "  - name: \($0)\n    hold: 0.5s\n" }.joined()
        }
        let timelines = [
            try RenderHarness.timeline(
                routine(["Cat stretch", "Cobra", "Bridge", "Plank", "Pigeon", "Lunge", "Twist", "Fold"]), rate: rate),
            try RenderHarness.timeline(
                routine([
                    "Shoulder roll", "Neck tilt", "Wrist circles", "Calf raise", "Squat", "Child pose",
                    "Side bend", "Hip circle",
                ]), rate: rate),
            try RenderHarness.timeline(
                routine([
                    "Reach up", "Toe touch", "Arm swing", "Knee hug", "March", "Breathe",
                    "Shake out", "Relax",
                ]), rate: rate),
        ]
        let options = RenderOptions(sampleRate: rate, channels: 1, voice: SpeechVoice(engine: .espeak))
        let folder = self.folder!
        let alone: [Data] = try timelines.enumerated().map { index, timeline in
            let path = try RenderHarness.render(timeline, options: options, in: folder, name: "alone-\(index).wav")
            return try Data(contentsOf: URL(fileURLWithPath: path))
        }
        for round in 1...3 {
            let failures = Mutex([String?](repeating: nil, count: timelines.count))
            DispatchQueue.concurrentPerform(iterations: timelines.count) { index in
                let path = folder.appendingPathComponent("together-\(round)-\(index).wav")
                do {
                    try TrackRenderer.render(timelines[index], to: path.path, options: options)
                    if (try? Data(contentsOf: path)) != alone[index] {
                        failures.withLock { $0[index] = "the track differs from the one rendered alone" }
                    }
                } catch {
                    failures.withLock { $0[index] = "the render failed: \(error)" }
                }
            }
            let found = failures.withLock { $0 }.enumerated().compactMap { index, failure in failure.map { "routine \(index): \($0)" } }
            XCTAssertEqual(
                found, [],
                "round \(round): routines rendered at the same time with --voice must each give "
                    + "the track they give alone")
            if !found.isEmpty { break }
        }
    }

    func testAnUnknownVoiceNameIsABadOption() throws {
        let rate = 16_000
        let timeline = try RenderHarness.timeline(Self.routine, rate: rate)
        let path = folder.appendingPathComponent("track.wav").path
        let options = RenderOptions(sampleRate: rate, voice: SpeechVoice(engine: .espeak, name: "zzzvoice"))
        XCTAssertThrowsError(try TrackRenderer.render(timeline, to: path, options: options)) { error in
            XCTAssertEqual((error as? CadenceError)?.exitStatus, .usage, "an unknown voice is a bad command line (64): \(error)")
            XCTAssertTrue("\(error)".contains("zzzvoice"), "the message must name the voice: \(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "no track may be written")
    }

    func testTheVoiceSpeedMustBeFrom80To450() {
        for speed in [80, 175, 450] {
            XCTAssertNoThrow(try RenderOptions(voice: SpeechVoice(engine: .espeak, wordsPerMinute: speed)).validate(), "\(speed) wpm")
        }
        for speed in [79, 451, 0, -5] {
            XCTAssertThrowsError(try RenderOptions(voice: SpeechVoice(engine: .espeak, wordsPerMinute: speed)).validate(), "\(speed) wpm") {
                error in
                XCTAssertEqual((error as? CadenceError)?.exitStatus, .usage, "\(speed) wpm: \(error)")
            }
        }
    }
}
