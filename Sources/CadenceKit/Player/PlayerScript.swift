/// The player page's script. It reads the timeline from the page's JSON and follows the audio
/// element's actual position (`currentTime`, on every animation frame while playing and on
/// `timeupdate`, `seeking` and `seeked`), so pausing and seeking stay in step. Routine text is only
/// ever set with `textContent`.
///
/// Controls: the play button and Space play or pause; the step buttons, ArrowLeft and ArrowRight go
/// to the previous or next step; a click on a step in the timeline picture or the step list goes
/// to its start; the slider seeks.
enum PlayerScript {
    /// `Resources/player.js`, built into the binary.
    static let javaScript = EmbeddedText.text(PackageResources.player_js)
}
