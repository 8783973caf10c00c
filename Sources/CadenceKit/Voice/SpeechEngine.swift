/// The programs that can speak the announcements. Each runs as a separate process (never linked)
/// and writes a WAV of one phrase to its standard output.
public enum SpeechEngine: String, CaseIterable, Hashable, Sendable, Codable {
    /// Festival's `text2wave` with an HTS voice: slower to start (about a second a phrase) but a
    /// natural voice. Cadence uses it with the `festvox-us-slt-hts` voice (a US English woman).
    case festival
    /// espeak-ng: instant and small, with a robotic, formant-synthesized voice.
    case espeak
    /// Piper: a neural voice from a model file the user gives (`--voice-model`); never the default.
    case piper

    /// The program's name, as found on PATH.
    var programName: String {
        switch self {
        case .festival: return "text2wave"
        case .espeak: return "espeak-ng"
        case .piper: return "piper"
        }
    }

    /// The name people know the engine by, for messages.
    var displayName: String {
        switch self {
        case .festival: return "festival"
        case .espeak: return "espeak-ng"
        case .piper: return "piper"
        }
    }

    /// The command that installs the engine (and, for festival, the voice Cadence prefers).
    var installCommand: String {
        switch self {
        case .festival: return "sudo apt-get install festival festvox-us-slt-hts"
        case .espeak: return "sudo apt-get install espeak-ng"
        case .piper: return "pip install piper-tts"
        }
    }

    /// The engine used when none is named: festival where it and its slt voice are installed (the
    /// more natural voice), else espeak-ng. Neither installed gives espeak-ng, whose error then
    /// says how to install either.
    static func automatic() -> SpeechEngine {
        if Subprocess.find(SpeechEngine.festival.programName) != nil,
            FestivalProgram.installedVoice(named: FestivalProgram.defaultVoice) != nil
        {
            return .festival
        }
        return .espeak
    }
}
