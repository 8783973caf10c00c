import Foundation
import XCTest

/// `check --voice` and `plan --voice` as a user runs them (with espeak-ng, the quick engine): a
/// step whose instructions cannot fit is named at its line and column, the exit code stays 0, and
/// `transition: fit` makes the warning go away by lengthening that transition, which `plan --voice`
/// reports and schedules.
final class VoiceGuideCommandTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/espeak-ng") else { throw XCTSkip("espeak-ng is not installed") }
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("cadence-guide-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    private static func routine(fit: Bool) -> String {
        """
        format: 2
        title: Guided
        defaults: {transition: 5s, countdown: 3}
        steps:
          - name: Bridge
            hold: 5s
          - name: Cat-cow
            instructions: On hands and knees, round your back as you breathe in and let it sag gently as you breathe out.
            breaths: 2
        \(fit ? "    transition: fit\n" : "")
        """
    }

    func testCheckVoiceNamesTheStepWhoseInstructionsDoNotFitAndFitLengthensItsTransition() throws {
        try Data(Self.routine(fit: false).utf8).write(to: folder.appendingPathComponent("guided.yaml"))
        let check = try runCadence(["check", "guided.yaml", "--voice", "--voice-engine", "espeak"], in: folder)
        XCTAssertEqual(check.code, 0, check.stderr)
        XCTAssertTrue(check.stdout.hasPrefix("OK  guided.yaml  Guided  ("), check.stdout)
        let warnings = check.stderr.split(separator: "\n").map(String.init)
        XCTAssertEqual(warnings.count, 1, check.stderr)
        XCTAssertTrue(warnings[0].hasPrefix("guided.yaml:7:5: warning: step 2 \"Cat-cow\": its instructions take "), check.stderr)
        XCTAssertTrue(warnings[0].contains("write `transition: fit`"), check.stderr)

        try Data(Self.routine(fit: true).utf8).write(to: folder.appendingPathComponent("guided.yaml"))
        let fitted = try runCadence(["check", "guided.yaml", "--voice", "--voice-engine", "espeak"], in: folder)
        XCTAssertEqual(fitted.code, 0, fitted.stderr)
        XCTAssertEqual(fitted.stderr, "", "everything fits")
        XCTAssertTrue(fitted.stdout.contains("with the transitions fitted to the voice)"), fitted.stdout)

        let plain = try runCadence(["plan", "guided.yaml", "--json"], in: folder)
        let voiced = try runCadence(["plan", "guided.yaml", "--json", "--voice", "--voice-engine", "espeak"], in: folder)
        XCTAssertEqual(voiced.code, 0, voiced.stderr)
        XCTAssertTrue(voiced.stderr.hasPrefix("guided.yaml: transition before step 2 \"Cat-cow\" lengthened by "), voiced.stderr)
        func transition(_ json: String) throws -> Int {
            let timeline = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
            let intervals = try XCTUnwrap(timeline["intervals"] as? [[String: Any]])
            let second = try XCTUnwrap(intervals.first { $0["kind"] as? String == "transition" && $0["step"] as? Int == 1 })
            return (second["end"] as! Int) - (second["start"] as! Int)
        }
        XCTAssertEqual(try transition(plain.stdout), 5 * 44_100, "without a voice `fit` is the default transition")
        XCTAssertGreaterThan(try transition(voiced.stdout), 5 * 44_100, "with the voice it is longer")
    }

    func testVoiceOptionsWithoutVoiceAreRefused() throws {
        try Data(Self.routine(fit: false).utf8).write(to: folder.appendingPathComponent("guided.yaml"))
        for args in [
            ["check", "guided.yaml", "--voice-counts", "numbers"], ["plan", "guided.yaml", "--voice-countdown"],
            ["render", "guided.yaml", "-o", "t.wav", "--voice-counts", "last"],
        ] {
            let result = try runCadence(args, in: folder)
            XCTAssertEqual(result.code, 64, "\(args): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains("go with --voice"), result.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("t.wav").path))
    }
}
