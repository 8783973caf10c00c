import CadenceTestSupport
import Foundation
import XCTest
@testable import CadenceKit

/// `PlayerPage.html`: one self-contained page, checked at the level of its markup (the browser
/// tests in CadenceCLITests run it in Chromium).
final class PlayerPageTests: XCTestCase {
    /// Some bytes standing in for a track: every byte value, so the base64 has `+`, `/` and padding.
    private let audio: [UInt8] = (0..<1_000).map { UInt8(($0 * 7 + 3) % 256) }

    private func page(_ yaml: String, rate: Int = 44_100) throws -> (Timeline, String) {
        let timeline = try schedule(yaml, rate: rate)
        return (timeline, PlayerPage.html(timeline: timeline, audio: audio, audioMimeType: "audio/mpeg"))
    }

    func testThePageIsOneHTML5DocumentWithTheViewportLanguageAndTitle() throws {
        let (timeline, html) = try page(PlayerFixtures.everyKind)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        XCTAssertTrue(html.hasSuffix("</html>\n"))
        let tags = try TagScanner.scan(html)
        let meta = tags.filter { $0.name == "meta" }
        XCTAssertTrue(meta.contains { $0.attributes["charset"] == "utf-8" })
        XCTAssertTrue(
            meta.contains { $0.attributes["name"] == "viewport" && ($0.attributes["content"] ?? "").contains("width=device-width") })
        XCTAssertEqual(TagScanner.content(of: "title", in: html), timeline.title)
        XCTAssertTrue(html.contains("<title>Every kind</title>"))
        // Elements open and close in balance (void elements aside).
        let void: Set<String> = ["meta", "link", "input", "path", "rect", "circle", "line"]
        var stack: [String] = []
        for tag in tags where !void.contains(tag.name) {
            if tag.closing {
                XCTAssertEqual(stack.popLast(), tag.name, "</\(tag.name)> closes something else")
            } else {
                stack.append(tag.name)
            }
        }
        XCTAssertEqual(stack, [])
    }

    func testTheContentSecurityPolicyForbidsEveryFetch() throws {
        let (_, html) = try page(PlayerFixtures.everyKind)
        let tags = try TagScanner.scan(html)
        let csp = try XCTUnwrap(tags.first { $0.attributes["http-equiv"] == "Content-Security-Policy" }?.attributes["content"])
        XCTAssertTrue(csp.hasPrefix("default-src 'none'; "), csp)
        for directive in ["media-src data:", "img-src data:", "style-src 'unsafe-inline'", "script-src 'unsafe-inline'"] {
            XCTAssertTrue(csp.contains(directive + ";") || csp.hasSuffix(directive), "\(directive) in \(csp)")
        }
        XCTAssertFalse(csp.contains("http"))
        // The policy comes before any style or script.
        let policyIndex = try XCTUnwrap(tags.firstIndex { $0.attributes["http-equiv"] == "Content-Security-Policy" })
        let firstActive = try XCTUnwrap(tags.firstIndex { $0.name == "style" || $0.name == "script" })
        XCTAssertLessThan(policyIndex, firstActive)
    }

    func testThePageNeedsNothingElse() throws {
        let (_, html) = try page(PlayerFixtures.everyKind)
        let tags = try TagScanner.scan(html)
        // Every src and href is a data: URI or a reference inside the page.
        for tag in tags {
            for name in ["src", "href", "xlink:href", "action", "poster", "srcset"] {
                guard let value = tag.attributes[name] else { continue }
                XCTAssertTrue(value.hasPrefix("data:") || value.hasPrefix("#"), "<\(tag.name) \(name)=\(value.prefix(40))>")
            }
        }
        XCTAssertEqual(tags.filter { $0.name == "script" && !$0.closing }.count, 2, "the timeline data and the player script")
        XCTAssertTrue(tags.filter { $0.name == "script" && !$0.closing }.allSatisfy { $0.attributes["src"] == nil })
        XCTAssertFalse(tags.contains { ["iframe", "object", "embed", "img", "base", "form", "source"].contains($0.name) })
        // No URL besides the SVG namespace, once the audio's base64 (which may hold `//`) is set aside.
        let withoutAudio = try removingAudio(html)
        XCTAssertEqual(withoutAudio.components(separatedBy: "http://").count - 1, 1)
        XCTAssertTrue(withoutAudio.contains("xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertFalse(withoutAudio.contains("https:"))
        XCTAssertFalse(
            withoutAudio.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("//"),
            "no protocol-relative URL (nor // comments that look like one)")
        XCTAssertFalse(withoutAudio.contains("@import"))
        XCTAssertFalse(withoutAudio.contains("@font-face"))
        let urls = withoutAudio.components(separatedBy: "url(").dropFirst()
        for url in urls { XCTAssertTrue(url.hasPrefix("#"), "url(\(url.prefix(30))") }
        XCTAssertFalse(withoutAudio.contains("fetch("))
        XCTAssertFalse(withoutAudio.contains("XMLHttpRequest"))
        XCTAssertFalse(withoutAudio.contains("innerHTML"))
    }

    func testTheAudioIsEmbeddedAsABase64DataURI() throws {
        let (_, html) = try page(PlayerFixtures.everyKind)
        let tags = try TagScanner.scan(html)
        let audioTags = tags.filter { $0.name == "audio" && !$0.closing }
        XCTAssertEqual(audioTags.count, 1)
        let source = try XCTUnwrap(audioTags.first?.attributes["src"])
        let prefix = "data:audio/mpeg;base64,"
        XCTAssertTrue(source.hasPrefix(prefix), String(source.prefix(40)))
        let decoded = try XCTUnwrap(Data(base64Encoded: String(source.dropFirst(prefix.count))))
        XCTAssertEqual([UInt8](decoded), audio)
        // Other types go through as given (escaped).
        let timeline = try schedule(PlayerFixtures.everyKind, rate: 48_000)
        let opus = PlayerPage.html(timeline: timeline, audio: [1, 2, 3], audioMimeType: PlayerPage.mimeType(for: .opus))
        XCTAssertTrue(opus.contains("src=\"data:audio/ogg; codecs=opus;base64,AQID\""))
        XCTAssertEqual(PlayerPage.mimeType(for: .mp3), "audio/mpeg")
    }

    func testTheTimelineDataIsTheTimelineJSON() throws {
        let (timeline, html) = try page(PlayerFixtures.everyKind, rate: 48_000)
        let json = try XCTUnwrap(timelineScript(html))
        XCTAssertEqual(
            json.trimmingCharacters(in: .whitespacesAndNewlines),
            TimelineJSON.encode(timeline).trimmingCharacters(in: .whitespacesAndNewlines))
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(object["sample_rate"] as? Int, 48_000)
        XCTAssertEqual((object["intervals"] as? [Any])?.count, timeline.intervals.count)
    }

    func testThePageShowsTheStepsTheTimelineAndTheAbout() throws {
        let (timeline, html) = try page(PlayerFixtures.everyKind)
        for id in [
            "step-name", "activity", "side", "set-rep", "countdown", "next", "play", "prev", "next-step", "seek",
            "phase-bar", "elapsed", "remaining", "step-count", "step-list", "cadence-playhead", "about", "timeline", "audio",
        ] {
            XCTAssertTrue(html.contains("id=\"\(id)\""), "the page has no #\(id)")
        }
        XCTAssertEqual(TagScanner.content(of: "about", in: html), "Two steps.")
        // The picture is the timeline's, with one clickable group per step.
        XCTAssertTrue(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        XCTAssertEqual(html.components(separatedBy: "<g class=\"step\" data-step=").count - 1, timeline.steps.count)
        let listButtons = try TagScanner.scan(html).filter { $0.name == "button" && $0.attributes["data-step"] != nil }
        XCTAssertEqual(listButtons.map { $0.attributes["data-step"]! }, timeline.steps.indices.map(String.init))
        // Without an about there is no about section.
        let (_, bare) = try page("title: T\nsteps:\n  - name: A\n    hold: 3s\n")
        XCTAssertFalse(bare.contains("id=\"about\""))
    }

    func testRoutineTextCanOnlyBeText() throws {
        let (timeline, html) = try page(HostileMarkup.routine)
        XCTAssertEqual(timeline.title, HostileMarkup.title)
        XCTAssertEqual(timeline.about, HostileMarkup.about)
        XCTAssertEqual(timeline.steps.map(\.name), HostileMarkup.stepNames)
        XCTAssertTrue(timeline.cues.contains { $0.text == HostileMarkup.say })

        // None of the markup appears as it is, anywhere (the audio aside, which is base64).
        let withoutAudio = try removingAudio(html)
        for fragment in HostileMarkup.dangerous {
            XCTAssertFalse(withoutAudio.contains(fragment), "`\(fragment)` appears unescaped in the page")
        }
        // The page has exactly its own elements: two scripts, one style, no injected element or handler.
        let tags = try TagScanner.scan(html)
        let allowed: Set<String> = [
            "html", "head", "meta", "title", "link", "style", "body", "div", "header", "h1", "h2", "h3",
            "p", "main", "section", "span", "input", "button", "svg", "path", "figure", "g", "rect",
            "text", "line", "defs", "pattern", "circle", "ol", "li", "audio", "script",
        ]
        XCTAssertEqual(Set(tags.map(\.name)).subtracting(allowed), [])
        XCTAssertEqual(tags.filter { $0.name == "script" && !$0.closing }.count, 2)
        XCTAssertEqual(tags.filter { $0.name == "style" && !$0.closing }.count, 1)
        for tag in tags {
            XCTAssertFalse(tag.attributes.keys.contains { $0.hasPrefix("on") }, "handler attribute on <\(tag.name)>: \(tag.attributes)")
        }
        XCTAssertEqual(html.components(separatedBy: "</script>").count - 1, 2)

        // The text comes back exactly once the five character references are read.
        XCTAssertEqual(TagScanner.content(of: "title", in: html).map(unescapeMarkup), HostileMarkup.title)
        XCTAssertTrue(html.contains("<title>" + MarkupText.escape(HostileMarkup.title) + "</title>"))
        XCTAssertEqual(TagScanner.content(of: "about", in: html).map(unescapeMarkup), HostileMarkup.about)
        XCTAssertEqual(TagScanner.content(of: "step-name", in: html).map(unescapeMarkup), HostileMarkup.stepNames[0])
        for name in HostileMarkup.stepNames {
            XCTAssertTrue(html.contains("<span class=\"name\">\(MarkupText.escape(name))</span>"), name)
        }
        // The JSON block ends where it should and holds the text as it is.
        let json = try XCTUnwrap(timelineScript(html))
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(object["title"] as? String, HostileMarkup.title)
        XCTAssertEqual(object["about"] as? String, HostileMarkup.about)
        XCTAssertEqual((object["steps"] as? [[String: Any]])?.compactMap { $0["name"] as? String }, HostileMarkup.stepNames)
        let cues = try XCTUnwrap(object["cues"] as? [[String: Any]])
        XCTAssertTrue(cues.contains { $0["text"] as? String == HostileMarkup.say })
        XCTAssertFalse(json.contains("<"))
        // The inline picture is well-formed on its own too.
        let svgStart = try XCTUnwrap(html.range(of: "<svg xmlns="))
        let svgEnd = try XCTUnwrap(html.range(of: "</svg>\n</figure>"))
        let svg = String(html[svgStart.lowerBound..<svgEnd.lowerBound]) + "</svg>"
        XCTAssertNil(SVGReader.read(svg).error)
    }

    func testEscapingLeavesOnlyText() {
        XCTAssertEqual(
            MarkupText.escape(#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;")
        XCTAssertEqual(MarkupText.escape("]]>"), "]]&gt;")
        XCTAssertEqual(MarkupText.escape("one\ntwo\tthree"), "one\ntwo\tthree")
        XCTAssertEqual(MarkupText.escape("a\u{0}b\u{1B}c\u{FFFF}d"), "abcd", "characters XML forbids are dropped")
        XCTAssertEqual(MarkupText.escape("Übung · 呼吸 🧘"), "Übung · 呼吸 🧘")
    }

    func testWriteHTMLWritesThePageAtomically() throws {
        let folder = try ScratchFolder(for: self, "html").url
        let timeline = try schedule(PlayerFixtures.everyKind, rate: 44_100)
        let path = folder.appendingPathComponent("session.html").path
        try PlayerFiles.writeHTML(timeline, audio: audio, audioMimeType: "audio/mpeg", to: path)
        XCTAssertEqual(
            try String(contentsOfFile: path, encoding: .utf8),
            PlayerPage.html(timeline: timeline, audio: audio, audioMimeType: "audio/mpeg"))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["session.html"])
        XCTAssertThrowsError(
            try PlayerFiles.writeHTML(
                timeline, audio: audio, audioMimeType: "audio/mpeg",
                to: folder.appendingPathComponent("no/such/folder.html").path))
    }

    // MARK: Helpers

    /// The page with the audio's base64 taken out.
    private func removingAudio(_ html: String) throws -> String {
        let start = try XCTUnwrap(html.range(of: "src=\"data:audio/mpeg;base64,"))
        let end = try XCTUnwrap(html[start.upperBound...].firstIndex(of: "\""))
        return String(html[..<start.upperBound]) + String(html[end...])
    }

    /// The text of `<script type="application/json" id="timeline">`, up to the first `</script>`.
    private func timelineScript(_ html: String) -> String? {
        guard let open = html.range(of: "<script type=\"application/json\" id=\"timeline\">"),
            let close = html[open.upperBound...].range(of: "</script>")
        else { return nil }
        return String(html[open.upperBound..<close.lowerBound])
    }
}
