import CadenceTestSupport
import Foundation
import XCTest
@testable import CadenceKit

/// `TimelineSVG.svg`: the whole session as one standalone picture.
final class PlayerSVGTests: XCTestCase {
    func testThePictureIsWellFormedStandaloneSVG() throws {
        let timeline = try schedule(PlayerFixtures.everyKind, rate: 44_100)
        let svg = TimelineSVG.svg(timeline)
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1000 "), String(svg.prefix(200)))
        let reader = SVGReader.read(svg)
        XCTAssertNil(reader.error, "the SVG must be well-formed XML: \(String(describing: reader.error))")
        let root = try XCTUnwrap(reader.elements.first)
        XCTAssertEqual(root.name, "svg")
        XCTAssertEqual(root.namespace, "http://www.w3.org/2000/svg")
        let viewBox = try XCTUnwrap(root.attributes["viewBox"]).split(separator: " ").compactMap { Double($0) }
        XCTAssertEqual(viewBox.count, 4)
        XCTAssertGreaterThan(viewBox[3], 50)

        // Nothing outside the file: no scripts, no styles, no images, no links, no foreign content.
        let forbidden: Set<String> = ["script", "style", "image", "foreignObject", "a", "use", "iframe", "feImage"]
        XCTAssertEqual(reader.elements.filter { forbidden.contains($0.name) }.map(\.name), [])
        for element in reader.elements {
            for (name, value) in element.attributes {
                XCTAssertFalse(name.lowercased().hasPrefix("on"), "event handler attribute \(name) on <\(element.name)>")
                XCTAssertFalse(name.hasSuffix("href"), "link attribute \(name) on <\(element.name)>")
                if value.contains("url(") {
                    XCTAssertTrue(value.hasPrefix("url(#"), "only references inside the file: \(name)=\(value)")
                }
            }
        }
        XCTAssertFalse(svg.contains("https:"))
        XCTAssertEqual(svg.components(separatedBy: "http:").count - 1, 1, "only the SVG namespace names a URL")
        // The patterns that fills refer to are defined in the file.
        let ids = Set(reader.elements.compactMap { $0.attributes["id"] })
        for element in reader.elements {
            if let fill = element.attributes["fill"], fill.hasPrefix("url(#") {
                XCTAssertTrue(ids.contains(String(fill.dropFirst(5).dropLast())), "undefined fill \(fill)")
            }
        }
    }

    func testOneClickableSegmentPerStepWithItsTimes() throws {
        let timeline = try schedule(PlayerFixtures.everyKind, rate: 48_000)
        let reader = SVGReader.read(TimelineSVG.svg(timeline))
        XCTAssertNil(reader.error)
        let groups = reader.all("g", class: "step")
        XCTAssertEqual(groups.count, timeline.steps.count)
        for (index, (group, step)) in zip(groups, timeline.steps).enumerated() {
            XCTAssertEqual(group.attributes["data-step"], "\(index)")
            let start = try XCTUnwrap(Double(group.attributes["data-start"] ?? ""))
            let end = try XCTUnwrap(Double(group.attributes["data-end"] ?? ""))
            XCTAssertEqual(start, Double(step.start) / 48_000, accuracy: 1e-6)
            XCTAssertEqual(end, Double(step.end) / 48_000, accuracy: 1e-6)
        }
        // Each step's label and tooltip name it.
        let titles = reader.elements.filter { $0.name == "title" && $0.path.last == "g" }.map(\.text)
        XCTAssertEqual(titles.count, timeline.steps.count)
        for (title, step) in zip(titles, timeline.steps) { XCTAssertTrue(title.contains(step.name), title) }
        XCTAssertEqual(reader.all("text", class: "label").map(\.text), timeline.steps.map(\.name))
        // The segments of one step lie within its span, in order, and cover it.
        let x0 = TimelineSVG.left, width = TimelineSVG.right - TimelineSVG.left
        let total = Double(timeline.totalSamples)
        var stepsSeen = 0
        var current: Int?
        var segmentsByStep: [[(Double, Double)]] = Array(repeating: [], count: timeline.steps.count)
        for element in reader.elements {
            if element.name == "g" {
                current = element.attributes["class"] == "step" ? stepsSeen : nil
                if current != nil { stepsSeen += 1 }
            }
            if element.name == "rect", element.attributes["class"] == "seg", let current {
                let x = Double(element.attributes["x"]!)!, w = Double(element.attributes["width"]!)!
                segmentsByStep[current].append((x, x + w))
            }
        }
        for (index, step) in timeline.steps.enumerated() {
            let segments = segmentsByStep[index]
            XCTAssertFalse(segments.isEmpty, "step \(index) has no segments")
            let expectedStart = x0 + Double(step.start) / total * width, expectedEnd = x0 + Double(step.end) / total * width
            XCTAssertEqual(segments.first!.0, expectedStart, accuracy: 0.01)
            XCTAssertEqual(segments.last!.1, expectedEnd, accuracy: 0.01)
            for (a, b) in zip(segments, segments.dropFirst()) { XCTAssertEqual(a.1, b.0, accuracy: 0.011) }
        }
    }

    func testIntervalKindsAreToldApartAndNamedInTheLegend() throws {
        let timeline = try schedule(PlayerFixtures.everyKind, rate: 44_100)
        let reader = SVGReader.read(TimelineSVG.svg(timeline))
        let legendTexts = Set(reader.elements.filter { $0.name == "text" && $0.path.last == "g" }.map(\.text))
        for word in ["Transition", "Hold", "Breath", "Rest", "Switch sides", "End"] {
            XCTAssertTrue(legendTexts.contains(word), "the legend lacks \(word): \(legendTexts.sorted())")
        }
        // Nine groups (six of version 1, and format 2's movements, own-pace blocks and pauses), nine
        // different fills; the four breath phases share a group but not every shade.
        let fills = IntervalKind.allCases.map { IntervalStyle.fill($0) }
        let groupFills = IntervalStyle.allCases.map(\.swatch)
        XCTAssertEqual(Set(groupFills).count, 9)
        XCTAssertEqual(IntervalStyle(.inhale), IntervalStyle(.holdOut))
        XCTAssertNotEqual(IntervalStyle.fill(.inhale), IntervalStyle.fill(.exhale))
        // Every fill the timeline uses is drawn somewhere.
        let drawn = Set(reader.all("rect", class: "seg").compactMap { $0.attributes["fill"] })
        for kind in Set(timeline.intervals.map(\.kind)) {
            XCTAssertTrue(drawn.contains(IntervalStyle.fill(kind)), "no segment drawn for \(kind.rawValue)")
        }
        XCTAssertEqual(Set(fills).count, 10, "transition, hold, rest, switch, tail, two breath shades, move, own pace and pause")
        // A routine with holds only names no breath in its legend.
        let holds = try schedule("title: T\nsteps:\n  - name: A\n    hold: 3s\n", rate: 8_000)
        let holdLegend = Set(SVGReader.read(TimelineSVG.svg(holds)).elements.filter { $0.name == "text" }.map(\.text))
        XCTAssertFalse(holdLegend.contains("Breath"))
        XCTAssertTrue(holdLegend.contains("Hold"))
    }

    func testTimeMarksAreRoundMinutesAndSeconds() throws {
        XCTAssertEqual(TimelineTicks.marks(total: 45_000_000), [0, 10, 20, 30, 40].map { Int64($0) * 1_000_000 })
        XCTAssertEqual(
            TimelineTicks.marks(total: 600_000_000).map(TimelineTicks.label),
            ["0:00", "2:00", "4:00", "6:00", "8:00", "10:00"])
        XCTAssertEqual(TimelineTicks.marks(total: 3_000_000).map(TimelineTicks.label), ["0:00", "0:01", "0:02", "0:03"])
        XCTAssertEqual(TimelineTicks.label(3_725_000_000), "62:05")
        let timeline = try schedule(PlayerFixtures.everyKind, rate: 44_100)
        let reader = SVGReader.read(TimelineSVG.svg(timeline))
        let ticks = reader.elements.filter {
            $0.name == "text" && $0.path.last == "g" && $0.text.range(of: #"^\d+:\d\d$"#, options: .regularExpression) != nil
        }
        XCTAssertEqual(ticks.map(\.text), TimelineTicks.marks(total: timeline.totalTime).map(TimelineTicks.label))
        XCTAssertGreaterThanOrEqual(ticks.count, 3)
    }

    func testRoutineTextIsEscapedInThePicture() throws {
        let timeline = try schedule(HostileMarkup.routine, rate: 44_100)
        let svg = TimelineSVG.svg(timeline)
        for fragment in HostileMarkup.dangerous {
            XCTAssertFalse(svg.contains(fragment), "`\(fragment)` appears unescaped in the SVG")
        }
        let reader = SVGReader.read(svg)
        XCTAssertNil(reader.error, "well-formed even with markup in the routine: \(String(describing: reader.error))")
        // The names come back as text, exactly.
        let titles = reader.elements.filter { $0.name == "title" && $0.path.last == "g" }.map(\.text)
        for (title, name) in zip(titles, HostileMarkup.stepNames) { XCTAssertTrue(title.contains(name), title) }
        XCTAssertEqual(reader.elements.first { $0.name == "title" }?.text, "Timeline: " + HostileMarkup.title)
        XCTAssertTrue(
            reader.elements.contains { $0.name == "text" && HostileMarkup.title.hasPrefix($0.text.replacingOccurrences(of: "…", with: "")) }
        )
        let names = Set(reader.elements.map(\.name))
        XCTAssertTrue(names.isSubset(of: ["svg", "title", "defs", "pattern", "rect", "circle", "text", "g"]), "\(names)")
    }

    func testLongLabelsAreShortenedToTheirSegment() {
        XCTAssertEqual(TimelineSVG.fit("Hamstring", width: 500, size: 13), "Hamstring")
        let short = TimelineSVG.fit("A very long step name that cannot fit", width: 90, size: 13)
        XCTAssertNotNil(short)
        XCTAssertTrue(short!.hasSuffix("…"))
        XCTAssertLessThanOrEqual(TimelineSVG.approximateWidth(short!, size: 13), 90)
        XCTAssertNil(TimelineSVG.fit("Hamstring", width: 10, size: 13))
    }

    func testALongBreathingSessionStaysASmallPicture() throws {
        // 8 sets of 1000 breaths on each side: tens of thousands of intervals, drawn in at most a
        // rectangle per half unit of width.
        let yaml = """
            title: Many breaths
            steps:
              - name: Breathe
                breaths: 1000
                inhale: 0.5s
                exhale: 0.5s
                hold_in: 0.5s
                sides: each
                sets: 8
              - name: Rest
                hold: 30s
            """
        let timeline = try schedule(yaml, rate: 8_000)
        XCTAssertGreaterThan(timeline.intervals.count, 40_000)
        let svg = TimelineSVG.svg(timeline)
        let reader = SVGReader.read(svg)
        XCTAssertNil(reader.error)
        let segments = reader.all("rect", class: "seg")
        XCTAssertLessThanOrEqual(segments.count, 2_000)
        XCTAssertGreaterThan(segments.count, 10)
        XCTAssertLessThan(svg.utf8.count, 300_000)
        // The picture still shows both breath shades and the holds.
        let fills = Set(segments.compactMap { $0.attributes["fill"] })
        XCTAssertTrue(fills.contains(IntervalStyle.fill(.hold)))
        XCTAssertTrue(fills.contains(IntervalStyle.fill(.exhale)) || fills.contains(IntervalStyle.fill(.inhale)))
    }

    func testSameTimelineSamePicture() throws {
        let a = try schedule(PlayerFixtures.everyKind, rate: 44_100)
        let b = try schedule(PlayerFixtures.everyKind, rate: 44_100)
        XCTAssertEqual(TimelineSVG.svg(a), TimelineSVG.svg(b))
    }

    func testWriteSVGWritesThePictureAtomically() throws {
        let folder = try ScratchFolder(for: self, "svg").url
        let timeline = try schedule(PlayerFixtures.everyKind, rate: 44_100)
        let path = folder.appendingPathComponent("plan.svg").path
        try PlayerFiles.writeSVG(timeline, to: path)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), TimelineSVG.svg(timeline))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["plan.svg"], "no temporary file left")
        XCTAssertThrowsError(try PlayerFiles.writeSVG(timeline, to: folder.appendingPathComponent("missing/plan.svg").path)) {
            XCTAssertTrue($0 is RenderError, "\($0)")
        }
    }
}
