/// What the voice says at a cue, if anything: the step's `say` text (else its name) when a step is
/// announced, the side that comes next at a switch, and "halfway" in the middle of a hold. In the
/// voice-only mix, which has no tones, it also says the go, stop and finish cues.
enum VoiceLines {
    static func line(for cue: Cue, mix: MixStyle = .standard) -> String? {
        switch cue.type {
        case .announce: return cue.text
        case .switchSides: return cue.side.map { $0 == .left ? "Left side" : "Right side" } ?? "Other side"
        case .halfway: return "Halfway"
        case .go where mix == .voiceOnly: return "Go"
        case .stop where mix == .voiceOnly: return "Stop"
        case .finish where mix == .voiceOnly: return "Finished"
        default: return nil
        }
    }
}
