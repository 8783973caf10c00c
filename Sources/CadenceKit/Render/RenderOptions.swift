/// The voice of spoken announcements: options passed through to espeak-ng.
public struct SpeechVoice: Hashable, Sendable {
    /// An espeak-ng voice name (`espeak-ng --voices`), or nil for its default.
    public var name: String?
    /// Speaking speed in words per minute, or nil for espeak-ng's default (175).
    public var wordsPerMinute: Int?

    public init(name: String? = nil, wordsPerMinute: Int? = nil) {
        self.name = name
        self.wordsPerMinute = wordsPerMinute
    }
}

/// How a track is rendered: everything besides the routine that decides its bytes.
public struct RenderOptions: Hashable, Sendable {
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
    /// The integrated loudness of the finished mix when there is music, in LUFS.
    public var loudnessTarget: Double
    /// Spoken announcements (nil: none).
    public var voice: SpeechVoice?

    public static let gainRange: ClosedRange<Double> = -40...6

    public init(format: AudioFormat = .wav, bitDepth: BitDepth = .pcm16, sampleRate: Int = 44_100, channels: Int = 2,
                level: Level = .normal, gainDecibels: Double = 0, soundsFolder: String? = nil,
                music: [String] = [], duckDecibels: Double = 9, loudnessTarget: Double = -16, voice: SpeechVoice? = nil) {
        self.format = format
        self.bitDepth = bitDepth
        self.sampleRate = sampleRate
        self.channels = channels
        self.level = level
        self.gainDecibels = gainDecibels
        self.soundsFolder = soundsFolder
        self.music = music
        self.duckDecibels = duckDecibels
        self.loudnessTarget = loudnessTarget
        self.voice = voice
    }

    public static let duckRange: ClosedRange<Double> = 0...40

    /// Whether the options can work together; the message says what to change.
    public func validate() throws(RenderError) {
        guard SampleClock.supportedRates.contains(sampleRate) else {
            throw .invalidOptions("--sample-rate must be from 8000 to 192000, not \(sampleRate)")
        }
        if let allowed = format.allowedSampleRates, !allowed.contains(sampleRate) {
            throw .invalidOptions("\(format.rawValue) cannot store \(sampleRate) Hz; use --sample-rate "
                + allowed.map(String.init).joined(separator: ", "))
        }
        guard channels == 1 || channels == 2 else { throw .invalidOptions("--channels must be 1 or 2, not \(channels)") }
        guard Self.gainRange.contains(gainDecibels) else {
            throw .invalidOptions("--gain must be from -40 to 6 dB, not \(gainDecibels)")
        }
        guard Self.duckRange.contains(duckDecibels) else {
            throw .invalidOptions("--duck must be from 0 to 40 dB, not \(duckDecibels)")
        }
        if let speed = voice?.wordsPerMinute, !(80...450).contains(speed) {
            throw .invalidOptions("--voice-speed must be from 80 to 450 words per minute, not \(speed)")
        }
        if format == .flac, bitDepth == .float {
            throw .invalidOptions("FLAC stores 16- or 24-bit samples; use --bit-depth 16 or 24, or --format wav for float")
        }
    }
}
