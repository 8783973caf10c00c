import CadenceTestSupport
import Foundation
import XCTest
@testable import CadenceKit

/// The library site of the shipped routines (`cadence site Routines/`, at 8 kHz to keep it quick)
/// in headless Chromium, served over http by Python's `http.server` on loopback: every page at
/// 360x740 and 1440x900 shows each step's guide (what the voice says, the instructions), the
/// phase and rep of tempo steps and the day of a program, fits the screen at every step, logs no
/// error and asks for nothing outside the site; a page with own-pace steps waits at their end
/// with the option on, keeping the screen on until a tap; and a page opened once still works, with
/// its option, once the server is gone. Skipped without Chromium or python3.
final class SiteRoutinesBrowserTests: XCTestCase {
    private var folder: URL!
    private var site: URL { folder.appendingPathComponent("site") }
    private let rate = 8_000

    override func setUpWithError() throws {
        try SiteCLI.requirePython()
        try RenderCLI.requireFFmpeg()
        folder = try ScratchFolder(for: self).url
        let result = try SiteCLI.run(
            [
                "site", Paths.routines.path, "--out-dir", "site", "--sample-rate", "\(rate)",
                "--title", "Back care", "-q",
            ], in: folder)
        XCTAssertEqual(result.code, 0, result.stderr)
    }

    /// The shipped routines, by base name, scheduled as the site schedules them (normal level, day 1).
    private func routines() throws -> [(name: String, timeline: Timeline)] {
        let names = try FileManager.default.contentsOfDirectory(atPath: Paths.routines.path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertEqual(names.count, 5, "the five shipped routines")
        return try names.map { file in
            let routine = try RoutineLoader.load(path: Paths.routines.appendingPathComponent(file).path)
            return (String(file.dropLast(".yaml".count)), Scheduler.schedule(routine, sampleRate: rate))
        }
    }

    func testEveryPageGuidesThroughItsSessionOnAPhoneAndADesktop() throws {
        let server = try LocalWebServer(serving: site)
        defer { server.stop() }
        let root = URL(string: server.base)!
        let routines = try routines()
        XCTAssertTrue(routines.contains { $0.timeline.steps.contains(where: \.selfPaced) }, "some routine has own-pace steps")
        XCTAssertTrue(routines.contains { $0.timeline.days != nil }, "one routine is a program")
        for (label, width, height, mobile) in PlayerGuideChecks.sizes {
            // A browser of its own for each size, so each starts with the option at its default.
            let browser = try HeadlessChromium.launch(profile: folder.appendingPathComponent("profile-\(label)"))
            defer { browser.shutDown() }
            // As a person would, from the index: its service worker then serves the pages and the parts
            // of each track that a seek asks for (Python's server cannot send parts of a file).
            let index = try browser.openTab(root.appendingPathComponent("index.html"), width: width, height: height, mobile: mobile)
            try Self.waitForWorker(index)
            index.closeTarget()
            for (name, timeline) in routines {
                let what = "site, \(name), \(label)"
                let url = root.appendingPathComponent("tracks/\(name).html")
                let tab = try browser.openTab(url, width: width, height: height, mobile: mobile, prelude: SiteBrowserTests.wakeLockWatch)
                defer { tab.closeTarget() }
                XCTAssertEqual(try SiteBrowserTests.audioDuration(tab), Double(timeline.totalSamples) / Double(rate), accuracy: 0.05, what)
                XCTAssertEqual(
                    try tab.evaluate("document.getElementById('day') && document.getElementById('day').textContent") as? String,
                    timeline.days.map { "Day 1 of \($0)" }, what)
                try PlayerGuideChecks.checkFirstScreen(
                    tab, width: width, height: height, what: "\(what), at the start",
                    ids: ["home", "activity", "step-name", "play"])
                try PlayerGuideChecks.screenshot(tab, "site-guide-\(name)-\(label)")
                try checkEveryStep(tab, timeline, width: width, height: height, what: what, shot: "site-guide-\(name)-longest-\(label)")

                // Own-pace steps: the page waits at the end of the first block once asked to.
                if let block = timeline.intervals.first(where: { $0.kind == .ownPace && timeline.steps[$0.step!].selfPaced }) {
                    if try tab.evaluate("document.getElementById('wait-option').checked") as? Bool == false {
                        try PlayerGuideChecks.tap(tab, "#wait-option", mobile: mobile)
                    }
                    XCTAssertEqual(try tab.evaluate("document.getElementById('wait-option').checked") as? Bool, true, what)
                    try PlayerGuideChecks.waitAndGoOn(
                        tab, end: PlayerGuideChecks.seconds(block.end, timeline), width: width, height: height,
                        mobile: mobile, what: what, shot: "site-guide-\(name)-wait-\(label)")
                    try tab.click("#play")
                } else {
                    XCTAssertNil(
                        try tab.evaluate("document.getElementById('wait-option') && 'there'") as? String,
                        "\(what): no option without own-pace steps")
                }
                try tab.assertClean(pageURL: url, allowing: root.absoluteString)
            }
        }
    }

    /// At the middle of every step's main interval (the first hold, rep phase, breath, block or
    /// pause), the page shows the step, its guide and, for a tempo step, the phase and the rep; and
    /// it fits the first screen. `shot` is the screenshot of the step with the longest words.
    private func checkEveryStep(_ tab: ChromiumTab, _ timeline: Timeline, width: Int, height: Int, what: String, shot: String) throws {
        var perSide: [Int: [String: Int]] = [:]
        for interval in timeline.intervals {
            guard let step = interval.step, let rep = interval.rep else { continue }
            let side = interval.side?.rawValue ?? "none"
            perSide[step, default: [:]][side] = max(perSide[step]?[side] ?? 0, rep)
        }
        for (index, step) in timeline.steps.enumerated() {
            guard let interval = timeline.intervals.first(where: { $0.step == index && $0.kind != .transition && $0.kind != .rest }) else {
                XCTFail("\(what): step \(index) has nothing to do")
                continue
            }
            let middle = (Double(interval.start) + Double(interval.length) / 2) / Double(rate)
            let state = try tab.seek(middle)
            let at = "\(what), step \(index) (\(step.name)) at \(middle) s"
            XCTAssertEqual(state["name"] as? String, step.name, at)
            XCTAssertEqual(state["activity"] as? String, PlayerBrowserTests.activity(interval), at)
            let guide = try PlayerGuideChecks.guideState(tab)
            let say = PlayerGuide.say(timeline, step: index) ?? "", instructions = PlayerGuide.instructions(timeline, step: index) ?? ""
            XCTAssertEqual(guide["say"] as? String, say, at)
            XCTAssertEqual(guide["instructions"] as? String, instructions, at)
            XCTAssertEqual(guide["hidden"] as? Bool, say.isEmpty && instructions.isEmpty, at)
            if interval.phase != nil, let rep = interval.rep, let set = interval.set,
                let of = perSide[index]?[interval.side?.rawValue ?? "none"]
            {
                let sets = timeline.intervals.compactMap { $0.step == index ? $0.set : nil }.max() ?? 1
                let reps = timeline.intervals.compactMap { $0.step == index ? $0.rep : nil }.max() ?? 1
                let parts = (sets > 1 ? ["Set \(set) of \(sets)"] : []) + (reps > 1 ? ["Rep \(rep) of \(of)"] : [])
                if !parts.isEmpty { XCTAssertEqual(state["setRep"] as? String, parts.joined(separator: " · "), at) }
            }
            try PlayerGuideChecks.checkFirstScreen(
                tab, width: width, height: height, what: at, ids: ["home", "activity", "step-name", "play"])
        }
        // The step whose name and activity are longest, for a look.
        let longest = timeline.intervals.filter { $0.step != nil }.max {
            (timeline.steps[$0.step!].name.count + PlayerBrowserTests.activity($0).count)
                < (timeline.steps[$1.step!].name.count + PlayerBrowserTests.activity($1).count)
        }
        if let longest {
            _ = try tab.seek((Double(longest.start) + Double(longest.length) / 2) / Double(rate))
            try PlayerGuideChecks.checkFirstScreen(
                tab, width: width, height: height, what: "\(what), the longest words",
                ids: ["home", "activity", "step-name", "play"])
            try PlayerGuideChecks.screenshot(tab, shot)
        }
    }

    /// Waits until the site's service worker controls the page in `tab`.
    static func waitForWorker(_ tab: ChromiumTab) throws {
        _ = try tab.evaluate(
            """
            new Promise((resolve, reject) => {
              setTimeout(() => reject(new Error('the service worker did not take control within 15 s')), 15000);
              navigator.serviceWorker.ready.then(() => {
                if (navigator.serviceWorker.controller) { resolve(true); return; }
                navigator.serviceWorker.addEventListener('controllerchange', () => resolve(true));
              });
            })
            """)
    }

    func testAPageOpenedOnceStillGuidesAndWaitsOffline() throws {
        let server = try LocalWebServer(serving: site)
        defer { server.stop() }
        let browser = try HeadlessChromium.launch(profile: folder.appendingPathComponent("profile-offline"))
        defer { browser.shutDown() }
        let root = URL(string: server.base)!
        let (name, timeline) = try XCTUnwrap(try routines().first { $0.name == "hips-hamstrings-low-back" })
        let page = root.appendingPathComponent("tracks/\(name).html")

        // The first visit installs the worker; once it is in control, a play keeps the page and its track.
        let tab = try browser.openTab(page, width: 360, height: 740, mobile: true, prelude: SiteBrowserTests.wakeLockWatch)
        try Self.waitForWorker(tab)
        try PlayerGuideChecks.tap(tab, "#wait-option", mobile: true)
        XCTAssertGreaterThan(try SiteBrowserTests.play(tab), 0.3)
        try tab.click("#play")
        let kept =
            try tab.evaluate(
                """
                new Promise((resolve) => {
                  const audio = document.getElementById('audio');
                  const start = performance.now();
                  (function look() {
                    caches.open('cadence-site ' + new URL('../', location.href).href).then((cache) =>
                      Promise.all([cache.match(audio.currentSrc), cache.match(location.href)])).then(([track, page]) => {
                      if (track && page) { resolve(true); return; }
                      if (performance.now() - start > 15000) { resolve(false); return; }
                      setTimeout(look, 100);
                    });
                  })();
                })
                """) as? Bool
        XCTAssertEqual(kept, true, "the page and its track are kept")

        // Without the server: the page loads, remembers the option, guides and waits as before.
        server.stop()
        try browser.send("Page.reload", ["ignoreCache": false], session: tab.session)
        _ = try browser.waitForEvent("Page.loadEventFired", session: tab.session)
        XCTAssertEqual(try tab.evaluate("document.getElementById('wait-option').checked") as? Bool, true, "the option is remembered")
        XCTAssertEqual(
            try PlayerGuideChecks.guideState(tab)["say"] as? String, PlayerGuide.say(timeline, step: 0), "the guide shows offline")
        let block = try XCTUnwrap(timeline.intervals.first { $0.kind == .ownPace })
        try PlayerGuideChecks.waitAndGoOn(
            tab, end: PlayerGuideChecks.seconds(block.end, timeline), width: 360, height: 740, mobile: true,
            what: "offline", shot: "site-guide-offline-wait")
        try tab.assertClean(pageURL: page, allowing: root.absoluteString)
    }
}
