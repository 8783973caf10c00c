/// The voice of spoken announcements: the engine, and options passed through to it.
public struct SpeechVoice: Hashable, Sendable, Codable {
    /// The program that speaks, or nil for the best one installed (festival with its slt voice,
    /// else espeak-ng).
    public var engine: SpeechEngine?
    /// The engine's voice: an espeak-ng voice (`espeak-ng --voices`, such as `en-gb`) or a
    /// festival voice (such as `cmu_us_slt_arctic_hts`); nil for the engine's default.
    public var name: String?
    /// Speaking speed in words per minute, or nil for the engine's own pace (about 175).
    public var wordsPerMinute: Int?
    /// Piper's voice: a model file (`.onnx`, its `.onnx.json` beside it).
    public var model: String?
    /// Whether reps are counted aloud ("One", "Two" ... or "Last one"), in place of their go sound.
    public var counts: RepCounts
    /// Whether countdowns are spoken ("Three", "Two", "One") in place of their beeps.
    public var spokenCountdown: Bool

    public init(
        engine: SpeechEngine? = nil, name: String? = nil, wordsPerMinute: Int? = nil, model: String? = nil,
        counts: RepCounts = .off, spokenCountdown: Bool = false
    ) {
        self.engine = engine
        self.name = name
        self.wordsPerMinute = wordsPerMinute
        self.model = model
        self.counts = counts
        self.spokenCountdown = spokenCountdown
    }

    /// Voice names are words such as `en-gb` or `en-us+f3`: a `/` or `..` could make the speech
    /// program read any file as a voice, so they are refused.
    public static func isAcceptableName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && !name.contains("..")
            && name.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_+.".unicodeScalars.contains($0))
            }
    }
}

/// How a track is rendered: everything besides the routine that decides its bytes. The ranges and
/// the rules for which options go together are written here once; the command line checks its
/// options by building one of these and calling `validate`.
public struct RenderOptions: Hashable, Sendable, Codable {
    public var format: AudioFormat
    public var bitDepth: BitDepth
    public var sampleRate: Int
    public var channels: Int
    public var level: Level
    /// Cue level change in dB, -40 to +6.
    public var gainDecibels: Double
    /// A sound pack folder; missing files fall back to the built-in sounds.
    public var soundsFolder: String?
    /// Music files mixed under the cues, played in order and repeated.
    public var music: [String]
    /// How far the music is lowered while a cue sound plays, in dB (0 to 40).
    public var duckDecibels: Double
    /// How far the music is lowered while the voice speaks, in dB (0 to 40); `mix` accessible
    /// lowers it further when that is needed for its margin (see `speechDuckDecibels`).
    public var duckSpeechDecibels: Double
    /// Which cue sounds the track holds (see `MixStyle`).
    public var mix: MixStyle
    /// The integrated loudness of the finished mix when there is music, in LUFS.
    public var loudnessTarget: Double
    /// Spoken announcements (nil: none).
    public var voice: SpeechVoice?
    /// The encoder's quality for Ogg Vorbis, Opus and MP3, from 0 (smallest) to 1 (best); nil for
    /// Cadence's defaults (Opus 96 kbps stereo, MP3 LAME -V 5, Vorbis q 6: see `Sndfile`).
    public var quality: Double?

    public static let sampleRates: ClosedRange<Int> = SampleClock.supportedRates
    public static let channelCounts: ClosedRange<Int> = 1...2
    public static let gainRange: ClosedRange<Double> = -40...6
    public static let duckRange: ClosedRange<Double> = 0...40
    public static let voiceSpeedRange: ClosedRange<Int> = 80...450
    public static let qualityRange: ClosedRange<Double> = 0...1

    public init(
        format: AudioFormat = .wav, bitDepth: BitDepth = .pcm16, sampleRate: Int = 44_100, channels: Int = 2,
        level: Level = .normal, gainDecibels: Double = 0, soundsFolder: String? = nil,
        music: [String] = [], duckDecibels: Double = 9, duckSpeechDecibels: Double = 18, mix: MixStyle = .standard,
        loudnessTarget: Double = -16, voice: SpeechVoice? = nil, quality: Double? = nil
    ) {
        self.format = format
        self.bitDepth = bitDepth
        self.sampleRate = sampleRate
        self.channels = channels
        self.level = level
        // -0 and 0 are the same gain (and must give the same fingerprint).
        self.gainDecibels = gainDecibels + 0
        self.soundsFolder = soundsFolder
        self.music = music
        self.duckDecibels = duckDecibels + 0
        self.duckSpeechDecibels = duckSpeechDecibels + 0
        self.mix = mix
        self.loudnessTarget = loudnessTarget
        self.voice = voice
        self.quality = quality.map { $0 + 0 }
    }

    /// Whether the options can work together; the message says what to change.
    public func validate() throws(RenderError) {
        try Self.checkSampleRate(sampleRate)
        if let allowed = format.allowedSampleRates, !allowed.contains(sampleRate) {
            throw .invalidOptions(
                "\(format.rawValue) cannot store \(sampleRate) Hz; use --sample-rate "
                    + allowed.map(String.init).joined(separator: ", "))
        }
        guard Self.channelCounts.contains(channels) else { throw .invalidOptions("--channels must be 1 or 2, not \(channels)") }
        guard Self.gainRange.contains(gainDecibels) else {
            throw .invalidOptions("--gain must be from -40 to 6 dB, not \(Self.number(gainDecibels))")
        }
        guard Self.duckRange.contains(duckDecibels) else {
            throw .invalidOptions("--duck must be from 0 to 40 dB, not \(Self.number(duckDecibels))")
        }
        guard Self.duckRange.contains(duckSpeechDecibels) else {
            throw .invalidOptions("--duck-speech must be from 0 to 40 dB, not \(Self.number(duckSpeechDecibels))")
        }
        if mix != .standard, voice == nil {
            throw .invalidOptions("--mix \(mix.rawValue) goes with --voice: it is a mix of the voice")
        }
        if mix == .accessible, music.isEmpty {
            throw .invalidOptions("--mix accessible goes with --music: it keeps the music well under the voice")
        }
        if let speed = voice?.wordsPerMinute, !Self.voiceSpeedRange.contains(speed) {
            throw .invalidOptions("--voice-speed must be from 80 to 450 words per minute, not \(speed)")
        }
        if let voice {
            if voice.engine == .piper, voice.model == nil { throw .invalidOptions(Self.piperNeedsModel) }
            if voice.model != nil, voice.engine != .piper { throw .invalidOptions("--voice-model goes with --voice-engine piper") }
            if voice.engine == .piper, voice.name != nil {
                throw .invalidOptions("piper's voice is its model: give --voice-model FILE.onnx, not --voice-name")
            }
        }
        if let name = voice?.name, !SpeechVoice.isAcceptableName(name) {
            throw .invalidOptions(
                "--voice-name \(PathBytes.display(name)) is not a voice name; names are letters, digits and - _ + . (such as en-gb), without / or .."
            )
        }
        if let quality {
            guard Self.qualityRange.contains(quality) else {
                throw .invalidOptions("--quality must be from 0 (smallest file) to 1 (best sound), not \(Self.number(quality))")
            }
            guard format.isLossy else {
                throw .invalidOptions(
                    "--quality has no effect on \(format.displayName) tracks (it applies to ogg, opus and mp3); leave it out")
            }
        }
        if format == .flac, bitDepth == .float {
            throw .invalidOptions("FLAC stores 16- or 24-bit samples; use --bit-depth 16 or 24, or --format wav for float")
        }
    }

    static let piperNeedsModel = "--voice-engine piper needs --voice-model FILE.onnx, a Piper voice model (Cadence never downloads one)"

    /// The `accessible` mix keeps the music this far below the speech, in LU: WCAG 1.4.7's 20 dB,
    /// plus 4 for music louder than its average (the music's level is set by its whole-file loudness).
    public static let accessibleMargin = 24.0

    /// How far the music is lowered under the voice: `duckSpeechDecibels`, or with the
    /// accessible mix at least what leaves the music `accessibleMargin` below the speech (which
    /// `--gain` moves with the cues).
    public var speechDuckDecibels: Double {
        guard mix == .accessible else { return duckSpeechDecibels }
        return max(duckSpeechDecibels, Self.accessibleSpeechDuck(gainDecibels: gainDecibels))
    }

    /// The least speech ducking of the accessible mix at cue gain `gainDecibels`.
    public static func accessibleSpeechDuck(gainDecibels: Double) -> Double {
        // Speech sits at SpeechSynthesizer.loudness + gain, music at MusicBed.fileLoudness less the ducking.
        accessibleMargin - (SpeechSynthesizer.loudness + gainDecibels - MusicBed.fileLoudness)
    }

    /// Throws unless Cadence can schedule at `rate` (8000 to 192000 Hz).
    public static func checkSampleRate(_ rate: Int) throws(RenderError) {
        guard sampleRates.contains(rate) else { throw .invalidOptions("--sample-rate must be from 8000 to 192000, not \(rate)") }
    }

    /// A number as a person wrote it: `6`, `-3.5`.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
