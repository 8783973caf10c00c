import CadenceTestSupport
import Foundation
import XCTest
@testable import CadenceKit

/// `cadence plan ROUTINE --svg FILE`: the timeline picture, written besides the usual output.
final class PlayerPlanCommandTests: XCTestCase {
    private func timeline(_ name: String, rate: Int = 44_100, level: Level = .normal) throws -> Timeline {
        let routine = try RoutineLoader.load(path: Paths.example("\(name).yaml").path, level: level)
        return Scheduler.schedule(routine, sampleRate: rate, level: level)
    }

    func testSVGIsWrittenAndThePlanStillPrinted() throws {
        let folder = try ScratchFolder(for: self).url
        let picture = folder.appendingPathComponent("sides.svg")
        let plain = try runCadence(["plan", "sides.yaml"])
        let result = try runCadence(["plan", "sides.yaml", "--svg", picture.path])
        XCTAssertEqual(result.code, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
        XCTAssertEqual(result.stdout, plain.stdout, "--svg changes nothing on standard output")
        let svg = try String(contentsOf: picture, encoding: .utf8)
        XCTAssertEqual(svg, TimelineSVG.svg(try timeline("sides")))
        XCTAssertTrue(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        let steps = try timeline("sides").steps
        XCTAssertEqual(svg.components(separatedBy: "<g class=\"step\" data-step=").count - 1, steps.count)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path), ["sides.svg"], "no temporary file left")
    }

    func testSVGFollowsTheRateAndLevelAndGoesWithJSON() throws {
        let folder = try ScratchFolder(for: self).url
        let picture = folder.appendingPathComponent("ranges.svg")
        let result = try runCadence(["plan", "ranges.yaml", "--json", "--svg", picture.path, "--level", "hard", "--sample-rate", "48000"])
        XCTAssertEqual(result.code, 0, result.stderr)
        XCTAssertEqual(try jsonObject(result.stdout)["level"] as? String, "hard", "with --json, standard output is still only the JSON")
        let expected = try timeline("ranges", rate: 48_000, level: .hard)
        XCTAssertEqual(try String(contentsOf: picture, encoding: .utf8), TimelineSVG.svg(expected))
        // An existing file is replaced.
        let again = try runCadence(["plan", "basic.yaml", "--svg", picture.path])
        XCTAssertEqual(again.code, 0, again.stderr)
        XCTAssertEqual(try String(contentsOf: picture, encoding: .utf8), TimelineSVG.svg(try timeline("basic")))
    }

    func testAnSVGThatCannotBeWrittenFailsWithNothingPrinted() throws {
        let folder = try ScratchFolder(for: self).url
        try Data("notes".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        let picture = folder.appendingPathComponent("notes.txt/plan.svg")
        let result = try runCadence(["plan", "basic.yaml", "--svg", picture.path])
        XCTAssertEqual(result.code, 73, "cannot create the output: \(result.stderr)")
        XCTAssertEqual(result.stdout, "")
        XCTAssertTrue(result.stderr.contains(picture.path), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: picture.path))
        // A bad routine is reported as one, and no picture is written.
        try write("title: T\nsteps:\n  - name: A\n    hodl: 3s\n", to: "bad.yaml", in: folder)
        let bad = try runCadence(["plan", "bad.yaml", "--svg", "bad.svg"], in: folder)
        XCTAssertEqual(bad.code, 65)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("bad.svg").path))
    }
}
