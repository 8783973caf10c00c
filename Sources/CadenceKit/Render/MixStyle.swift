/// What a track holds besides the music, for different listeners (`--mix`).
public enum MixStyle: String, CaseIterable, Hashable, Sendable, Codable {
    /// Every cue sound, with the voice's phrases when there is a voice.
    case standard
    /// The voice and nothing that beeps: no countdown, go, stop, switch, halfway, finish or
    /// announce sounds. The voice says "Go", "Stop" and "Finished" where those sounds would play,
    /// and the breath tones stay (they pace each breath for as long as it lasts, which no word can).
    case voiceOnly = "voice-only"
    /// For listeners who need speech clear of the music (WCAG 1.4.7): the music is ducked under the
    /// voice so that it stays at least 20 dB below the speech.
    case accessible
}
