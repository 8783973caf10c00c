/// The player page's script. It reads the timeline from the page's JSON and follows the audio
/// element's actual position (`currentTime`, on every animation frame while playing and on
/// `timeupdate`, `seeking` and `seeked`), so pausing and seeking stay in step. Routine text is only
/// ever set with `textContent`.
///
/// Controls: the play button and Space play or pause; the step buttons, ArrowLeft and ArrowRight go
/// to the previous or next step; a click on a step in the timeline picture or the step list goes
/// to its start; the slider seeks.
///
/// Waiting at own-pace parts (the option "Wait at own-pace parts", off unless turned on, kept in
/// `localStorage` where the browser allows it): the audio of a self-paced block is a timed
/// stand-in, so the page lets it play and pauses itself 0.2 s before the block ends, where a person
/// who needs longer takes it; Go on (or the play button, or Space) plays on from there, so the
/// sound after the block starts whole. The page's own pause keeps the screen wake lock, which any
/// other pause gives back; a seek ends the wait.
enum PlayerScript {
    /// `Resources/player.js`, built into the binary.
    static let javaScript = EmbeddedText.text(PackageResources.player_js)
}
