/// What the voice says at a cue, if anything: the step's `say` text (else its name) when a step is
/// announced, the side that comes next at a switch, and "halfway" in the middle of a hold.
enum VoiceLines {
    static func line(for cue: Cue) -> String? {
        switch cue.type {
        case .announce: return cue.text
        case .switchSides: return cue.side.map { $0 == .left ? "Left side" : "Right side" } ?? "Other side"
        case .halfway: return "Halfway"
        default: return nil
        }
    }
}
