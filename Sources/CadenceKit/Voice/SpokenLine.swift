/// One thing the voice says, tied to the cue it belongs to, with the stretch of the track it may
/// be placed in (see `SpeechLayout`).
struct SpokenLine: Hashable, Sendable {
    enum Kind: String, Hashable, Sendable, CaseIterable {
        /// The step's `say` text or name ("Next: NAME" after a step), at its announce cue.
        case announcement
        /// The step's `instructions`, after the announcement in its transition.
        case instructions
        /// "Switch to the right side", after the switch chime.
        case switchSides
        /// "Rest", after the stop sound of a rest.
        case rest
        /// "Two" or "Last one", in place of a rep's go sound (`--voice-counts`).
        case count
        /// "Halfway", after the halfway taps.
        case halfway
        /// A tempo phase's label ("Lower"), after the phase sound.
        case phase
        /// "Three, two, one" in place of the countdown beeps (`--voice-countdown`).
        case countdown
        /// "Go", "Stop", "Finished" of the voice-only mix, in place of those sounds.
        case signal
    }

    /// How a line may be moved from its cue.
    enum Placement: Hashable, Sendable {
        /// It starts on its cue, in place of the cue's sound; where it does not fit, the sound plays instead.
        case onCue
        /// It starts on its cue, or as much earlier as it needs (never before `earliest`) to end before
        /// the next sound; the cue's own sound is replaced by it.
        case byCue(earliest: Int64)
        /// It starts as soon as the sounds at and after its cue leave room, and ends by `latest`.
        case afterCue(latest: Int64)
    }

    /// Whether the cue's own sound gives way to the line (an announcement's call, a rep's go, a
    /// countdown beep); a line said after a sound (a switch, a rest) leaves it.
    var replacesCueSound: Bool {
        switch placement {
        case .onCue, .byCue: return true
        case .afterCue: return kind == .announcement
        }
    }

    var text: String
    /// A shorter way to say it, tried where `text` does not fit ("Left side" for "Switch to the left side").
    var shorter: String? = nil
    var kind: Kind
    /// The step it belongs to (index in the session) and the cue it is said for.
    var step: Int
    var cue: Cue
    var placement: Placement
    /// Whether it is said even where it does not fit (the step's announcement), overlapping the
    /// sound after it, rather than left out.
    var isEssential: Bool { kind == .announcement }
}
