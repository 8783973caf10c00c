/// The containers and codecs a track can be written in.
public enum AudioFormat: String, CaseIterable, Sendable {
    case wav, flac, ogg, opus, mp3

    /// The format an output path's extension names, if any.
    public init?(pathExtension: String) {
        switch pathExtension.lowercased() {
        case "wav", "wave": self = .wav
        case "flac": self = .flac
        case "ogg", "oga": self = .ogg
        case "opus": self = .opus
        case "mp3": self = .mp3
        default: return nil
        }
    }

    public var fileExtension: String { rawValue }

    /// Sample rates the codec can store; nil when any supported rate works.
    public var allowedSampleRates: [Int]? {
        switch self {
        case .wav, .flac, .ogg: return nil
        case .opus: return [8_000, 12_000, 16_000, 24_000, 48_000]
        case .mp3: return [8_000, 11_025, 12_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000]
        }
    }

    /// The rate used when none is asked for: Opus works at 48 kHz, the others at 44.1 kHz.
    public var defaultSampleRate: Int { self == .opus ? 48_000 : 44_100 }

    /// Whether `--bit-depth` applies.
    public var hasBitDepth: Bool { self == .wav || self == .flac }
}

/// The sample format of WAV and FLAC tracks.
public enum BitDepth: String, CaseIterable, Sendable {
    case pcm16 = "16"
    case pcm24 = "24"
    case float
}
