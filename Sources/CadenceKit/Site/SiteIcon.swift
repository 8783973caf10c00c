/// The site's icon, `icon.svg` (tab, home screen and web app manifest): three rising bars, like
/// breaths, in the player's colours.
enum SiteIcon {
    static let svg = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="512" height="512">
        <rect width="512" height="512" rx="112" fill="#14171c"/>
        <rect x="118" y="262" width="72" height="132" rx="36" fill="#8a70b8"/>
        <rect x="220" y="190" width="72" height="204" rx="36" fill="#4f9a68"/>
        <rect x="322" y="118" width="72" height="276" rx="36" fill="#f4f2ed"/>
        </svg>

        """
}
