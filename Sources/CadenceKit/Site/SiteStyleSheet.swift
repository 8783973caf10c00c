/// The style sheet of a library site's index: the player's calm palette and system fonts, one
/// column of session cards on a phone and two or three on a wide screen, large touch targets.
/// (The player pages keep their own style sheet, `PlayerStyleSheet`, with a few site rules added.)
enum SiteStyleSheet {
    /// The page's background, also the web app's background and theme colour.
    static let background = "#f4f2ed"

    /// `Resources/site.css`, built into the binary.
    static let css = EmbeddedText.text(PackageResources.site_css)
}
