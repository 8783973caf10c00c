import Foundation
import XCTest
@testable import CadenceKit

// Helpers shared by the CadenceKit test files: fixtures, parsing a routine from text,
// checking diagnostics, and compact one-line descriptions of intervals and cues.

enum Fixtures {
    /// Tests/CadenceKitTests/Fixtures/examples: copies of the spec's worked examples.
    static let examples = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures/examples")

    /// Every `NAME.yaml` of the examples folder has `NAME.44100.timeline.json` and `NAME.48000.timeline.json`.
    static let exampleNames = ["basic", "breathing", "ranges", "sides"]
    static let exampleRates = [44_100, 48_000]

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: examples.appendingPathComponent(name)))
    }
}

/// The path every routine parsed from text is reported under.
let testPath = "test.yaml"

/// Parses `yaml` as a routine file, failing the test (and rethrowing) when it is rejected.
func parseRoutine(
    _ yaml: String, level: Level = .normal,
    file: StaticString = #filePath, line: UInt = #line
) throws -> Routine {
    do {
        return try RoutineLoader.parse(Array(yaml.utf8), path: testPath, level: level)
    } catch {
        XCTFail("routine rejected:\n\(error)", file: file, line: line)
        throw error
    }
}

/// The problems found in a routine file's bytes; empty when the routine is valid.
func diagnostics(ofBytes bytes: [UInt8], level: Level = .normal) -> [Diagnostic] {
    do {
        _ = try RoutineLoader.parse(bytes, path: testPath, level: level)
        return []
    } catch {
        XCTAssertFalse(error.diagnostics.isEmpty, "a RoutineError must carry at least one diagnostic")
        return error.diagnostics
    }
}

func diagnostics(of yaml: String, level: Level = .normal) -> [Diagnostic] {
    diagnostics(ofBytes: Array(yaml.utf8), level: level)
}

func describe(_ diagnostics: [Diagnostic]) -> String {
    diagnostics.isEmpty
        ? "(no error)"
        : diagnostics.map { "\($0.position.line):\($0.position.column): \($0.message)" }.joined(separator: "\n")
}

/// Asserts that the routine is rejected with an error at `line`:`column` whose message contains
/// every one of `fragments`. Returns all the diagnostics, for further checks.
@discardableResult
func assertRejected(
    _ yaml: String, at line: Int, _ column: Int, _ fragments: String..., level: Level = .normal,
    file: StaticString = #filePath, testLine: UInt = #line
) -> [Diagnostic] {
    checkRejected(Array(yaml.utf8), shown: yaml, line, column, fragments, level, file, testLine)
}

@discardableResult
func assertRejected(
    _ bytes: [UInt8], at line: Int, _ column: Int, _ fragments: String..., level: Level = .normal,
    file: StaticString = #filePath, testLine: UInt = #line
) -> [Diagnostic] {
    checkRejected(bytes, shown: String(decoding: bytes, as: UTF8.self), line, column, fragments, level, file, testLine)
}

private func checkRejected(
    _ bytes: [UInt8], shown: String, _ line: Int, _ column: Int, _ fragments: [String],
    _ level: Level, _ file: StaticString, _ testLine: UInt
) -> [Diagnostic] {
    let found = diagnostics(ofBytes: bytes, level: level)
    let matching = found.filter { diagnostic in
        diagnostic.position == SourcePosition(line: line, column: column)
            && fragments.allSatisfy { diagnostic.message.contains($0) }
    }
    if matching.isEmpty {
        XCTFail(
            "expected an error at \(line):\(column) mentioning \(fragments); got:\n\(describe(found))"
                + "\n--- in:\n\(shown.prefix(2_000))", file: file, line: testLine)
    }
    return found
}

func assertAccepted(_ yaml: String, level: Level = .normal, file: StaticString = #filePath, line: UInt = #line) {
    let found = diagnostics(of: yaml, level: level)
    XCTAssertTrue(
        found.isEmpty, "expected the routine to be valid; got:\n\(describe(found))\n--- in:\n\(yaml)",
        file: file, line: line)
}

/// Parses and schedules a routine given as text.
func schedule(
    _ yaml: String, rate: Int, level: Level = .normal,
    file: StaticString = #filePath, line: UInt = #line
) throws -> Timeline {
    let routine = try parseRoutine(yaml, level: level, file: file, line: line)
    return Scheduler.schedule(routine, sampleRate: rate, level: level)
}

// MARK: One-line descriptions, so expectations read like the spec

private func text(_ value: Int?) -> String { value.map(String.init) ?? "-" }

/// `KIND START..<END sSTEP SIDE SET/REP`, `-` for null: `hold 16000..<64000 s0 left 1/2`.
func rows(_ intervals: [Interval]) -> [String] {
    intervals.map { interval in
        "\(interval.kind.rawValue) \(interval.start)..<\(interval.end) s\(text(interval.step)) "
            + "\(interval.side?.rawValue ?? "-") \(text(interval.set))/\(text(interval.rep))"
    }
}

/// `TYPE SAMPLE sSTEP` followed by the cue's own fields: side (or `-`) for go, inhale, exhale,
/// switch and halfway; `len=` for breaths; `k=` for countdown; the quoted text for announce.
func rows(_ cues: [Cue]) -> [String] {
    cues.map { cue in
        var row = "\(cue.type.rawValue) \(cue.sample) s\(cue.step)"
        switch cue.type {
        case .go, .inhale, .exhale, .switchSides, .halfway, .phase, .breathHold: row += " " + (cue.side?.rawValue ?? "-")
        default: break
        }
        if let length = cue.length { row += " len=\(length)" }
        if let count = cue.count { row += " k=\(count)" }
        if let text = cue.text { row += " '\(text)'" }
        if let breath = cue.breath { row += " breath=\(breath)" }
        return row
    }
}

/// The cues of some types only, in timeline order.
func cues(_ timeline: Timeline, _ types: CueType...) -> [Cue] {
    timeline.cues.filter { types.contains($0.type) }
}

func intervals(_ timeline: Timeline, _ kinds: IntervalKind...) -> [Interval] {
    timeline.intervals.filter { kinds.contains($0.kind) }
}

/// The order of cue types at one sample, as timeline.md lists it (written out here, not taken from the code).
let specCueOrder = ["finish", "stop", "switch", "announce", "go", "inhale", "exhale", "halfway", "countdown"]
