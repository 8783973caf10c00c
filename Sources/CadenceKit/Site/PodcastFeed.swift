/// The site's podcast feed, `feed.xml`: RSS 2.0 with the iTunes and Podcasting 2.0 namespaces, one
/// item per session. Subscribing once in a podcast app brings every new or edited session:
///
/// - each item's `<guid isPermaLink="false">` is the routine's GUID from `SiteManifest`, which
///   never changes, so an edited session stays one item;
/// - its `<pubDate>` is when its track was last rendered with new content, and its enclosure's
///   URL carries the track's version (`?v=...`), so apps fetch the new track;
/// - `<enclosure>` is the MP3 (url, length in bytes, type), `<itunes:duration>` the length in
///   seconds, `<podcast:chapters>` the JSON chapters, and with `--opus`
///   `<podcast:alternateEnclosure>` the Opus file.
///
/// Items are listed newest first (by file name where dates are equal). All routine text is escaped.
enum PodcastFeed {
    static let iTunesNamespace = "http://www.itunes.com/dtds/podcast-1.0.dtd"
    static let podcastNamespace = "https://podcastindex.org/namespace/1.0"
    static let atomNamespace = "http://www.w3.org/2005/Atom"

    static func xml(title: String, entries: [SiteEntry], address: SiteAddress) -> String {
        let items = entries.sorted { ($0.published, $1.routineName) > ($1.published, $0.routineName) }
        let count = entries.count == 1 ? "one session" : "\(entries.count) sessions"
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:itunes="\(iTunesNamespace)" xmlns:podcast="\(podcastNamespace)" xmlns:atom="\(atomNamespace)">
            <channel>
            <title>\(MarkupText.escape(title))</title>
            <link>\(MarkupText.escape(address.link(SiteLayout.index)))</link>
            <description>\(MarkupText.escape("Audio cue tracks for exercise routines, \(count), made with Cadence."))</description>
            <language>en</language>
            <generator>Cadence \(CadenceVersion.string)</generator>

            """
        if address.isAbsolute {
            out += "<atom:link href=\"\(MarkupText.escape(address.link(SiteLayout.feed)))\" rel=\"self\" type=\"application/rss+xml\"/>\n"
        }
        if let newest = items.first?.published { out += "<lastBuildDate>\(FeedDate.rfc822(newest))</lastBuildDate>\n" }
        out += """
            <itunes:type>episodic</itunes:type>
            <itunes:explicit>false</itunes:explicit>
            <itunes:category text="Health &amp; Fitness"/>

            """
        for entry in items { out += item(entry, address: address) }
        return out + "</channel>\n</rss>\n"
    }

    static func item(_ entry: SiteEntry, address: SiteAddress) -> String {
        let timeline = entry.timeline
        var description = entry.summary
        if let about = timeline.about, !about.isEmpty { description = withoutTrailingNewlines(about) + "\n\n" + description }
        var out = """
            <item>
            <title>\(MarkupText.escape(timeline.title))</title>
            <description>\(MarkupText.escape(description))</description>
            <link>\(MarkupText.escape(address.link(SiteLayout.urlPath(entry.pagePath))))</link>
            <guid isPermaLink="false">\(MarkupText.escape(entry.guid))</guid>
            <pubDate>\(FeedDate.rfc822(entry.published))</pubDate>
            <enclosure url="\(MarkupText.escape(address.link(entry.mp3.urlPath)))" length="\(entry.mp3.size)" type="\(entry.mp3.mimeType)"/>
            <itunes:duration>\(entry.seconds)</itunes:duration>
            <itunes:episodeType>full</itunes:episodeType>
            <podcast:chapters url="\(MarkupText.escape(address.link(SiteLayout.urlPath(entry.chaptersPath))))" type="\(PodcastChapters.mimeType)"/>

            """
        if let opus = entry.opus {
            out +=
                "<podcast:alternateEnclosure type=\"\(opus.mimeType)\" length=\"\(opus.size)\" title=\"Opus\">"
                + "<podcast:source uri=\"\(MarkupText.escape(address.link(opus.urlPath)))\"/></podcast:alternateEnclosure>\n"
        }
        return out + "</item>\n"
    }

    /// The text without the line breaks at its end (a YAML block's last one).
    static func withoutTrailingNewlines(_ text: String) -> String {
        var text = Substring(text)
        while text.last == "\n" || text.last == "\r" { text.removeLast() }
        return String(text)
    }
}
