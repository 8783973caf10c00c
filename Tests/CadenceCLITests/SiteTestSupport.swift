import CadenceTestSupport
import Foundation
import XCTest

// Helpers for the library site tests (`cadence site`): running it at a given publication time,
// reading what it wrote (the site record, the feed through a Python check, every file's state),
// and a local web server for the browser tests.

enum SiteCLI {
    static let recordName = ".cadence-site.json"
    static let baseURL = "https://example.org/back/"
    /// Every site test renders at this rate (an MP3 rate), so tracks are small and quick.
    static let rate = ["--sample-rate", "8000"]

    /// Runs `cadence ARGS` in `folder` with `SOURCE_DATE_EPOCH=epoch` (the publication time of
    /// what this run renders).
    static func run(
        _ args: [String], in folder: URL, epoch: Int = 1_800_000_000,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> CommandResult {
        try ProcessRunner.run(
            "/usr/bin/env", ["SOURCE_DATE_EPOCH=\(epoch)", try RenderCLI.cadencePath(file: file, line: line)] + args,
            in: folder, file: file, line: line)
    }

    /// `cadence site routines --out-dir site --sample-rate 8000 EXTRA`, asserting its exit code.
    @discardableResult
    static func site(
        _ extra: [String] = [], in folder: URL, epoch: Int = 1_800_000_000, code: Int32 = 0,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> CommandResult {
        let args = ["site", "routines", "--out-dir", "site"] + rate + extra
        let result = try run(args, in: folder, epoch: epoch, file: file, line: line)
        XCTAssertEqual(result.code, code, "cadence \(args.joined(separator: " ")):\n\(result.stderr)", file: file, line: line)
        return result
    }

    /// The site record's items: routine file name -> (guid, published).
    static func record(in site: URL, file: StaticString = #filePath, line: UInt = #line) throws -> [String: (guid: String, published: Int)]
    {
        let object = try jsonObject(String(contentsOf: site.appendingPathComponent(recordName), encoding: .utf8), file: file, line: line)
        let items = try XCTUnwrap(object["items"] as? [String: [String: Any]], "the record has no items", file: file, line: line)
        return items.compactMapValues { item in
            guard let guid = item["guid"] as? String, let published = item["published"] as? Int else { return nil }
            return (guid, published)
        }
    }

    /// Every file under `folder` (relative paths, hidden ones too) with its state.
    static func states(_ folder: URL) -> [String: TrackState] {
        var states: [String: TrackState] = [:]
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            let relative = String(url.resolvingSymlinksInPath().path.dropFirst(folder.resolvingSymlinksInPath().path.count + 1))
            states[relative] = TrackState(url)
        }
        return states
    }

    /// The files under `folder`, relative, sorted.
    static func files(_ folder: URL) -> [String] { states(folder).keys.sorted() }

    static func text(_ url: URL) throws -> String { try String(contentsOf: url, encoding: .utf8) }

    // MARK: The feed, as a podcast app reads it

    /// What the Python check found in a feed.
    struct Feed {
        var parser: String
        var problems: [String]
        var channel: [String: Any]
        var items: [[String: Any]]

        func item(guid: String) -> [String: Any]? { items.first { $0["guid"] as? String == guid } }
        func item(title: String) -> [String: Any]? { items.first { $0["title"] as? String == title } }
        var guids: [String] { items.compactMap { $0["guid"] as? String } }
    }

    /// Whether Python's feedparser can be imported here.
    static let hasFeedparser: Bool = {
        guard FileManager.default.isExecutableFile(atPath: python) else { return false }
        let result = try? ProcessRunner.run(python, ["-c", "import feedparser"], in: FileManager.default.temporaryDirectory)
        return result?.code == 0
    }()

    static let python: String = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for folder in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(folder)/python3") {
            return "\(folder)/python3"
        }
        return "/usr/bin/python3"
    }()

    static func requirePython() throws {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw XCTSkip("python3 is not installed; the feed is checked with it")
        }
    }

    /// Checks `feed` with feedparser (unless `strict`, or it is not installed) and with a strict XML
    /// reading of every element and attribute podcast apps need. Fails the test for any problem.
    static func readFeed(_ feed: URL, strict: Bool = false, file: StaticString = #filePath, line: UInt = #line) throws -> Feed {
        try requirePython()
        let script = feed.deletingLastPathComponent().appendingPathComponent(".feed-check-\(UUID().uuidString).py")
        try Data(feedCheck.utf8).write(to: script)
        defer { try? FileManager.default.removeItem(at: script) }
        let result = try ProcessRunner.run(
            python, [script.path, feed.path] + (strict ? ["--strict"] : []),
            in: feed.deletingLastPathComponent(), file: file, line: line)
        XCTAssertEqual(result.code, 0, "the feed check failed:\n\(result.stderr)", file: file, line: line)
        let object = try jsonObject(result.stdout, file: file, line: line)
        let read = Feed(
            parser: object["parser"] as? String ?? "?", problems: object["problems"] as? [String] ?? ["no problems list"],
            channel: object["channel"] as? [String: Any] ?? [:], items: object["items"] as? [[String: Any]] ?? [])
        XCTAssertEqual(read.problems, [], "the feed (read by \(read.parser)) has problems", file: file, line: line)
        return read
    }

    /// The feed check: strict XML (ElementTree) for the RSS 2.0, iTunes and Podcasting 2.0
    /// elements and attributes; then feedparser, when it can be imported and `--strict` is not given,
    /// must read the same items without complaint. Prints what it read as JSON.
    static let feedCheck = #"""
        import email.utils, json, sys
        import xml.etree.ElementTree as ET

        path = sys.argv[1]
        strict = '--strict' in sys.argv
        NS = {'itunes': 'http://www.itunes.com/dtds/podcast-1.0.dtd', 'podcast': 'https://podcastindex.org/namespace/1.0',
              'atom': 'http://www.w3.org/2005/Atom'}
        problems = []
        def need(condition, what):
            if not condition:
                problems.append(what)
            return condition

        raw = open(path, 'rb').read()
        need(raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>'), 'an XML declaration in UTF-8')
        root = ET.fromstring(raw)
        need(root.tag == 'rss' and root.get('version') == '2.0', 'the root is <rss version="2.0">')
        channels = root.findall('channel')
        need(len(channels) == 1, 'one <channel>')
        channel = channels[0]
        found = {'title': channel.findtext('title'), 'link': channel.findtext('link'),
                 'description': channel.findtext('description'), 'language': channel.findtext('language')}
        for key in ['title', 'link', 'description']:
            need((found[key] or '').strip() != '', 'the channel has a <%s>' % key)
        self_link = channel.find('atom:link', NS)
        found['self'] = self_link.get('href') if self_link is not None else None
        items = []
        for item in channel.findall('item'):
            title = item.findtext('title')
            need(title, 'an item has a <title>')
            guid = item.find('guid')
            need(guid is not None and (guid.text or '').strip() and guid.get('isPermaLink') == 'false',
                 'item %r has <guid isPermaLink="false">' % title)
            published = None
            try:
                published = int(email.utils.parsedate_to_datetime(item.findtext('pubDate')).timestamp())
            except Exception as error:
                problems.append('item %r: <pubDate> %r is not an RFC 822 date (%s)' % (title, item.findtext('pubDate'), error))
            enclosures = item.findall('enclosure')
            need(len(enclosures) == 1, 'item %r has one <enclosure>' % title)
            enclosure = enclosures[0] if enclosures else ET.Element('enclosure')
            length = enclosure.get('length') or ''
            need(enclosure.get('url') and length.isdigit() and int(length) > 0 and enclosure.get('type') == 'audio/mpeg',
                 'item %r: <enclosure> has url, length and type audio/mpeg' % title)
            duration = item.findtext('itunes:duration', namespaces=NS) or ''
            need(duration.isdigit(), 'item %r: <itunes:duration> in seconds' % title)
            chapters = item.find('podcast:chapters', NS)
            need(chapters is not None and chapters.get('url') and chapters.get('type') == 'application/json+chapters',
                 'item %r: <podcast:chapters url type="application/json+chapters">' % title)
            alternates = []
            for alternate in item.findall('podcast:alternateEnclosure', NS):
                source = alternate.find('podcast:source', NS)
                alt_length = alternate.get('length') or ''
                need(alternate.get('type') and alt_length.isdigit() and source is not None and source.get('uri'),
                     'item %r: <podcast:alternateEnclosure type length><podcast:source uri>' % title)
                alternates.append({'type': alternate.get('type'), 'length': int(alt_length) if alt_length.isdigit() else None,
                                   'url': source.get('uri') if source is not None else None})
            items.append({'title': title, 'guid': guid.text if guid is not None else None, 'published': published,
                          'description': item.findtext('description'), 'link': item.findtext('link'),
                          'url': enclosure.get('url'), 'length': int(length) if length.isdigit() else None,
                          'type': enclosure.get('type'), 'duration': int(duration) if duration.isdigit() else None,
                          'chapters': chapters.get('url') if chapters is not None else None, 'alternates': alternates})

        parser = 'xml'
        if not strict:
            try:
                import feedparser
            except ImportError:
                feedparser = None
            if feedparser is not None:
                parser = 'feedparser'
                parsed = feedparser.parse(raw)
                need(not parsed.bozo, 'feedparser: %s' % parsed.get('bozo_exception'))
                need(parsed.version == 'rss20', 'feedparser reads RSS 2.0, not %r' % parsed.version)
                need(parsed.feed.get('title') == found['title'], 'feedparser: the channel title')
                need(len(parsed.entries) == len(items), 'feedparser reads %d items, not %d' % (len(parsed.entries), len(items)))
                for entry, item in zip(parsed.entries, items):
                    need(entry.get('id') == item['guid'] and entry.get('guidislink') is False, 'feedparser: the guid of %r' % item['title'])
                    need(entry.get('title') == item['title'], 'feedparser: the title of %r' % item['title'])
                    need(str(entry.get('itunes_duration')) == str(item['duration']), 'feedparser: the duration of %r' % item['title'])
                    enclosures = entry.get('enclosures') or []
                    need(len(enclosures) == 1 and enclosures[0].get('href') == item['url']
                         and str(enclosures[0].get('length')) == str(item['length']) and enclosures[0].get('type') == 'audio/mpeg',
                         'feedparser: the enclosure of %r' % item['title'])
                    need(entry.get('published_parsed') is not None, 'feedparser: the date of %r' % item['title'])
        print(json.dumps({'parser': parser, 'problems': problems, 'channel': found, 'items': items}))
        """#
}

/// Python's `http.server` serving a folder on the loopback interface, on a port the system picks;
/// stopped (by its process id) when `stop()` is called or it is released.
final class LocalWebServer {
    private let process: RunningProcess
    let port: Int
    var base: String { "http://127.0.0.1:\(port)/" }

    init(serving folder: URL, file: StaticString = #filePath, line: UInt = #line) throws {
        try SiteCLI.requirePython()
        process = try RunningProcess(SiteCLI.python, ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", folder.path])
        var found: Int?
        let deadline = Date().addingTimeInterval(10)
        while found == nil, Date() < deadline, process.isRunning {
            // "Serving HTTP on 127.0.0.1 port 41234 (http://127.0.0.1:41234/) ..."
            let text = process.stdout
            if let range = text.range(of: " port ") {
                found = Int(text[range.upperBound...].prefix { $0.isNumber })
            }
            if found == nil { usleep(20_000) }
        }
        guard let found else {
            let errors = process.stderr
            process.stop()
            throw XCTSkip("python3 -m http.server did not start: \(errors)")
        }
        port = found
    }

    var isRunning: Bool { process.isRunning }

    /// Ends the server: SIGTERM, then SIGKILL after 5 s.
    func stop() { process.stop() }
}
