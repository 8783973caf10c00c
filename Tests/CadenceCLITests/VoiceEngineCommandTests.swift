import CadenceTestSupport
import Foundation
import XCTest

// `cadence render --voice` with its engines and mixes, run as the built binary: the engine
// options and their errors (exit 64), the fall back to espeak-ng where festival is missing, and
// the phrase cache measured by counting the engine's runs (a logging stand-in on PATH runs the
// real program): a second render of a folder runs no engine at all.

final class VoiceEngineCommandTests: XCTestCase {
    static let routine = """
        title: Voice engines
        defaults: {lead_in: 3s, transition: 3s, countdown: 0, tail: 1s}
        steps:
          - name: Bridge
            say: Lift your hips
            hold: 3s
            halfway: true
          - name: Side stretch
            hold: 2s
            sides: each
            switch: 3s
        """

    private var folder: URL!
    private var cache: URL { folder.appendingPathComponent("cache") }

    override func setUpWithError() throws {
        folder = try ScratchFolder(for: self).url
        try write(Self.routine, to: "routine.yaml", in: folder)
        setenv("CADENCE_CACHE_DIR", cache.path, 1)
    }

    override func tearDownWithError() throws {
        unsetenv("CADENCE_CACHE_DIR")
    }

    private func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    private static var hasEspeak: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/espeak-ng") }
    private static var hasFestival: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/text2wave")
            && FileManager.default.fileExists(
                atPath: "/usr/share/festival/voices/us/cmu_us_slt_arctic_hts/festvox/cmu_us_slt_arctic_hts.scm")
    }

    private func requireEngines(festival: Bool = false) throws {
        guard Self.hasEspeak else { throw XCTSkip("espeak-ng is not installed (`sudo apt-get install espeak-ng`)") }
        if festival, !Self.hasFestival {
            throw XCTSkip("festival with festvox-us-slt-hts is not installed (`sudo apt-get install festival festvox-us-slt-hts`)")
        }
    }

    private func render(_ args: [String], environment: [String] = []) throws -> CommandResult {
        let all = ["render", "routine.yaml", "--sample-rate", "8000", "-q"] + args
        if environment.isEmpty { return try runCadence(all, in: folder) }
        return try ProcessRunner.run("/usr/bin/env", environment + [try RenderCLI.cadencePath()] + all, in: folder, timeout: 120)
    }

    private func assertUsageError(_ args: [String], mentioning fragments: [String], file: StaticString = #filePath, line: UInt = #line)
        throws
    {
        let result = try render(["-o", "track.wav"] + args)
        XCTAssertEqual(result.code, 64, "\(args): \(result.stderr)", file: file, line: line)
        for fragment in fragments {
            XCTAssertTrue(
                result.stderr.contains(fragment), "\(args): the message must say \(fragment): \(result.stderr)", file: file, line: line)
        }
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: url("track.wav").path), "\(args): no track is written", file: file, line: line)
    }

    func testEngineAndMixOptionsThatCannotWorkExit64() throws {
        try write("x", to: "bed.wav", in: folder)
        try assertUsageError(["--voice-engine", "espeak"], mentioning: ["--voice-engine", "go with --voice"])
        try assertUsageError(["--voice", "--voice-engine", "piper"], mentioning: ["--voice-engine piper needs --voice-model"])
        try assertUsageError(["--voice", "--voice-model", "joe.onnx"], mentioning: ["--voice-model goes with --voice-engine piper"])
        try assertUsageError(["--voice-model", "joe.onnx"], mentioning: ["go with --voice"])
        try assertUsageError(["--voice", "--voice-engine", "say"], mentioning: ["--voice-engine"])
        let missingModel = try render(["-o", "track.wav", "--voice", "--voice-engine", "piper", "--voice-model", "joe.onnx"])
        XCTAssertEqual(missingModel.code, 66, missingModel.stderr)
        XCTAssertTrue(missingModel.stderr.contains("joe.onnx: error: no such voice model"), missingModel.stderr)
        try assertUsageError(["--voice", "--duck-speech", "12"], mentioning: ["--duck-speech goes with --music and --voice"])
        try assertUsageError(["--music", "bed.wav", "--duck-speech", "12"], mentioning: ["--duck-speech goes with --music and --voice"])
        try assertUsageError(
            ["--voice", "--music", "bed.wav", "--duck-speech", "41"], mentioning: ["--duck-speech must be from 0 to 40 dB, not 41"])
        try assertUsageError(["--mix", "voice-only"], mentioning: ["--mix voice-only goes with --voice"])
        try assertUsageError(["--voice", "--mix", "accessible"], mentioning: ["--mix accessible goes with --music"])
        try assertUsageError(["--voice", "--mix", "loud"], mentioning: ["--mix"])
        try assertUsageError(
            ["--voice", "--music", "bed.wav", "--mix", "accessible", "--duck-speech", "20"],
            mentioning: ["--mix accessible", "--duck-speech 27 or more"])
    }

    /// A voice the engine does not have: exit 64, found before anything is spoken.
    func testAVoiceTheEngineDoesNotHaveExits64() throws {
        try requireEngines(festival: true)
        try assertUsageError(
            ["--voice", "--voice-engine", "festival", "--voice-name", "en-gb"],
            mentioning: ["festival has no voice 'en-gb'", "cmu_us_slt_arctic_hts"])
        try assertUsageError(["--voice", "--voice-name", "en-gb"], mentioning: ["festival has no voice 'en-gb'", "--voice-engine espeak"])
        try assertUsageError(
            ["--voice", "--voice-engine", "espeak", "--voice-name", "cmu_us_slt_arctic_hts"], mentioning: ["espeak-ng has no voice"])
        let result = try render(["-o", "gb.wav", "--voice", "--voice-engine", "espeak", "--voice-name", "en-gb", "--voice-speed", "150"])
        XCTAssertEqual(result.code, 0, result.stderr)
        let slow = try render(["-o", "slow.wav", "--voice", "--voice-engine", "festival", "--voice-speed", "120"])
        XCTAssertEqual(slow.code, 0, slow.stderr)
    }

    /// A folder of stand-ins for the engines: each logs its arguments to `runs.log`, then runs the
    /// real program. `programs` are the ones it holds.
    private func standIns(_ programs: [String]) throws -> URL {
        let bin = url("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        for program in programs {
            let script = bin.appendingPathComponent(program)
            try "#!/bin/sh\necho \"\(program) $*\" >> '\(url("runs.log").path)'\nexec /usr/bin/\(program) \"$@\"\n".write(
                to: script, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        }
        return bin
    }

    /// The engine runs logged since the last call (version queries not counted).
    private func loggedRuns() throws -> [String] {
        let log = url("runs.log")
        guard FileManager.default.fileExists(atPath: log.path) else { return [] }
        let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map(String.init)
        try FileManager.default.removeItem(at: log)
        return lines.filter { !$0.contains("--version") }
    }

    /// Where festival is not installed, --voice speaks with espeak-ng: the same track as
    /// `--voice-engine espeak`. Asking for festival there fails (exit 1) and says how to install it.
    func testWithoutFestivalTheVoiceIsEspeakNg() throws {
        try requireEngines()
        let bin = try standIns(["espeak-ng"])
        let path = ["PATH=\(bin.path)"]
        let fallback = try render(["-o", "fallback.wav", "--voice"], environment: path)
        XCTAssertEqual(fallback.code, 0, fallback.stderr)
        XCTAssertEqual(try loggedRuns().filter { $0.hasPrefix("espeak-ng ") }.count, 4, "espeak-ng speaks the four phrases")
        let espeak = try render(["-o", "espeak.wav", "--voice", "--voice-engine", "espeak"])
        XCTAssertEqual(espeak.code, 0, espeak.stderr)
        XCTAssertEqual(try Data(contentsOf: url("fallback.wav")), try Data(contentsOf: url("espeak.wav")), "the fallback is espeak-ng")
        XCTAssertEqual(fallback.stdout + fallback.stderr, "", "the engine chosen is printed nowhere")

        let festival = try render(["-o", "festival.wav", "--voice", "--voice-engine", "festival"], environment: path)
        XCTAssertEqual(festival.code, 1, festival.stderr)
        XCTAssertTrue(festival.stderr.contains("apt-get install festival festvox-us-slt-hts"), festival.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: url("festival.wav").path))
    }

    /// Rendering a folder twice, and a folder of other routines with the same words: the engine
    /// runs for each phrase once, the first time, and never again (with --force, every track is
    /// rendered again, all of its phrases from the cache). For each engine.
    func testASecondRenderOfAFolderRunsTheEngineZeroTimes() throws {
        try requireEngines()
        let routines = url("routines")
        try FileManager.default.createDirectory(at: routines, withIntermediateDirectories: true)
        for (index, say) in ["Lift your hips", "Lie down and relax", "Reach up high"].enumerated() {
            try write(Self.routine.replacingOccurrences(of: "Lift your hips", with: say), to: "r\(index).yaml", in: routines)
        }
        let bin = try standIns(["espeak-ng", "text2wave"])
        let environment = ["PATH=\(bin.path):/usr/bin:/bin"]
        for engine in Self.hasFestival ? ["festival", "espeak"] : ["espeak"] {
            let program = engine == "festival" ? "text2wave" : "espeak-ng"
            func batch(_ extra: [String], rate: Int = 8_000) throws -> [String] {
                let result = try ProcessRunner.run(
                    "/usr/bin/env",
                    environment + [
                        try RenderCLI.cadencePath(), "render", "routines",
                        "--out-dir", "tracks-\(engine)", "--sample-rate", "\(rate)", "-q", "--voice",
                        "--voice-engine", engine,
                    ] + extra, in: folder, timeout: 180)
                XCTAssertEqual(result.code, 0, "\(engine): \(result.stderr)")
                return try loggedRuns()
            }
            // Each routine: its own announcement, and "Halfway", "Side stretch" and the switch's side shared.
            // Tracks rendered at once that need the same phrase wait for one engine run.
            XCTAssertEqual(try batch([]).filter { $0.hasPrefix(program) }.count, 6, "\(engine): six different phrases, each spoken once")
            XCTAssertEqual(try batch(["--force"]), [], "\(engine): a second render of the folder runs no engine")
            XCTAssertEqual(try batch(["--force", "--gain", "-6"], rate: 16_000), [], "\(engine): nor at another rate and gain")
        }
    }
}
