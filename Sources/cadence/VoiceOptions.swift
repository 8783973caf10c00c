import ArgumentParser
import CadenceKit

/// The spoken guide's options, shared by `render`, `watch`, `site`, `check` and `plan`.
struct VoiceOptions: ParsableArguments {
    @Flag(
        name: .long,
        help:
            "Speak the guide: each step's `say` text (else \"Next:\" and its name), its instructions, the side at switches, \"Rest\" and \"Halfway\" (needs festival or espeak-ng)."
    )
    var voice = false

    @Option(name: .long, help: "With --voice: festival, espeak or piper (default: festival where its slt voice is installed, else espeak).")
    var voiceEngine: SpeechEngine?

    @Option(name: .long, help: "With --voice-engine piper: the voice model, a .onnx file with its .onnx.json beside it (never downloaded).")
    var voiceModel: String?

    @Option(
        name: .long,
        help: "With --voice: the engine's voice, such as cmu_us_slt_arctic_hts (festival) or en-gb (espeak, see `espeak-ng --voices`).")
    var voiceName: String?

    @Option(name: .long, help: "With --voice: speaking speed in words per minute, 80 to 450 (default: the engine's own, about 175).")
    var voiceSpeed: Int?

    @Option(
        name: .long,
        help:
            "With --voice: count reps aloud in place of their go sound: off, numbers (\"One\", \"Two\" ...) or last (\"Last one\") (default: off)."
    )
    var voiceCounts: RepCounts = .off

    @Flag(name: .long, help: "With --voice: say \"Three, two, one\" in place of the countdown beeps.")
    var voiceCountdown = false

    func validate() throws {
        if !voice, voiceEngine != nil || voiceName != nil || voiceSpeed != nil || voiceModel != nil || voiceCounts != .off || voiceCountdown
        {
            throw ValidationError(
                "--voice-engine, --voice-name, --voice-speed, --voice-model, --voice-counts and --voice-countdown go with --voice")
        }
    }

    /// The voice these options ask for, or nil without --voice.
    var speechVoice: SpeechVoice? {
        voice
            ? SpeechVoice(
                engine: voiceEngine, name: voiceName, wordsPerMinute: voiceSpeed, model: voiceModel,
                counts: voiceCounts, spokenCountdown: voiceCountdown) : nil
    }
}
