import CadenceTestSupport
import Foundation
import XCTest
@testable import CadenceKit

/// What the tests of the speech engines share: which engines are installed, a phrase cache of
/// the test's own, and the phrases of a rendered track.
enum VoiceHarness {
    /// Whether festival and its slt voice are installed (scripts/bootstrap installs both).
    static var hasFestival: Bool {
        Subprocess.find("text2wave") != nil && FestivalProgram.installedVoice(named: FestivalProgram.defaultVoice) != nil
    }

    static func requireFestival() throws {
        guard hasFestival else {
            throw XCTSkip("festival with festvox-us-slt-hts is not installed (`sudo apt-get install festival festvox-us-slt-hts`)")
        }
    }

    /// A Piper voice model to test with, named by `CADENCE_TEST_PIPER_MODEL` (none is shipped or
    /// downloaded: without one, and piper on PATH, piper is not tested).
    static var piperModel: String? {
        guard Subprocess.find("piper") != nil, let model = ProcessInfo.processInfo.environment["CADENCE_TEST_PIPER_MODEL"],
            FileManager.default.fileExists(atPath: model)
        else { return nil }
        return model
    }

    /// The engines installed here: each test runs for every one of them.
    static var installedEngines: [SpeechEngine] {
        SpeechEngine.allCases.filter {
            switch $0 {
            case .festival: return hasFestival
            case .espeak: return MusicHarness.hasEspeak
            case .piper: return piperModel != nil
            }
        }
    }

    /// The engine's voice (for piper, the test model).
    static func voice(_ engine: SpeechEngine, wordsPerMinute: Int? = nil) -> SpeechVoice {
        SpeechVoice(engine: engine, wordsPerMinute: wordsPerMinute, model: engine == .piper ? piperModel : nil)
    }

    /// Points the phrase cache at `folder` (nil: the folder is removed from the environment).
    static func useCache(_ folder: URL?) {
        if let folder { setenv("CADENCE_CACHE_DIR", folder.path, 1) } else { unsetenv("CADENCE_CACHE_DIR") }
    }

    /// How many times an engine has spoken a phrase in this process.
    static var engineRuns: Int { SpeechSynthesizer.engineRuns.load(ordering: .relaxed) }

    /// The engine runs that `body` made.
    static func countingEngineRuns(_ body: () throws -> Void) rethrows -> Int {
        let before = engineRuns
        try body()
        return engineRuns - before
    }

    /// A sound pack whose `stop` is a 20 ms blip, so the transition after a stop is silent before
    /// its announcement.
    static func quietStopPack(in folder: URL, rate: Int) throws -> String {
        let pack = folder.appendingPathComponent("pack-\(rate)")
        try FileManager.default.createDirectory(at: pack, withIntermediateDirectories: true)
        let blip = MusicHarness.tones([(1_000, 0.3)], seconds: 0.02, rate: rate)
        try WAVFile.bytes(blip, channels: 1, rate: rate).write(to: pack.appendingPathComponent("stop.wav"))
        return pack.path
    }

    /// From each announce cue to the last sound before the next cue: the phrase as the track holds it.
    static func announcements(in samples: [Float], timeline: Timeline) throws -> [(step: Int, range: Range<Int>)] {
        try timeline.cues.filter { $0.type == .announce }.map { cue in
            let at = Int(cue.sample)
            let next = Int(try XCTUnwrap(timeline.cues.first { $0.sample > cue.sample }).sample)
            let end = try XCTUnwrap(samples[at..<next].lastIndex { $0 != 0 }) + 1
            return (cue.step, at..<end)
        }
    }
}
