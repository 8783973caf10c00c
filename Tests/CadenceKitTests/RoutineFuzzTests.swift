import Foundation
import XCTest
@testable import CadenceKit

/// The structured mutation ("fuzz") suite of routine parsing and scheduling: whatever the bytes of a
/// routine file, `RoutineLoader.parse` returns or throws a `RoutineError` quickly at every level, every
/// rejection is a well-formed `FILE:LINE:COLUMN: error:` report pointing inside the file, and every
/// accepted routine schedules to a contiguous timeline.
///
/// The corpus (Fixtures/fuzz-corpus) runs first, then a fixed budget of generated cases from a fixed
/// seed (see RoutineFuzzGenerators.swift). `CADENCE_FUZZ_SEED` and `CADENCE_FUZZ_CASES` explore more:
///
///     CADENCE_FUZZ_SEED=12345 CADENCE_FUZZ_CASES=200000 swift test --filter RoutineFuzzTests
///
/// `CADENCE_FUZZ_ONLY=N` also saves the input of case N (of that seed) to replay it.
/// A failing case is saved under `$TMPDIR/cadence-fuzz-failures/` and named in the failure message.
final class RoutineFuzzTests: XCTestCase {
    static let defaultSeed: UInt64 = 0xCADE_2024_F022
    static let defaultCases = 20_000
    /// The most time one case (parsing at every level and scheduling) may take.
    static let caseBudget: Duration = .seconds(2)
    /// A case that has not finished after this long is reported as a hang and abandoned.
    static let hangLimit: TimeInterval = 30
    /// Accepted routines with more intervals than this are not scheduled by the fuzz loop (the
    /// limits suite schedules the largest allowed session once); their limits are still checked.
    static let scheduleIntervalCap: Int64 = 50_000

    static let corpusFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fuzz-corpus")
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    // MARK: The suite

    func testCorpusThenGeneratedCasesNeverCrashHangOrMisreport() throws {
        let environment = ProcessInfo.processInfo.environment
        let seed = environment["CADENCE_FUZZ_SEED"].flatMap(Self.parseSeed) ?? Self.defaultSeed
        let caseCount = environment["CADENCE_FUZZ_CASES"].flatMap { Int($0) } ?? Self.defaultCases
        let corpus = try Self.corpus()
        XCTAssertGreaterThanOrEqual(corpus.count, 24, "the corpus folder \(Self.corpusFolder.path) is missing or thin")
        let seeds = try Self.validSeeds(corpus: corpus)
        XCTAssertGreaterThanOrEqual(seeds.count, 9, "the valid routines the mutations start from")

        if let only = environment["CADENCE_FUZZ_ONLY"].flatMap({ Int($0) }) {
            // Replay one case: save its input and run it alone.
            var random = SplitMix64(seed: SplitMix64.caseSeed(seed, only))
            let (bytes, kind) = FuzzRun.generate(&random, seeds: seeds)
            print("fuzz: case \(only) (\(kind)) saved to \(FuzzRun.save(bytes, label: "case \(only)"))")
        }
        let run = FuzzRun(seed: seed, corpus: corpus, seeds: seeds, generatedCases: caseCount)
        let report = run.runWithWatchdog(hangLimit: Self.hangLimit)

        print(
            "fuzz: \(report.cases) cases, \(report.accepted) accepted, \(report.rejected) rejected"
                + " (corpus \(corpus.count) files, seed 0x\(String(seed, radix: 16, uppercase: true)),"
                + " \(String(format: "%.1f", report.seconds)) s, slowest case \(report.slowestMilliseconds) ms"
                + " [\(report.slowestLabel)], \(report.scheduled) timelines checked)")
        print("fuzz: slowest: " + report.slowest.map { "\($0.milliseconds) ms \($0.label) \($0.bytes) B" }.joined(separator: "; "))
        print(
            "fuzz: seconds by kind: "
                + report.secondsByKind.sorted { $0.key < $1.key }
                .map { "\($0.key) \(report.casesByKind[$0.key, default: 0]) in \(String(format: "%.1f", $0.value))" }.joined(
                    separator: ", "))
        XCTAssertEqual(report.cases, corpus.count + caseCount, "every case must have run")
        for failure in report.failures.prefix(40) { XCTFail(failure) }
        if report.failures.count > 40 { XCTFail("... and \(report.failures.count - 40) more failures") }
    }

    /// The generators are deterministic: the same seed gives the same cases.
    func testTheGeneratorsAreDeterministic() {
        let seeds = [Array("title: x\nsteps:\n  - name: a\n    hold: 3s\n".utf8)]
        for index in [0, 1, 7, 999] {
            func make() -> [UInt8] {
                var random = SplitMix64(seed: SplitMix64.caseSeed(Self.defaultSeed, index))
                return FuzzRun.generate(&random, seeds: seeds).bytes
            }
            XCTAssertEqual(make(), make(), "case \(index)")
        }
        var random = SplitMix64(seed: 1)
        // SplitMix64's published first output for seed 1.
        XCTAssertEqual(random.next(), 0x910A_2DEC_8902_5CC1)
    }

    // MARK: Inputs

    struct CorpusFile {
        var name: String
        var bytes: [UInt8]
    }

    /// Every file of the corpus folder but its README, sorted by name.
    static func corpus() throws -> [CorpusFile] {
        let names = try FileManager.default.contentsOfDirectory(atPath: corpusFolder.path)
            .filter { !$0.hasPrefix(".") && $0 != "README.md" }.sorted()
        return try names.map { CorpusFile(name: $0, bytes: [UInt8](try Data(contentsOf: corpusFolder.appendingPathComponent($0)))) }
    }

    /// The valid routines mutations start from: Routines/, the spec's examples and the valid corpus files.
    static func validSeeds(corpus: [CorpusFile]) throws -> [[UInt8]] {
        var files: [URL] = []
        for folder in [packageRoot.appendingPathComponent("Routines"), Fixtures.examples] {
            files += try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
                .filter { $0.pathExtension == "yaml" }.sorted { $0.path < $1.path }
        }
        var seeds = try files.map { [UInt8](try Data(contentsOf: $0)) }
        seeds += corpus.filter { $0.name.hasPrefix("valid-") }.map(\.bytes)
        return seeds.filter { (try? RoutineLoader.parse($0, path: "seed.yaml")) != nil }
    }

    static func parseSeed(_ text: String) -> UInt64? {
        text.lowercased().hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
    }
}

// MARK: - Running cases

/// One run of the suite: the corpus, then `generatedCases` cases from `seed`.
final class FuzzRun: @unchecked Sendable {
    struct Report {
        var cases = 0
        var accepted = 0
        var rejected = 0
        var scheduled = 0
        var seconds = 0.0
        var slowestMilliseconds = 0
        var slowestLabel = "-"
        var failures: [String] = []
        /// Seconds spent per kind of case (corpus, bytes, mutation, grammar...).
        var secondsByKind: [String: Double] = [:]
        var casesByKind: [String: Int] = [:]
        /// The slowest cases: milliseconds, label, size.
        var slowest: [(milliseconds: Int, label: String, bytes: Int)] = []
    }

    private let seed: UInt64
    private let corpus: [RoutineFuzzTests.CorpusFile]
    private let seeds: [[UInt8]]
    private let generatedCases: Int
    private let lock = NSLock()
    private var report = Report()
    /// The case being run and when it started, for the watchdog.
    private var current: (label: String, bytes: [UInt8], started: Date)?
    private var finished = false
    /// Failures of one kind reported so far: each kind is reported a few times, then only counted.
    private var failureKinds: [String: Int] = [:]

    init(seed: UInt64, corpus: [RoutineFuzzTests.CorpusFile], seeds: [[UInt8]], generatedCases: Int) {
        self.seed = seed
        self.corpus = corpus
        self.seeds = seeds
        self.generatedCases = generatedCases
    }

    /// Runs every case on a worker thread and watches it: a case still running after `hangLimit`
    /// seconds is reported as a hang (its input saved) and the run is abandoned.
    func runWithWatchdog(hangLimit: TimeInterval) -> Report {
        let done = DispatchSemaphore(value: 0)
        let thread = Thread { [self] in
            runAll()
            done.signal()
        }
        thread.stackSize = 8 << 20  // the main thread's size: `cadence render` parses a single routine there
        thread.start()
        while done.wait(timeout: .now() + 1) == .timedOut {
            let stuck: (label: String, bytes: [UInt8], started: Date)? = lock.withLock {
                guard let current, Date().timeIntervalSince(current.started) > hangLimit else { return nil }
                return current
            }
            if let stuck {
                let saved = Self.save(stuck.bytes, label: stuck.label)
                return lock.withLock {
                    var result = report
                    result.failures.insert(
                        "HANG: \(stuck.label) did not finish within \(Int(hangLimit)) s; input saved to \(saved): "
                            + Self.preview(stuck.bytes), at: 0)
                    return result
                }
            }
        }
        return lock.withLock { report }
    }

    private func runAll() {
        let started = Date()
        for file in corpus {
            runCase(file.bytes, label: "corpus file \(file.name)", kind: "corpus", everyLevel: true)
        }
        for index in 0..<generatedCases {
            var random = SplitMix64(seed: SplitMix64.caseSeed(seed, index))
            let (bytes, kind) = Self.generate(&random, seeds: seeds)
            runCase(
                bytes, label: "case \(index) (\(kind), seed 0x\(String(seed, radix: 16, uppercase: true)))", kind: kind,
                everyLevel: index % 8 == 0)
        }
        lock.withLock {
            report.seconds = Date().timeIntervalSince(started)
            finished = true
        }
    }

    /// Case `random` draws: 25% arbitrary bytes, 40% mutated valid routines, 35% grammar routines
    /// (a third of those mutated further).
    static func generate(_ random: inout SplitMix64, seeds: [[UInt8]]) -> (bytes: [UInt8], kind: String) {
        switch random.below(100) {
        case 0..<25:
            var peek = random  // the generator's first draw picks its family: name it in the label
            let family = FuzzGrammar.byteFamilies[peek.below(FuzzGrammar.byteFamilies.count)]
            return (FuzzGrammar.arbitraryBytes(&random), "bytes:" + family)
        case 25..<65:
            return (FuzzGrammar.mutate(random.pick(seeds), others: seeds, &random), "mutation")
        default:
            let routine = FuzzGrammar.routine(&random)
            return random.chance(33)
                ? (FuzzGrammar.mutate(routine, others: seeds, &random), "grammar+mutation")
                : (routine, "grammar")
        }
    }

    // MARK: One case

    /// Parses `bytes` at every level that can matter and checks each outcome. The level enters
    /// `RoutineLoader.parse` only through the session limits, so a routine rejected at `normal` for
    /// anything else is rejected the same way at every level: the other levels are parsed when the
    /// routine is accepted, when a limit is what rejects it, for corpus files, and for every eighth
    /// case, which also checks that the diagnostics are the same at every level.
    private func runCase(_ bytes: [UInt8], label: String, kind: String, everyLevel: Bool) {
        lock.withLock { current = (label, bytes, Date()) }
        let clock = ContinuousClock()
        let start = clock.now
        var problems: [(kind: String, detail: String)] = []
        var acceptedAtNormal = false
        var scheduled = 0
        var normalDiagnostics: [Diagnostic]?
        var levels: [Level] = [.normal]
        var index = 0
        while index < levels.count {
            let level = levels[index]
            index += 1
            let levelStart = clock.now
            var diagnostics: [Diagnostic] = []
            do {
                let routine = try RoutineLoader.parse(bytes, path: "fuzz.yaml", level: level)
                if level == .normal { acceptedAtNormal = true }
                if let problem = Self.checkAccepted(routine, level: level, scheduled: &scheduled) {
                    problems.append(("accepted routine: \(problem.kind)", "level \(level.rawValue): \(problem.detail)"))
                }
            } catch {
                diagnostics = error.diagnostics
                for problem in Self.checkRejection(error, bytes: bytes) {
                    problems.append((problem.kind, "level \(level.rawValue): \(problem.detail)"))
                }
            }
            let levelTime = clock.now - levelStart
            if levelTime > RoutineFuzzTests.caseBudget {
                problems.append(("slower than 2 s", "level \(level.rawValue) took \(levelTime)"))
                break  // the case has failed; do not spend the same time again at the other levels
            }
            let limited = diagnostics.contains { $0.message.contains("at level \(level.rawValue)") }
            if level == .normal {
                normalDiagnostics = diagnostics
                if everyLevel || acceptedAtNormal || limited { levels += [.easy, .hard] }
            } else if !acceptedAtNormal, !limited, let normal = normalDiagnostics,
                !normal.contains(where: { $0.message.contains("at level normal") }), diagnostics != normal
            {
                problems.append(
                    ("diagnostics depend on the level", "level \(level.rawValue) reports \(diagnostics.count), normal \(normal.count)"))
            }
        }
        let elapsed = clock.now - start
        let milliseconds = Int(elapsed.components.seconds * 1_000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        lock.withLock {
            report.cases += 1
            report.scheduled += scheduled
            report.secondsByKind[kind, default: 0] += Double(milliseconds) / 1_000
            report.casesByKind[kind, default: 0] += 1
            if acceptedAtNormal { report.accepted += 1 } else { report.rejected += 1 }
            report.slowest.append((milliseconds, label, bytes.count))
            report.slowest.sort { $0.milliseconds > $1.milliseconds }
            if report.slowest.count > 5 { report.slowest.removeLast() }
            if milliseconds > report.slowestMilliseconds {
                report.slowestMilliseconds = milliseconds
                report.slowestLabel = label
            }
            // One report per kind of problem per case; each kind at most 5 times in all.
            var seen = Set<String>()
            for problem in problems where seen.insert(problem.kind).inserted {
                let reported = failureKinds[problem.kind, default: 0]
                failureKinds[problem.kind] = reported + 1
                if reported < 5 {
                    let saved = Self.save(bytes, label: label)
                    report.failures.append(
                        "\(problem.kind): \(label): \(problem.detail)\n  input (saved to \(saved)): \(Self.preview(bytes))")
                } else if reported == 5 {
                    report.failures.append("\(problem.kind): more cases fail this way; the count is given at the end of the run")
                }
            }
            current = nil
        }
        if problems.isEmpty { return }
    }

    /// Checks a `RoutineError`: 1 to 20 diagnostics, each inside the file, each message one line with
    /// no control character, and a description made of `fuzz.yaml:LINE:COL: error: MESSAGE`, the
    /// source line and a caret line for each.
    static func checkRejection(_ error: RoutineError, bytes: [UInt8]) -> [(kind: String, detail: String)] {
        var problems: [(kind: String, detail: String)] = []
        let diagnostics = error.diagnostics
        if diagnostics.isEmpty { problems.append(("no diagnostic", "a RoutineError without a diagnostic")) }
        if diagnostics.count > RoutineError.maximumReported {
            problems.append(("more than 20 diagnostics", "\(diagnostics.count) diagnostics"))
        }
        let lineLengths = FuzzText.lineByteLengths(bytes)
        for diagnostic in diagnostics {
            let position = diagnostic.position
            if position.line < 1 || position.line > lineLengths.count {
                problems.append(
                    (
                        "position outside the file",
                        "line \(position.line) of a file of \(lineLengths.count) lines: \(diagnostic.message.prefix(200))"
                    ))
            } else if position.column < 1 || position.column > lineLengths[position.line - 1] + 1 {
                problems.append(
                    (
                        "column outside its line",
                        "\(position.line):\(position.column), the line has \(lineLengths[position.line - 1]) bytes: \(diagnostic.message.prefix(200))"
                    ))
            }
            if diagnostic.message.isEmpty { problems.append(("empty message", "at \(position.line):\(position.column)")) }
            if let control = diagnostic.message.unicodeScalars.first(where: FuzzText.isControl) {
                problems.append(
                    (
                        "control character in a message",
                        "U+\(String(control.value, radix: 16, uppercase: true)) in \(FuzzText.escaped(diagnostic.message.prefix(200)))"
                    ))
            }
            if diagnostic.message.count > 1_000 {
                problems.append(
                    (
                        "message longer than 1000 characters",
                        "\(diagnostic.message.count) characters: \(FuzzText.escaped(diagnostic.message.prefix(120)))..."
                    ))
            }
        }
        let description = error.description
        if let problem = FuzzText.checkDescription(description, diagnostics: diagnostics, path: "fuzz.yaml", notShown: error.notShown) {
            problems.append(("malformed description", problem))
        }
        // 20 reports of a message and a line each: a few KiB. A report that repeats a huge source
        // line for every error floods the terminal (and takes seconds to build).
        if description.utf8.count > 64 << 10 {
            problems.append(("error report larger than 64 KiB", "\(description.utf8.count) bytes for \(diagnostics.count) diagnostics"))
        }
        return problems
    }

    /// Checks an accepted routine: within the session limits, and (when not huge) its timeline at
    /// 8000 Hz is contiguous from 0 to `totalSamples`, with no empty interval and cues in order.
    static func checkAccepted(_ routine: Routine, level: Level, scheduled: inout Int) -> (kind: String, detail: String)? {
        var duration = routine.tail.value(at: level)
        var intervalCount: Int64 = 1
        // The steps of the session (for format 2: variants, `only_at` and circuits applied, on day 1).
        let steps = routine.session(level: level)
        for step in steps {
            let size = ResolvedStep(step, level: level).size
            duration += size.duration
            intervalCount += size.intervals
        }
        if steps.isEmpty || steps.count > 500 { return ("step count", "\(steps.count) steps") }
        if duration > Scheduler.maximumSessionLength { return ("session over 24 h", "\(duration) µs") }
        if intervalCount > Scheduler.maximumIntervals { return ("over the interval cap", "\(intervalCount) intervals") }
        guard intervalCount <= RoutineFuzzTests.scheduleIntervalCap else { return nil }
        scheduled += 1
        let timeline = Scheduler.schedule(routine, sampleRate: 8_000, level: level)
        let intervals = timeline.intervals
        guard let first = intervals.first, let last = intervals.last else { return ("empty timeline", "no interval") }
        if first.start != 0 || first.startTime != 0 { return ("timeline does not start at 0", "first interval \(first)") }
        if last.end != timeline.totalSamples { return ("timeline does not end at totalSamples", "\(last.end) != \(timeline.totalSamples)") }
        if timeline.totalTime != duration { return ("timeline length", "\(timeline.totalTime) µs scheduled, \(duration) µs computed") }
        if Int64(intervals.count) > intervalCount { return ("interval count", "\(intervals.count) > \(intervalCount) computed") }
        for (index, interval) in intervals.enumerated() {
            if interval.end <= interval.start { return ("empty interval", "interval \(index): \(interval)") }
            if index > 0, interval.start != intervals[index - 1].end || interval.startTime != intervals[index - 1].endTime {
                return ("gap or overlap", "interval \(index) starts at \(interval.start), the previous ends at \(intervals[index - 1].end)")
            }
        }
        var previous: Cue?
        for cue in timeline.cues {
            if cue.sample < 0 || cue.sample > timeline.totalSamples {
                return ("cue outside the track", "\(cue.type.rawValue) at \(cue.sample) of \(timeline.totalSamples)")
            }
            if let previous, (previous.sample, previous.type.rank) > (cue.sample, cue.type.rank) {
                return ("cues out of order", "\(previous.type.rawValue)@\(previous.sample) before \(cue.type.rawValue)@\(cue.sample)")
            }
            previous = cue
        }
        if timeline.steps.count != steps.count { return ("step spans", "\(timeline.steps.count) spans for \(steps.count) steps") }
        return nil
    }

    // MARK: Reporting

    static let failureFolder = FileManager.default.temporaryDirectory.appendingPathComponent("cadence-fuzz-failures")

    /// Saves a failing input and returns its path.
    static func save(_ bytes: [UInt8], label: String) -> String {
        try? FileManager.default.createDirectory(at: failureFolder, withIntermediateDirectories: true)
        let name = label.map { $0.isLetter || $0.isNumber ? $0 : "-" }.prefix(80) + ".yaml"
        let url = failureFolder.appendingPathComponent(String(name))
        try? Data(bytes).write(to: url)
        return url.path
    }

    /// The start of an input, escaped, for a failure message.
    static func preview(_ bytes: [UInt8]) -> String {
        "\(bytes.count) bytes: \"" + FuzzText.escaped(String(decoding: bytes.prefix(300), as: UTF8.self))
            + (bytes.count > 300 ? "\"..." : "\"")
    }
}

// MARK: - Text helpers

enum FuzzText {
    /// C0 and C1 controls and DEL: nothing a one-line message may hold (the terminal would act on them).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    static func escaped<S: StringProtocol>(_ text: S) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if isControl(scalar) || scalar == "\u{FEFF}" {
                    out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// The byte length of every line of a routine file as `RoutineLoader` numbers them (split at LF,
    /// after a byte order mark); one line, of length 0, for a file over the size limit (it is not read).
    static func lineByteLengths(_ bytes: [UInt8]) -> [Int] {
        if bytes.count > TextScreening.maximumFileSize { return [0] }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        return body.split(separator: 0x0A, omittingEmptySubsequences: false).map(\.count)
    }

    /// Nil when `description` is, for each diagnostic in order, the line `PATH:LINE:COL: error: MESSAGE`,
    /// then the source line, then a caret line (spaces and `^`), and, when more problems were found
    /// than are shown, the line `PATH: N more errors not shown (the first 20 are)`; else what is wrong.
    static func checkDescription(_ description: String, diagnostics: [Diagnostic], path: String, notShown: Int = 0) -> String? {
        var lines = description.split(separator: "\n", omittingEmptySubsequences: false)
        if notShown > 0 {
            let expected = "\(path): \(notShown) more " + (notShown == 1 ? "error" : "errors") + " not shown (the first 20 are)"
            guard lines.last.map(String.init) == expected else {
                return "expected the last line `\(expected)`, found `\(escaped((lines.last ?? "").prefix(200)))`"
            }
            guard diagnostics.count == RoutineError.maximumReported else { return "errors not shown although fewer than 20 are" }
            lines.removeLast()
        }
        var index = 0
        for (number, diagnostic) in diagnostics.enumerated() {
            let head = "\(path):\(diagnostic.position.line):\(diagnostic.position.column): error: "
            guard index < lines.count, lines[index].hasPrefix(head), lines[index].count > head.count else {
                return "report \(number + 1): expected a line starting `\(head)` followed by a message, found "
                    + (index < lines.count ? "`\(escaped(lines[index].prefix(200)))`" : "the end")
            }
            guard index + 2 < lines.count else { return "report \(number + 1): the source line and caret are missing" }
            let source = lines[index + 1], caret = lines[index + 2]
            guard caret.last == "^", caret.dropLast().allSatisfy({ $0 == " " }) else {
                return "report \(number + 1): the third line is not a caret line: `\(escaped(caret.prefix(200)))`"
            }
            if caret.count - 1 > source.unicodeScalars.count {
                return "report \(number + 1): the caret is past the end of the source line"
            }
            index += 3
        }
        if index != lines.count { return "\(lines.count - index) unexpected lines after the last report" }
        return nil
    }
}

// MARK: - Findings

/// Bugs the fuzz suite found, one test each with the smallest input that shows it (the same inputs
/// are in the corpus as `bug-*` files). Each bug is fixed now and its test guards the fix; docs/robustness.md lists them.
final class RoutineFuzzFindingsTests: XCTestCase {
    private func rejection(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> RoutineError? {
        do {
            _ = try RoutineLoader.parse(Array(text.utf8), path: "fuzz.yaml")
            XCTFail("accepted: \(FuzzText.escaped(text))", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    /// Every diagnostic of `text` is inside the file and the report is well formed.
    private func assertWellFormed(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        guard let error = rejection(text, file: file, line: line) else { return }
        let problems = FuzzRun.checkRejection(error, bytes: Array(text.utf8))
        XCTAssertTrue(
            problems.isEmpty,
            "\(FuzzText.escaped(text.prefix(200))):\n"
                + problems.map { "\($0.kind): \($0.detail)" }.joined(separator: "\n")
                + "\n--- report:\n\(error.description.prefix(1_000))", file: file, line: line)
    }

    /// libyaml puts the end of input one line past the last one when the file does not end with a
    /// line break, and that position is passed on: `title: x\ns` gives `fuzz.yaml:3:1` in a file of
    /// two lines, with no source line or caret.
    func testAnErrorAtTheEndOfAFileWithoutAFinalNewlinePointsInsideTheFile() {
        for text in ["title: x\ns", "{", "[", "title: x\nsteps:\n  - name: a\n    hold: [", "title: \"x"] {
            assertWellFormed(text)
        }
    }

    /// The source lines of a report are split at Swift `Character`s equal to "\n", and "\r\n" is one
    /// Character: a file with Windows line endings (which the README allows) has a single "line", so
    /// no error after line 1 shows its line and caret, and an error on line 1 shows the whole file.
    func testErrorsInAFileWithWindowsLineEndingsShowTheirLineAndCaret() {
        let text = "title: x\r\nsteps:\r\n  - name: a\r\n    hodl: 3s\r\n"
        assertWellFormed(text)
        XCTAssertTrue(rejection(text)?.description.contains("\n    hodl: 3s\n    ^") ?? false, rejection(text)?.description ?? "")
        XCTAssertEqual(
            rejection("title: [\r\nsteps: 3\r\n")?.description.components(separatedBy: "\n").dropFirst().first,
            "title: [", "the first line alone")
    }

    /// libyaml counts U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR as line breaks, and
    /// Cadence's lines end at LF only, so every position after one would be shifted. The screening
    /// refuses them, each at its own line and column.
    func testLineAndParagraphSeparatorsDoNotShiftPositions() {
        assertWellFormed("title: x\u{2028}\u{2028}\u{2028}\u{2028}\nsteps: [\n")
        let error = rejection("about: \"a\u{2028}b\u{2029}c\"\ntitle: x\nsteps:\n  - name: a\n    hodl: 3s\n")
        XCTAssertEqual(
            error?.diagnostics.map(\.position), [SourcePosition(line: 1, column: 10), SourcePosition(line: 1, column: 12)],
            error?.description ?? "accepted")
        XCTAssertTrue(error?.diagnostics.allSatisfy { $0.message.contains("line separator") } ?? false, error?.description ?? "")
    }

    /// Values and keys are echoed into messages as YAML decoded them, escapes included: a newline
    /// breaks the one-line format of a report, and ESC lets a routine file drive the terminal
    /// (`hold: "\e[31m..."` turns the rest of the output red).
    func testMessagesNeverContainControlCharactersFromTheFile() {
        for text in [
            "title: x\nsteps:\n  - name: a\n    hold: \"3\\ns\"\n",
            "title: x\nsteps:\n  - name: a\n    hold: \"3\\e[31mRED\"\n",
            "title: x\nsteps:\n  - name: a\n    hold: 3s\n    reps: \"1\\r2-3\"\n",
            "title: x\nsteps:\n  - name: a\n    hold: 3s\n    sides: \"each\\u2028\"\n",
            "\"a\\nb\": 1\n\"a\\nb\": 2\n",
            "title: x\n\"ho\\nld\": 1\nsteps:\n  - name: a\n    hold: 3s\n",
        ] {
            assertWellFormed(text)
        }
    }

    /// Keys and `describe`d values are cut to 40 characters "so a hostile file cannot flood the
    /// terminal", but duration and count messages quote the whole value: one message per value, up to
    /// 1 MiB each.
    func testMessagesCutLongValuesShort() {
        assertWellFormed("title: x\nsteps:\n  - name: a\n    hold: \"" + String(repeating: "1", count: 5_000) + "s\"\n")
        assertWellFormed("title: x\nsteps:\n  - name: a\n    hold: 3s\n    reps: " + String(repeating: "9", count: 5_000) + "-1\n")
        assertWellFormed("title: x\nsteps:\n  - name: a\n    hold: \"" + String(repeating: "[", count: 2_000) + "\"\n")
    }
}
