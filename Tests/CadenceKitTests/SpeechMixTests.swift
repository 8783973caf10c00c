import CadenceTestSupport
import Foundation
import XCTest
@testable import CadenceKit

/// Mixes for listeners: the music ducks deeper under speech (`--duck-speech`, 18 dB) than under
/// tones (`--duck`, 9 dB); `--mix accessible` keeps the music at least 20 dB under the speech
/// (WCAG 1.4.7), measured in the rendered audio; `--mix voice-only` holds the voice and the breath
/// tones and nothing else. espeak-ng speaks (the mixes do not depend on the engine).
final class SpeechMixTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        try MusicHarness.requireEspeak()
        folder = try RenderHarness.makeFolder()
        VoiceHarness.useCache(folder.appendingPathComponent("cache"))
    }

    override func tearDownWithError() throws {
        VoiceHarness.useCache(nil)
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    private let voice = SpeechVoice(engine: .espeak)

    /// Breaths (tones for 24 s on end), then a transition with a long announcement.
    static let depths = """
        title: Depths
        defaults: {lead_in: 1s, countdown: 0, tail: 2s}
        steps:
          - name: Breathe
            breaths: 4
            inhale: 3s
            exhale: 3s
          - name: Bridge
            say: \(VoiceRenderTests.longSay)
            transition: 14s
            hold: 3s
        """

    /// The music's drop under the tones and under the speech, in dB, measured in the rendered
    /// track against the music where no sound plays. The cues are at -40 dB, so the track is the music.
    private func drops(_ options: RenderOptions, rate: Int, name: String) throws -> (tones: Double, speech: Double) {
        let timeline = try RenderHarness.timeline(Self.depths, rate: rate)
        let track = try RenderHarness.read(try RenderHarness.render(timeline, options: options, in: folder, name: name)).channel(0)
        let second = MusicHarness.seconds(1, rate)
        let inhale = Int(try XCTUnwrap(timeline.cues.first { $0.type == .inhale }).sample)
        let announce = Int(try XCTUnwrap(timeline.cues.first { $0.type == .announce && $0.step == 1 }).sample)
        let go = Int(try XCTUnwrap(timeline.cues.first { $0.type == .go && $0.step == 1 }).sample)
        let phrase = try XCTUnwrap(
            try SpeechSynthesizer(sampleRate: rate, voice: voice, gainDecibels: options.gainDecibels).phrase(VoiceRenderTests.longSay)
        ).count
        let tones = (inhale + 4 * second)..<(inhale + 20 * second)
        let speech = (announce + second / 2)..<(announce + phrase - second / 5)
        let free = (announce + phrase + second * 6 / 10)..<(go - second / 5)
        XCTAssertGreaterThan(speech.count, 2 * second, "test setup: a long phrase")
        XCTAssertGreaterThan(free.count, 2 * second, "test setup: a free stretch after the phrase")
        let music = MusicHarness.rms(track, free)
        XCTAssertGreaterThan(music, 0.01, "the music is there")
        return (
            MusicHarness.decibels(music / MusicHarness.rms(track, tones)), MusicHarness.decibels(music / MusicHarness.rms(track, speech))
        )
    }

    private func steadyBed(rate: Int) throws -> String {
        let bed = folder.appendingPathComponent("bed-\(rate).wav")
        try WAVFile.write(
            MusicHarness.tones([(100, 0.2), (125, 0.15), (250, 0.1)], seconds: 60, rate: rate), channels: 1, rate: rate, to: bed)
        return bed.path
    }

    func testTheMusicDucksDeeperUnderSpeechThanUnderTones() throws {
        let rate = 16_000
        let bed = try steadyBed(rate: rate)
        // (--duck, --duck-speech, expected under tones, expected under speech)
        for (duck, duckSpeech, tones, speech) in [(nil, nil, 9.0, 18.0), (6.0, 12.0, 6.0, 12.0), (12.0, 0.0, 12.0, 0.0)]
            as [(Double?, Double?, Double, Double)]
        {
            var options = RenderOptions(bitDepth: .float, sampleRate: rate, channels: 1, gainDecibels: -40, music: [bed], voice: voice)
            if let duck { options.duckDecibels = duck }
            if let duckSpeech { options.duckSpeechDecibels = duckSpeech }
            let label = "--duck \(duck.map { "\($0)" } ?? "default") --duck-speech \(duckSpeech.map { "\($0)" } ?? "default")"
            let measured = try drops(options, rate: rate, name: "\(tones)-\(speech).wav")
            XCTAssertEqual(measured.tones, tones, accuracy: 1, "\(label): under the breath tones")
            XCTAssertEqual(measured.speech, speech, accuracy: 1, "\(label): under the speech")
        }
    }

    // MARK: Accessible

    static let announcements = """
        title: Accessible
        defaults: {lead_in: 3s, transition: 6s, countdown: 0, tail: 2s}
        steps:
          - name: Warm up
            hold: 4s
          - name: Bridge
            say: Lift your hips and hold
            hold: 4s
          - name: Cobra
            say: Press your chest up and look ahead
            hold: 4s
          - name: Twist
            say: Twist gently and breathe out slowly
            hold: 4s
        """

    /// The loudness of the speech and of the music under it, in LUFS, for each phrase, measured in
    /// rendered tracks: the track with the music and the track with the music's polarity reversed
    /// are rendered, their half sum is the cues and speech, their half difference the music.
    private func speechAndMusic(_ options: RenderOptions, rate: Int, name: String) throws -> [(speech: Double, music: Double)] {
        let timeline = try RenderHarness.timeline(Self.announcements, rate: rate)
        let noise = MusicHarness.pinkNoise(seconds: 60, rate: rate, channels: 1, seed: 11)
        var tracks: [[Float]] = []
        for (polarity, sign) in [("plus", Float(1)), ("minus", Float(-1))] {
            let music = folder.appendingPathComponent("noise-\(polarity).wav")
            try WAVFile.write(noise.map { $0 * sign }, channels: 1, rate: rate, float: true, to: music)
            var options = options
            options.music = [music.path]
            tracks.append(
                try RenderHarness.read(try RenderHarness.render(timeline, options: options, in: folder, name: "\(name)-\(polarity).wav"))
                    .channel(0))
        }
        let foreground = zip(tracks[0], tracks[1]).map { ($0 + $1) / 2 }
        let music = zip(tracks[0], tracks[1]).map { ($0 - $1) / 2 }
        let synthesizer = try SpeechSynthesizer(sampleRate: rate, voice: voice, gainDecibels: options.gainDecibels)
        // The first announcement comes while the music fades in: it is left out.
        return try timeline.cues.filter { $0.type == .announce }.dropFirst().map { cue in
            let length = try XCTUnwrap(try synthesizer.phrase(try XCTUnwrap(cue.text))).count
            let span = Int(cue.sample)..<Int(cue.sample) + length
            return (
                MusicHarness.integratedLoudness(Array(foreground[span]), channels: 1, rate: rate),
                MusicHarness.integratedLoudness(Array(music[span]), channels: 1, rate: rate)
            )
        }
    }

    func testTheAccessibleMixKeepsTheMusicAtLeast20dBUnderTheSpeech() throws {
        let rate = 24_000
        var margins: [String: [Double]] = [:]
        for (mix, gain) in [(MixStyle.standard, 0.0), (.accessible, 0), (.accessible, -12), (.accessible, 6)] {
            let options = RenderOptions(
                bitDepth: .float, sampleRate: rate, channels: 1, gainDecibels: gain,
                soundsFolder: try VoiceHarness.quietStopPack(in: folder, rate: rate), mix: mix, voice: voice)
            let levels = try speechAndMusic(options, rate: rate, name: "\(mix.rawValue)\(gain)")
            XCTAssertEqual(levels.count, 3)
            let label = "--mix \(mix.rawValue) --gain \(gain)"
            margins[label] = levels.map { $0.speech - $0.music }
            for level in levels {
                XCTAssertTrue(level.speech.isFinite && level.music.isFinite, "\(label): both measured: \(levels)")
            }
        }
        print("speech-to-music margins (LU):", margins.sorted { $0.key < $1.key })
        for (label, values) in margins where label.contains("accessible") {
            for margin in values {
                XCTAssertGreaterThanOrEqual(margin, 20, "\(label): the music at least 20 dB under the speech: \(values)")
                // At +6 dB of gain the limiter takes a little off the speech's peaks.
                XCTAssertEqual(margin, RenderOptions.accessibleMargin, accuracy: 2.5, "\(label): about the accessible margin: \(values)")
            }
        }
        // The standard mix ducks 18 dB: the music 15 LU under the speech, short of WCAG's 20.
        for margin in margins["--mix standard --gain 0.0"]! {
            XCTAssertEqual(margin, 18 + SpeechSynthesizer.loudness - MusicBed.fileLoudness, accuracy: 1.5)
        }
    }

    // MARK: Voice only

    static let everyCue = """
        title: Every cue
        defaults: {lead_in: 3s, transition: 5s, countdown: 3, tail: 2s}
        steps:
          - name: Breathe
            breaths: 2
            inhale: 2s
            exhale: 2s
          - name: Side stretch
            say: Reach over
            hold: 6s
            sides: each
            switch: 4s
            halfway: true
        """

    /// Voice only: the phrases (with "Go", "Stop" and "Finished" where those sounds would play)
    /// and the breath tones; no countdown, go, stop, switch, halfway, finish or announce sound, so
    /// the track is silent everywhere else. Each phrase starts on its cue's sample.
    func testTheVoiceOnlyMixHoldsTheVoiceAndTheBreathTonesAndNothingElse() throws {
        let rate = 16_000
        let timeline = try RenderHarness.timeline(Self.everyCue, rate: rate)
        let options = RenderOptions(bitDepth: .float, sampleRate: rate, channels: 1, mix: .voiceOnly, voice: voice)
        let resources = try RenderResources(options: options)
        let sounds = try TrackRenderer.prepareSounds(timeline, resources, stop: {})
        for cue in timeline.cues {
            let sources = sounds.source(cue)
            switch cue.type {
            case .inhale, .exhale:
                XCTAssertEqual(sources.count, 1, "a breath tone at each breath")
                XCTAssertFalse(sources.first?.isSpeech ?? true)
            default:
                XCTAssertTrue(sources.isEmpty, "\(cue.type.rawValue): no tone")
            }
        }
        let layout = try XCTUnwrap(try SpokenGuide.layout(of: timeline, resources: resources, stop: {}))
        var spoken: [String: Int] = [:]
        for placed in layout.placed {
            spoken[placed.line.text, default: 0] += 1
            // With no tones in the way every line starts on its cue (the stop before the second
            // step's transition is said with its announcement, 100 ms after the last breath tone).
            let late = placed.line.text.hasPrefix("Stop.") ? Int64(rate / 10) : 0
            XCTAssertEqual(placed.start, placed.line.cue.sample + late, "\(placed.line.text)")
        }
        XCTAssertEqual(
            layout.shortfalls.count, 0, "everything fits: \(layout.shortfalls.map { "\($0.line.text) at \($0.line.cue.sample)" })")
        // (The last hold ends with the finish cue, which takes the place of its stop.)
        XCTAssertEqual(
            spoken, ["Breathe": 1, "Stop. Reach over": 1, "Go": 3, "Halfway": 2, "Switch to the right side": 1, "Finished": 1],
            "what the voice says")

        let track = try RenderHarness.read(try RenderHarness.render(timeline, options: options, in: folder, name: "voice-only.wav"))
            .channel(0)
        var covered = [Bool](repeating: false, count: track.count)
        for span in CueMixer.soundSpans(of: timeline, source: sounds.source, phrases: sounds.phrases) {
            for index in Int(span.start)..<Int(span.end) { covered[index] = true }
        }
        let stray = track.indices.filter { !covered[$0] && track[$0] != 0 }
        XCTAssertEqual(
            stray.count, 0, "sound outside the phrases and breath tones, first at \(stray.first.map { Double($0) / Double(rate) } ?? 0) s")
        for cue in timeline.cues where [.go, .stop, .finish].contains(cue.type) {
            let at = Int(cue.sample)
            // Where no breath tone plays just before, the track is silent up to the word.
            if !covered[max(0, at - rate / 20)..<at].contains(true) {
                XCTAssertEqual(
                    track[max(0, at - rate / 20)..<at].filter { $0 != 0 }.count, 0, "\(cue.type.rawValue) at \(at): silent before")
            }
            let word = cue.type == .stop ? at + rate / 10 : at
            XCTAssertNotEqual(
                track[word], 0, "\(cue.type.rawValue) at \(at): the word starts on the cue's sample (100 ms after a breath tone)")
        }
    }

    func testTheMixOptionsGoWithTheVoiceAndTheMusic() {
        let music = ["bed.wav"]
        let bad: [(RenderOptions, String)] = [
            (RenderOptions(mix: .voiceOnly), "--mix voice-only goes with --voice"),
            (RenderOptions(music: music, mix: .accessible), "--mix accessible goes with --voice"),
            (RenderOptions(mix: .accessible, voice: voice), "--mix accessible goes with --music"),
            (RenderOptions(music: music, duckSpeechDecibels: 41, voice: voice), "--duck-speech must be from 0 to 40 dB, not 41"),
            (RenderOptions(music: music, duckSpeechDecibels: -1, voice: voice), "--duck-speech must be from 0 to 40 dB, not -1"),
        ]
        for (options, message) in bad {
            XCTAssertThrowsError(try options.validate()) { error in
                XCTAssertEqual((error as? CadenceError)?.exitStatus, .usage)
                XCTAssertTrue("\(error)".contains(message), "\(error)")
            }
        }
        XCTAssertNoThrow(try RenderOptions(mix: .voiceOnly, voice: voice).validate())
        XCTAssertEqual(RenderOptions(gainDecibels: 0, music: music, mix: .accessible, voice: voice).speechDuckDecibels, 27)
        XCTAssertEqual(
            RenderOptions(gainDecibels: -6, music: music, duckSpeechDecibels: 35, mix: .accessible, voice: voice).speechDuckDecibels, 35,
            "a deeper --duck-speech is kept")
        XCTAssertEqual(
            RenderOptions(gainDecibels: -6, music: music, mix: .accessible, voice: voice).speechDuckDecibels, 33,
            "quieter cues, deeper ducking")
        XCTAssertEqual(RenderOptions(music: music, voice: voice).speechDuckDecibels, 18)
    }
}
