import Foundation
import XCTest

/// A bad command line exits with 64 (cli.md), says why on standard error and prints nothing on
/// standard output; the limits of the options are accepted.
final class CommandLineTests: XCTestCase {
    private func assertUsageError(
        _ args: [String], mentioning fragment: String? = nil,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let result = try runCadence(args, file: file, line: line)
        XCTAssertEqual(result.code, 64, "cadence \(args.joined(separator: " ")): \(result.stderr)", file: file, line: line)
        XCTAssertEqual(result.stdout, "", file: file, line: line)
        XCTAssertFalse(result.stderr.isEmpty, file: file, line: line)
        if let fragment {
            XCTAssertTrue(result.stderr.contains(fragment), result.stderr, file: file, line: line)
        }
    }

    func testAnUnknownOptionIsAUsageError() throws {
        try assertUsageError(["plan", "basic.yaml", "--bogus"], mentioning: "--bogus")
        try assertUsageError(["check", "--frobnicate", "basic.yaml"], mentioning: "--frobnicate")
    }

    func testASampleRateOutside8000To192000IsAUsageError() throws {
        try assertUsageError(["plan", "basic.yaml", "--sample-rate", "7999"], mentioning: "7999")
        try assertUsageError(["plan", "basic.yaml", "--sample-rate", "192001"], mentioning: "192001")
        try assertUsageError(["plan", "basic.yaml", "--sample-rate", "0"])
        try assertUsageError(["plan", "basic.yaml", "--sample-rate", "-44100"])
        try assertUsageError(["plan", "basic.yaml", "--sample-rate", "44.1k"])
    }

    func testTheSampleRateLimitsThemselvesAreAccepted() throws {
        for rate in [8_000, 192_000] {
            let result = try runCadence(["plan", "basic.yaml", "--json", "--sample-rate", "\(rate)"])
            XCTAssertEqual(result.code, 0, result.stderr)
            let timeline = try jsonObject(result.stdout)
            XCTAssertEqual(timeline["sample_rate"] as? Int, rate)
            XCTAssertEqual(timeline["total_samples"] as? Int, 255 * rate, "basic.yaml lasts exactly 255 s")
        }
    }

    func testAnUnknownLevelIsAUsageError() throws {
        try assertUsageError(["plan", "ranges.yaml", "--level", "extreme"], mentioning: "extreme")
        try assertUsageError(["plan", "ranges.yaml", "--level", "Easy"])
    }

    func testMissingArgumentsAreUsageErrors() throws {
        try assertUsageError(["plan"])
        try assertUsageError(["check"])
        try assertUsageError(["plan", "basic.yaml", "--sample-rate"])
    }
}
