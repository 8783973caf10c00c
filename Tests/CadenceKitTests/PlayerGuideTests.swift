import Foundation
import XCTest
@testable import CadenceKit

/// The player as a guide, at the level of the page's markup: `PlayerGuide` (what the voice says
/// beyond the name, and the instructions), the day of a program, the round element of a circuit,
/// and the option to wait at own-pace parts (the browser tests in CadenceCLITests run them).
final class PlayerGuideTests: XCTestCase {
    static let program = """
        format: 2
        title: Guide
        days: 3
        steps:
          - name: Hamstring pulls
            say: On your back, pull one leg in <gently> & slowly
            instructions: Lie on your back & raise one leg.
            tempo: pull 2s, lower 2s
            reps: 2
          - name: Walk
            own_pace: 20s
          - circuit: Core
            rounds: 2
            steps:
              - name: Bird dog
                hold: 5s
              - name: Plank
                say: Plank, on your elbows
                hold: 5s
        """

    private func page(_ timeline: Timeline) -> String {
        PlayerPage.html(timeline: timeline, audio: [1, 2, 3], audioMimeType: "audio/mpeg")
    }

    func testWhatTheVoiceSaysIsShownBeyondTheNameWithoutTheRound() throws {
        let timeline = try schedule(Self.program, rate: 8_000)
        XCTAssertEqual(timeline.steps.map(\.name), ["Hamstring pulls", "Walk", "Bird dog", "Plank", "Bird dog", "Plank"])
        XCTAssertEqual(
            timeline.steps.indices.map { PlayerGuide.say(timeline, step: $0) },
            ["On your back, pull one leg in <gently> & slowly", nil, nil, "Plank, on your elbows", nil, "Plank, on your elbows"])
        // The announcement names the round ("Round 2 of 2. Bird dog"); the page shows the round apart.
        XCTAssertEqual(timeline.cues.first { $0.type == .announce && $0.step == 4 }?.text, "Round 2 of 2. Bird dog")
        XCTAssertEqual(
            timeline.steps.indices.map { PlayerGuide.instructions(timeline, step: $0) },
            ["Lie on your back & raise one leg.", nil, nil, nil, nil, nil])
        XCTAssertTrue(PlayerGuide.isNeeded(timeline))
    }

    func testThePageHasTheGuideTheDayTheRoundAndTheOptionToWait() throws {
        let routine = try parseRoutine(Self.program)
        let timeline = Scheduler.schedule(routine, sampleRate: 8_000, day: 2)
        let html = page(timeline)
        XCTAssertEqual(TagScanner.content(of: "day", in: html), "Day 2 of 3")
        XCTAssertEqual(TagScanner.content(of: "say", in: html), "On your back, pull one leg in &lt;gently&gt; &amp; slowly")
        XCTAssertEqual(TagScanner.content(of: "instructions", in: html), "Lie on your back &amp; raise one leg.")
        XCTAssertTrue(html.contains("<section class=\"guide\" id=\"guide\" aria-label=\"How to do it\"><h3>"), "shown for the first step")
        XCTAssertEqual(TagScanner.content(of: "round", in: html), "", "filled in by the script")
        let tags = try TagScanner.scan(html)
        let option = try XCTUnwrap(tags.first { $0.attributes["id"] == "wait-option" })
        XCTAssertEqual(option.attributes["type"], "checkbox")
        XCTAssertEqual(option.attributes["role"], "switch")
        XCTAssertNil(option.attributes["checked"], "off unless the person turns it on")
        XCTAssertNotNil(tags.first { $0.attributes["id"] == "wait" }?.attributes["hidden"], "the wait is hidden until it happens")
        XCTAssertEqual(TagScanner.content(of: "go-on", in: html), "Go on")
    }

    func testAPageWithoutThemHasNone() throws {
        // Version 1, no `say`: no guide, no day, no round, no option.
        let html = page(try schedule(PlayerFixtures.everyKind, rate: 8_000))
        for id in ["guide", "day", "round", "wait", "wait-option", "go-on"] {
            XCTAssertFalse(html.contains("id=\"\(id)\""), id)
        }
        // A first step with nothing beyond its name: the guide is there for the others, hidden at first.
        let later = try schedule(
            """
            format: 2
            title: Later
            steps:
              - name: Rest first
                hold: 5s
              - name: Then this
                instructions: Slowly.
                hold: 5s
            """, rate: 8_000)
        XCTAssertTrue(page(later).contains("<section class=\"guide\" id=\"guide\" aria-label=\"How to do it\" hidden>"))
    }
}
