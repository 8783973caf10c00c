/// The sounds of a sound pack: one per kind of cue, plus a distinct last countdown beep.
/// Breath tones (and the steady tones of held breaths) are not in the list: they are synthesized for each cue at its exact length.
public enum CueSound: String, CaseIterable, Sendable {
    case go, countdown
    case countdownLast = "countdown-last"
    case stop
    case switchSides = "switch"
    case finish, halfway, announce
    /// Format 2: the start of a tempo phase after the first.
    case phase
    /// Format 2: the beat of an own-pace block.
    case pulse

    /// The file name of this sound in a sound pack folder.
    public var fileName: String { rawValue + ".wav" }

    /// The sound a cue plays, or nil for breath cues (synthesized) and announcements when a voice speaks.
    static func forCue(_ cue: Cue) -> CueSound? {
        switch cue.type {
        case .go: return .go
        case .countdown: return cue.count == 1 ? .countdownLast : .countdown
        case .stop: return .stop
        case .switchSides: return .switchSides
        case .finish: return .finish
        case .halfway: return .halfway
        case .announce: return .announce
        case .phase: return .phase
        case .pulse: return .pulse
        case .inhale, .exhale, .breathHold: return nil
        }
    }
}
