import Foundation
import XCTest

/// `cadence site ROUTINES --out-dir SITE` (README "Library site", commands.md `site`): an index, a
/// player page, an MP3 and chapters per routine, and a podcast feed; kept up to date like a batch
/// (nothing changed, nothing rendered and not a byte written), each feed item keeping its GUID
/// across edits, a bad routine left out while the others are published. Tracks are rendered at
/// 8000 Hz to keep the suite quick.
final class SiteCommandTests: XCTestCase {
    static let names = ["alpha", "bravo", "charlie"]

    private var folder: URL!
    private var routines: URL { folder.appendingPathComponent("routines") }
    private var site: URL { folder.appendingPathComponent("site") }
    private var feed: URL { site.appendingPathComponent("feed.xml") }

    override func setUpWithError() throws {
        folder = try BatchCLI.makeBatchFolder(Self.names, for: self)
    }

    private func siteFiles(_ names: [String], opus: Bool = false) -> [String] {
        var files = [
            ".cadence-site.json", "app.webmanifest", "feed.xml", "icon.svg", "index.html", "sw.js", "tracks/.cadence-manifest.json",
        ]
        for name in names {
            files += ["tracks/\(name).chapters.json", "tracks/\(name).html", "tracks/\(name).mp3"] + (opus ? ["tracks/\(name).opus"] : [])
        }
        return files.sorted()
    }

    private func index() throws -> String { try SiteCLI.text(site.appendingPathComponent("index.html")) }

    // MARK: What a site holds

    func testASiteHasAPageATrackAndChaptersPerRoutineAnIndexAndAFeed() throws {
        try RenderCLI.requireFFmpeg()
        let result = try SiteCLI.site(["--base-url", SiteCLI.baseURL, "--title", "Back & hips"], in: folder)
        XCTAssertEqual(BatchCLI.summary(result), "rendered 3, up to date 0, failed 0", result.stderr)
        XCTAssertTrue(result.stderr.contains("site: 3 sessions; wrote 11 files, 0 unchanged"), result.stderr)
        XCTAssertFalse(result.stderr.contains("warning"), "a base URL was given:\n\(result.stderr)")
        XCTAssertEqual(SiteCLI.files(site), siteFiles(Self.names))

        let record = try SiteCLI.record(in: site)
        let feedRead = try SiteCLI.readFeed(feed)
        XCTAssertEqual(feedRead.channel["title"] as? String, "Back & hips")
        XCTAssertEqual(feedRead.channel["link"] as? String, SiteCLI.baseURL + "index.html")
        XCTAssertEqual(feedRead.channel["self"] as? String, SiteCLI.baseURL + "feed.xml")
        XCTAssertEqual(feedRead.items.count, 3)
        for (position, name) in Self.names.enumerated() {
            let yaml = BatchCLI.routine("Routine \(name)", seconds: 2 + position)
            let timeline = try RenderCLI.timeline(yaml, rate: 8000)
            let track = site.appendingPathComponent("tracks/\(name).mp3")
            // The track is an MP3 of the session, mono (no music), at the asked rate.
            let stream = try XCTUnwrap((try RenderCLI.probe(track, ["-show_streams"])["streams"] as? [[String: Any]])?.first)
            XCTAssertEqual(stream["codec_name"] as? String, "mp3", name)
            XCTAssertEqual(stream["channels"] as? Int, 1, name)
            XCTAssertEqual(stream["sample_rate"] as? String, "8000", name)
            let decoded = try RenderCLI.decode(track)
            XCTAssertEqual(Double(decoded.count) / 8000, Double(timeline.totalSamples) / 8000, accuracy: 0.06, name)

            // Its feed item: the record's GUID, the track's URL with its version, length and duration.
            let guid = try XCTUnwrap(record["\(name).yaml"]?.guid, "no GUID for \(name)")
            XCTAssertNotNil(UUID(uuidString: guid), "a GUID is a UUID: \(guid)")
            let item = try XCTUnwrap(feedRead.item(guid: guid), "no item for \(name)")
            XCTAssertEqual(item["title"] as? String, "Routine \(name)")
            let url = try XCTUnwrap(item["url"] as? String)
            XCTAssertTrue(url.hasPrefix(SiteCLI.baseURL + "tracks/\(name).mp3?v="), url)
            XCTAssertEqual(item["length"] as? Int, try RenderCLI.bytes(track).count, "the enclosure's length is the file's")
            XCTAssertEqual(item["duration"] as? Int, Int((Double(timeline.totalSamples) / 8000).rounded()))
            XCTAssertEqual(item["published"] as? Int, 1_800_000_000 - position, "one run's tracks are dated a second apart, in name order")
            XCTAssertEqual(item["chapters"] as? String, SiteCLI.baseURL + "tracks/\(name).chapters.json")
            XCTAssertEqual(item["link"] as? String, SiteCLI.baseURL + "tracks/\(name).html")
            XCTAssertTrue((item["description"] as? String ?? "").hasSuffix("· 2 steps · normal level"), "\(item)")

            // Its chapters: one per step, where the step starts.
            let chapters = try jsonObject(SiteCLI.text(site.appendingPathComponent("tracks/\(name).chapters.json")))
            XCTAssertEqual(chapters["version"] as? String, "1.2.0")
            let list = try XCTUnwrap(chapters["chapters"] as? [[String: Any]])
            XCTAssertEqual(list.map { $0["title"] as? String }, timeline.steps.map(\.name))
            for (chapter, step) in zip(list, timeline.steps) {
                let start = (chapter["startTime"] as? Double) ?? Double(chapter["startTime"] as? Int ?? -1)
                XCTAssertEqual(start, Double(step.start) / 8000, accuracy: 0.0005)
            }

            // Its page plays the track beside it, with the same version, and links back to the index.
            let page = try SiteCLI.text(site.appendingPathComponent("tracks/\(name).html"))
            let version = String(url[url.range(of: "?v=")!.upperBound...])
            XCTAssertTrue(page.contains("<audio id=\"audio\" controls preload=\"auto\" src=\"\(name).mp3?v=\(version)\">"), name)
            XCTAssertTrue(page.contains("href=\"../index.html\""), name)
            XCTAssertFalse(page.contains("base64,"), "a site's page links its audio instead of embedding it")
            XCTAssertTrue(page.contains("\"sample_rate\": 8000"), "the page's timeline is the track's")
            // The index lists it with its length, steps, level and a link to its page.
            let entry = try index()
            XCTAssertTrue(entry.contains("<a href=\"tracks/\(name).html\">Routine \(name)</a>"), name)
            XCTAssertTrue(
                entry.contains("\(minutesAndSeconds(samples: Int(timeline.totalSamples), rate: 8000)) · 2 steps · normal level"), name)
        }
        XCTAssertTrue(try index().contains("3 sessions · "), "the index counts the sessions")
    }

    func testASecondRunRendersNothingAndWritesNothing() throws {
        try SiteCLI.site(["--base-url", SiteCLI.baseURL], in: folder)
        let before = SiteCLI.states(site)
        let second = try SiteCLI.site(["--base-url", SiteCLI.baseURL], in: folder, epoch: 1_900_000_000)
        XCTAssertEqual(BatchCLI.summary(second), "rendered 0, up to date 3, failed 0", second.stderr)
        XCTAssertTrue(second.stderr.contains("site: 3 sessions; wrote 0 files, 11 unchanged"), second.stderr)
        let after = SiteCLI.states(site)
        XCTAssertEqual(after.keys.sorted(), before.keys.sorted())
        for (path, state) in before { XCTAssertEqual(after[path], state, "\(path) was touched by a run with nothing to do") }
        // --force renders every track again, to the same bytes: the feed's dates stay.
        let forced = try SiteCLI.site(["--base-url", SiteCLI.baseURL, "--force"], in: folder, epoch: 1_950_000_000)
        XCTAssertEqual(BatchCLI.summary(forced), "rendered 3, up to date 0, failed 0", forced.stderr)
        for path in ["feed.xml", "index.html", ".cadence-site.json"] + Self.names.map({ "tracks/\($0).html" }) {
            XCTAssertEqual(SiteCLI.states(site)[path], before[path], "\(path) changed though no track's content did")
        }
    }

    func testEditingOneRoutineRendersOneTrackAndEveryItemKeepsItsGUID() throws {
        try SiteCLI.site(["--base-url", SiteCLI.baseURL], in: folder)
        let firstRecord = try SiteCLI.record(in: site)
        let firstFeed = try SiteCLI.readFeed(feed)
        let before = SiteCLI.states(site)

        try write(BatchCLI.routine("Routine charlie, longer", seconds: 7), to: "charlie.yaml", in: routines)
        let second = try SiteCLI.site(["--base-url", SiteCLI.baseURL], in: folder, epoch: 1_800_086_400)
        XCTAssertEqual(BatchCLI.summary(second), "rendered 1, up to date 2, failed 0", second.stderr)
        XCTAssertEqual(BatchCLI.routines("rendered", in: second), ["routines/charlie.yaml"])
        let record = try SiteCLI.record(in: site)
        let feedRead = try SiteCLI.readFeed(feed)
        XCTAssertEqual(Set(feedRead.guids), Set(firstFeed.guids), "every item keeps its GUID, the edited one too")
        for name in Self.names {
            XCTAssertEqual(record["\(name).yaml"]?.guid, firstRecord["\(name).yaml"]?.guid, name)
        }
        let charlie = try XCTUnwrap(feedRead.item(guid: firstRecord["charlie.yaml"]!.guid))
        let oldCharlie = try XCTUnwrap(firstFeed.item(guid: firstRecord["charlie.yaml"]!.guid))
        XCTAssertEqual(charlie["title"] as? String, "Routine charlie, longer")
        XCTAssertEqual(charlie["published"] as? Int, 1_800_086_400 - 2, "the re-rendered track has a new date")
        XCTAssertNotEqual(charlie["url"] as? String, oldCharlie["url"] as? String, "and a new URL, so apps fetch it")
        XCTAssertEqual(charlie["length"] as? Int, try RenderCLI.bytes(site.appendingPathComponent("tracks/charlie.mp3")).count)
        XCTAssertGreaterThan(charlie["duration"] as? Int ?? 0, oldCharlie["duration"] as? Int ?? 0)
        XCTAssertEqual(feedRead.items.first?["guid"] as? String, firstRecord["charlie.yaml"]?.guid, "the newest item comes first")
        for name in ["alpha", "bravo"] {
            let item = try XCTUnwrap(feedRead.item(guid: firstRecord["\(name).yaml"]!.guid))
            let old = try XCTUnwrap(firstFeed.item(guid: firstRecord["\(name).yaml"]!.guid))
            XCTAssertEqual(item["published"] as? Int, old["published"] as? Int, "\(name) keeps its date")
            XCTAssertEqual(item["url"] as? String, old["url"] as? String, name)
        }
        // Only what changed was written: charlie's files, the index and the feed.
        let after = SiteCLI.states(site)
        let changed = before.keys.filter { after[$0] != before[$0] }.sorted()
        XCTAssertEqual(
            changed,
            [
                ".cadence-site.json", "feed.xml", "index.html", "tracks/.cadence-manifest.json",
                "tracks/charlie.chapters.json", "tracks/charlie.html", "tracks/charlie.mp3",
            ])
    }

    func testARemovedRoutineLeavesTheFeedAndItsFilesGoButItsGUIDComesBackWithIt() throws {
        try SiteCLI.site(["--base-url", SiteCLI.baseURL], in: folder)
        let guid = try XCTUnwrap(try SiteCLI.record(in: site)["bravo.yaml"]?.guid)
        let kept = try moveAway("bravo.yaml")

        let second = try SiteCLI.site(["--base-url", SiteCLI.baseURL], in: folder)
        XCTAssertTrue(second.stderr.contains("removed 3"), second.stderr)
        XCTAssertEqual(SiteCLI.files(site), siteFiles(["alpha", "charlie"]))
        let feedRead = try SiteCLI.readFeed(feed)
        XCTAssertEqual(feedRead.items.count, 2)
        XCTAssertNil(feedRead.item(guid: guid), "a removed routine's item disappears")
        XCTAssertFalse(try index().contains("bravo"))

        try FileManager.default.moveItem(at: kept, to: routines.appendingPathComponent("bravo.yaml"))
        try SiteCLI.site(["--base-url", SiteCLI.baseURL], in: folder)
        XCTAssertEqual(try SiteCLI.record(in: site)["bravo.yaml"]?.guid, guid, "a GUID is made once per routine file name")
        XCTAssertNotNil(try SiteCLI.readFeed(feed).item(guid: guid))
        XCTAssertEqual(SiteCLI.files(site), siteFiles(Self.names))
    }

    /// Moves a routine out of the routines folder; returns where it went.
    private func moveAway(_ name: String) throws -> URL {
        let away = folder.appendingPathComponent("away-" + name)
        try FileManager.default.moveItem(at: routines.appendingPathComponent(name), to: away)
        return away
    }

    func testABadRoutineIsReportedAndLeftOutWhileTheOthersArePublished() throws {
        try write(BatchCLI.brokenRoutine, to: "broken.yaml", in: routines)
        let first = try SiteCLI.site(["--base-url", SiteCLI.baseURL], in: folder, code: 65)
        XCTAssertTrue(first.stderr.contains("routines/broken.yaml:\(BatchCLI.brokenPosition): error:"), first.stderr)
        XCTAssertEqual(BatchCLI.summary(first), "rendered 3, up to date 0, failed 1", first.stderr)
        XCTAssertEqual(SiteCLI.files(site), siteFiles(Self.names))
        XCTAssertEqual(try SiteCLI.readFeed(feed).items.count, 3)
        XCTAssertFalse(try index().contains("Broken"))

        // A published routine broken by an edit leaves the index and the feed; its files stay, and
        // it comes back with its GUID once mended.
        let guid = try XCTUnwrap(try SiteCLI.record(in: site)["alpha.yaml"]?.guid)
        let good = try SiteCLI.text(routines.appendingPathComponent("alpha.yaml"))
        try write(good.replacingOccurrences(of: "hold: 2s", with: "hodl: 2s"), to: "alpha.yaml", in: routines)
        let second = try SiteCLI.site(["--base-url", SiteCLI.baseURL], in: folder, code: 65)
        XCTAssertTrue(second.stderr.contains("routines/alpha.yaml:"), second.stderr)
        XCTAssertEqual(SiteCLI.files(site), siteFiles(Self.names), "the broken routine's files are kept")
        let feedRead = try SiteCLI.readFeed(feed)
        XCTAssertEqual(feedRead.items.count, 2)
        XCTAssertNil(feedRead.item(guid: guid))
        XCTAssertFalse(try index().contains("tracks/alpha.html"))

        try write(good, to: "alpha.yaml", in: routines)
        try FileManager.default.removeItem(at: routines.appendingPathComponent("broken.yaml"))
        let third = try SiteCLI.site(["--base-url", SiteCLI.baseURL], in: folder)
        XCTAssertEqual(BatchCLI.summary(third), "rendered 0, up to date 3, failed 0", "the mended routine's track was never replaced")
        XCTAssertNotNil(try SiteCLI.readFeed(feed).item(guid: guid))
        XCTAssertTrue(try index().contains("tracks/alpha.html"))
    }

    func testWithOpusEveryTrackIsAlsoAnOpusFileOfferedBesideTheMP3() throws {
        try RenderCLI.requireFFmpeg()
        try SiteCLI.site(["--base-url", SiteCLI.baseURL, "--opus"], in: folder)
        XCTAssertEqual(SiteCLI.files(site), siteFiles(Self.names, opus: true))
        let feedRead = try SiteCLI.readFeed(feed)
        for (position, name) in Self.names.enumerated() {
            let opus = site.appendingPathComponent("tracks/\(name).opus")
            let stream = try XCTUnwrap((try RenderCLI.probe(opus, ["-show_streams"])["streams"] as? [[String: Any]])?.first)
            XCTAssertEqual(stream["codec_name"] as? String, "opus", name)
            XCTAssertEqual(stream["channels"] as? Int, 1, name)
            let timeline = try RenderCLI.timeline(BatchCLI.routine("Routine \(name)", seconds: 2 + position), rate: 8000)
            XCTAssertEqual(
                Double(try RenderCLI.decode(opus).count) / 48_000, Double(timeline.totalSamples) / 8000, accuracy: 0.06,
                "\(name): Opus at 48 kHz, as long as the session")
            let item = try XCTUnwrap(feedRead.item(title: "Routine \(name)"))
            let alternates = try XCTUnwrap(item["alternates"] as? [[String: Any]])
            XCTAssertEqual(alternates.count, 1)
            XCTAssertEqual(alternates.first?["type"] as? String, "audio/opus")
            XCTAssertEqual(alternates.first?["length"] as? Int, try RenderCLI.bytes(opus).count)
            XCTAssertTrue((alternates.first?["url"] as? String ?? "").hasPrefix(SiteCLI.baseURL + "tracks/\(name).opus?v="))
            let page = try SiteCLI.text(site.appendingPathComponent("tracks/\(name).html"))
            XCTAssertTrue(page.contains("href=\"\(name).opus?v="), "the page offers the Opus file")
        }
        XCTAssertTrue(try index().contains(">Opus · "))
        // Without --opus again, the Opus files go.
        let second = try SiteCLI.site(["--base-url", SiteCLI.baseURL], in: folder)
        XCTAssertEqual(BatchCLI.summary(second), "rendered 0, up to date 3, failed 0", second.stderr)
        XCTAssertEqual(SiteCLI.files(site), siteFiles(Self.names))
        XCTAssertFalse(try SiteCLI.text(feed).contains("alternateEnclosure"))
    }

    func testWithoutABaseURLTheLinksAreRelativeAndAWarningSaysPodcastAppsNeedOne() throws {
        let result = try SiteCLI.site([], in: folder)
        XCTAssertTrue(result.stderr.contains("site/feed.xml: warning: without --base-url"), result.stderr)
        XCTAssertTrue(result.stderr.contains("--base-url https://"), result.stderr)
        let feedRead = try SiteCLI.readFeed(feed, strict: true)
        XCTAssertEqual(feedRead.channel["link"] as? String, "index.html")
        XCTAssertNil(feedRead.channel["self"] as? String, "no self link without an address")
        for item in feedRead.items {
            XCTAssertTrue((item["url"] as? String ?? "").hasPrefix("tracks/"), "\(item)")
            XCTAssertTrue((item["chapters"] as? String ?? "").hasPrefix("tracks/"), "\(item)")
        }
        XCTAssertTrue(try index().contains("--base-url"), "the index says so too")
        // -q keeps the progress quiet, not the warning.
        let quiet = try SiteCLI.site(["-q"], in: folder)
        XCTAssertEqual(quiet.stderrLines.count, 1, quiet.stderr)
        XCTAssertTrue(quiet.stderr.contains("warning: without --base-url"), quiet.stderr)
    }

    func testTheFeedReadsTheSameWithoutFeedparser() throws {
        try SiteCLI.site(["--base-url", SiteCLI.baseURL], in: folder)
        let strict = try SiteCLI.readFeed(feed, strict: true)
        XCTAssertEqual(strict.parser, "xml")
        XCTAssertEqual(strict.items.count, 3)
        guard SiteCLI.hasFeedparser else { return }
        let parsed = try SiteCLI.readFeed(feed)
        XCTAssertEqual(parsed.parser, "feedparser")
        XCTAssertEqual(parsed.guids, strict.guids)
    }

    func testRoutineTextIsEscapedInTheIndexTheFeedAndTheChapters() throws {
        let title = #"<script>alert(1)</script> & "Q" 'S' ]]>"#
        try write(
            """
            title: '<script>alert(1)</script> & "Q" ''S'' ]]>'
            about: "<b>bold</b> & </script>"
            defaults: {lead_in: 1s, transition: 1s, tail: 1s}
            steps:
              - name: '<img src=x onerror=alert(2)> & co'
                hold: 1s

            """, to: "markup.yaml", in: routines)
        try SiteCLI.site(["--base-url", SiteCLI.baseURL, "--title", "<i>Mine</i> & yours"], in: folder)
        let html = try index()
        for raw in ["<script>alert", "<b>bold", "<img src=x", "<i>Mine"] { XCTAssertFalse(html.contains(raw), raw) }
        XCTAssertTrue(html.contains("&lt;i&gt;Mine&lt;/i&gt; &amp; yours"))
        let feedRead = try SiteCLI.readFeed(feed)
        XCTAssertEqual(feedRead.channel["title"] as? String, "<i>Mine</i> & yours")
        let description = try XCTUnwrap(feedRead.item(title: title)?["description"] as? String)
        XCTAssertTrue(
            description.hasPrefix("<b>bold</b> & </script>\n\n0:0") && description.hasSuffix(" · 1 step · normal level"), description)
        let chapters = try jsonObject(SiteCLI.text(site.appendingPathComponent("tracks/markup.chapters.json")))
        XCTAssertEqual((chapters["chapters"] as? [[String: Any]])?.first?["title"] as? String, "<img src=x onerror=alert(2)> & co")
        XCTAssertFalse(try SiteCLI.text(site.appendingPathComponent("tracks/markup.chapters.json")).contains("<img"))
    }

    func testTheSiteMayBeInsideTheRoutinesFolder() throws {
        let args = ["site", "routines", "--out-dir", "routines/site"] + SiteCLI.rate
        let first = try SiteCLI.run(args, in: folder)
        XCTAssertEqual(first.code, 0, first.stderr)
        XCTAssertEqual(BatchCLI.summary(first), "rendered 3, up to date 0, failed 0")
        let second = try SiteCLI.run(args, in: folder)
        XCTAssertEqual(BatchCLI.summary(second), "rendered 0, up to date 3, failed 0", second.stderr)
        XCTAssertTrue(second.stderr.contains("wrote 0 files"), second.stderr)
    }

    // MARK: Errors

    func testAFolderWithoutRoutinesOrNoFolderIs66() throws {
        let empty = folder.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        for (source, words) in [
            ("empty", "no .yaml or .yml routines"), ("missing", "no such folder"),
            ("routines/alpha.yaml", "is not a folder"),
        ] {
            let result = try SiteCLI.run(["site", source, "--out-dir", "site"], in: folder)
            XCTAssertEqual(result.code, 66, "\(source): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("\(source): error:") && result.stderr.contains(words), result.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: site.path), "\(source): nothing is written")
        }
    }

    func testOptionsThatDoNotFitASiteAre64() throws {
        let cases: [([String], String)] = [
            (["--format", "wav"], "Unknown option '--format'"), (["--bit-depth", "24"], "--bit-depth 24"),
            (["--base-url", "ftp://example.org/"], "--base-url"), (["--base-url", "https:///back/"], "--base-url"),
            (["--base-url", "https://example.org/back/?x=1"], "--base-url"), (["--base-url", "example.org/back"], "--base-url"),
            (["--sample-rate", "96000"], "96000"), (["--music", "site/tracks/alpha.mp3"], "is the music file"),
            (["--title", " ... "], "--title"),
        ]
        try SiteCLI.site([], in: folder)
        let before = SiteCLI.states(site)
        for (extra, words) in cases {
            let result = try SiteCLI.run(["site", "routines", "--out-dir", "site"] + extra, in: folder)
            XCTAssertEqual(result.code, 64, "\(extra): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(words), "\(extra): \(result.stderr)")
        }
        XCTAssertEqual(SiteCLI.states(site), before, "a refused command writes nothing")
        let missing = try SiteCLI.run(["site", "routines"], in: folder)
        XCTAssertEqual(missing.code, 64, missing.stderr)
        XCTAssertTrue(missing.stderr.contains("--out-dir"), missing.stderr)
        try write(BatchCLI.routine("Twin"), to: "alpha.yml", in: routines)
        let twins = try SiteCLI.run(["site", "routines", "--out-dir", "site"], in: folder)
        XCTAssertEqual(twins.code, 64, twins.stderr)
        XCTAssertTrue(twins.stderr.contains("alpha.yaml") && twins.stderr.contains("alpha.yml"), twins.stderr)
    }

    func testADamagedSiteRecordStopsTheRunInsteadOfGivingNewGUIDs() throws {
        try SiteCLI.site([], in: folder)
        try write("{ not json", to: SiteCLI.recordName, in: site)
        try write(BatchCLI.routine("Routine alpha, edited"), to: "alpha.yaml", in: routines)
        let before = SiteCLI.states(site)
        let result = try SiteCLI.run(["site", "routines", "--out-dir", "site"] + SiteCLI.rate, in: folder)
        XCTAssertEqual(result.code, 66, result.stderr)
        XCTAssertTrue(result.stderr.contains("site/.cadence-site.json: error:") && result.stderr.contains("GUID"), result.stderr)
        XCTAssertEqual(SiteCLI.states(site), before, "nothing is rendered or written")
    }
}
