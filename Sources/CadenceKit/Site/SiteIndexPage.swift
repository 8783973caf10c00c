/// The site's front page, `index.html`: every session with its title, length, number of steps,
/// level and `about`, a link to its player page and to its track files, and the podcast feed to
/// subscribe to. It has the same Content Security Policy as the site's player pages. All routine
/// text is escaped.
enum SiteIndexPage {
    static func html(title: String, entries: [SiteEntry], address: SiteAddress) -> String {
        let total = entries.reduce(Int64(0)) { $0 + $1.timeline.totalTime }
        let count = entries.count == 1 ? "1 session" : "\(entries.count) sessions"
        let links = """
            <link rel="icon" href="\(SiteLayout.icon)" type="image/svg+xml">
            <link rel="alternate" type="application/rss+xml" title="\(MarkupText.escape(title))" href="\(SiteLayout.feed)">
            """
        var page = PageHead.html(
            title: MarkupText.escape(title), policy: PlayerPage.siteContentSecurityPolicy,
            themeColor: SiteStyleSheet.background, links: links, css: SiteStyleSheet.css)
        page += """
            <header class="top">
            <h1 id="title">\(MarkupText.escape(title))</h1>
            <p class="summary">\(MarkupText.escape(entries.isEmpty ? "No sessions yet" : "\(count) · \(DurationText.short(total)) in all"))</p>
            </header>
            <main>

            """
        if entries.isEmpty {
            page += "<p class=\"empty\">No routine could be published. Run <code>cadence site</code> again once they are fixed.</p>\n"
        } else {
            page += "<ol class=\"sessions\" id=\"sessions\">\n"
            for entry in entries { page += session(entry) }
            page += "</ol>\n"
        }
        let feedLink = address.link(SiteLayout.feed)
        page += """
            <section class="subscribe" aria-label="Subscribe">
            <h2>Subscribe</h2>
            <p>Add this feed to a podcast app once, and it brings every new or changed session:</p>
            <p><a class="feed" id="feed" href="\(SiteLayout.feed)">\(MarkupText.escape(feedLink))</a></p>

            """
        if !address.isAbsolute {
            page += "<p class=\"note\">The feed's links are relative: podcast apps need the site made with <code>--base-url</code>.</p>\n"
        }
        page += """
            </section>
            </main>
            </div>
            <script>
            \(SiteScript.javaScript(root: "./"))</script>
            </body>
            </html>

            """
        return page
    }

    static func session(_ entry: SiteEntry) -> String {
        let timeline = entry.timeline
        let page = SiteLayout.urlPath(entry.pagePath)
        var out =
            "<li class=\"session\" data-track=\"\(MarkupText.escape(entry.mp3.urlPath))\">\n"
            + "<h2><a href=\"\(MarkupText.escape(page))\">\(MarkupText.escape(timeline.title))</a></h2>\n"
            + "<p class=\"facts\">\(MarkupText.escape(entry.summary))</p>\n"
        if let about = timeline.about, !about.isEmpty {
            out += "<p class=\"about\">\(MarkupText.escape(PodcastFeed.withoutTrailingNewlines(about)))</p>\n"
        }
        out += "<p class=\"actions\"><a class=\"play\" href=\"\(MarkupText.escape(page))\">\(PlayerIcons.play)Play</a>"
        for track in entry.tracks {
            out +=
                "<a class=\"file\" href=\"\(MarkupText.escape(track.urlPath))\" download>"
                + "\(track.format.displayName) · \(SiteEntry.size(track.size))</a>"
        }
        out += "<span class=\"offline\" hidden>Kept for offline use</span></p>\n</li>\n"
        return out
    }
}
