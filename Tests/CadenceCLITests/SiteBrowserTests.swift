import CadenceTestSupport
import Foundation
import XCTest
#if canImport(Glibc)
    import Glibc
#endif

/// A library site (`cadence site`) in a real headless Chromium (the DevTools client of
/// PlayerBrowserTests.swift): served over http by Python's `http.server` on the loopback
/// interface, and opened from files. The index and every page, at 360x740 and 1440x900, log no
/// error, request nothing outside the site and fit; every page's audio plays and lasts as long as
/// its track; the screen is kept on while it plays; and over http the site works offline once
/// opened. Skipped without Chromium or python3; `CADENCE_SCREENSHOTS=DIR` keeps the screenshots.
final class SiteBrowserTests: XCTestCase {
    /// Three short sessions (in name order, as the index lists them): one with long names, one with an
    /// `about`, breaths and sides, one bare.
    static let routines: [(name: String, yaml: String)] = [
        (
            "long-names",
            """
            title: A routine whose title is long enough to wrap onto a second line on a phone
            about: One long hold, with a name that goes on and on.
            defaults: {lead_in: 1s, transition: 1s, tail: 1s}
            steps:
              - name: Supine hamstring stretch with a strap, one leg at a time, slowly
                hold: 3s

            """
        ),
        (
            "morning",
            """
            title: Morning mobility
            about: |
              Gentle moves to start the day.
              Breathe slowly.
            defaults: {lead_in: 2s, transition: 1s, countdown: 1, tail: 1s}
            steps:
              - name: Cat-cow
                breaths: 2
                inhale: 1s
                exhale: 1s
              - name: Hamstring stretch
                hold: 1.5s
                sides: each
                switch: 1s

            """
        ),
        (
            "quick",
            """
            title: Quick hold
            defaults: {lead_in: 1s, transition: 1s, tail: 1s}
            steps:
              - name: Child's pose
                hold: 2s

            """
        ),
    ]

    /// Records every screen wake lock the page takes (the real ones: headless Chromium grants them).
    static let wakeLockWatch = """
        (() => {
          window.__wakeLocks = [];
          if (!('wakeLock' in navigator) || typeof WakeLock === 'undefined') { return; }
          const request = WakeLock.prototype.request;
          WakeLock.prototype.request = function (type) {
            return request.call(this, type).then((lock) => { window.__wakeLocks.push(lock); return lock; });
          };
        })();
        """

    private var folder: URL!
    private var site: URL { folder.appendingPathComponent("site") }
    private var shots: URL?

    override func setUpWithError() throws {
        try SiteCLI.requirePython()
        try RenderCLI.requireFFmpeg()
        folder = try ScratchFolder(for: self).url
        let routines = folder.appendingPathComponent("routines")
        try FileManager.default.createDirectory(at: routines, withIntermediateDirectories: true)
        for routine in Self.routines { try write(routine.yaml, to: routine.name + ".yaml", in: routines) }
        let result = try SiteCLI.run(["site", "routines", "--out-dir", "site", "--title", "Back care", "-q"], in: folder)
        XCTAssertEqual(result.code, 0, result.stderr)
        shots = ProcessInfo.processInfo.environment["CADENCE_SCREENSHOTS"].map { URL(fileURLWithPath: $0) }
        if let shots { try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true) }
    }

    private func launch() throws -> HeadlessChromium {
        try HeadlessChromium.launch(profile: folder.appendingPathComponent("profile-\(UUID().uuidString)"))
    }

    /// The length of a track as ffprobe measures it, in seconds.
    private func trackDuration(_ name: String) throws -> Double {
        let format = try XCTUnwrap(
            try RenderCLI.probe(site.appendingPathComponent("tracks/\(name).mp3"), ["-show_format"])["format"] as? [String: Any])
        return try XCTUnwrap(Double(format["duration"] as? String ?? ""))
    }

    // MARK: Tests

    func testTheIndexAndEveryPageWorkOverHTTPAndFromFilesOnAPhoneAndADesktop() throws {
        let server = try LocalWebServer(serving: site)
        defer { server.stop() }
        let browser = try launch()
        defer { browser.shutDown() }
        let roots = [("http", URL(string: server.base)!), ("file", URL(fileURLWithPath: site.path + "/", isDirectory: true))]
        for (scheme, root) in roots {
            for (label, width, height, mobile) in [("phone", 360, 740, true), ("desktop", 1440, 900, false)] {
                let what = "\(scheme), \(label)"
                try checkIndex(browser, root: root, width: width, height: height, mobile: mobile, what: what)
                for routine in Self.routines {
                    try checkPage(
                        browser, routine.name, root: root, width: width, height: height, mobile: mobile, what: "\(what), \(routine.name)")
                }
            }
        }
    }

    /// The index: every session with its facts, links that stay in the site, a layout that fits.
    private func checkIndex(_ browser: HeadlessChromium, root: URL, width: Int, height: Int, mobile: Bool, what: String) throws {
        let url = root.appendingPathComponent("index.html")
        let tab = try browser.openTab(url, width: width, height: height, mobile: mobile)
        defer { tab.closeTarget() }
        let found = try XCTUnwrap(
            try tab.evaluate(
                """
                (() => {
                  const box = (node) => { const r = node.getBoundingClientRect(); return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height }; };
                  const sessions = Array.from(document.querySelectorAll('.session'));
                  return { title: document.title, heading: document.getElementById('title').textContent,
                    scrollWidth: document.documentElement.scrollWidth,
                    sessions: sessions.map((s) => ({ title: s.querySelector('h2').textContent, facts: s.querySelector('.facts').textContent,
                      about: s.querySelector('.about') ? s.querySelector('.about').textContent : null,
                      page: s.querySelector('a.play').href, box: box(s), play: box(s.querySelector('a.play')),
                      files: Array.from(s.querySelectorAll('a.file')).map((a) => a.href) })),
                    feed: document.getElementById('feed').href, feedText: document.getElementById('feed').textContent };
                })()
                """) as? [String: Any])
        XCTAssertEqual(found["title"] as? String, "Back care", what)
        XCTAssertLessThanOrEqual(
            found["scrollWidth"] as? Double ?? Double(found["scrollWidth"] as? Int ?? 99_999), Double(width),
            "\(what): the index scrolls sideways")
        let sessions = try XCTUnwrap(found["sessions"] as? [[String: Any]])
        XCTAssertEqual(
            sessions.map { $0["title"] as? String }, Self.routines.map { try? RenderCLI.timeline($0.yaml, rate: 44_100).title },
            what)
        for (session, routine) in zip(sessions, Self.routines) {
            let timeline = try RenderCLI.timeline(routine.yaml, rate: 44_100)
            let steps = timeline.steps.count == 1 ? "1 step" : "\(timeline.steps.count) steps"
            XCTAssertEqual(
                session["facts"] as? String,
                "\(minutesAndSeconds(samples: Int(timeline.totalSamples), rate: 44_100)) · \(steps) · normal level", what)
            XCTAssertEqual(session["about"] as? String, timeline.about.map { $0.hasSuffix("\n") ? String($0.dropLast()) : $0 }, what)
            XCTAssertEqual(session["page"] as? String, root.appendingPathComponent("tracks/\(routine.name).html").absoluteString, what)
            XCTAssertTrue((session["files"] as? [String] ?? []).allSatisfy { $0.hasPrefix(root.absoluteString) }, what)
            let box = (session["box"] as? [String: Any])?.compactMapValues { ($0 as? Double) ?? ($0 as? Int).map(Double.init) } ?? [:]
            XCTAssertGreaterThanOrEqual(box["left"] ?? -1, 0, "\(what): a session starts off screen")
            XCTAssertLessThanOrEqual(box["right"] ?? .infinity, Double(width), "\(what): a session ends off screen")
            let play = (session["play"] as? [String: Any])?.compactMapValues { ($0 as? Double) ?? ($0 as? Int).map(Double.init) } ?? [:]
            XCTAssertGreaterThanOrEqual(play["height"] ?? 0, 44, "\(what): the Play link is a large target")
        }
        let first = sessions.first?["box"] as? [String: Any], second = sessions.dropFirst().first?["box"] as? [String: Any]
        let firstTop = (first?["top"] as? Double) ?? Double(first?["top"] as? Int ?? 0)
        let secondTop = (second?["top"] as? Double) ?? Double(second?["top"] as? Int ?? 0)
        if mobile {
            XCTAssertGreaterThan(secondTop, firstTop, "\(what): one column on a phone")
        } else {
            XCTAssertEqual(secondTop, firstTop, accuracy: 1, "\(what): sessions side by side on a wide screen")
        }
        XCTAssertEqual(found["feed"] as? String, root.appendingPathComponent("feed.xml").absoluteString, what)
        XCTAssertEqual(
            found["feedText"] as? String, root.isFileURL ? "feed.xml" : root.appendingPathComponent("feed.xml").absoluteString,
            "\(what): over http the index shows the feed's full address")
        try screenshot(tab, "site-index-\(what.replacingOccurrences(of: ", ", with: "-"))")
        try tab.assertClean(pageURL: url, allowing: root.absoluteString)
    }

    /// A page: its audio is the track, plays, and keeps the screen on while it plays; the layout fits.
    private func checkPage(
        _ browser: HeadlessChromium, _ name: String, root: URL, width: Int, height: Int, mobile: Bool,
        what: String
    ) throws {
        let url = root.appendingPathComponent("tracks/\(name).html")
        let tab = try browser.openTab(url, width: width, height: height, mobile: mobile, prelude: Self.wakeLockWatch)
        defer { tab.closeTarget() }
        let duration = try Self.audioDuration(tab)
        let timeline = try RenderCLI.timeline(Self.routines.first { $0.name == name }!.yaml, rate: 44_100)
        XCTAssertEqual(duration, try trackDuration(name), accuracy: 0.05, "\(what): the page's audio is as long as its track")
        XCTAssertEqual(duration, Double(timeline.totalSamples) / 44_100, accuracy: 0.05, "\(what): and as the session")
        XCTAssertEqual(
            try tab.evaluate("document.getElementById('audio').currentSrc") as? String,
            try XCTUnwrap(try tab.evaluate("new URL(document.getElementById('audio').getAttribute('src'), location.href).href") as? String))
        XCTAssertTrue(
            (try tab.evaluate("document.getElementById('audio').currentSrc") as? String ?? "")
                .hasPrefix(root.absoluteString + "tracks/\(name).mp3?v="), what)

        // It plays, and holds a screen wake lock while it does; pausing gives the lock back.
        let playing = try Self.play(tab)
        XCTAssertGreaterThan(playing, 0.3, "\(what): the audio plays on")
        let locks = try tab.evaluate("window.__wakeLocks.map((lock) => ({ type: lock.type, released: lock.released }))") as? [[String: Any]]
        XCTAssertEqual(locks?.count, 1, "\(what): one wake lock while playing: \(String(describing: locks))")
        XCTAssertEqual(locks?.first?["type"] as? String, "screen", what)
        XCTAssertEqual(locks?.first?["released"] as? Bool, false, "\(what): held while playing")
        let released =
            try tab.evaluate(
                """
                new Promise((resolve) => {
                  document.getElementById('play').click();
                  setTimeout(() => resolve({ paused: document.getElementById('audio').paused,
                    released: window.__wakeLocks.map((lock) => lock.released) }), 200);
                })
                """) as? [String: Any]
        XCTAssertEqual(released?["paused"] as? Bool, true, what)
        XCTAssertEqual(released?["released"] as? [Bool], [true], "\(what): pausing releases the wake lock")

        // The way back, the page's essentials on the first screen, nothing sideways.
        let layout = try XCTUnwrap(
            try tab.evaluate(
                """
                (() => {
                  const box = (id) => { const r = document.getElementById(id).getBoundingClientRect(); return { top: r.top, bottom: r.bottom, left: r.left, right: r.right }; };
                  return { scrollWidth: document.documentElement.scrollWidth, home: box('home'), play: box('play'), name: box('step-name'),
                    homeLink: document.getElementById('home').href, homeText: document.getElementById('home').textContent };
                })()
                """) as? [String: Any])
        func number(_ value: Any?) -> Double { (value as? Double) ?? Double(value as? Int ?? -1) }
        XCTAssertLessThanOrEqual(number(layout["scrollWidth"]), Double(width), "\(what): the page scrolls sideways")
        XCTAssertEqual(layout["homeLink"] as? String, root.appendingPathComponent("index.html").absoluteString, what)
        XCTAssertEqual(layout["homeText"] as? String, "\u{2190} Back care", what)
        for key in ["home", "play", "name"] {
            let box = layout[key] as? [String: Any]
            XCTAssertGreaterThanOrEqual(number(box?["top"]), 0, "\(what): #\(key)")
            XCTAssertLessThanOrEqual(number(box?["bottom"]), Double(height), "\(what): #\(key) is below the first screen")
            XCTAssertLessThanOrEqual(number(box?["right"]), Double(width), "\(what): #\(key) ends off screen")
        }
        try screenshot(tab, "site-page-\(what.replacingOccurrences(of: ", ", with: "-"))")
        try tab.assertClean(pageURL: url, allowing: root.absoluteString)
    }

    func testOverHTTPTheSiteWorksOfflineOnceOpened() throws {
        let server = try LocalWebServer(serving: site)
        defer { server.stop() }
        let browser = try launch()
        defer { browser.shutDown() }
        let root = URL(string: server.base)!
        let index = root.appendingPathComponent("index.html")
        let page = root.appendingPathComponent("tracks/morning.html")

        // Opening the index installs the worker, which takes control of it.
        let first = try browser.openTab(index, width: 360, height: 740, mobile: true)
        let scope =
            try first.evaluate(
                """
                new Promise((resolve, reject) => {
                  setTimeout(() => reject(new Error('the service worker did not take control within 15 s')), 15000);
                  navigator.serviceWorker.ready.then((registration) => {
                    if (navigator.serviceWorker.controller) { resolve(registration.scope); return; }
                    navigator.serviceWorker.addEventListener('controllerchange', () => resolve(registration.scope));
                  });
                })
                """) as? String
        XCTAssertEqual(scope, root.absoluteString, "the worker's scope is the site's folder")
        try first.assertClean(pageURL: index, allowing: root.absoluteString)
        first.closeTarget()

        // A page opened and played: the worker keeps it and its track.
        let tab = try browser.openTab(page, width: 360, height: 740, mobile: true)
        XCTAssertEqual(try Self.audioDuration(tab), try trackDuration("morning"), accuracy: 0.05)
        XCTAssertGreaterThan(try Self.play(tab), 0.3)
        let kept =
            try tab.evaluate(
                """
                new Promise((resolve) => {
                  const audio = document.getElementById('audio');
                  const start = performance.now();
                  (function look() {
                    caches.open('cadence-site ' + new URL('../', location.href).href).then((cache) =>
                      Promise.all([cache.match(audio.currentSrc), cache.match(location.href)])).then(([track, page]) => {
                      if (track && page) { track.arrayBuffer().then((bytes) => resolve(bytes.byteLength)); return; }
                      if (performance.now() - start > 15000) { resolve(-1); return; }
                      setTimeout(look, 100);
                    });
                  })();
                })
                """) as? Int
        let size = try RenderCLI.bytes(site.appendingPathComponent("tracks/morning.mp3")).count
        XCTAssertEqual(kept, size, "the whole track is kept")
        try tab.assertClean(pageURL: page, allowing: root.absoluteString)

        // The server goes away: the page, its audio (played and sought) and the index still work.
        server.stop()
        XCTAssertFalse(server.isRunning)
        try browser.send("Page.reload", ["ignoreCache": false], session: tab.session)
        _ = try browser.waitForEvent("Page.loadEventFired", session: tab.session)
        XCTAssertEqual(try tab.evaluate("document.getElementById('step-name').textContent") as? String, "Cat-cow", "the page loads offline")
        XCTAssertEqual(try Self.audioDuration(tab), try trackDuration("morning"), accuracy: 0.05, "its audio loads offline")
        XCTAssertGreaterThan(try Self.play(tab), 0.3, "and plays offline")
        let middle = try trackDuration("morning") / 2
        let sought =
            try tab.evaluate(
                """
                new Promise((resolve, reject) => {
                  const audio = document.getElementById('audio');
                  setTimeout(() => reject(new Error('no seeked event offline')), 8000);
                  audio.addEventListener('seeked', () => setTimeout(() => resolve({ time: audio.currentTime, error: audio.error && audio.error.code }), 400),
                    { once: true });
                  audio.currentTime = \(middle);
                })
                """) as? [String: Any]
        XCTAssertGreaterThanOrEqual((sought?["time"] as? Double) ?? 0, middle, "seeking works offline: \(String(describing: sought))")
        XCTAssertNil(sought?["error"] as? Int, "no media error offline")
        try tab.assertClean(pageURL: page, allowing: root.absoluteString)
        tab.closeTarget()

        let offlineIndex = try browser.openTab(index, width: 1440, height: 900, mobile: false)
        let marks =
            try offlineIndex.evaluate(
                """
                new Promise((resolve) => setTimeout(() => resolve(Array.from(document.querySelectorAll('.session')).map((s) =>
                  s.querySelector('.offline').hidden ? 'online only' : 'kept')), 500))
                """) as? [String]
        XCTAssertEqual(marks, ["online only", "kept", "online only"], "the index loads offline and says which session is kept")
        try screenshot(offlineIndex, "site-index-offline")
        try offlineIndex.assertClean(pageURL: index, allowing: root.absoluteString)
    }

    // MARK: Helpers

    /// The audio element's duration once its metadata is in.
    static func audioDuration(_ tab: ChromiumTab) throws -> Double {
        try tab.evaluateNumber(
            """
            new Promise((resolve, reject) => {
              const audio = document.getElementById('audio');
              const done = () => resolve(audio.duration);
              if (audio.readyState >= 1 && isFinite(audio.duration)) { done(); return; }
              audio.addEventListener('loadedmetadata', done);
              audio.addEventListener('error', () => reject(new Error('audio error ' + (audio.error && audio.error.code))));
              setTimeout(() => reject(new Error('no audio metadata after 10 s')), 10000);
            })
            """)
    }

    /// Presses the page's play button and returns the audio's position once it has played a little.
    static func play(_ tab: ChromiumTab) throws -> Double {
        try tab.evaluateNumber(
            """
            new Promise((resolve, reject) => {
              const audio = document.getElementById('audio');
              const start = audio.currentTime, began = performance.now();
              if (audio.paused) { document.getElementById('play').click(); }
              (function look() {
                if (!audio.paused && audio.currentTime - start > 0.3) { resolve(audio.currentTime - start); return; }
                if (audio.error) { reject(new Error('media error ' + audio.error.code)); return; }
                if (performance.now() - began > 8000) { reject(new Error('the audio did not play: at ' + audio.currentTime)); return; }
                setTimeout(look, 50);
              })();
            })
            """)
    }

    private func screenshot(_ tab: ChromiumTab, _ name: String) throws {
        guard let shots else { return }
        try Data(try tab.screenshot()).write(to: shots.appendingPathComponent(name + ".png"))
    }
}
