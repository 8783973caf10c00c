/// What a library site's player page links to, besides its own content. The page sits in
/// `tracks/` beside its track, so every link is relative: the same page works from any web server,
/// at any address, and opened from files.
struct SitePageLinks {
    /// The site's folder, from the page.
    static let root = "../"

    /// The site's name, for the link back to the index.
    var siteTitle: String
    /// The session's tracks; the page plays the first (the MP3).
    var tracks: [SiteEntry.Track]

    /// The audio element's `src`: the MP3 beside the page, with its version.
    var audio: String { tracks[0].pageLink }

    /// The icon and the feed, in the page's `<head>`.
    var headLinks: String {
        "<link rel=\"icon\" href=\"\(Self.root)\(SiteLayout.icon)\" type=\"image/svg+xml\">\n"
            + "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"\(MarkupText.escape(siteTitle))\" href=\"\(Self.root)\(SiteLayout.feed)\">"
    }

    /// The way back to the index, above the page's heading.
    var navigation: String {
        "<nav class=\"site-nav\"><a id=\"home\" href=\"\(Self.root)\(SiteLayout.index)\">\u{2190} \(MarkupText.escape(siteTitle))</a></nav>\n"
    }

    /// The track files to download, in the page's side column.
    var downloads: String {
        let links = tracks.map { track in
            "<a href=\"\(MarkupText.escape(track.pageLink))\" download>\(track.format.displayName) · \(SiteEntry.size(track.size))</a>"
        }
        return "<section class=\"files\" aria-label=\"Files\"><h3>Take it with you</h3><p>" + links.joined(separator: " ")
            + "</p></section>\n"
    }

    /// The rules these add to `PlayerStyleSheet`: `Resources/site-page.css`.
    static let css = EmbeddedText.text(PackageResources.site_page_css)
}
