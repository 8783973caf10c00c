/// One session of a library site, as the index, its page and the feed show it.
struct SiteEntry {
    /// One audio file of the session.
    struct Track {
        var format: AudioFormat
        /// Relative to the site's folder: `tracks/morning.mp3`.
        var path: String
        var size: Int64
        /// Changes whenever the track's bytes may have: the fingerprint of what it was made from.
        /// Links carry it as `?v=...`, so a browser, the service worker and podcast apps never
        /// take an old track for the new one.
        var version: String

        /// The link to the track from a file in the site's folder.
        var urlPath: String { SiteLayout.urlPath(path) + "?v=" + version }
        /// The link from a file in `tracks/` (the track's own page).
        var pageLink: String { SiteLayout.urlPath(FilePaths.name(of: path)) + "?v=" + version }

        /// The MIME type podcast apps and `<source>` elements are given.
        var mimeType: String { format == .opus ? "audio/opus" : PlayerPage.mimeType(for: format) }
    }

    /// The routine's file name (`morning.yaml`) and its name without the extension (`morning`).
    var routineName: String
    var base: String
    /// The session, scheduled at the MP3 track's rate.
    var timeline: Timeline
    var guid: String
    /// Seconds since 1970.
    var published: Int64
    var mp3: Track
    var opus: Track?

    var tracks: [Track] { [mp3] + (opus.map { [$0] } ?? []) }
    var pagePath: String { SiteLayout.page(base) }
    var chaptersPath: String { SiteLayout.chapters(base) }

    /// `6:41 · 6 steps · normal level`, as the index and the player say it.
    var summary: String {
        "\(DurationText.short(timeline.totalTime)) · \(timeline.steps.count) " + (timeline.steps.count == 1 ? "step" : "steps")
            + " · \(timeline.level.rawValue) level"
    }

    /// The session's length in whole seconds, rounded, as podcast apps are told it.
    var seconds: Int64 { (timeline.totalTime + 500_000) / 1_000_000 }

    /// A size for people: `820 kB`, `2.1 MB`.
    static func size(_ bytes: Int64) -> String {
        if bytes < 1_000_000 { return "\(max(1, (bytes + 500) / 1_000)) kB" }
        let tenths = (bytes + 50_000) / 100_000
        return tenths < 100 ? "\(tenths / 10).\(tenths % 10) MB" : "\((bytes + 500_000) / 1_000_000) MB"
    }
}
