import Foundation
import XCTest
@testable import CadenceKit

/// Checks of the player as a guide in headless Chromium, shared by the standalone page's tests
/// (PlayerGuideBrowserTests) and the site's (SiteRoutinesBrowserTests).
enum PlayerGuideChecks {
    static let sizes = [("phone", 360, 740, true), ("desktop", 1440, 900, false)]

    /// Plays from just before the end of the block ending at `end` (seconds), with the option on:
    /// the page pauses itself before the block's end, shows Go on on the first screen and keeps
    /// its one wake lock; a tap on Go on plays on past the end, with the same lock.
    static func waitAndGoOn(
        _ tab: ChromiumTab, end: Double, width: Int, height: Int, mobile: Bool, what: String, shot: String,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let before = try Self.locks(tab, after: 0).count
        _ = try tab.seek(end - 1.5)
        XCTAssertEqual(
            try tab.state()["countdownLabel"] as? String, "seconds, then it waits", "\(what): the page says it will wait",
            file: file, line: line)
        try Self.screenshot(tab, shot + "-before")
        _ = try tab.seek(end - 0.8)
        let paused = try Self.playUntil(tab, "audio.paused")
        XCTAssertEqual(paused["paused"] as? Bool, true, "\(what): the page waits at the block's end: \(paused)", file: file, line: line)
        let at = paused["time"] as? Double ?? -1
        XCTAssertGreaterThanOrEqual(at, end - 0.3, "\(what): it waits at the end of the block, not before", file: file, line: line)
        XCTAssertLessThan(at, end, "\(what): it waits before the block's audio ends (the next sound plays whole)", file: file, line: line)
        let waiting = try tab.state()
        XCTAssertEqual(waiting["activity"] as? String, "Waiting for you", what, file: file, line: line)
        XCTAssertEqual(try tab.evaluate("document.getElementById('wait').hidden") as? Bool, false, what, file: file, line: line)
        XCTAssertEqual(
            try tab.evaluate("getComputedStyle(document.querySelector('.count')).display") as? String, "none",
            "\(what): the countdown gives way to Go on", file: file, line: line)
        try Self.checkFirstScreen(
            tab, width: width, height: height, what: "\(what), waiting", ids: ["activity", "step-name", "go-on", "play"],
            file: file, line: line)
        try Self.screenshot(tab, shot)
        // The lock taken when it began to play is held through the wait.
        var locks = try Self.locks(tab, after: 500)
        XCTAssertEqual(locks.count, before + 1, "\(what): one new wake lock: \(locks)", file: file, line: line)
        XCTAssertEqual(locks.last?["released"] as? Bool, false, "\(what): the wait keeps the screen on", file: file, line: line)
        XCTAssertEqual(
            try tab.evaluate("document.getElementById('audio').paused") as? Bool, true, "\(what): still waiting",
            file: file, line: line)

        // A tap plays on, past the end.
        try Self.tap(tab, "#go-on", mobile: mobile)
        let on = try Self.playUntil(tab, "audio.currentTime > \(end + 0.3)", press: false)
        XCTAssertEqual(on["paused"] as? Bool, false, "\(what): a tap plays on: \(on)", file: file, line: line)
        XCTAssertGreaterThan(on["time"] as? Double ?? 0, end + 0.3, what, file: file, line: line)
        XCTAssertNotEqual(try tab.state()["activity"] as? String, "Waiting for you", what, file: file, line: line)
        locks = try Self.locks(tab, after: 0)
        XCTAssertEqual(locks.count, before + 1, "\(what): the same lock plays on: \(locks)", file: file, line: line)
        XCTAssertEqual(locks.last?["released"] as? Bool, false, what, file: file, line: line)
    }

    /// The step's name, what to do and the play button (or `ids`) are on the first screen, and nothing scrolls sideways.
    static func checkFirstScreen(
        _ tab: ChromiumTab, width: Int, height: Int, what: String, ids: [String] = ["activity", "step-name", "play"],
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        _ = try tab.evaluate("window.scrollTo(0, 0)")
        let literal = String(decoding: try JSONSerialization.data(withJSONObject: ids), as: UTF8.self)
        let found = try XCTUnwrap(
            try tab.evaluate(
                """
                (() => ({ scrollWidth: document.documentElement.scrollWidth,
                  boxes: \(literal).map((id) => { const r = document.getElementById(id).getBoundingClientRect();
                    return { id: id, top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height }; }),
                  wide: Array.from(document.querySelectorAll('.page *')).filter((n) => !n.closest('svg, .timeline'))
                    .filter((n) => n.getBoundingClientRect().right > window.innerWidth + 0.5).map((n) => n.id || n.className || n.tagName) }))()
                """) as? [String: Any], file: file, line: line)
        func number(_ value: Any?) -> Double { (value as? Double) ?? Double(value as? Int ?? -1) }
        XCTAssertLessThanOrEqual(number(found["scrollWidth"]), Double(width), "\(what): the page scrolls sideways", file: file, line: line)
        XCTAssertEqual(found["wide"] as? [String], [], "\(what): these stick out on the right", file: file, line: line)
        for box in found["boxes"] as? [[String: Any]] ?? [] {
            let id = box["id"] as? String ?? "?"
            XCTAssertGreaterThan(number(box["height"]), 0, "\(what): #\(id) is not shown", file: file, line: line)
            XCTAssertGreaterThanOrEqual(number(box["top"]), 0, "\(what): #\(id)", file: file, line: line)
            XCTAssertLessThanOrEqual(
                number(box["bottom"]), Double(height), "\(what): #\(id) is below the first screen", file: file, line: line)
            XCTAssertLessThanOrEqual(number(box["right"]), Double(width), "\(what): #\(id) ends off screen", file: file, line: line)
        }
    }

    /// A tap (a touch on a phone, a click elsewhere) on the middle of the first element matching `selector`.
    static func tap(_ tab: ChromiumTab, _ selector: String, mobile: Bool) throws {
        guard mobile else {
            try tab.click(selector)
            return
        }
        let literal = String(decoding: try JSONSerialization.data(withJSONObject: [selector]), as: UTF8.self)
        guard
            let point = try tab.evaluate(
                """
                (() => {
                  const node = document.querySelector(\(literal)[0]);
                  if (!node) { return null; }
                  node.scrollIntoView({ block: 'nearest', inline: 'nearest' });
                  const r = node.getBoundingClientRect();
                  return [r.left + r.width / 2, r.top + r.height / 2];
                })()
                """) as? [Any], point.count == 2
        else {
            throw HeadlessChromium.ProtocolError(description: "nothing matches \(selector)")
        }
        let x = (point[0] as? Double) ?? Double(point[0] as? Int ?? 0), y = (point[1] as? Double) ?? Double(point[1] as? Int ?? 0)
        try tab.browser.send("Input.dispatchTouchEvent", ["type": "touchStart", "touchPoints": [["x": x, "y": y]]], session: tab.session)
        try tab.browser.send("Input.dispatchTouchEvent", ["type": "touchEnd", "touchPoints": [[String: Any]]()], session: tab.session)
        // The click a tap makes comes a moment later.
        _ = try tab.evaluate("new Promise((resolve) => setTimeout(resolve, 150))")
    }

    static func screenshot(_ tab: ChromiumTab, _ name: String) throws {
        guard let folder = ProcessInfo.processInfo.environment["CADENCE_SCREENSHOTS"], !folder.isEmpty else { return }
        let shots = URL(fileURLWithPath: folder)
        try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
        try Data(try tab.screenshot()).write(to: shots.appendingPathComponent(name + ".png"))
    }

    /// What the guide shows: the voice's words, the instructions, whether the guide is hidden, the round.
    static func guideState(_ tab: ChromiumTab) throws -> [String: Any] {
        try XCTUnwrap(
            try tab.evaluate(
                """
                (() => {
                  const text = (id) => { const n = document.getElementById(id); return n ? n.textContent : null; };
                  const guide = document.getElementById('guide');
                  return { say: text('say'), instructions: text('instructions'), round: text('round'),
                    hidden: !guide || guide.hidden || getComputedStyle(guide).display === 'none' };
                })()
                """) as? [String: Any])
    }

    /// Presses play (unless `press` is false) and waits, 6 s at most, until `condition` holds in
    /// the page (with `audio` the audio element); returns whether it is paused and its time then.
    static func playUntil(_ tab: ChromiumTab, _ condition: String, press: Bool = true) throws -> [String: Any] {
        try XCTUnwrap(
            try tab.evaluate(
                """
                new Promise((resolve) => {
                  const audio = document.getElementById('audio');
                  const began = performance.now();
                  if (\(press) && audio.paused) { document.getElementById('play').click(); }
                  (function look() {
                    const held = performance.now() - began > 300;
                    if (held && (\(condition))) { resolve({ paused: audio.paused, time: audio.currentTime }); return; }
                    if (performance.now() - began > 6000) { resolve({ paused: audio.paused, time: audio.currentTime, timedOut: true }); return; }
                    setTimeout(look, 20);
                  })();
                })
                """) as? [String: Any])
    }

    /// The screen wake locks taken so far (after waiting `milliseconds`), each with whether it was released.
    static func locks(_ tab: ChromiumTab, after milliseconds: Int) throws -> [[String: Any]] {
        try tab.evaluate(
            """
            new Promise((resolve) => setTimeout(() => resolve(window.__wakeLocks.map((lock) => ({ type: lock.type, released: lock.released }))),
              \(milliseconds)))
            """) as? [[String: Any]] ?? []
    }

    static func seconds(_ sample: Int64, _ timeline: Timeline) -> Double { Double(sample) / Double(timeline.sampleRate) }

    /// The phase labels and breath words of the session, each once, in order of first appearance.
    static func phases(_ timeline: Timeline) -> [String] {
        var seen: [String] = []
        for interval in timeline.intervals where interval.phase != nil || [.inhale, .holdIn, .exhale].contains(interval.kind) {
            let word = PlayerBrowserTests.activity(interval)
            if !seen.contains(word) { seen.append(word) }
        }
        return seen
    }
}
