import Foundation
import XCTest
@testable import CadenceKit

/// The phrase cache (`$CADENCE_CACHE_DIR`, else `$XDG_CACHE_HOME/cadence`, else `~/.cache/cadence`):
/// a phrase spoken once is never spoken again by the same engine, voice, speed and version, whatever
/// the routine, sample rate or gain; a damaged entry is spoken anew, and a cache that cannot be
/// written costs time, never a render. Engine runs are counted by `SpeechSynthesizer.engineRuns`.
final class PhraseCacheTests: XCTestCase {
    private var folder: URL!
    private var cache: URL { folder.appendingPathComponent("cache") }

    override func setUpWithError() throws {
        try MusicHarness.requireEspeak()
        folder = try RenderHarness.makeFolder()
        VoiceHarness.useCache(cache)
    }

    override func tearDownWithError() throws {
        VoiceHarness.useCache(nil)
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    private func render(
        _ yaml: String, rate: Int = 16_000, gain: Double = 0, voice: SpeechVoice = SpeechVoice(engine: .espeak),
        name: String
    ) throws -> (runs: Int, bytes: Data) {
        let timeline = try RenderHarness.timeline(yaml, rate: rate)
        var bytes = Data()
        let runs = try VoiceHarness.countingEngineRuns {
            let path = try RenderHarness.render(
                timeline, options: RenderOptions(sampleRate: rate, gainDecibels: gain, voice: voice),
                in: folder, name: name)
            bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        }
        return (runs, bytes)
    }

    private func entries() throws -> [URL] {
        let speech = cache.appendingPathComponent("speech")
        return try FileManager.default.contentsOfDirectory(at: speech, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "entry" }.sorted { $0.path < $1.path }
    }

    /// A second render, a render at another rate or gain, and a routine sharing phrases: the engine
    /// runs only for phrases it has not spoken before. Festival too, when it is installed.
    func testASecondRenderRunsTheEngineZeroTimes() throws {
        for engine in VoiceHarness.installedEngines {
            VoiceHarness.useCache(cache.appendingPathComponent("\(engine)"))
            let voice = VoiceHarness.voice(engine)
            let first = try render(VoiceRenderTests.routine, voice: voice, name: "\(engine)-first.wav")
            XCTAssertEqual(first.runs, 6, "\(engine): six phrases to speak")
            let second = try render(VoiceRenderTests.routine, voice: voice, name: "\(engine)-second.wav")
            XCTAssertEqual(second.runs, 0, "\(engine): a second render speaks nothing")
            XCTAssertTrue(first.bytes == second.bytes, "\(engine): and gives the same bytes")
            XCTAssertEqual(
                try render(VoiceRenderTests.routine, rate: 44_100, gain: -10, voice: voice, name: "\(engine)-other.wav").runs, 0,
                "\(engine): another rate and gain reuse the phrases")
            let sharing = """
                title: Sharing
                steps:
                  - name: Bridge
                    say: Lift your hips
                    hold: 2s
                  - name: Cobra
                    hold: 2s
                    sides: each
                """
            XCTAssertEqual(
                try render(sharing, voice: voice, name: "\(engine)-sharing.wav").runs, 1,
                "\(engine): only the new phrase (\"Cobra\") is spoken; the others are kept")
        }
    }

    /// The key holds what changes the sound: another speed or voice is spoken afresh.
    func testAnotherSpeedOrVoiceIsSpokenAfresh() throws {
        _ = try render(VoiceRenderTests.routine, name: "default.wav")
        XCTAssertEqual(
            try render(VoiceRenderTests.routine, voice: SpeechVoice(engine: .espeak, wordsPerMinute: 220), name: "fast.wav").runs, 6)
        XCTAssertEqual(try render(VoiceRenderTests.routine, voice: SpeechVoice(engine: .espeak, name: "en-gb"), name: "gb.wav").runs, 6)
        XCTAssertEqual(try entries().count, 18, "one entry per phrase and voice")
    }

    /// Entries cut short, damaged, emptied, replaced by other bytes or by a folder read as
    /// missing: the phrase is spoken again, the track is the same, and the entry is written anew.
    func testADamagedEntryIsSpokenAnewAndReplaced() throws {
        let first = try render(VoiceRenderTests.routine, name: "first.wav")
        let files = try entries()
        XCTAssertEqual(files.count, 6)
        let original = try files.map { try Data(contentsOf: $0) }
        var cut = original[0]
        cut.removeLast(9)
        var flipped = original[1]
        flipped[flipped.count / 2] ^= 0x40
        var otherKey = original[2]
        otherKey[40] ^= 0x01
        try cut.write(to: files[0])
        try flipped.write(to: files[1])
        try otherKey.write(to: files[2])
        try Data().write(to: files[3])
        try Data("RIFF not an entry".utf8).write(to: files[4])
        try FileManager.default.removeItem(at: files[5])
        try FileManager.default.createDirectory(at: files[5], withIntermediateDirectories: false)
        // (Without the phrases kept ready to mix, which would serve the render without the entries.)
        let ready = cache.appendingPathComponent("speech-ready")
        try FileManager.default.removeItem(at: ready)
        let second = try render(VoiceRenderTests.routine, name: "second.wav")
        XCTAssertEqual(second.runs, 6, "every damaged entry is spoken again")
        XCTAssertTrue(first.bytes == second.bytes, "the track is the same")
        for (index, file) in files.enumerated().dropLast() {
            XCTAssertEqual(try Data(contentsOf: file), original[index], "entry \(index) is written anew")
        }
        try FileManager.default.removeItem(at: ready)
        XCTAssertEqual(try render(VoiceRenderTests.routine, name: "third.wav").runs, 1, "and read again (but the folder in the way)")
    }

    /// Each phrase is also kept ready to mix, by rate and gain: with the engine's own entries gone,
    /// a render at the same rate and gain runs no engine and makes the same track; at another gain
    /// the ready entries do not serve, and the phrases are spoken again.
    func testPhrasesKeptReadyToMixServeTheSameRateAndGain() throws {
        let first = try render(VoiceRenderTests.routine, name: "first.wav")
        try FileManager.default.removeItem(at: cache.appendingPathComponent("speech"))
        let again = try render(VoiceRenderTests.routine, name: "again.wav")
        XCTAssertEqual(again.runs, 0, "every phrase ready to mix")
        XCTAssertTrue(first.bytes == again.bytes, "the same track")
        XCTAssertEqual(
            try render(VoiceRenderTests.routine, gain: -6, name: "quiet.wav").runs, 6,
            "another gain is prepared again, from the engine when its entries are gone")
    }

    /// A cache folder that cannot be made or written (under a file, or in /proc) never fails a
    /// render: the phrases are spoken each time.
    func testAnUnwritableCacheNeverFailsARender() throws {
        let plain = try render(VoiceRenderTests.routine, name: "cached.wav")
        let file = folder.appendingPathComponent("a-file")
        try Data("x".utf8).write(to: file)
        for unusable in [file.appendingPathComponent("cache").path, "/proc/cadence-cache", file.path] {
            setenv("CADENCE_CACHE_DIR", unusable, 1)
            for round in 1...2 {
                let result = try render(VoiceRenderTests.routine, name: "unusable-\(round).wav")
                XCTAssertEqual(result.runs, 6, "\(unusable), round \(round): nothing kept, so everything is spoken")
                XCTAssertTrue(result.bytes == plain.bytes, "\(unusable): the same track")
            }
        }
    }

    func testTheCacheFolderIsCadenceCacheDirThenXDGCacheHomeThenHome() {
        XCTAssertEqual(CacheFolder.user(environment: ["CADENCE_CACHE_DIR": "/c", "XDG_CACHE_HOME": "/x", "HOME": "/h"])?.path, "/c")
        XCTAssertEqual(CacheFolder.user(environment: ["CADENCE_CACHE_DIR": "", "XDG_CACHE_HOME": "/x", "HOME": "/h"])?.path, "/x/cadence")
        XCTAssertEqual(
            CacheFolder.user(environment: ["XDG_CACHE_HOME": "relative", "HOME": "/h"])?.path, "/h/.cache/cadence",
            "a relative XDG_CACHE_HOME is ignored, as the XDG rules say")
        XCTAssertEqual(CacheFolder.user(environment: ["HOME": "/h"])?.path, "/h/.cache/cadence")
        XCTAssertNil(CacheFolder.user(environment: [:]))
    }

    /// An entry is read back only under its own kind, version and key, and only up to the limit.
    func testAnEntryReadsBackOnlyUnderItsKindVersionAndKey() {
        let cacheFolder = CacheFolder(path: cache.path)
        let kind = CacheFolder.Kind(name: "test", version: 1)
        let payload = (0..<1_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        cacheFolder.write(kind, key: "a key\nwith lines", payload: payload)
        XCTAssertEqual(cacheFolder.read(kind, key: "a key\nwith lines", limit: 1_000), payload)
        XCTAssertNil(cacheFolder.read(kind, key: "another key", limit: 1_000))
        XCTAssertNil(
            cacheFolder.read(CacheFolder.Kind(name: "test", version: 2), key: "a key\nwith lines", limit: 1_000), "another version")
        XCTAssertNil(cacheFolder.read(kind, key: "a key\nwith lines", limit: 999), "larger than the limit")
        cacheFolder.write(kind, key: "empty", payload: [])
        XCTAssertEqual(cacheFolder.read(kind, key: "empty", limit: 10), [])
        XCTAssertEqual(RenderCLIPartials.partials(in: cache.appendingPathComponent("test")), [], "no partial file is left")
    }
}

/// Hidden partial files (`.NAME.cadence-RANDOM.partial`) in a folder.
enum RenderCLIPartials {
    static func partials(in folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.contains(OutputFile.temporaryMarker) }
    }
}
