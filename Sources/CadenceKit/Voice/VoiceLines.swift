/// What the voice says at a cue, if anything: the step's `say` text (else its name) when a step is
/// announced (a pause's name, and the round first when a round of a circuit begins), the side that
/// comes next at a switch, "halfway" in the middle of a hold, and a tempo phase's label as it begins.
/// In the voice-only mix, which has no tones, it also says the go, stop and finish cues.
enum VoiceLines {
    static func line(for cue: Cue, mix: MixStyle = .standard) -> String? {
        switch cue.type {
        case .announce: return cue.text
        case .switchSides: return cue.side.map { $0 == .left ? "Left side" : "Right side" } ?? "Other side"
        case .halfway: return "Halfway"
        case .phase: return cue.text
        case .go where mix == .voiceOnly: return "Go"
        case .stop where mix == .voiceOnly: return "Stop"
        case .finish where mix == .voiceOnly: return "Finished"
        default: return nil
        }
    }
}
