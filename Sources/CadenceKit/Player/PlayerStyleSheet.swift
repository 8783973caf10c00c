/// The player page's style sheet: calm, high-contrast dark on light, fluid type (`clamp()`), one
/// column on a phone and two on a wide screen, large touch targets. System fonts only.
enum PlayerStyleSheet {
    /// `Resources/player.css`, built into the binary.
    static let css = EmbeddedText.text(PackageResources.player_css)
}
