import CadenceTestSupport
import Foundation
import XCTest
@testable import CadenceKit
#if canImport(Glibc)
    import Glibc
#endif

/// The player page in a real browser: headless Chromium, driven through the DevTools protocol over
/// a pipe (`--remote-debugging-pipe`, so nothing but Chromium is needed). Skipped when no Chromium
/// is installed; `scripts/bootstrap` installs Debian's `chromium`.
///
/// Set `CADENCE_CHROMIUM` to use another binary, and `CADENCE_SCREENSHOTS` to a folder to keep the
/// phone and desktop screenshots.
final class PlayerBrowserTests: XCTestCase {
    /// A short routine with every interval kind; rendered to MP3 once for all tests.
    static let routine = """
        title: Player check
        about: |
          A short routine for the browser test.
          Second line: breathe slowly.
        defaults:
          lead_in: 2s
          transition: 2s
          countdown: 1
          tail: 1s
        steps:
          - name: Cat-cow warm-up
            breaths: 2
            inhale: 1s
            hold_in: 0.5s
            exhale: 1s
            hold_out: 0.5s
          - name: Hamstring stretch
            hold: 2s
            reps: 2
            rest: 1s
            sides: each
            switch: 1s
            sets: 2
            set_rest: 1.5s
          - name: Child's pose
            hold: 1.5s
        """

    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = try ScratchFolder(for: self, "browser").url
    }

    // MARK: Tests

    func testThePagePlaysTheSessionAndFollowsTheAudio() throws {
        let browser = try HeadlessChromium.launch(profile: scratch.appendingPathComponent("profile"))
        defer { browser.shutDown() }
        let (timeline, url) = try makePage(Self.routine, name: "session.html")
        let tab = try browser.openTab(url, width: 1440, height: 900, mobile: false)

        // The audio is the whole session: its duration is the timeline's, within 50 ms.
        let duration = try tab.evaluateNumber(
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
        let expected = Double(timeline.totalSamples) / Double(timeline.sampleRate)
        XCTAssertEqual(duration, expected, accuracy: 0.05, "the audio lasts \(duration) s, the timeline \(expected) s")

        // Before anything plays it shows the start: the first step, getting ready.
        var state = try tab.state()
        XCTAssertEqual(state["name"] as? String, timeline.steps[0].name)
        XCTAssertEqual(state["activity"] as? String, "Get ready")
        XCTAssertEqual(state["count"] as? String, "Step 1 of 3")
        XCTAssertEqual(state["about"] as? String, timeline.about)

        // Clicking a step in the picture goes to its start and shows it.
        for (index, step) in timeline.steps.enumerated().reversed() {
            try tab.click("svg.cadence-timeline g.step[data-step=\"\(index)\"] rect.hit")
            state = try tab.state()
            XCTAssertEqual(state["name"] as? String, step.name, "after clicking step \(index)")
            XCTAssertEqual(state["time"] as? Double ?? -1, Double(step.start) / Double(timeline.sampleRate), accuracy: 0.001)
            XCTAssertEqual(state["current"] as? [String], ["\(index)"], "the picture marks the current step")
            XCTAssertEqual(state["count"] as? String, "Step \(index + 1) of 3")
        }
        // So does the step list.
        try tab.click("#step-list button[data-step=\"1\"]")
        XCTAssertEqual(try tab.state()["name"] as? String, timeline.steps[1].name)

        // Wherever the audio is put (as the browser's own controls would), the page shows that
        // interval: what to do, the side, set and rep, and the seconds to the next change.
        for (index, interval) in timeline.intervals.enumerated() {
            let middle = (Double(interval.start) + Double(interval.length) / 2) / Double(timeline.sampleRate)
            state = try tab.seek(middle)
            let label = "interval \(index) (\(interval.kind.rawValue) at \(middle) s)"
            XCTAssertEqual(state["activity"] as? String, Self.activity(interval), label)
            XCTAssertEqual(state["name"] as? String, interval.step.map { timeline.steps[$0].name } ?? "Well done", label)
            XCTAssertEqual(state["side"] as? String, interval.side.map { $0 == .left ? "Left side" : "Right side" } ?? "", label)
            let left = Int((Double(interval.end) / Double(timeline.sampleRate) - middle).rounded(.up))
            XCTAssertEqual(state["countdown"] as? String, "\(left)", label)
            if interval.kind == .hold, interval.step == 1 {
                XCTAssertEqual(state["setRep"] as? String, "Set \(interval.set!) of 2 · Rep \(interval.rep!) of 2", label)
            }
            if interval.kind == .inhale {
                XCTAssertEqual(state["setRep"] as? String, "Breath \(interval.rep!) of 2", label)
            }
            if interval.kind == .transition {
                // Getting ready for a step, the page says what it holds.
                let plans = ["2 breaths", "2 × 2 s hold · each side · 2 sets", "1.5 s hold"]
                XCTAssertEqual(state["setRep"] as? String, plans[interval.step!], label)
            }
            if index + 1 < timeline.intervals.count, let next = timeline.intervals[index + 1].step, next != interval.step {
                XCTAssertEqual(state["next"] as? String, timeline.steps[next].name, label)
            }
        }

        // Keyboard: the arrows go to the next and previous step, space plays and pauses.
        state = try tab.seek(Double(timeline.steps[1].start + 10) / Double(timeline.sampleRate))
        XCTAssertEqual(state["name"] as? String, timeline.steps[1].name)
        try tab.press("ArrowRight")
        XCTAssertEqual(try tab.state()["name"] as? String, timeline.steps[2].name)
        try tab.press("ArrowLeft")
        try tab.press("ArrowLeft")
        XCTAssertEqual(try tab.state()["name"] as? String, timeline.steps[0].name)
        try tab.press(" ")
        let playing =
            try tab.evaluate(
                """
                new Promise((resolve) => {
                  const audio = document.getElementById('audio');
                  const start = performance.now();
                  (function check() {
                    if (!audio.paused && audio.currentTime > 0.3) { resolve({ paused: false, time: audio.currentTime,
                      shown: document.getElementById('elapsed').textContent, button: document.getElementById('play').getAttribute('aria-label') }); return; }
                    if (performance.now() - start > 8000) { resolve({ paused: audio.paused, time: audio.currentTime }); return; }
                    setTimeout(check, 50);
                  })();
                })
                """) as? [String: Any]
        XCTAssertEqual(playing?["paused"] as? Bool, false, "Space starts playing: \(String(describing: playing))")
        XCTAssertGreaterThan(playing?["time"] as? Double ?? 0, 0.3, "the audio plays on: \(String(describing: playing))")
        XCTAssertEqual(playing?["button"] as? String, "Pause")
        try tab.press(" ")
        let paused =
            try tab.evaluate(
                """
                new Promise((resolve) => setTimeout(() => {
                  const audio = document.getElementById('audio');
                  resolve({ paused: audio.paused, button: document.getElementById('play').getAttribute('aria-label') });
                }, 100))
                """) as? [String: Any]
        XCTAssertEqual(paused?["paused"] as? Bool, true, "Space pauses")
        XCTAssertEqual(paused?["button"] as? String, "Play")

        // Nothing went wrong and nothing was fetched.
        try tab.assertClean(pageURL: url)
        // The watch itself works: an error would have been seen, and the policy stops any fetch.
        _ = try tab.evaluate("console.error('probe'); fetch('https://example.invalid/x').catch(() => null)")
        let caught = tab.takeErrors(pageURL: url)
        XCTAssertTrue(caught.contains { $0.contains("probe") }, "a console error goes unseen: \(caught)")
        XCTAssertTrue(caught.contains { $0.contains("Content Security Policy") }, "the fetch was not refused: \(caught)")
    }

    /// A format 2 routine: tempo phases (a movement, a hold, breaths), an own-pace block, a pause
    /// and a circuit of two rounds.
    static let formatTwoRoutine = """
        format: 2
        title: Format 2 on the page
        defaults:
          lead_in: 1s
          transition: 1s
          countdown: 0
          tail: 1s
        steps:
          - name: Bridge
            tempo: breathe in 1s, breathe out and lift 1s, hold 1.5s, lower 1s
            reps: 2
            rest: 0.5s
          - name: Walk
            own_pace: 2s
          - pause: Sit up
            time: 1.5s
          - circuit: Core
            rounds: 2
            steps:
              - name: Bird dog
                hold: 1s
        """

    func testThePageShowsFormatTwoPhasesOwnPaceAndPausesByName() throws {
        let browser = try HeadlessChromium.launch(profile: scratch.appendingPathComponent("profile"))
        defer { browser.shutDown() }
        let (timeline, url) = try makePage(Self.formatTwoRoutine, name: "format2.html")
        let tab = try browser.openTab(url, width: 1440, height: 900, mobile: false)
        for (index, interval) in timeline.intervals.enumerated() {
            let middle = (Double(interval.start) + Double(interval.length) / 2) / Double(timeline.sampleRate)
            let state = try tab.seek(middle)
            let label = "interval \(index) (\(interval.kind.rawValue) at \(middle) s)"
            XCTAssertEqual(state["activity"] as? String, Self.activity(interval), label)
            XCTAssertEqual(state["name"] as? String, interval.step.map { timeline.steps[$0].name } ?? "Well done", label)
        }
        XCTAssertEqual(Self.activity(timeline.intervals[2]), "Breathe out and lift", "the phase label is what the page shows")
        XCTAssertEqual(try tab.state()["count"] as? String, "Finished")
        try tab.assertClean(pageURL: url)
    }

    /// A routine that strains the layout: a long title, a long about, a long step name, a hold
    /// of more than a minute (a countdown in minutes) and many steps.
    static let longRoutine = """
        title: Layout check, a routine whose title is long enough to wrap on a phone
        about: |
          A longer, mostly floor-based series to loosen the back, hips and backs of the legs, with a
          few breath-led mobility moves. Try it for a few weeks and see how your back responds; stop
          if your pain grows or spreads into your legs.

          Breathe out as you go deeper into each stretch.
        defaults:
          lead_in: 2s
          transition: 1s
          countdown: 1
          tail: 1s
        steps:
          - name: Supine hamstring stretch with a strap, one leg at a time
            hold: 75s
            sides: each
            switch: 1s
        \((2...12).map { "  - name: Step number \($0)\n    hold: 1s\n" }.joined())
        """

    func testThePageFitsAPhoneAndADesktop() throws {
        let browser = try HeadlessChromium.launch(profile: scratch.appendingPathComponent("profile"))
        defer { browser.shutDown() }
        let shots = ProcessInfo.processInfo.environment["CADENCE_SCREENSHOTS"].map { URL(fileURLWithPath: $0) } ?? scratch!
        try FileManager.default.createDirectory(at: shots, withIntermediateDirectories: true)
        let (short, shortURL) = try makePage(Self.routine, name: "short.html")
        let (long, longURL) = try makePage(Self.longRoutine, name: "long.html")
        // The short routine in the second set of its hold step, right side: a side, a set and a rep to show.
        let hold = try XCTUnwrap(short.intervals.last { $0.kind == .hold && $0.step == 1 && $0.side == .right })
        // The long one 5 s into its right-side hold: more than a minute left.
        let longHold = try XCTUnwrap(long.intervals.first { $0.kind == .hold && $0.side == .right })
        let pages = [
            ("short", shortURL, (Double(hold.start) + 0.4 * Double(hold.length)) / Double(short.sampleRate), "2"),
            ("long", longURL, Double(longHold.start) / Double(long.sampleRate) + 5, "1:10"),
        ]

        for (page, url, moment, countdown) in pages {
            for (label, width, height, mobile) in [("phone", 360, 740, true), ("desktop", 1440, 900, false)] {
                let what = "\(page) page, \(label)"
                let tab = try browser.openTab(url, width: width, height: height, mobile: mobile)
                XCTAssertEqual(try tab.seek(moment)["countdown"] as? String, countdown, what)
                let layout = try XCTUnwrap(
                    try tab.evaluate(
                        """
                        (() => {
                          const box = (id) => { const r = document.getElementById(id).getBoundingClientRect();
                            return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width, height: r.height }; };
                          const size = (id) => parseFloat(getComputedStyle(document.getElementById(id)).fontSize);
                          return { scrollWidth: document.documentElement.scrollWidth, innerWidth: innerWidth,
                            name: box('step-name'), countdown: box('countdown'), where: box('set-rep'), next: box('next'),
                            play: box('play'), prev: box('prev'), timeline: box('cadence-playhead'),
                            nameSize: size('step-name'), countdownSize: size('countdown'), nextSize: size('next') };
                        })()
                        """) as? [String: Any])
                func box(_ key: String) -> [String: Double] {
                    (layout[key] as? [String: Any])?.compactMapValues { ($0 as? Double) ?? ($0 as? Int).map(Double.init) } ?? [:]
                }
                func number(_ key: String) -> Double { layout[key] as? Double ?? Double(layout[key] as? Int ?? -1) }
                // Nothing sticks out sideways; the essentials are on the first screen, large, and apart.
                XCTAssertLessThanOrEqual(number("scrollWidth"), Double(width), "\(what): the page scrolls sideways")
                XCTAssertEqual(number("innerWidth"), Double(width), what)
                for key in ["name", "countdown", "play", "next"] {
                    let b = box(key)
                    XCTAssertGreaterThanOrEqual(b["left"] ?? -1, 0, "\(what): #\(key) starts off screen \(b)")
                    XCTAssertLessThanOrEqual(b["right"] ?? .infinity, Double(width), "\(what): #\(key) ends off screen \(b)")
                    XCTAssertLessThanOrEqual(b["bottom"] ?? .infinity, Double(height), "\(what): #\(key) is below the first screen \(b)")
                }
                let keys = ["name", "countdown", "where", "next"]
                for (i, a) in keys.enumerated() {
                    for b in keys[(i + 1)...] {
                        let p = box(a), q = box(b)
                        let apart =
                            (p["right"] ?? 0) <= (q["left"] ?? 0) + 0.5 || (q["right"] ?? 0) <= (p["left"] ?? 0) + 0.5
                            || (p["bottom"] ?? 0) <= (q["top"] ?? 0) + 0.5 || (q["bottom"] ?? 0) <= (p["top"] ?? 0) + 0.5
                        XCTAssertTrue(apart, "\(what): #\(a) \(p) overlaps #\(b) \(q)")
                    }
                }
                XCTAssertGreaterThanOrEqual(number("nameSize"), page == "short" ? 32 : 24, "\(what): the step name is large")
                XCTAssertGreaterThanOrEqual(number("countdownSize"), 64, "\(what): the countdown is large")
                XCTAssertGreaterThanOrEqual(number("nextSize"), 18, "\(what): what comes next is readable")
                XCTAssertGreaterThanOrEqual(box("play")["width"] ?? 0, 48, "\(what): touch targets are large")
                XCTAssertGreaterThanOrEqual(box("prev")["height"] ?? 0, 48, "\(what): touch targets are large")
                if !mobile {
                    XCTAssertLessThanOrEqual(
                        box("timeline")["bottom"] ?? .infinity, Double(height), "\(what): the timeline is on the first screen")
                }

                let png = try tab.screenshot()
                XCTAssertEqual(Array(png.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "\(what): a PNG")
                let scale = mobile ? 2 : 1
                XCTAssertEqual(Self.pngSize(png).map { [$0.width, $0.height] }, [width * scale, height * scale], what)
                try Data(png).write(to: shots.appendingPathComponent("player-\(page)-\(label)-\(width)x\(height).png"))
                try Data(try tab.screenshot(fullPage: true)).write(to: shots.appendingPathComponent("player-\(page)-\(label)-full.png"))
                try tab.assertClean(pageURL: url)
                tab.closeTarget()
            }
        }
    }

    func testRoutineMarkupShowsAsText() throws {
        let browser = try HeadlessChromium.launch(profile: scratch.appendingPathComponent("profile"))
        defer { browser.shutDown() }
        let title = HostileMarkup.title, about = HostileMarkup.about, names = HostileMarkup.stepNames
        let (timeline, url) = try makePage(HostileMarkup.routine, name: "markup.html")
        XCTAssertEqual(timeline.title, title)
        XCTAssertEqual(timeline.about, about)
        XCTAssertEqual(timeline.steps.map(\.name), names)
        let tab = try browser.openTab(url, width: 800, height: 900, mobile: false)

        let found = try XCTUnwrap(
            try tab.evaluate(
                """
                (() => ({
                  pwned: window.__pwned === undefined ? null : String(window.__pwned),
                  scripts: document.scripts.length,
                  injected: document.querySelectorAll('img, b, iframe, object, embed, svg svg, [onerror], [onload]').length,
                  comments: document.createTreeWalker(document.body, NodeFilter.SHOW_COMMENT).nextNode() !== null,
                  documentTitle: document.title,
                  heading: document.getElementById('title').textContent,
                  about: document.getElementById('about').textContent,
                  list: Array.from(document.querySelectorAll('#step-list .name')).map((n) => n.textContent),
                  labels: Array.from(document.querySelectorAll('svg.cadence-timeline g.step > title')).map((n) => n.textContent)
                }))()
                """) as? [String: Any])
        XCTAssertNil(found["pwned"] as? String, "routine text ran as script")
        XCTAssertEqual(found["scripts"] as? Int, 2)
        XCTAssertEqual(found["injected"] as? Int, 0, "routine text made elements")
        XCTAssertEqual(found["comments"] as? Bool, false, "routine text made a comment")
        XCTAssertEqual(found["documentTitle"] as? String, title)
        XCTAssertEqual(found["heading"] as? String, title)
        XCTAssertEqual(found["about"] as? String, about)
        XCTAssertEqual(found["list"] as? [String], names)
        let labels = found["labels"] as? [String] ?? []
        XCTAssertEqual(labels.count, 2)
        for (label, name) in zip(labels, names) { XCTAssertTrue(label.contains(name), label) }
        // The current step's name, as the player shows it, is the name itself.
        for (index, name) in names.enumerated() {
            try tab.click("#step-list button[data-step=\"\(index)\"]")
            XCTAssertEqual(try tab.state()["name"] as? String, name)
        }
        let next = try tab.seek(Double(timeline.steps[0].end - 1) / Double(timeline.sampleRate))["next"] as? String
        XCTAssertEqual(next, names[1], "what comes next is the name itself")
        XCTAssertNil(try tab.evaluate("window.__pwned === undefined ? null : String(window.__pwned)") as? String)
        try tab.assertClean(pageURL: url)
        if let shots = ProcessInfo.processInfo.environment["CADENCE_SCREENSHOTS"] {
            try FileManager.default.createDirectory(at: URL(fileURLWithPath: shots), withIntermediateDirectories: true)
            try Data(try tab.screenshot(fullPage: true)).write(
                to: URL(fileURLWithPath: shots).appendingPathComponent("player-markup-full.png"))
        }
    }

    // MARK: Helpers

    /// The activity the player shows for an interval (the page's words).
    static func activity(_ interval: Interval) -> String {
        if let phase = interval.phase { return phase }
        switch interval.kind {
        case .transition: return "Get ready"
        case .hold: return "Hold"
        case .rest: return "Rest"
        case .switchSides: return interval.side.map { "Switch to \($0.rawValue)" } ?? "Switch sides"
        case .inhale: return "Breathe in"
        case .holdIn: return "Hold, lungs full"
        case .exhale: return "Breathe out"
        case .holdOut: return "Hold, lungs empty"
        case .tail: return "Done"
        case .move: return "Move"
        case .ownPace: return "At your own pace"
        case .pause: return "Pause"
        }
    }

    /// Schedules `yaml`, renders it to MP3 (mono, 44.1 kHz), builds the page and writes it to the scratch folder.
    private func makePage(_ yaml: String, name: String) throws -> (Timeline, URL) {
        let routine = try RoutineLoader.parse(Array(yaml.utf8), path: "test.yaml")
        let timeline = Scheduler.schedule(routine, sampleRate: 44_100)
        let track = scratch.appendingPathComponent(name + ".mp3")
        try TrackRenderer.render(timeline, to: track.path, options: RenderOptions(format: .mp3, sampleRate: 44_100, channels: 1))
        let audio = [UInt8](try Data(contentsOf: track))
        let page = scratch.appendingPathComponent(name)
        try PlayerFiles.writeHTML(timeline, audio: audio, audioMimeType: "audio/mpeg", to: page.path)
        return (timeline, page)
    }

    static func pngSize(_ png: [UInt8]) -> (width: Int, height: Int)? {
        guard png.count > 24 else { return nil }
        func word(_ at: Int) -> Int { png[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (word(16), word(20))
    }
}

// MARK: - A small DevTools-protocol client

/// Headless Chromium with its DevTools protocol on file descriptors 3 and 4 (one socket pair):
/// JSON messages, each ended by a NUL byte.
final class HeadlessChromium {
    struct ProtocolError: Error, CustomStringConvertible {
        var description: String
    }

    private let pid: pid_t
    private let socket: Int32
    private var buffer: [UInt8] = []
    private var nextID = 1
    /// Events received and not yet looked at, with their session id.
    fileprivate var events: [[String: Any]] = []
    private var closed = false
    let log: URL

    /// The Chromium binary: `CADENCE_CHROMIUM`, else the first of the usual names found.
    static func binary() -> String? {
        if let chosen = ProcessInfo.processInfo.environment["CADENCE_CHROMIUM"], !chosen.isEmpty { return chosen }
        // Debian's /usr/bin/chromium is a shell wrapper that adds flags (extensions) we do not want.
        var candidates = ["/usr/lib/chromium/chromium"]
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for name in ["chromium", "chromium-browser", "google-chrome-stable", "google-chrome", "chrome"] {
            candidates += path.split(separator: ":").map { "\($0)/\(name)" }
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func launch(profile: URL, file: StaticString = #filePath, line: UInt = #line) throws -> HeadlessChromium {
        if let chosen = ProcessInfo.processInfo.environment["CADENCE_CHROMIUM"], !chosen.isEmpty,
            !FileManager.default.isExecutableFile(atPath: chosen)
        {
            throw XCTSkip("CADENCE_CHROMIUM=\(chosen) is not an executable file; the player page is not tested in a browser.")
        }
        guard let binary = binary() else {
            throw XCTSkip(
                "no Chromium found (looked for /usr/lib/chromium/chromium and chromium, chromium-browser, "
                    + "google-chrome on PATH; set CADENCE_CHROMIUM to choose one). scripts/bootstrap installs Debian's chromium; "
                    + "without it the player page is not tested in a browser.")
        }
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        return try HeadlessChromium(binary: binary, profile: profile)
    }

    private init(binary: String, profile: URL) throws {
        var pair: [Int32] = [0, 0]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            throw ProtocolError(description: "socketpair failed: errno \(errno)")
        }
        // Keep both ends away from 3 and 4, so the child's dup2 onto them makes fresh inheritable copies.
        let parentEnd = fcntl(pair[0], F_DUPFD_CLOEXEC, 10), childEnd = fcntl(pair[1], F_DUPFD_CLOEXEC, 10)
        close(pair[0])
        close(pair[1])
        log = profile.appendingPathComponent("chromium.log")
        let logFile = open(log.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        defer {
            close(childEnd)
            if logFile >= 0 { close(logFile) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if logFile >= 0 {
            posix_spawn_file_actions_adddup2(&actions, logFile, 1)
            posix_spawn_file_actions_adddup2(&actions, logFile, 2)
        }
        posix_spawn_file_actions_adddup2(&actions, childEnd, 3)
        posix_spawn_file_actions_adddup2(&actions, childEnd, 4)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group, so closing it ends its helper processes too.
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)

        var arguments = [
            binary, "--headless", "--remote-debugging-pipe", "--user-data-dir=\(profile.path)",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-sync",
            "--disable-background-networking", "--disable-component-update", "--disable-default-apps",
            "--disable-dev-shm-usage", "--disable-gpu", "--mute-audio", "--hide-scrollbars",
            "--autoplay-policy=no-user-gesture-required", "--use-fake-ui-for-media-stream", "about:blank",
        ]
        // No sandbox: as root (and in many CI containers) Chromium cannot start one; the page is our own.
        arguments.insert("--no-sandbox", at: 1)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, binary, &actions, &attributes, argv, environ)
        guard status == 0 else {
            close(parentEnd)
            throw ProtocolError(description: "cannot start \(binary): errno \(status)")
        }
        pid = child
        socket = parentEnd
    }

    deinit { shutDown() }

    /// Asks the browser to quit, then ends its process group if it has not within 5 s.
    func shutDown() {
        guard !closed else { return }
        closed = true
        _ = try? send("Browser.close", timeout: 3)
        let deadline = Date().addingTimeInterval(5)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() > deadline {
                kill(-pid, SIGKILL)
                waitpid(pid, &status, 0)
                break
            }
            usleep(20_000)
        }
        kill(-pid, SIGKILL)  // any helper left in its group
        Glibc.close(socket)
    }

    /// Sends a command and waits for its answer; events that come meanwhile are kept.
    @discardableResult
    func send(_ method: String, _ params: [String: Any] = [:], session: String? = nil, timeout: TimeInterval = 20) throws -> [String: Any] {
        let id = nextID
        nextID += 1
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        if let session { message["sessionId"] = session }
        var bytes = [UInt8](try JSONSerialization.data(withJSONObject: message))
        bytes.append(0)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw ProtocolError(description: "Chromium closed the pipe (\(method)); see \(log.path)") }
            sent += count
        }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let index = events.firstIndex(where: { ($0["id"] as? Int) == id }) {
                let answer = events.remove(at: index)
                if let error = answer["error"] as? [String: Any] {
                    throw ProtocolError(description: "\(method): \(error["message"] ?? error)")
                }
                return answer["result"] as? [String: Any] ?? [:]
            }
            try receive(until: deadline, waitingFor: method)
        }
    }

    /// Waits for an event of `method` (in `session`) that `matches`, and takes it from the queue.
    func waitForEvent(
        _ method: String, session: String?, timeout: TimeInterval = 20,
        matching matches: ([String: Any]) -> Bool = { _ in true }
    ) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let index = events.firstIndex(where: {
                $0["method"] as? String == method && $0["sessionId"] as? String == session
                    && matches($0["params"] as? [String: Any] ?? [:])
            }) {
                return events.remove(at: index)["params"] as? [String: Any] ?? [:]
            }
            try receive(until: deadline, waitingFor: method)
        }
    }

    /// Takes every queued event of `session` with one of `methods`.
    fileprivate func takeEvents(_ methods: Set<String>, session: String) -> [[String: Any]] {
        // Read whatever has arrived first.
        while (try? receive(until: Date(), waitingFor: "")) != nil {}
        var taken: [[String: Any]] = []
        events.removeAll { event in
            guard let method = event["method"] as? String, methods.contains(method), event["sessionId"] as? String == session else {
                return false
            }
            taken.append(event)
            return true
        }
        return taken
    }

    /// Reads at least one message, or throws when `deadline` passes first.
    private func receive(until deadline: Date, waitingFor what: String) throws {
        while true {
            if let end = buffer.firstIndex(of: 0) {
                let message = Array(buffer[..<end])
                buffer.removeSubrange(...end)
                if let object = try? JSONSerialization.jsonObject(with: Data(message)) as? [String: Any] {
                    events.append(object)
                    // A dialog (alert, confirm) would stop the page: record and dismiss it.
                    if object["method"] as? String == "Page.javascriptDialogOpening", let session = object["sessionId"] as? String {
                        let dismiss: [String: Any] = [
                            "id": 0, "method": "Page.handleJavaScriptDialog",
                            "params": ["accept": false], "sessionId": session,
                        ]
                        var bytes = [UInt8](try JSONSerialization.data(withJSONObject: dismiss))
                        bytes.append(0)
                        _ = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    }
                }
                return
            }
            let wait = Int32(max(0, min(1_000, deadline.timeIntervalSinceNow * 1_000)))
            var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, wait)
            if ready == 0 {
                if Date() >= deadline { throw ProtocolError(description: "Chromium did not answer in time (\(what)); see \(log.path)") }
                continue
            }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let count = read(socket, &chunk, chunk.count)
            guard count > 0 else { throw ProtocolError(description: "Chromium closed the pipe (\(what)); see \(log.path)") }
            buffer += chunk[..<count]
        }
    }

    /// Opens `url` in a new tab of the given size (mobile: a phone's touch screen at 2x) and waits for it to load.
    /// `prelude` is a script run in every document of the tab before its own scripts.
    func openTab(_ url: URL, width: Int, height: Int, mobile: Bool, prelude: String? = nil) throws -> ChromiumTab {
        let target = try send("Target.createTarget", ["url": "about:blank"])
        let targetID = target["targetId"] as! String
        let attached = try send("Target.attachToTarget", ["targetId": targetID, "flatten": true])
        let session = attached["sessionId"] as! String
        for domain in ["Page", "Runtime", "Log", "Network"] { try send("\(domain).enable", session: session) }
        try send(
            "Emulation.setDeviceMetricsOverride",
            [
                "width": width, "height": height, "deviceScaleFactor": mobile ? 2 : 1,
                "mobile": mobile, "screenWidth": width, "screenHeight": height,
            ], session: session)
        if mobile { try send("Emulation.setTouchEmulationEnabled", ["enabled": true, "maxTouchPoints": 5], session: session) }
        if let prelude { try send("Page.addScriptToEvaluateOnNewDocument", ["source": prelude], session: session) }
        try send("Page.navigate", ["url": url.absoluteString], session: session)
        _ = try waitForEvent("Page.loadEventFired", session: session)
        return ChromiumTab(browser: self, session: session, targetID: targetID)
    }
}

/// One tab of the browser, showing the player page.
final class ChromiumTab {
    let browser: HeadlessChromium
    let session: String
    let targetID: String
    /// What went wrong so far: console errors, exceptions, log errors, requests.
    private var errors: [String] = []
    private var requests: [String] = []

    init(browser: HeadlessChromium, session: String, targetID: String) {
        self.browser = browser
        self.session = session
        self.targetID = targetID
    }

    func closeTarget() { _ = try? browser.send("Target.closeTarget", ["targetId": targetID]) }

    /// Evaluates `expression` in the page (awaiting a promise) and returns its value.
    func evaluate(_ expression: String) throws -> Any? {
        let result = try browser.send(
            "Runtime.evaluate",
            [
                "expression": expression, "awaitPromise": true,
                "returnByValue": true, "userGesture": true,
            ], session: session)
        if let exception = result["exceptionDetails"] as? [String: Any] {
            let detail = (exception["exception"] as? [String: Any])?["description"] ?? exception["text"] ?? exception
            throw HeadlessChromium.ProtocolError(description: "the page threw: \(detail)")
        }
        return (result["result"] as? [String: Any])?["value"]
    }

    func evaluateNumber(_ expression: String) throws -> Double {
        let value = try evaluate(expression)
        if let number = value as? Double { return number }
        if let number = value as? Int { return Double(number) }
        throw HeadlessChromium.ProtocolError(description: "expected a number, got \(String(describing: value))")
    }

    /// What the player shows.
    func state() throws -> [String: Any] {
        try evaluate(
            """
            (() => {
              const text = (id) => { const n = document.getElementById(id); return n ? n.textContent : null; };
              return { name: text('step-name'), activity: text('activity'), side: text('side'), setRep: text('set-rep'),
                countdown: text('countdown'), countdownLabel: text('countdown-label'), next: text('next'), count: text('step-count'), about: text('about'),
                time: document.getElementById('audio').currentTime,
                current: Array.from(document.querySelectorAll('svg.cadence-timeline g.step.current')).map((g) => g.getAttribute('data-step')) };
            })()
            """) as? [String: Any] ?? [:]
    }

    /// Puts the audio at `seconds` as any other control would, waits for `seeked` and a frame, and returns what the player shows.
    func seek(_ seconds: Double) throws -> [String: Any] {
        _ = try evaluate(
            """
            new Promise((resolve, reject) => {
              const audio = document.getElementById('audio');
              audio.addEventListener('seeked', () => requestAnimationFrame(() => resolve(true)), { once: true });
              setTimeout(() => reject(new Error('no seeked event')), 5000);
              audio.currentTime = \(seconds);
            })
            """)
        return try state()
    }

    /// Clicks the middle of the first element matching `selector`, as a mouse would.
    func click(_ selector: String) throws {
        let literal = String(decoding: try JSONSerialization.data(withJSONObject: [selector]), as: UTF8.self)
        guard
            let point = try evaluate(
                """
                (() => {
                  const node = document.querySelector(\(literal)[0]);
                  if (!node) { return null; }
                  node.scrollIntoView({ block: 'center', inline: 'center' });
                  const r = node.getBoundingClientRect();
                  return [r.left + r.width / 2, r.top + r.height / 2];
                })()
                """) as? [Any], point.count == 2
        else {
            throw HeadlessChromium.ProtocolError(description: "nothing matches \(selector)")
        }
        let x = (point[0] as? Double) ?? Double(point[0] as? Int ?? 0), y = (point[1] as? Double) ?? Double(point[1] as? Int ?? 0)
        for type in ["mousePressed", "mouseReleased"] {
            try browser.send(
                "Input.dispatchMouseEvent", ["type": type, "x": x, "y": y, "button": "left", "clickCount": 1],
                session: session)
        }
    }

    /// Presses and releases a key on the page (" " is Space).
    func press(_ key: String) throws {
        let codes: [String: (code: String, keyCode: Int)] = [
            " ": ("Space", 32), "ArrowLeft": ("ArrowLeft", 37), "ArrowRight": ("ArrowRight", 39),
        ]
        let (code, keyCode) = codes[key]!
        var down: [String: Any] = [
            "type": key == " " ? "keyDown" : "rawKeyDown", "key": key, "code": code,
            "windowsVirtualKeyCode": keyCode, "nativeVirtualKeyCode": keyCode,
        ]
        if key == " " { down["text"] = " " }
        try browser.send("Input.dispatchKeyEvent", down, session: session)
        try browser.send(
            "Input.dispatchKeyEvent",
            [
                "type": "keyUp", "key": key, "code": code,
                "windowsVirtualKeyCode": keyCode, "nativeVirtualKeyCode": keyCode,
            ], session: session)
    }

    /// A PNG of the viewport (or the whole page).
    func screenshot(fullPage: Bool = false) throws -> [UInt8] {
        let result = try browser.send("Page.captureScreenshot", ["format": "png", "captureBeyondViewport": fullPage], session: session)
        guard let base64 = result["data"] as? String, let data = Data(base64Encoded: base64) else {
            throw HeadlessChromium.ProtocolError(description: "no screenshot data")
        }
        return [UInt8](data)
    }

    /// Fails the test for every console error, uncaught exception, error log entry, dialog, and every
    /// request for anything but the page itself, `data:` URIs and (when given) URLs starting with `allowing`.
    func assertClean(pageURL: URL, allowing: String? = nil, file: StaticString = #filePath, line: UInt = #line) throws {
        collect(pageURL: pageURL, allowing: allowing)
        XCTAssertTrue(sawPage, "the page's own load was not seen: the request watch does not work", file: file, line: line)
        XCTAssertEqual(errors, [], "the page logged errors", file: file, line: line)
        XCTAssertEqual(requests, [], "the page fetched something", file: file, line: line)
    }

    /// Whether the request for the page itself was seen.
    private(set) var sawPage = false

    /// Sorts the events so far into errors and requests; returns the errors and forgets them.
    func takeErrors(pageURL: URL) -> [String] {
        collect(pageURL: pageURL)
        defer { errors = [] }
        return errors
    }

    private func collect(pageURL: URL, allowing: String? = nil) {
        let events = browser.takeEvents(
            [
                "Runtime.consoleAPICalled", "Runtime.exceptionThrown", "Log.entryAdded",
                "Network.requestWillBeSent", "Page.javascriptDialogOpening",
            ], session: session)
        for event in events {
            let params = event["params"] as? [String: Any] ?? [:]
            switch event["method"] as? String {
            case "Runtime.consoleAPICalled":
                let type = params["type"] as? String ?? ""
                if type == "error" || type == "assert" {
                    let args = (params["args"] as? [[String: Any]] ?? []).map { "\($0["value"] ?? $0["description"] ?? "?")" }
                    errors.append("console.\(type): \(args.joined(separator: " "))")
                }
            case "Runtime.exceptionThrown":
                errors.append("exception: \(params["exceptionDetails"] ?? params)")
            case "Log.entryAdded":
                let entry = params["entry"] as? [String: Any] ?? [:]
                if entry["level"] as? String == "error" { errors.append("log: \(entry["text"] ?? entry) \(entry["url"] ?? "")") }
            case "Network.requestWillBeSent":
                let url = (params["request"] as? [String: Any])?["url"] as? String ?? "?"
                if url == pageURL.absoluteString {
                    sawPage = true
                } else if !url.hasPrefix("data:"), !(allowing.map { url.hasPrefix($0) } ?? false) {
                    requests.append(url)
                }
            case "Page.javascriptDialogOpening":
                errors.append("dialog: \(params["message"] ?? "")")
            default:
                break
            }
        }
    }
}
