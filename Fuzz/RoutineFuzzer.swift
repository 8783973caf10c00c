// libFuzzer entry point for routine parsing and scheduling. Not part of Package.swift: `scripts/fuzz`
// compiles it together with the sources of Sources/CadenceKit/{Routine,Timeline,Support} (as one
// module) and Yams, with `-sanitize=fuzzer,address`, and runs it. See docs/robustness.md.
//
// For each input: parse at every level; a rejection must carry 1 to 20 diagnostics inside the file
// whose report is `fuzz.yaml:LINE:COL: error: MESSAGE`, a source line and a caret; an accepted
// routine (when not huge) must schedule at 8000 Hz to contiguous, non-empty intervals from 0 to
// `totalSamples` with cues in order. A violation traps, so libFuzzer saves the input as a crash.
// libFuzzer's own `-timeout` catches hangs and AddressSanitizer memory errors.
//
// The report-format invariants (positions inside the file, no control characters in messages,
// three lines per report) are checked only with CADENCE_FUZZ_STRICT=1: the XCTest suite already
// fails on the known violations (docs/robustness.md, "Findings"), and without them libFuzzer can
// spend its time looking for crashes, hangs and memory errors instead of finding those again.

import Foundation

private let strict = ProcessInfo.processInfo.environment["CADENCE_FUZZ_STRICT"] == "1"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRoutine(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    for level in Level.allCases {
        do {
            let routine = try RoutineLoader.parse(bytes, path: "fuzz.yaml", level: level)
            checkAccepted(routine, level: level)
        } catch {
            checkRejected(error, bytes: bytes)
        }
    }
    return 0
}

private func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fatalError("fuzz invariant violated: " + message()) }
}

private func checkRejected(_ error: RoutineError, bytes: [UInt8]) {
    require(!error.diagnostics.isEmpty && error.diagnostics.count <= RoutineError.maximumReported,
            "\(error.diagnostics.count) diagnostics")
    _ = error.description
    guard strict else { return }
    var body = bytes[...]
    if bytes.count > TextScreening.maximumFileSize { body = [] }
    if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
    let lineCount = body.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
    for diagnostic in error.diagnostics {
        require(diagnostic.position.line >= 1 && diagnostic.position.line <= lineCount && diagnostic.position.column >= 1,
                "position \(diagnostic.position.line):\(diagnostic.position.column) in \(lineCount) lines: \(diagnostic.message)")
        require(!diagnostic.message.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) },
                "control character in: \(diagnostic.message)")
    }
    let lines = error.description.split(separator: "\n", omittingEmptySubsequences: false)
    require(lines.count == 3 * error.diagnostics.count, "\(lines.count) report lines for \(error.diagnostics.count) diagnostics")
    for (index, diagnostic) in error.diagnostics.enumerated() {
        require(lines[3 * index].hasPrefix("fuzz.yaml:\(diagnostic.position.line):\(diagnostic.position.column): error: "),
                "head: \(lines[3 * index])")
        let caret = lines[3 * index + 2]
        require(caret.last == "^" && caret.dropLast().allSatisfy { $0 == " " }, "caret line: \(caret)")
    }
}

private func checkAccepted(_ routine: Routine, level: Level) {
    var intervals: Int64 = 1
    for step in routine.steps { intervals += ResolvedStep(step, level: level).size.intervals }
    let length = Scheduler.sessionLength(of: routine, at: level)
    require(length <= Scheduler.maximumSessionLength && intervals <= Scheduler.maximumIntervals, "limits")
    guard intervals <= 50_000 else { return }
    let timeline = Scheduler.schedule(routine, sampleRate: 8_000, level: level)
    require(timeline.intervals.first?.start == 0 && timeline.intervals.last?.end == timeline.totalSamples, "ends")
    require(timeline.totalTime == length, "length")
    var end: Int64 = 0
    for interval in timeline.intervals {
        require(interval.start == end && interval.end > interval.start, "interval \(interval)")
        end = interval.end
    }
    for (a, b) in zip(timeline.cues, timeline.cues.dropFirst()) {
        require((a.sample, a.type.rank) <= (b.sample, b.type.rank), "cue order")
    }
}
