import Foundation

/// The player: one self-contained HTML page that plays a session's track and shows the way
/// through it (what to do now, a tempo rep's phase by its label, the current step, side, set and
/// rep, a circuit's round, a countdown to the next change, what comes next, the routine's `about`),
/// with the timeline picture to click through. A guide shows what the voice says and the step's
/// instructions (`PlayerGuide`); a program's page names its day. A session with own-pace steps
/// gets an option to wait at the end of each of their blocks until a tap (see `PlayerScript`).
///
/// Everything is inside the page: the audio as a base64 `data:` URI, the style sheet, the script,
/// the timeline picture and the timeline data (as the JSON of timeline.md). A strict Content
/// Security Policy forbids every fetch besides `data:` media and images. Routine text is escaped
/// for HTML where the page shows it, and the script only ever sets it as text (`textContent`).
///
/// A library site's player page (see `LibrarySite`) is the same page with its audio linked instead:
/// the track beside it, a link back to the index, the track files to download, and the site's
/// script (web app manifest, service worker). Its policy allows media from the site alone.
public enum PlayerPage {
    /// The Content Security Policy of the page: nothing can be fetched, only inline style and
    /// script run, the audio comes from a `data:` URI.
    static let contentSecurityPolicy =
        "default-src 'none'; media-src data:; img-src data:; "
        + "style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

    /// The policy of a library site's pages: media, images, the web app manifest and the service
    /// worker from the site itself (`'self'`: the same server, or the same device's files when the
    /// site is opened from them), and nothing else; style and script inline only.
    static let siteContentSecurityPolicy =
        "default-src 'none'; media-src 'self'; img-src 'self' data:; "
        + "style-src 'unsafe-inline'; script-src 'unsafe-inline'; manifest-src 'self'; worker-src 'self'; "
        + "base-uri 'none'; form-action 'none'"

    /// Where the page's audio comes from.
    enum Audio {
        /// Inside the page: the track's bytes, of this MIME type.
        case embedded([UInt8], mimeType: String)
        /// Beside the page, in a library site.
        case site(SitePageLinks)
    }

    /// The page for `timeline`, playing `audio` (the bytes of the rendered track, such as an MP3
    /// file) of type `audioMimeType` (such as `audio/mpeg`).
    public static func html(timeline: Timeline, audio: [UInt8], audioMimeType: String) -> String {
        html(timeline: timeline, audio: .embedded(audio, mimeType: audioMimeType))
    }

    static func html(timeline: Timeline, audio: Audio) -> String {
        var site: SitePageLinks?
        if case .site(let links) = audio { site = links }
        let title = MarkupText.escape(timeline.title)
        var summary = MarkupText.escape(
            "\(DurationText.short(timeline.totalTime)) · \(timeline.steps.count) "
                + (timeline.steps.count == 1 ? "step" : "steps") + " · \(timeline.level.rawValue) level")
        if let day = timeline.day, let days = timeline.days {
            summary = "<span class=\"day\" id=\"day\">Day \(day) of \(days)</span> · " + summary
        }
        let first = timeline.steps.first?.name ?? ""
        let waits = timeline.steps.contains(where: \.selfPaced)
        let rounds = timeline.steps.contains { $0.circuit != nil }
        var page = PageHead.html(
            title: title, policy: site == nil ? contentSecurityPolicy : siteContentSecurityPolicy,
            links: site?.headLinks ?? "<link rel=\"icon\" href=\"data:,\">",
            css: PlayerStyleSheet.css + (site == nil ? "" : SitePageLinks.css))
        page += """
            \(site?.navigation ?? "")<header class="top">
            <h1 id="title">\(title)</h1>
            <p class="summary">\(summary)</p>
            </header>
            <main class="layout">
            <section class="now" id="now" data-kind="transition" aria-label="Now">
            <p class="activity"><span id="activity">Get ready</span>\(rounds ? "<span class=\"round\" id=\"round\"></span>" : "")</p>
            <h2 class="step-name" id="step-name" data-size="\(nameSize(first))">\(MarkupText.escape(first))</h2>
            <p class="where"><span id="side"></span><span id="set-rep"></span></p>
            <div class="count" aria-live="off"><span class="countdown" id="countdown"></span><span class="count-label" id="countdown-label"></span></div>
            \(waits ? Self.waitHTML : "")<div class="phase" aria-hidden="true"><div id="phase-bar"></div></div>
            <p class="next"><span class="next-label">Next</span><span id="next"></span></p>
            </section>
            <section class="transport" aria-label="Playback">
            <div class="times"><span id="elapsed">0:00</span><input type="range" id="seek" min="0" max="\(TimelineSVG.seconds(timeline.totalSamples, timeline))" step="0.1" value="0" aria-label="Position in the session"><span id="remaining">\(DurationText.short(timeline.totalTime))</span></div>
            <div class="controls">
            <button type="button" id="prev" aria-label="Previous step" title="Previous step (←)">\(PlayerIcons.previous)</button>
            <button type="button" id="play" class="play" aria-label="Play" title="Play or pause (space)">\(PlayerIcons.play)\(PlayerIcons.pause)</button>
            <button type="button" id="next-step" aria-label="Next step" title="Next step (→)">\(PlayerIcons.next)</button>
            </div>
            <p class="step-count" id="step-count">Step 1 of \(timeline.steps.count)</p>
            \(waits ? Self.waitOptionHTML : "")</section>
            <figure class="timeline" aria-label="The session, step by step">
            \(TimelineSVG.playerSVG(timeline))</figure>
            <div class="info">

            """
        if PlayerGuide.isNeeded(timeline) { page += PlayerGuide.html(timeline) }
        if let about = timeline.about, !about.isEmpty {
            page += """
                <section class="about" aria-label="About"><h3>About</h3><p id="about">\(MarkupText.escape(about))</p></section>

                """
        }
        if let site { page += site.downloads }
        page += "<section class=\"steps\" aria-label=\"Steps\"><h3>Steps</h3><ol id=\"step-list\">\n"
        for (index, step) in timeline.steps.enumerated() {
            page +=
                "<li><button type=\"button\" data-step=\"\(index)\"><span class=\"num\">\(index + 1)</span>"
                + "<span class=\"name\">\(MarkupText.escape(step.name))</span>"
                + "<span class=\"at\">\(DurationText.short(step.startTime))</span></button></li>\n"
        }
        page += """
            </ol></section>
            </div>
            </main>
            <audio id="audio" controls preload="auto" src="\(audioSource(audio))"></audio>
            </div>
            <script type="application/json" id="timeline">
            \(TimelineJSON.encode(timeline))</script>
            <script>
            \(PlayerScript.javaScript)</script>

            """
        if site != nil { page += "<script>\n\(SiteScript.javaScript(root: SitePageLinks.root))</script>\n" }
        page += "</body>\n</html>\n"
        return page
    }

    /// Shown in place of the countdown while the page waits at the end of an own-pace block.
    static let waitHTML =
        "<div class=\"wait\" id=\"wait\" hidden><button type=\"button\" id=\"go-on\" class=\"go-on\">Go on</button>"
        + "<span class=\"wait-note\">when you are ready</span></div>\n"

    /// The option to wait at own-pace blocks, for a session that has any (see `PlayerScript`).
    static let waitOptionHTML =
        "<label class=\"wait-option\"><input type=\"checkbox\" id=\"wait-option\" role=\"switch\" autocomplete=\"off\">"
        + "<span><span class=\"option-name\">Wait at own\u{2011}pace parts</span>"
        + "<span class=\"option-note\">Pauses at the end of each until you tap Go on</span></span></label>\n"

    /// The `src` of the page's audio element, escaped for the attribute.
    static func audioSource(_ audio: Audio) -> String {
        switch audio {
        case .embedded(let bytes, let mimeType):
            return "data:\(MarkupText.escape(mimeType));base64,\(Data(bytes).base64EncodedString())"
        case .site(let links):
            return MarkupText.escape(links.audio)
        }
    }

    /// The size class of a step name, as the script gives it: long names are set smaller.
    static func nameSize(_ name: String) -> String {
        let length = name.utf16.count
        return length > 40 ? "l" : (length > 20 ? "m" : "s")
    }

    /// The MIME type of a track format, for `audioMimeType`.
    public static func mimeType(for format: AudioFormat) -> String {
        switch format {
        case .wav: return "audio/wav"
        case .flac: return "audio/flac"
        case .ogg: return "audio/ogg"
        case .opus: return "audio/ogg; codecs=opus"
        case .mp3: return "audio/mpeg"
        }
    }
}
