import CadenceTestSupport
import Foundation
import XCTest
@testable import CadenceKit

/// The pieces of a library site, checked one by one (the command and the browser tests in
/// CadenceCLITests check the whole): dates, URLs, the base URL, chapters, sizes, which files a site
/// record may name, and the site's player page.
final class LibrarySiteTests: XCTestCase {
    // MARK: Dates and URLs

    func testFeedDatesAreRFC822InUTC() {
        XCTAssertEqual(FeedDate.rfc822(0), "Thu, 01 Jan 1970 00:00:00 +0000")
        XCTAssertEqual(FeedDate.rfc822(1_800_000_000), "Fri, 15 Jan 2027 08:00:00 +0000")
        XCTAssertEqual(FeedDate.rfc822(1_709_164_800), "Thu, 29 Feb 2024 00:00:00 +0000")
        XCTAssertEqual(FeedDate.rfc822(951_782_400), "Tue, 29 Feb 2000 00:00:00 +0000")
        XCTAssertEqual(FeedDate.rfc822(4_102_444_799), "Thu, 31 Dec 2099 23:59:59 +0000")
        // And for many other moments, as Foundation's formatter in the POSIX locale says them.
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let seconds = Int64.random(in: 0...4_102_444_799, using: &generator)
            XCTAssertEqual(
                FeedDate.rfc822(seconds), formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds))), "\(seconds)")
        }
    }

    func testEveryFileNameLinksToItself() {
        XCTAssertEqual(SiteLayout.urlPath("tracks/daily-lower-back.mp3"), "tracks/daily-lower-back.mp3")
        XCTAssertEqual(SiteLayout.urlPath("tracks/my routine #2?.html"), "tracks/my%20routine%20%232%3F.html")
        XCTAssertEqual(SiteLayout.urlPath("tracks/café & co.mp3"), "tracks/caf%C3%A9%20%26%20co.mp3")
        XCTAssertEqual(
            SiteLayout.urlPath("tracks/" + PathBytes.string(fromBytes: [0x63, 0x61, 0x66, 0xE9]) + ".mp3"), "tracks/caf%E9.mp3",
            "a name that is not UTF-8 keeps its byte")
        XCTAssertEqual(SiteLayout.urlPath("a%b\"<>"), "a%25b%22%3C%3E")
    }

    func testTheBaseURLIsAnHTTPFolderAddress() throws {
        XCTAssertNil(try SiteAddress(baseURL: nil).base)
        XCTAssertEqual(try SiteAddress(baseURL: "https://example.org/back/").base, "https://example.org/back/")
        XCTAssertEqual(try SiteAddress(baseURL: "https://example.org/back").base, "https://example.org/back/", "a path is a folder")
        XCTAssertEqual(try SiteAddress(baseURL: "http://192.168.1.20:8000").base, "http://192.168.1.20:8000/")
        XCTAssertEqual(
            try SiteAddress(baseURL: "https://example.org/back/").link("tracks/a.mp3?v=1"), "https://example.org/back/tracks/a.mp3?v=1")
        XCTAssertEqual(try SiteAddress(baseURL: nil).link("tracks/a.mp3"), "tracks/a.mp3")
        for bad in [
            "example.org/back/", "ftp://example.org/", "https:///back/", "https://example.org/?page=1", "https://example.org/#top",
            "https://user:secret@example.org/", "https://example.org/my back/", "https://exämple.org/", "file:///srv/site/", "",
        ] {
            XCTAssertThrowsError(try SiteAddress(baseURL: bad), bad) { error in
                XCTAssertEqual((error as? RenderError)?.exitStatus, .usage, bad)
            }
        }
    }

    func testASiteRecordCanOnlyNameFilesTheSiteWrites() {
        for good in [
            "index.html", "feed.xml", "sw.js", "app.webmanifest", "icon.svg", "tracks/a.html", "tracks/a b.mp3",
            "tracks/a.opus", "tracks/a.chapters.json",
        ] {
            XCTAssertTrue(SiteLayout.isSiteFile(good), good)
        }
        for bad in [
            "", "/etc/passwd", "../index.html", "tracks/../../x.mp3", "tracks/.cadence-manifest.json", "tracks/.x.mp3",
            "tracks/a.yaml", "tracks/sub/a.mp3", "routines/a.mp3", "tracks/", ".cadence-site.json", "tracks/a.wav",
        ] {
            XCTAssertFalse(SiteLayout.isSiteFile(bad), bad)
        }
    }

    // MARK: Chapters, sizes, options

    func testChaptersStartWhereTheStepsDoToTheMillisecond() throws {
        XCTAssertEqual(PodcastChapters.seconds(0), "0")
        XCTAssertEqual(PodcastChapters.seconds(40_500_000), "40.5")
        XCTAssertEqual(PodcastChapters.seconds(1_234_567), "1.235")
        XCTAssertEqual(PodcastChapters.seconds(59_999_600), "60")
        let timeline = try schedule(PlayerFixtures.everyKind, rate: 48_000)
        let json = PodcastChapters.json(timeline)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(object["version"] as? String, "1.2.0")
        let chapters = try XCTUnwrap(object["chapters"] as? [[String: Any]])
        XCTAssertEqual(chapters.map { $0["title"] as? String }, timeline.steps.map(\.name))
        XCTAssertEqual(chapters.map { ($0["startTime"] as? NSNumber)?.doubleValue }, timeline.steps.map { Double($0.start) / 48_000 })
    }

    func testSizesAreShortForPeople() {
        XCTAssertEqual(SiteEntry.size(120), "1 kB")
        XCTAssertEqual(SiteEntry.size(820_400), "820 kB")
        XCTAssertEqual(SiteEntry.size(1_610_298), "1.6 MB")
        XCTAssertEqual(SiteEntry.size(9_960_000), "10 MB")
        XCTAssertEqual(SiteEntry.size(12_345_678), "12 MB")
    }

    func testASitesTracksAreThePlayersMP3AndOpusBesideIt() throws {
        let plain = RenderOptions(format: .mp3, sampleRate: 44_100, channels: 2)
        var (mp3, opus) = SiteSettings.trackOptions(from: plain, channels: nil, sampleRate: nil, opus: true)
        XCTAssertEqual(mp3.format, .mp3)
        XCTAssertEqual(mp3.channels, 1, "mono unless there is music")
        XCTAssertEqual(mp3.sampleRate, 44_100)
        XCTAssertEqual(opus?.format, .opus)
        XCTAssertEqual(opus?.sampleRate, 48_000, "Opus cannot store 44.1 kHz")
        XCTAssertEqual(opus?.channels, 1)
        (mp3, opus) = SiteSettings.trackOptions(
            from: RenderOptions(format: .mp3, music: ["m.flac"]), channels: nil, sampleRate: 24_000, opus: true)
        XCTAssertEqual(mp3.channels, 2, "music stays stereo")
        XCTAssertEqual(mp3.sampleRate, 24_000)
        XCTAssertEqual(opus?.sampleRate, 24_000, "an Opus rate is kept")
        (mp3, opus) = SiteSettings.trackOptions(from: plain, channels: 2, sampleRate: nil, opus: false)
        XCTAssertEqual(mp3.channels, 2, "--channels when given")
        XCTAssertNil(opus)
    }

    // MARK: The site's player page

    private func sitePage(_ yaml: String = PlayerFixtures.everyKind, opus: Bool = true) throws -> (Timeline, String) {
        let timeline = try schedule(yaml, rate: 44_100)
        var tracks = [SiteEntry.Track(format: .mp3, path: "tracks/every kind.mp3", size: 1_610_298, version: "0123456789abcdef")]
        if opus {
            tracks.append(SiteEntry.Track(format: .opus, path: "tracks/every kind.opus", size: 820_400, version: "fedcba9876543210"))
        }
        let links = SitePageLinks(siteTitle: "Back <care> & more", tracks: tracks)
        return (timeline, PlayerPage.html(timeline: timeline, audio: .site(links)))
    }

    func testASitePageLinksItsTrackAndTheSiteButFetchesNothingElse() throws {
        let (_, html) = try sitePage()
        let tags = try TagScanner.scan(html)
        let csp = try XCTUnwrap(tags.first { $0.attributes["http-equiv"] == "Content-Security-Policy" }?.attributes["content"])
        XCTAssertEqual(csp, PlayerPage.siteContentSecurityPolicy)
        for directive in [
            "default-src 'none'", "media-src 'self'", "img-src 'self' data:", "script-src 'unsafe-inline'",
            "manifest-src 'self'", "worker-src 'self'", "base-uri 'none'", "form-action 'none'",
        ] {
            XCTAssertTrue(csp.contains(directive), "\(directive) in \(csp)")
        }
        XCTAssertFalse(csp.contains("http") || csp.contains("*") || csp.contains("connect-src"), csp)
        let audio = try XCTUnwrap(tags.first { $0.name == "audio" })
        XCTAssertEqual(audio.attributes["src"], "every%20kind.mp3?v=0123456789abcdef", "the MP3 beside the page, with its version")
        // Every link is relative and stays inside the site: the track files, the index, the icon, the feed.
        var links: [String] = []
        for tag in tags { for name in ["src", "href"] { if let value = tag.attributes[name] { links.append(value) } } }
        XCTAssertEqual(
            Set(links),
            [
                "../icon.svg", "../feed.xml", "../index.html", "every%20kind.mp3?v=0123456789abcdef",
                "every%20kind.opus?v=fedcba9876543210",
            ])
        XCTAssertTrue(html.contains(">MP3 · 1.6 MB</a>") && html.contains(">Opus · 820 kB</a>"), "the files to take along")
        XCTAssertTrue(
            html.contains("&#8592; Back &lt;care&gt; &amp; more</a>") || html.contains("\u{2190} Back &lt;care&gt; &amp; more</a>"))
        XCTAssertFalse(html.contains("base64,"))
        // The player's two scripts and the site's.
        let scripts = tags.filter { $0.name == "script" && !$0.closing }
        XCTAssertEqual(scripts.count, 3)
        XCTAssertTrue(scripts.allSatisfy { $0.attributes["src"] == nil })
        XCTAssertTrue(html.contains("register(root + \"sw.js\""))
        XCTAssertTrue(html.contains("var root = \"../\";"))
        // Elements open and close in balance.
        let void: Set<String> = ["meta", "link", "input", "path", "rect", "circle", "line"]
        var stack: [String] = []
        for tag in tags where !void.contains(tag.name) {
            if tag.closing { XCTAssertEqual(stack.popLast(), tag.name) } else { stack.append(tag.name) }
        }
        XCTAssertEqual(stack, [])
    }

    func testASitePageEscapesRoutineText() throws {
        let (timeline, html) = try sitePage(HostileMarkup.routine, opus: false)
        for text in HostileMarkup.dangerous { XCTAssertFalse(html.contains(text), text) }
        XCTAssertEqual(TagScanner.content(of: "title", in: html).map(unescapeMarkup), timeline.title)
    }

    func testTheEmbeddedPlayerPageIsUnchanged() throws {
        // A site's changes to the page come only with a site: the page of `render --html` has none of them.
        let timeline = try schedule(PlayerFixtures.everyKind, rate: 44_100)
        let html = PlayerPage.html(timeline: timeline, audio: [1, 2, 3], audioMimeType: "audio/mpeg")
        for text in ["site-nav", "sw.js", "../", "manifest", "Take it with you", SitePageLinks.css] {
            XCTAssertFalse(html.contains(text), text)
        }
        XCTAssertTrue(html.contains("<link rel=\"icon\" href=\"data:,\">"))
    }
}
