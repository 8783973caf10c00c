import CadenceTestSupport
import Foundation
import XCTest
@testable import CadenceKit

/// The player as a guide, in headless Chromium (the DevTools client of PlayerBrowserTests.swift),
/// on a standalone page (`render --html`) at 360x740 (a phone) and 1440x900: what the voice says
/// and the step's instructions, the phase of a tempo rep, the rep count, the round of a circuit,
/// the day of a program, and the wait at the end of an own-pace block (off by default, kept in
/// localStorage, holding the screen wake lock until a tap plays on). `CADENCE_SCREENSHOTS=DIR`
/// keeps the screenshots.
final class PlayerGuideBrowserTests: XCTestCase {
    /// Day 4 of a program: a tempo step, a breath step with a held breath, an own-pace step on
    /// both sides, a pause and a circuit of two steps done twice.
    static let routine = """
        format: 2
        title: Guide check
        days: 5
        defaults:
          lead_in: 1s
          transition: 1s
          switch: 1s
          countdown: 0
          tail: 1s
        steps:
          - name: Hamstring pulls
            say: On your back, pull one straight leg in, then lower it
            instructions: Lie on your back with both legs straight and raise one leg toward the ceiling.
            tempo: pull 1s, lower 1s
            reps: 3
            rest: 0
            sides: each
          - name: Belly breathing
            breaths: 2
            inhale: 1s
            hold_in: 1s
            exhale: 1s
          - name: Reclining hip stretch
            say: Pull the leg in, ease off, and pull again, at your own pace
            own_pace: 2s
            reps: 2
            sides: alternate
          - pause: Sit up
            time: 1s
          - circuit: Core
            rounds: 2
            steps:
              - name: Bird dog
                instructions: From all fours, reach one arm forward and the other leg back.
                hold: 1s
              - name: Bridge
                tempo: lift 1s, lower 1s
                reps: 1
                progress: {reps: 5}
        """

    /// What the guide shows for each step name: what the voice says beyond the name, and the instructions.
    static let guide: [String: (say: String, instructions: String)] = [
        "Hamstring pulls": (
            "On your back, pull one straight leg in, then lower it",
            "Lie on your back with both legs straight and raise one leg toward the ceiling."
        ),
        "Belly breathing": ("", ""),
        "Reclining hip stretch": ("Pull the leg in, ease off, and pull again, at your own pace", ""),
        "Sit up": ("", ""),
        "Bird dog": ("", "From all fours, reach one arm forward and the other leg back."),
        "Bridge": ("", ""),
    ]

    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = try ScratchFolder(for: self).url
    }

    // MARK: Tests

    func testTheGuideShowsWhatToDoAtEveryMomentOfAFormatTwoProgram() throws {
        let browser = try HeadlessChromium.launch(profile: scratch.appendingPathComponent("profile"))
        defer { browser.shutDown() }
        let (timeline, url) = try makePage(Self.routine, name: "guide.html", day: 4)
        XCTAssertEqual(timeline.day, 4)
        let bridge = try XCTUnwrap(timeline.intervals.last { $0.step == timeline.steps.count - 1 && $0.rep != nil }?.rep)
        XCTAssertGreaterThan(bridge, 1, "day 4 of 5 has more Bridge reps than day 1")
        for (label, width, height, mobile) in PlayerGuideChecks.sizes {
            let what = "standalone, \(label)"
            let tab = try browser.openTab(url, width: width, height: height, mobile: mobile)
            defer { tab.closeTarget() }
            XCTAssertEqual(try tab.evaluate("document.getElementById('day').textContent") as? String, "Day 4 of 5", what)
            // Before anything plays, the first step's guide is there.
            var guide = try PlayerGuideChecks.guideState(tab)
            XCTAssertEqual(guide["say"] as? String, Self.guide["Hamstring pulls"]?.say, what)
            XCTAssertEqual(guide["hidden"] as? Bool, false, what)

            for (index, interval) in timeline.intervals.enumerated() {
                let middle = (Double(interval.start) + Double(interval.length) / 2) / Double(timeline.sampleRate)
                let state = try tab.seek(middle)
                let at = "\(what), interval \(index) (\(interval.kind.rawValue)\(interval.phase.map { " " + $0 } ?? "") at \(middle) s)"
                XCTAssertEqual(state["activity"] as? String, PlayerBrowserTests.activity(interval), at)
                guide = try PlayerGuideChecks.guideState(tab)
                guard let stepIndex = interval.step else {
                    XCTAssertEqual(guide["hidden"] as? Bool, true, "\(at): no guide at the end")
                    XCTAssertEqual(guide["round"] as? String, "", at)
                    continue
                }
                let step = timeline.steps[stepIndex]
                let expected = try XCTUnwrap(Self.guide[step.name], step.name)
                XCTAssertEqual(guide["say"] as? String, expected.say, at)
                XCTAssertEqual(guide["instructions"] as? String, expected.instructions, at)
                XCTAssertEqual(guide["hidden"] as? Bool, expected.say.isEmpty && expected.instructions.isEmpty, at)
                XCTAssertEqual(guide["round"] as? String, step.circuit.map { "Round \($0.round) of \($0.rounds) · \($0.name)" } ?? "", at)
                // The rep within a tempo step, the breath within a breath step.
                if interval.phase != nil, step.name == "Hamstring pulls" {
                    XCTAssertEqual(state["setRep"] as? String, "Rep \(interval.rep!) of 3", at)
                    XCTAssertEqual(state["side"] as? String, interval.side == .left ? "Left side" : "Right side", at)
                }
                if interval.phase != nil, step.name == "Bridge" {
                    XCTAssertEqual(state["setRep"] as? String, "Rep \(interval.rep!) of \(bridge)", at)
                }
                if step.name == "Belly breathing", interval.kind != .transition {
                    XCTAssertEqual(state["setRep"] as? String, "Breath \(interval.rep!) of 2", at)
                }
            }
            XCTAssertEqual(
                PlayerGuideChecks.phases(timeline), ["Pull", "Lower", "Breathe in", "Hold, lungs full", "Breathe out", "Lift"],
                "the page shows each phase by its name")

            // Into a tempo rep (the right side's second pull), a circuit's second round and a held breath, as a person sees it.
            let pull = try XCTUnwrap(timeline.intervals.first { $0.phase == "Pull" && $0.side == .right && $0.rep == 2 })
            var state = try tab.seek(PlayerGuideChecks.seconds(pull.start, timeline) + 0.4)
            XCTAssertEqual(state["activity"] as? String, "Pull", what)
            XCTAssertEqual(state["setRep"] as? String, "Rep 2 of 3", what)
            try PlayerGuideChecks.checkFirstScreen(tab, width: width, height: height, what: "\(what), tempo rep")
            try PlayerGuideChecks.screenshot(tab, "guide-tempo-\(label)")
            let held = try XCTUnwrap(timeline.intervals.first { $0.kind == .holdIn })
            state = try tab.seek(PlayerGuideChecks.seconds(held.start, timeline) + 0.3)
            XCTAssertEqual(state["activity"] as? String, "Hold, lungs full", what)
            let secondRound = try XCTUnwrap(timeline.steps.firstIndex { $0.name == "Bird dog" && $0.circuit?.round == 2 })
            let hold = try XCTUnwrap(timeline.intervals.first { $0.step == secondRound && $0.kind == .hold })
            state = try tab.seek(PlayerGuideChecks.seconds(hold.start, timeline) + 0.3)
            XCTAssertEqual(state["name"] as? String, "Bird dog", what)
            XCTAssertEqual(try PlayerGuideChecks.guideState(tab)["round"] as? String, "Round 2 of 2 · Core", what)
            try PlayerGuideChecks.checkFirstScreen(tab, width: width, height: height, what: "\(what), circuit")
            try PlayerGuideChecks.screenshot(tab, "guide-circuit-\(label)")
            try tab.assertClean(pageURL: url)
        }
    }

    func testThePageWaitsAtTheEndOfAnOwnPaceBlockUntilATapAndKeepsTheScreenOn() throws {
        let (timeline, url) = try makePage(Self.routine, name: "wait.html", day: 1)
        let blocks = timeline.intervals.filter { $0.kind == .ownPace }
        XCTAssertEqual(blocks.count, 4, "two blocks on each side")
        let block = try XCTUnwrap(blocks.first)
        let end = PlayerGuideChecks.seconds(block.end, timeline)
        for (label, width, height, mobile) in PlayerGuideChecks.sizes {
            let what = "standalone, \(label)"
            // A browser of its own, so the choice kept by one size is not the other's default.
            let browser = try HeadlessChromium.launch(profile: scratch.appendingPathComponent("profile-\(label)"))
            defer { browser.shutDown() }
            let tab = try browser.openTab(url, width: width, height: height, mobile: mobile, prelude: SiteBrowserTests.wakeLockWatch)
            defer { tab.closeTarget() }
            // Off unless turned on: the block plays through, as the track does.
            XCTAssertEqual(try tab.evaluate("document.getElementById('wait-option').checked") as? Bool, false, "\(what): off by default")
            XCTAssertEqual(
                try tab.evaluate("document.querySelector('.wait-option .option-name').textContent") as? String,
                "Wait at own\u{2011}pace parts", what)
            _ = try tab.seek(end - 0.8)
            let through = try PlayerGuideChecks.playUntil(tab, "audio.currentTime > \(end + 0.3)")
            XCTAssertEqual(through["paused"] as? Bool, false, "\(what): with the option off the page does not wait: \(through)")
            try tab.click("#play")

            // Turned on (a tap on the switch), it is remembered.
            try PlayerGuideChecks.tap(tab, "#wait-option", mobile: mobile)
            XCTAssertEqual(try tab.evaluate("document.getElementById('wait-option').checked") as? Bool, true, what)
            XCTAssertEqual(try tab.evaluate("localStorage.getItem('cadence-wait-at-own-pace')") as? String, "on", what)
            try PlayerGuideChecks.waitAndGoOn(
                tab, end: end, width: width, height: height, mobile: mobile, what: what, shot: "guide-wait-\(label)")

            // A person's own pause gives the wake lock back.
            try tab.click("#play")
            XCTAssertEqual(
                try PlayerGuideChecks.locks(tab, after: 200).last?["released"] as? Bool, true, "\(what): a pause releases the lock")

            // Moving elsewhere during a wait ends it.
            _ = try tab.seek(end - 0.8)
            XCTAssertEqual(try PlayerGuideChecks.playUntil(tab, "audio.paused")["paused"] as? Bool, true, what)
            let moved = try tab.seek(PlayerGuideChecks.seconds(timeline.steps[0].start, timeline) + 0.2)
            XCTAssertNotEqual(moved["activity"] as? String, "Waiting for you", "\(what): a seek ends the wait")
            XCTAssertEqual(try tab.evaluate("document.getElementById('wait').hidden") as? Bool, true, what)
            XCTAssertEqual(
                try PlayerGuideChecks.locks(tab, after: 200).compactMap { $0["released"] as? Bool }, [true, true, true],
                "\(what): once the wait ends, its lock is released like every other")

            // Opened again, the page still waits.
            try browser.send("Page.reload", ["ignoreCache": false], session: tab.session)
            _ = try browser.waitForEvent("Page.loadEventFired", session: tab.session)
            XCTAssertEqual(try tab.evaluate("document.getElementById('wait-option').checked") as? Bool, true, "\(what): remembered")
            try tab.assertClean(pageURL: url)
        }
    }

    func testAVersionOnePageKeepsTheScreenOnWhilePlaying() throws {
        let browser = try HeadlessChromium.launch(profile: scratch.appendingPathComponent("profile"))
        defer { browser.shutDown() }
        let (_, url) = try makePage(PlayerBrowserTests.routine, name: "v1.html", day: 1)
        let tab = try browser.openTab(url, width: 360, height: 740, mobile: true, prelude: SiteBrowserTests.wakeLockWatch)
        // A version 1 routine has no own-pace parts, circuits, days or instructions to show.
        let found = try XCTUnwrap(
            try tab.evaluate(
                """
                ({ option: !!document.getElementById('wait-option'), round: !!document.getElementById('round'),
                   day: !!document.getElementById('day'), guide: !!document.getElementById('guide') })
                """) as? [String: Bool])
        XCTAssertEqual(found, ["option": false, "round": false, "day": false, "guide": false])
        XCTAssertGreaterThan(try SiteBrowserTests.play(tab), 0.3)
        XCTAssertEqual(try PlayerGuideChecks.locks(tab, after: 0).map { $0["released"] as? Bool }, [false], "held while playing")
        try tab.click("#play")
        XCTAssertEqual(try PlayerGuideChecks.locks(tab, after: 200).map { $0["released"] as? Bool }, [true], "released on pause")
        try tab.assertClean(pageURL: url)
    }

    /// Schedules `yaml` for `day`, renders it to MP3 (mono, 44.1 kHz) and writes its page to the scratch folder.
    private func makePage(_ yaml: String, name: String, day: Int) throws -> (Timeline, URL) {
        let routine = try RoutineLoader.parse(Array(yaml.utf8), path: "test.yaml")
        let timeline = Scheduler.schedule(routine, sampleRate: 44_100, day: day)
        let track = scratch.appendingPathComponent(name + ".mp3")
        try TrackRenderer.render(timeline, to: track.path, options: RenderOptions(format: .mp3, sampleRate: 44_100, channels: 1))
        let page = scratch.appendingPathComponent(name)
        try PlayerFiles.writeHTML(timeline, audio: [UInt8](try Data(contentsOf: track)), audioMimeType: "audio/mpeg", to: page.path)
        return (timeline, page)
    }
}
