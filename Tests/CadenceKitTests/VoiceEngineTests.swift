import CadenceTestSupport
import Foundation
import XCTest
@testable import CadenceKit

/// `--voice-engine festival|espeak`: each engine's phrases start on their cue's sample, come out at
/// one loudness whatever the engine (measured with libebur128 on the rendered phrases), and give
/// the same bytes render after render. The default engine is festival with its slt voice where it
/// is installed, else espeak-ng. Tests of an engine that is not installed are skipped.
final class VoiceEngineTests: XCTestCase {
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

    private func renderMono(_ timeline: Timeline, _ options: RenderOptions, _ name: String) throws -> [Float] {
        let track = try RenderHarness.read(try RenderHarness.render(timeline, options: options, in: folder, name: name))
        XCTAssertEqual(track.frames, Int(timeline.totalSamples), "\(name): the voice must not change the track's length")
        return track.channel(0)
    }

    func testTheDefaultEngineIsFestivalWhereItsVoiceIsInstalledElseEspeak() throws {
        XCTAssertEqual(SpeechEngine.automatic(), VoiceHarness.hasFestival ? .festival : .espeak)
        let synthesizer = try SpeechSynthesizer(sampleRate: 16_000, voice: SpeechVoice(), gainDecibels: 0, cache: nil)
        XCTAssertEqual(synthesizer.program.engine, SpeechEngine.automatic())
        XCTAssertTrue(
            synthesizer.identity.hasPrefix(SpeechEngine.automatic() == .festival ? "festival version=" : "espeak-ng version="),
            synthesizer.identity)
        XCTAssertFalse(synthesizer.identity.contains("version=unknown"), "the engine's version is known: \(synthesizer.identity)")
    }

    /// The batch fingerprint holds the engine: the same options spoken by another engine, voice or
    /// speed make other tracks.
    func testTheFingerprintNamesTheEngineVoiceAndSpeed() throws {
        try VoiceHarness.requireFestival()
        func fingerprint(_ voice: SpeechVoice?) throws -> String {
            try RenderFingerprint(options: RenderOptions(voice: voice)).fingerprint(routineBytes: Array("x".utf8))
        }
        let all = [
            try fingerprint(nil), try fingerprint(SpeechVoice(engine: .festival)), try fingerprint(SpeechVoice(engine: .espeak)),
            try fingerprint(SpeechVoice(engine: .festival, wordsPerMinute: 200)),
            try fingerprint(SpeechVoice(engine: .espeak, name: "en-gb")),
        ]
        XCTAssertEqual(Set(all).count, all.count, "every voice gives its own fingerprint: \(all)")
        XCTAssertEqual(try fingerprint(SpeechVoice()), try fingerprint(SpeechVoice()), "the same voice, the same fingerprint")
        XCTAssertTrue(
            SpeechPrograms.identity(of: SpeechVoice()).hasPrefix("festival version=2"), SpeechPrograms.identity(of: SpeechVoice()))
    }

    /// For each engine: silent before every announce cue and speech from exactly its sample; after
    /// every switch chime and halfway taps, speech from 100 ms after they end; faded in.
    func testEachEnginesPhrasesStartExactlyOnTheirCuesSample() throws {
        let rate = 48_000
        let timeline = try RenderHarness.timeline(VoiceRenderTests.routine, rate: rate)
        var options = RenderOptions(
            bitDepth: .float, sampleRate: rate, channels: 1, gainDecibels: -6,
            soundsFolder: try VoiceHarness.quietStopPack(in: folder, rate: rate))
        let plain = try renderMono(timeline, options, "plain.wav")
        let spokenCues = timeline.cues.filter { VoiceRenderTests.expectedLine($0) != nil }
        XCTAssertEqual(spokenCues.count, 6, "three announcements, a halfway and two switches (test setup)")
        for engine in VoiceHarness.installedEngines {
            options.voice = VoiceHarness.voice(engine)
            let spoken = try renderMono(timeline, options, "\(engine).wav")
            let bank = try RenderHarness.bank(for: options)
            for cue in spokenCues {
                let at = VoiceRenderTests.expectedStart(cue, bank: bank)
                let label = "\(engine): \(cue.type.rawValue) of step \(cue.step) at sample \(at)"
                let before = max(0, at - MusicHarness.seconds(0.05, rate))
                XCTAssertEqual(Array(spoken[before..<at]), Array(plain[before..<at]), "\(label): nothing changes before the cue")
                if cue.type == .announce {
                    XCTAssertTrue(plain[before..<at].allSatisfy { $0 == 0 }, "\(label): silent before (test setup)")
                    XCTAssertEqual(spoken[before...].firstIndex { $0 != 0 }, at, "\(label): the speech starts on the cue's sample")
                } else {
                    // The switch chime and halfway taps still play: the speech is what the track adds after them.
                    let added = (at - 10..<at + 10).first { spoken[$0] != plain[$0] }
                    XCTAssertEqual(added, at, "\(label): the speech starts 100 ms after the cue's sound")
                    _ = bank
                }
                XCTAssertLessThan(abs(spoken[at] - plain[at]), 0.01, "\(label): the speech fades in, no click")
                let energy = MusicHarness.rms(spoken, at..<at + MusicHarness.seconds(0.3, rate))
                XCTAssertGreaterThan(energy, 0.01, "\(label): speech follows the cue (RMS \(energy))")
            }
        }
    }

    /// Every phrase of every engine at one loudness: within 1 LU of each other, measured with
    /// libebur128 on the phrases as the track holds them, at the default gain (where the peaks of a
    /// voice levelled but not limited would reach the mix's limiter). festival's own output is 3 to
    /// 11 LU quieter than espeak-ng's, and Piper's peaks stand higher above its loudness.
    func testEveryEnginesPhrasesComeOutAtOneLoudness() throws {
        let engines = VoiceHarness.installedEngines
        if engines.count < 2 { throw XCTSkip("only \(engines) installed: nothing to compare across engines") }
        let rate = 48_000
        let timeline = try RenderHarness.timeline(VoiceRenderTests.routine, rate: rate)
        var loudness: [String: Double] = [:]
        for engine in engines {
            let options = RenderOptions(
                bitDepth: .float, sampleRate: rate, channels: 1,
                soundsFolder: try VoiceHarness.quietStopPack(in: folder, rate: rate), voice: VoiceHarness.voice(engine))
            let spoken = try renderMono(timeline, options, "\(engine).wav")
            for (step, range) in try VoiceHarness.announcements(in: spoken, timeline: timeline) {
                loudness["\(engine): \(VoiceRenderTests.announcements[step]!)"] =
                    MusicHarness.integratedLoudness(Array(spoken[range]), channels: 1, rate: rate)
            }
        }
        let values = loudness.values.filter(\.isFinite)
        XCTAssertEqual(values.count, 3 * engines.count, "every phrase can be measured: \(loudness)")
        XCTAssertLessThanOrEqual(values.max()! - values.min()!, 1, "phrases of every engine at one loudness: \(loudness)")
        for (phrase, value) in loudness {
            XCTAssertEqual(value, SpeechSynthesizer.loudness, accuracy: 0.5, "\(phrase)")
        }
        print(
            "speech loudness per phrase (LUFS):",
            loudness.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%.2f", $0.value))" })
    }

    /// Each engine, run afresh (an empty cache each time), speaks the same bytes: two renders are
    /// byte-identical, and so is a third from the cache.
    func testEachEngineGivesTheSameBytesEveryRender() throws {
        let rate = 22_050
        let timeline = try RenderHarness.timeline(VoiceRenderTests.routine, rate: rate)
        for engine in VoiceHarness.installedEngines {
            let options = RenderOptions(sampleRate: rate, voice: VoiceHarness.voice(engine))
            var tracks: [Data] = []
            var runs: [Int] = []
            for (round, cache) in ["first", "second", "second"].enumerated() {
                VoiceHarness.useCache(folder.appendingPathComponent("cache-\(engine)-\(cache)"))
                runs.append(
                    try VoiceHarness.countingEngineRuns {
                        let path = try RenderHarness.render(timeline, options: options, in: folder, name: "\(engine)-\(round).wav")
                        tracks.append(try Data(contentsOf: URL(fileURLWithPath: path)))
                    })
            }
            XCTAssertEqual(runs, [6, 6, 0], "\(engine): six phrases spoken by each fresh render, none from the cache")
            XCTAssertTrue(tracks[0] == tracks[1], "\(engine): two renders that each ran the engine give the same bytes")
            XCTAssertTrue(tracks[1] == tracks[2], "\(engine): a render from the cache gives the same bytes")
        }
    }

    /// `--voice-speed` works for festival too (as a speech rate): 120 words per minute speaks much
    /// slower than 300, and the engine's own pace lies between.
    func testFestivalSpeedMakesPhrasesLongerOrShorter() throws {
        try VoiceHarness.requireFestival()
        var lengths: [String: Double] = [:]
        for (name, speed) in [("120", 120), ("default", nil), ("300", 300)] as [(String, Int?)] {
            let synthesizer = try SpeechSynthesizer(
                sampleRate: 16_000, voice: SpeechVoice(engine: .festival, wordsPerMinute: speed),
                gainDecibels: 0, cache: nil)
            let phrase = try XCTUnwrap(try synthesizer.phrase("Slowly lift your hips and hold them up high"))
            lengths[name] = VoiceRenderTests.speechSeconds(phrase, rate: 16_000)
        }
        let slow = lengths["120"]!, normal = lengths["default"]!, fast = lengths["300"]!
        XCTAssertGreaterThan(slow, 2 * fast, "--voice-speed 120 speaks much slower than 300: \(lengths)")
        XCTAssertTrue(slow > normal && normal > fast, "the engine's own pace lies between: \(lengths)")
    }

    /// Piper's `--voice-speed` is a phoneme length: 120 words per minute slower than 300.
    func testPiperSpeedMakesPhrasesLongerOrShorter() throws {
        guard VoiceHarness.piperModel != nil else { throw XCTSkip("no piper on PATH or no CADENCE_TEST_PIPER_MODEL") }
        var lengths: [String: Double] = [:]
        for (name, speed) in [("120", 120), ("default", nil), ("300", 300)] as [(String, Int?)] {
            let synthesizer = try SpeechSynthesizer(
                sampleRate: 16_000, voice: VoiceHarness.voice(.piper, wordsPerMinute: speed),
                gainDecibels: 0, cache: nil)
            lengths[name] = VoiceRenderTests.speechSeconds(
                try XCTUnwrap(try synthesizer.phrase("Slowly lift your hips and hold them up high")),
                rate: 16_000)
        }
        let identity = try SpeechSynthesizer(sampleRate: 16_000, voice: VoiceHarness.voice(.piper), gainDecibels: 0, cache: nil).identity
        XCTAssertTrue(
            identity.hasPrefix("piper version=") && !identity.contains("version=unknown"), "piper's version is found: \(identity)")
        XCTAssertGreaterThan(lengths["120"]!, 1.8 * lengths["300"]!, "\(lengths)")
        XCTAssertTrue(lengths["120"]! > lengths["default"]! && lengths["default"]! > lengths["300"]!, "\(lengths)")
    }

    /// Piper needs a model (64 without one, 66 when the file is missing) and takes no voice name;
    /// a model goes with piper only. A model is never looked for elsewhere, nor downloaded.
    func testPiperNeedsAModelFileAndTakesNoVoiceName() throws {
        for (voice, message) in [
            (SpeechVoice(engine: .piper), "--voice-engine piper needs --voice-model FILE.onnx"),
            (SpeechVoice(engine: .espeak, model: "x.onnx"), "--voice-model goes with --voice-engine piper"),
            (SpeechVoice(model: "x.onnx"), "--voice-model goes with --voice-engine piper"),
            (SpeechVoice(engine: .piper, name: "joe", model: "x.onnx"), "piper's voice is its model"),
        ] {
            XCTAssertThrowsError(try RenderOptions(voice: voice).validate()) { error in
                XCTAssertEqual((error as? CadenceError)?.exitStatus, .usage, "\(voice)")
                XCTAssertTrue("\(error)".contains(message), "\(error)")
            }
        }
        let missing = folder.appendingPathComponent("missing.onnx").path
        XCTAssertThrowsError(try SpeechSynthesizer(sampleRate: 16_000, voice: SpeechVoice(engine: .piper, model: missing), gainDecibels: 0))
        { error in
            XCTAssertEqual((error as? CadenceError)?.exitStatus, .missingInput, "\(error)")
            XCTAssertTrue("\(error)".contains("missing.onnx") && "\(error)".contains("no such voice model"), "\(error)")
        }
    }

    /// A voice festival does not have is a bad command line (64), found before anything is spoken;
    /// the message lists the installed voices, and points an espeak-ng name to `--voice-engine espeak`.
    func testAVoiceFestivalDoesNotHaveIsABadOption() throws {
        try VoiceHarness.requireFestival()
        let timeline = try RenderHarness.timeline(VoiceRenderTests.routine, rate: 16_000)
        let path = folder.appendingPathComponent("track.wav").path
        for voice in [SpeechVoice(name: "en-gb"), SpeechVoice(engine: .festival, name: "zzzvoice")] {
            let runs = try VoiceHarness.countingEngineRuns {
                XCTAssertThrowsError(try TrackRenderer.render(timeline, to: path, options: RenderOptions(sampleRate: 16_000, voice: voice)))
                { error in
                    XCTAssertEqual((error as? CadenceError)?.exitStatus, .usage, "\(voice): \(error)")
                    let message = "\(error)"
                    XCTAssertTrue(message.contains("festival has no voice '\(voice.name!)'"), message)
                    XCTAssertTrue(message.contains(FestivalProgram.defaultVoice), "the installed voices are listed: \(message)")
                    XCTAssertEqual(message.contains("--voice-engine espeak"), voice.engine == nil, message)
                }
            }
            XCTAssertEqual(runs, 0, "nothing is spoken")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "no track is written")
    }

    /// Every phrase's peaks stay under -2 dBFS at unit gain, whatever the engine, and it is
    /// levelled within a quarter LU of the target after its peaks are limited.
    func testPhrasesPeakUnderTheirCeilingAtOneLoudness() throws {
        for engine in VoiceHarness.installedEngines {
            let synthesizer = try SpeechSynthesizer(sampleRate: 44_100, voice: VoiceHarness.voice(engine), gainDecibels: 0)
            for text in ["Lift your hips", "On hands and knees, round your back as you breathe in, arch it as you breathe out", "Halfway"] {
                let phrase = try XCTUnwrap(try synthesizer.phrase(text))
                XCTAssertLessThanOrEqual(RenderHarness.peak(phrase), SpeechSynthesizer.peakCeiling, "\(engine) \"\(text)\"")
                XCTAssertEqual(
                    SpeechSynthesizer.loudness(of: phrase, sampleRate: 44_100), SpeechSynthesizer.loudness, accuracy: 0.25,
                    "\(engine) \"\(text)\"")
            }
        }
    }

    /// What the engine wrote (as the cache keeps it) ends in its own quiet, with no header bytes
    /// read as samples: festival's trailing header once made a click at the end of every phrase.
    func testWhatEachEngineWritesEndsInQuiet() throws {
        let cache = PhraseCache(folder: CacheFolder(path: folder.appendingPathComponent("raw").path))
        for engine in VoiceHarness.installedEngines {
            let synthesizer = try SpeechSynthesizer(sampleRate: 16_000, voice: VoiceHarness.voice(engine), gainDecibels: 0, cache: cache)
            for text in ["Halfway", "Child's pose. Sit back on your heels"] {
                _ = try synthesizer.phrase(text)
                let wav = try XCTUnwrap(cache.wav(for: text, by: synthesizer.identity), "\(engine): kept")
                let chunks = RenderHarness.chunks(wav)
                let data = try XCTUnwrap(chunks.first { $0.id == "data" }, "\(engine): a data chunk")
                XCTAssertEqual(data.offset + data.size, wav.count, "\(engine): the data runs to the end")
                let rate = RenderHarness.uint32(wav, 24)
                let samples = stride(from: data.offset, to: wav.count - 1, by: 2).map {
                    Double(Int16(bitPattern: UInt16(wav[$0]) | UInt16(wav[$0 + 1]) << 8)) / 32768
                }
                let last = samples.suffix(rate / 100).map(abs).max() ?? 1
                XCTAssertLessThan(last, 0.05, "\(engine) \"\(text)\": the last 10 ms are quiet (peak \(last))")
            }
        }
    }

    /// Festival writes its WAV to a pipe with the sizes left at 0 and its real header after the
    /// samples; the sizes are set from the samples and the trailing header dropped, so every sample
    /// is read and no header bytes are (espeak-ng's 2 GB sizes are set right too).
    func testAWAVWrittenToAPipeIsReadWhole() throws {
        let samples = MusicHarness.tones([(440, 0.5)], seconds: 0.25, rate: 16_000)
        let whole = [UInt8](WAVFile.bytes(samples, channels: 1, rate: 16_000))
        for (name, size) in [("festival", UInt32(0)), ("espeak-ng", UInt32(0x7FFF_F000))] {
            var streamed = whole
            for index in 0..<4 {
                streamed[4 + index] = UInt8(truncatingIfNeeded: size >> (8 * index))
                streamed[40 + index] = UInt8(truncatingIfNeeded: size >> (8 * index))
            }
            XCTAssertEqual(StreamedWAV.withSizes(streamed), whole, "\(name)'s sizes are set from the bytes")
        }
        // text2wave's own header, written after the samples when its output is a pipe.
        var festival = whole
        for index in 0..<4 {
            festival[4 + index] = 0
            festival[40 + index] = 0
        }
        XCTAssertEqual(StreamedWAV.withSizes(festival + whole.prefix(44)), whole, "festival's trailing header is dropped")
        var unrelated = Array(whole.prefix(44))
        unrelated[40] ^= 1
        XCTAssertEqual(
            StreamedWAV.withSizes(whole + unrelated).count, whole.count + 44,
            "bytes that only look like a header (another data size) are samples")
        XCTAssertEqual(StreamedWAV.withSizes(Array("not a wav".utf8)), Array("not a wav".utf8), "other bytes are left alone")
    }
}
