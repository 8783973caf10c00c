import CadenceTestSupport
import Foundation
import XCTest

/// `cadence render ROUTINE --html FILE`: the page written beside the track, its embedded audio,
/// and what happens when the page cannot be written or several routines are given.
final class PlayerRenderCommandTests: XCTestCase {
    private let routine = """
        title: Page <b>test</b>
        about: Two short holds.
        defaults:
          lead_in: 2s
          tail: 1s
        steps:
          - name: First & only
            hold: 3s
            reps: 2
            rest: 1s

        """

    func testTheRenderedPageEmbedsTheSessionAsMP3OfTheTimelinesLength() throws {
        try RenderCLI.requireFFmpeg()
        let folder = try ScratchFolder(for: self).url
        try write(routine, to: "page.yaml", in: folder)
        let result = try runCadence(
            [
                "render", "page.yaml", "-o", "page.wav", "--html", "page.html", "--sample-rate", "48000",
                "--timeline", "page.json", "-q",
            ], in: folder)
        XCTAssertEqual(result.code, 0, result.stderr)
        let html = try String(contentsOf: folder.appendingPathComponent("page.html"), encoding: .utf8)
        // The title is escaped, the audio is an MP3 data URI.
        XCTAssertTrue(html.contains("Page &lt;b&gt;test&lt;/b&gt;"), "the title must appear escaped")
        XCTAssertFalse(html.contains("<b>test</b>"), "markup from the routine must not reach the page")
        let marker = "data:audio/mpeg;base64,"
        let start = try XCTUnwrap(html.range(of: marker), "no MP3 data URI in the page").upperBound
        let end = try XCTUnwrap(html[start...].firstIndex(of: "\""))
        let audio = try XCTUnwrap(Data(base64Encoded: String(html[start..<end])), "the data URI is not base64")
        let mp3 = folder.appendingPathComponent("embedded.mp3")
        try audio.write(to: mp3)
        // 2 s lead-in + 3 s + 1 s + 3 s + 1 s tail = 10 s; MP3 at 48 kHz (an MP3 rate) keeps the track's timeline.
        let timeline = try jsonObject(String(contentsOf: folder.appendingPathComponent("page.json"), encoding: .utf8))
        XCTAssertEqual(timeline["total_samples"] as? Int, 480_000)
        let decoded = try RenderCLI.decode(mp3)
        XCTAssertEqual(Double(decoded.count) / 48_000, 10, accuracy: 0.06, "the page's audio must last as long as the timeline")
    }

    func testAPageForARateMP3CannotStoreIsRenderedAt44100() throws {
        let folder = try ScratchFolder(for: self).url
        try write(routine, to: "page.yaml", in: folder)
        let result = try runCadence(
            ["render", "page.yaml", "-o", "page.wav", "--html", "page.html", "--sample-rate", "96000", "-q"],
            in: folder)
        XCTAssertEqual(result.code, 0, result.stderr)
        let html = try String(contentsOf: folder.appendingPathComponent("page.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("\"sample_rate\": 44100"), "the embedded timeline must be the page audio's (44100 Hz)")
    }

    func testAPageThatCannotBeWrittenLeavesTheExistingTrackUntouched() throws {
        let folder = try ScratchFolder(for: self).url
        try write(routine, to: "page.yaml", in: folder)
        try write("old track", to: "page.wav", in: folder)
        try write("notes", to: "notes.txt", in: folder)
        let result = try runCadence(
            [
                "render", "page.yaml", "-o", "page.wav", "--html", "notes.txt/page.html", "-q",
                "--sample-rate", "8000",
            ], in: folder)
        XCTAssertEqual(result.code, 73, result.stderr)
        XCTAssertTrue(result.stderr.contains("notes.txt/page.html"), result.stderr)
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("page.wav"), encoding: .utf8), "old track")
        XCTAssertEqual(RenderCLI.partialFiles(in: folder), [])
    }

    func testHTMLTakesOneRoutineAtATime() throws {
        let folder = try ScratchFolder(for: self).url
        try write(routine, to: "a.yaml", in: folder)
        try write(routine, to: "b.yaml", in: folder)
        let result = try runCadence(["render", "a.yaml", "b.yaml", "--out-dir", "out", "--html", "p.html"], in: folder)
        XCTAssertEqual(result.code, 64, result.stderr)
        XCTAssertTrue(result.stderr.contains("--html"), result.stderr)
    }
}
