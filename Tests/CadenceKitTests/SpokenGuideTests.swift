import XCTest
@testable import CadenceKit

/// Where the voice speaks (docs/timeline.md, "Where the voice speaks"), with phrases of known
/// lengths in place of an engine's: announcements on their cue or earlier in their transition,
/// never over a countdown; instructions after them; switch and halfway lines after their sound,
/// shortened where the whole line does not fit; counts and spoken countdowns in place of their
/// sounds; `transition: fit` lengthening a transition by what is missing; and the warnings that
/// name the step's line and column. Also the short countdowns of format 2.
final class SpokenGuideTests: XCTestCase {
    private let rate = 8_000

    private func routine(_ text: String) throws -> Routine {
        try RoutineLoader.parse(Array(text.utf8), path: "guide.yaml")
    }

    private func seconds(_ value: Double) -> Int64 { Int64((value * Double(rate)).rounded()) }

    /// A phrase `length` seconds long for every line, by text (0.5 s for those not named).
    private func phrases(for lines: [SpokenLine], _ lengths: [String: Double]) -> [String: [Float]] {
        var result: [String: [Float]] = [:]
        for text in lines.map(\.text) + lines.compactMap(\.shorter) {
            result[text] = [Float](repeating: 0.1, count: Int(seconds(lengths[text] ?? 0.5)))
        }
        return result
    }

    private func layout(_ timeline: Timeline, voice: SpeechVoice = SpeechVoice(), _ lengths: [String: Double]) throws -> SpeechLayout {
        let lines = VoiceScript.lines(for: timeline, voice: voice, mix: .standard)
        let bank = try SoundBank(sampleRate: rate, gainDecibels: 0, pack: nil)
        let phrases = phrases(for: lines, lengths)
        return SpeechLayout(timeline: timeline, lines: lines, phrase: { phrases[$0] }, sounds: CueMixer.soundSource(bank: bank))
    }

    /// Every placed line is clear of every sound the track still plays (by 100 ms) and of every other line.
    private func assertNothingCollides(_ timeline: Timeline, _ layout: SpeechLayout, file: StaticString = #filePath, line: UInt = #line)
        throws
    {
        let bank = try SoundBank(sampleRate: rate, gainDecibels: 0, pack: nil)
        let source = CueMixer.soundSource(bank: bank, layout: layout)
        var sounds: [(start: Int64, end: Int64, what: String)] = []
        var cut: Set<Int64> = []
        for cue in timeline.cues {
            for sound in source(cue) { sounds.append((cue.sample, cue.sample + Int64(sound.length), cue.type.rawValue)) }
            if layout.cutLengths[SpeechLayout.CueKey(cue)] != nil { cut.insert(cue.sample) }
        }
        let margin = seconds(SpeechLayout.margin)
        for (index, placed) in layout.placed.enumerated() {
            let end = placed.start + Int64(placed.samples.count)
            // A sound cut short by a line ends where the line begins.
            for sound in sounds where sound.start < end + margin && sound.end + (cut.contains(sound.start) ? 0 : margin) > placed.start {
                XCTFail(
                    "\"\(placed.line.text)\" [\(placed.start), \(end)) meets the \(sound.what) sound [\(sound.start), \(sound.end))",
                    file: file, line: line)
            }
            for other in layout.placed[(index + 1)...] where other.start < end {
                XCTFail("\"\(placed.line.text)\" overlaps \"\(other.line.text)\"", file: file, line: line)
            }
        }
    }

    private static let twoSteps = """
        format: 2
        title: Guide
        defaults: {lead_in: 6s, transition: 6s, countdown: 3, tail: 2s, switch: 3s}
        steps:
          - name: Bridge
            hold: 8s
            halfway: true
          - name: Side stretch
            instructions: Reach up and over.
            hold: 8s
            sides: each
        """

    func testEachLineGoesWhereTheReferenceSaysAndNothingCollides() throws {
        let timeline = Scheduler.schedule(try routine(Self.twoSteps), sampleRate: rate)
        let layout = try layout(
            timeline,
            [
                "Bridge": 1.0, "Next: Side stretch": 1.5, "Reach up and over.": 0.8,
                "Switch to the right side": 1.2, "Right side": 0.5, "Halfway": 0.5,
            ])
        let starts = Dictionary(layout.placed.map { ($0.line.text, $0.start) }, uniquingKeysWith: { a, _ in a })
        // The first announcement on its cue (lead-in start + 400 ms).
        XCTAssertEqual(starts["Bridge"], seconds(0.4))
        // After the first step: "Next:" and the name on its cue, cutting the stop sound's tail there.
        XCTAssertEqual(starts["Next: Side stretch"], seconds(14.4))
        let stop = try XCTUnwrap(timeline.cues.first { $0.type == .stop })
        XCTAssertEqual(layout.cutLengths[SpeechLayout.CueKey(stop)], Int(seconds(0.4)), "the stop rings until the words begin")
        // Instructions 100 ms after the announcement, ending before the first countdown beep (17 s).
        XCTAssertEqual(starts["Reach up and over."], seconds(16.0))
        // The 3 s switch counts down its last second (format 2), so the whole line has no room
        // between the chime and that beep: the short form is said, 100 ms after the chime.
        XCTAssertNil(starts["Switch to the right side"])
        let chime = try SoundBank(sampleRate: rate, gainDecibels: 0, pack: nil).samples(for: .switchSides).count
        let switchCue = try XCTUnwrap(timeline.cues.first { $0.type == .switchSides })
        XCTAssertEqual(starts["Right side"], switchCue.sample + Int64(chime) + seconds(0.1))
        let taps = try SoundBank(sampleRate: rate, gainDecibels: 0, pack: nil).samples(for: .halfway).count
        XCTAssertEqual(starts["Halfway"], seconds(10) + Int64(taps) + seconds(0.1))
        XCTAssertTrue(layout.shortfalls.isEmpty, "\(layout.shortfalls.map(\.line.text))")
        XCTAssertTrue(layout.replaced.allSatisfy { $0.type == .announce }, "only the announce calls give way")
        try assertNothingCollides(timeline, layout)
    }

    func testALongAnnouncementStartsEarlierInItsTransitionButNeverLaterThanItsCue() throws {
        let timeline = Scheduler.schedule(try routine(Self.twoSteps), sampleRate: rate)
        // 2.5 s from 14.4 s would reach the beep at 17 s: it starts early enough to end 100 ms before it.
        let layout = try layout(timeline, ["Next: Side stretch": 2.6, "Reach up and over.": 0.1])
        let announcement = try XCTUnwrap(layout.placed.first { $0.line.kind == .announcement && $0.line.step == 1 })
        XCTAssertEqual(announcement.start, seconds(17 - 0.1 - 2.6))
        XCTAssertLessThan(announcement.start, announcement.line.cue.sample)
        try assertNothingCollides(timeline, layout)
    }

    func testWhatDoesNotFitIsReportedAndOnlyTheAnnouncementIsSaidAnyway() throws {
        let guideRoutine = try routine(Self.twoSteps)
        let timeline = Scheduler.schedule(guideRoutine, sampleRate: rate)
        let lengths = ["Next: Side stretch": 5.0, "Side stretch": 5.0, "Reach up and over.": 4.0, "Halfway": 5.0]
        let layout = try layout(timeline, lengths)
        let missing = Dictionary(layout.shortfalls.map { ($0.line.kind, $0) }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(Set(missing.keys), [.announcement, .instructions, .halfway])
        XCTAssertFalse(missing[.announcement]!.isLeftOut)
        XCTAssertEqual(layout.placed.first { $0.line.kind == .announcement && $0.line.step == 1 }?.start, seconds(14.4), "said on its cue")
        XCTAssertFalse(layout.placed.contains { $0.line.kind == .instructions || $0.line.kind == .halfway }, "left out")

        let guide = try SpokenGuide.make(for: guideRoutine, day: 1, sampleRate: rate, level: .normal) { timeline in
            try self.layout(timeline, lengths)
        }
        let warnings = guide.warnings(path: "guide.yaml")
        XCTAssertEqual(warnings.count, 3, "\(warnings)")
        // At the line and column where each step's mapping starts; 2.8 s clear for the announcement:
        // from the stop's heard attack (14.15 s) to 100 ms before the first beep (17 s).
        XCTAssertTrue(
            warnings[0].hasPrefix(
                "guide.yaml:8:5: warning: step 2 \"Side stretch\": its announcement \"Next: Side stretch\" takes 5.0 s, and 2.8 s are clear"
            ),
            warnings[0])
        XCTAssertTrue(warnings[0].contains("(2.3 s missing: lengthen its transition, or write `transition: fit`)"), warnings[0])
        XCTAssertTrue(warnings[1].hasPrefix("guide.yaml:8:5: warning: step 2 \"Side stretch\": its instructions take 4.0 s"), warnings[1])
        XCTAssertTrue(warnings[1].contains("they are left out"), warnings[1])
        XCTAssertTrue(warnings[2].hasPrefix("guide.yaml:5:5: warning: step 1 \"Bridge\": \"Halfway\" takes 5.0 s"), warnings[2])
    }

    func testTransitionFitLengthensTheTransitionByWhatIsMissing() throws {
        let text = Self.twoSteps.replacingOccurrences(
            of: "    instructions: Reach up and over.\n",
            with: "    instructions: Reach up and over.\n    transition: fit\n")
        let fitted = try routine(text)
        XCTAssertEqual(fitted.steps[1].extras.transitionFitsSpeech, true)
        let lengths = ["Next: Side stretch": 5.0, "Side stretch": 5.0, "Reach up and over.": 4.0]
        let guide = try SpokenGuide.make(for: fitted, day: 1, sampleRate: rate, level: .normal) { timeline in
            try self.layout(timeline, lengths)
        }
        // Without a voice `fit` is the default transition: the same timeline as before.
        XCTAssertEqual(Scheduler.schedule(fitted, sampleRate: rate), Scheduler.schedule(try routine(Self.twoSteps), sampleRate: rate))
        let added = try XCTUnwrap(guide.lengthenedTransitions[1])
        XCTAssertEqual(added % 100_000, 0, "whole tenths of a second")
        let transition = try XCTUnwrap(guide.timeline.intervals.first { $0.kind == .transition && $0.step == 1 })
        XCTAssertEqual(transition.duration, 6_000_000 + added)
        XCTAssertEqual(guide.warnings(path: "guide.yaml"), [], "it all fits now")
        XCTAssertEqual(
            guide.lengthenedTransitionNotes,
            ["transition before step 2 \"Side stretch\" lengthened by \(SpokenGuide.seconds(added)) s to fit its speech (transition: fit)"])
        // The stop rings 0.4 s, the announcement (5 s) and instructions (4 s) 100 ms apart, then
        // 100 ms before the first of three beeps: 0.4 + 5 + 0.1 + 4 + 0.1 + 3 = 12.6 s at least.
        XCTAssertGreaterThanOrEqual(transition.duration, 12_600_000)
        XCTAssertLessThanOrEqual(transition.duration, 12_600_000 + 300_000, "not much more than it needs")
        try assertNothingCollides(guide.timeline, try XCTUnwrap(guide.layout))
        // The player page, scheduled again at its own rate, keeps the lengths.
        let again = Scheduler.schedule(fitted, sampleRate: 44_100, lengthenedTransitions: guide.timeline.lengthenedTransitions)
        XCTAssertEqual(again.totalTime, guide.timeline.totalTime)
    }

    func testCountsAndSpokenCountdownsTakeThePlaceOfTheirSounds() throws {
        let timeline = Scheduler.schedule(
            try routine(
                """
                format: 2
                title: Counted
                defaults: {lead_in: 3s, countdown: 3, tail: 1s}
                steps:
                  - name: Squeeze
                    hold: 7s
                    reps: 3
                    rest: 4s
                """), sampleRate: rate)
        let numbers = try layout(timeline, voice: SpeechVoice(counts: .numbers, spokenCountdown: true), ["Squeeze": 0.5])
        let counts = numbers.placed.filter { $0.line.kind == .count }
        XCTAssertEqual(counts.map(\.line.text), ["One", "Two", "Three"])
        let goes = timeline.cues.filter { $0.type == .go }.map(\.sample)
        XCTAssertEqual(counts.map(\.start), goes, "each count on its rep's go cue")
        let spokenBeeps = numbers.placed.filter { $0.line.kind == .countdown }
        XCTAssertEqual(spokenBeeps.count, timeline.cues.filter { $0.type == .countdown }.count, "every beep spoken")
        XCTAssertEqual(Set(spokenBeeps.map(\.line.text)), ["Three", "Two", "One"])
        let bank = try SoundBank(sampleRate: rate, gainDecibels: 0, pack: nil)
        let source = CueMixer.soundSource(bank: bank, layout: numbers)
        for cue in timeline.cues where cue.type == .go || cue.type == .countdown {
            XCTAssertTrue(source(cue).isEmpty, "\(cue.type.rawValue) at \(cue.sample): the word replaces the sound")
        }
        try assertNothingCollides(timeline, numbers)

        let last = try layout(timeline, voice: SpeechVoice(counts: .last), ["Squeeze": 0.5])
        XCTAssertEqual(last.placed.filter { $0.line.kind == .count }.map(\.line.text), ["Last one"])
        XCTAssertEqual(last.placed.filter { $0.line.kind == .rest }.count, 2, "\"Rest\" after each rest's stop")
        XCTAssertEqual(NumberWords.spelled(21), "Twenty-one")
        XCTAssertEqual(NumberWords.spelled(100), "One hundred")
    }

    // MARK: Short countdowns

    private static let shortIntervals = """
        title: Short
        defaults: {lead_in: 1500ms, countdown: 3, tail: 1s}
        steps:
          - name: Hold
            hold: 6s
            reps: 2
            rest: 3s
            sides: each
            switch: 5s
        """

    func testFormatTwoCountsDownTheSecondHalfOfShortRestsAndSwitches() throws {
        let two = Scheduler.schedule(try routine("format: 2\n" + Self.shortIntervals), sampleRate: rate)
        func beeps(in kind: IntervalKind, _ timeline: Timeline) -> [[Int]] {
            timeline.intervals.filter { $0.kind == kind }.map { interval in
                timeline.cues.filter { $0.type == .countdown && $0.sample >= interval.start && $0.sample < interval.end }
                    .map { Int(interval.end - $0.sample) / rate }
            }
        }
        XCTAssertEqual(beeps(in: .switchSides, two), [[2, 1]], "a 5 s switch: two beeps, 2 s and 1 s before its end")
        XCTAssertEqual(beeps(in: .rest, two), [[1], [1]], "a 3 s rest: one beep")
        XCTAssertEqual(beeps(in: .transition, two), [[]], "a 1.5 s lead-in: none")
        XCTAssertEqual(beeps(in: .hold, two), [[3, 2, 1], [3, 2, 1], [3, 2, 1], [3, 2, 1]], "holds as before")
        // Version 1 keeps its timeline: no beeps in intervals shorter than 2n seconds.
        let one = Scheduler.schedule(try routine(Self.shortIntervals), sampleRate: rate)
        XCTAssertEqual(beeps(in: .switchSides, one), [[]])
        XCTAssertEqual(beeps(in: .rest, one), [[], []])
    }

    func testTransitionFitIsAFormatTwoValue() throws {
        XCTAssertThrowsError(
            try routine(
                """
                title: Old
                steps:
                  - {name: A, hold: 5s, transition: fit}
                """)
        ) { error in
            XCTAssertTrue("\(error)".contains("guide.yaml:3:"), "\(error)")
        }
        let defaults = try routine(
            """
            format: 2
            title: New
            defaults: {transition: fit}
            steps:
              - {name: A, hold: 5s}
              - {name: B, hold: 5s, transition: 3s}
              - {pause: Lie down, time: 5s}
            """)
        XCTAssertEqual(
            defaults.steps.map(\.extras.transitionFitsSpeech), [true, false, false],
            "`defaults: {transition: fit}` for every step without its own transition (a pause has none)")
    }
}
