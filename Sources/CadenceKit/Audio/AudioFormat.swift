/// The containers and codecs a track can be written in.
public enum AudioFormat: String, CaseIterable, Sendable, Codable {
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

    /// The format of a track: `explicit` (`--format`) when given, else the one the output's
    /// extension names, else WAV. An extension Cadence cannot write, or one that contradicts
    /// `explicit`, is an error (exit 64): a track is never written under a name that lies about it.
    public static func resolve(explicit: AudioFormat?, output: String?, label: String = "-o") throws(RenderError) -> AudioFormat {
        guard let output else { return explicit ?? .wav }
        let pathExtension = FilePaths.pathExtension(of: output)
        guard !pathExtension.isEmpty else { return explicit ?? .wav }
        guard let named = AudioFormat(pathExtension: pathExtension) else {
            throw .invalidOptions(
                "\(label) \(PathBytes.display(output)): Cadence cannot write .\(PathBytes.display(pathExtension)) files; "
                    + "it writes .wav, .flac, .ogg, .opus and .mp3")
        }
        if let explicit, explicit != named {
            throw .invalidOptions(
                "\(label) \(PathBytes.display(output)) ends in .\(PathBytes.display(pathExtension)), but --format is \(explicit.rawValue); make them agree"
            )
        }
        return named
    }

    /// A name for people: `WAV`, `FLAC`, `Ogg Vorbis`, `Opus`, `MP3`.
    public var displayName: String {
        switch self {
        case .wav: return "WAV"
        case .flac: return "FLAC"
        case .ogg: return "Ogg Vorbis"
        case .opus: return "Opus"
        case .mp3: return "MP3"
        }
    }

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

    /// Whether the format is encoded with loss (and `--quality` applies).
    public var isLossy: Bool { self == .ogg || self == .opus || self == .mp3 }

    /// Whether `--bit-depth` applies.
    public var hasBitDepth: Bool { self == .wav || self == .flac }
}

/// The sample format of WAV and FLAC tracks.
public enum BitDepth: String, CaseIterable, Sendable, Codable {
    case pcm16 = "16"
    case pcm24 = "24"
    case float
}
