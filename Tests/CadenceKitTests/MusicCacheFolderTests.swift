import CadenceTestSupport
import Foundation
import XCTest
@testable import CadenceKit

/// The cache folder (a small reusable piece: music analyses now, speech phrases later) and the
/// music analyses kept in it: records round-trip, anything damaged or of another version is a
/// miss and never an error, the folder is found from XDG_CACHE_HOME or HOME, and a music file
/// measured once is not decoded again for measuring, by content, whatever its name.
final class MusicCacheFolderTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try ScratchFolder(for: self, "render").url
    }

    private var base: CacheFolder { CacheFolder(path: folder.appendingPathComponent("cadence").path) }
    private func kind(version: Int = 1) -> CacheFolder.Kind { CacheFolder.Kind(name: "test-kind", version: version) }

    func testARecordReadsBackAsWritten() {
        let payload = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        base.write(kind(), key: "abc-123", payload: payload)
        XCTAssertEqual(base.read(kind(), key: "abc-123", limit: 1 << 20), payload)
        XCTAssertNil(base.read(kind(), key: "other", limit: 1 << 20), "a record never written")
        base.write(kind(), key: "abc-123", payload: [1, 2, 3])
        XCTAssertEqual(base.read(kind(), key: "abc-123", limit: 1 << 20), [1, 2, 3], "a record written again replaces the old one")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("cadence/test-kind").path)) ?? []
        XCTAssertEqual(names, [FilePaths.name(of: base.entryPath(kind(), key: "abc-123"))], "nothing but the record is left in the folder")
        XCTAssertNil(base.read(kind(), key: "abc-123", limit: 2), "a record larger than asked for")
    }

    func testDamagedRecordsAndOtherVersionsAreMisses() throws {
        let payload = [UInt8](repeating: 42, count: 1_000)
        base.write(kind(), key: "key", payload: payload)
        let url = URL(fileURLWithPath: base.entryPath(kind(), key: "key"))
        let whole = try Data(contentsOf: url)
        // Another version is written to the same file name: it is the key and kind that name it.
        try whole.write(to: URL(fileURLWithPath: base.entryPath(kind(version: 2), key: "key")))
        XCTAssertNil(base.read(kind(version: 2), key: "key", limit: 1 << 20), "another version")
        let other = CacheFolder.Kind(name: "other-kind", version: 1)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("cadence/other-kind"), withIntermediateDirectories: true)
        try whole.write(to: URL(fileURLWithPath: base.entryPath(other, key: "key")))
        XCTAssertNil(base.read(other, key: "key", limit: 1 << 20), "another kind")
        for (label, damaged) in [
            ("cut short", whole.prefix(whole.count - 10)), ("empty", Data()),
            (
                "a flipped payload byte",
                {
                    var d = whole
                    d[d.count - 20] ^= 1
                    return d
                }()
            ),
            (
                "a flipped header byte",
                {
                    var d = whole
                    d[3] ^= 0x20
                    return d
                }()
            ),
            ("an extra byte", whole + [0]),
        ] {
            try damaged.write(to: url)
            XCTAssertNil(base.read(kind(), key: "key", limit: 1 << 20), label)
        }
        base.write(kind(), key: "key", payload: payload)
        XCTAssertEqual(base.read(kind(), key: "key", limit: 1 << 20), payload, "a damaged record is replaced by the next write")
    }

    func testAFolderThatCannotBeWrittenIsNotAnError() throws {
        let blocked = folder.appendingPathComponent("file-not-folder")
        try Data("x".utf8).write(to: blocked)
        let cache = CacheFolder(path: blocked.appendingPathComponent("cadence").path)
        cache.write(kind(), key: "key", payload: [1, 2, 3])
        XCTAssertNil(cache.read(kind(), key: "key", limit: 1 << 20))
    }

    func testTheUserCacheFolderComesFromTheEnvironment() {
        XCTAssertEqual(CacheFolder.user(environment: ["CADENCE_CACHE_DIR": "/mine", "XDG_CACHE_HOME": "/x/cache"])?.path, "/mine")
        XCTAssertEqual(CacheFolder.user(environment: ["XDG_CACHE_HOME": "/x/cache", "HOME": "/home/u"])?.path, "/x/cache/cadence")
        XCTAssertEqual(CacheFolder.user(environment: ["HOME": "/home/u"])?.path, "/home/u/.cache/cadence")
        XCTAssertEqual(
            CacheFolder.user(environment: ["XDG_CACHE_HOME": "relative", "HOME": "/h"])?.path,
            "/h/.cache/cadence", "a relative XDG_CACHE_HOME is ignored, as the specification says")
        XCTAssertNil(CacheFolder.user(environment: [:]))
        XCTAssertNil(CacheFolder.user(environment: ["HOME": "/h", "CADENCE_CACHE": "off"]))
        XCTAssertNil(CacheFolder.user(environment: ["CADENCE_CACHE_DIR": "/mine", "CADENCE_CACHE": "off"]))
    }

    // MARK: Music analyses

    private func musicFile(_ name: String, seconds: Double = 3, rate: Int = 48_000) throws -> String {
        let url = folder.appendingPathComponent(name)
        let samples = MusicHarness.pinkNoise(seconds: seconds, rate: rate, channels: 2, seed: 3)
        try WAVFile.write(samples, channels: 2, rate: rate, to: url)
        return url.path
    }

    func testAMusicFileIsMeasuredOnceAndRecognizedByItsContent() throws {
        let store = MusicAnalysisStore(folder: CacheFolder(path: folder.appendingPathComponent("cache").path))
        let path = try musicFile("song.wav")
        let first = try store.analysis(of: path, sampleRate: 44_100, channels: 2)
        XCTAssertFalse(first.cached)
        let second = try store.analysis(of: path, sampleRate: 44_100, channels: 2)
        XCTAssertTrue(second.cached, "measured before: read from the cache")
        XCTAssertEqual(second.analysis, first.analysis)
        XCTAssertEqual(first.analysis, try MusicAnalysis.measure(path, sampleRate: 44_100, channels: 2), "the cache holds the measurement")

        // A copy under another name is the same content; other rates and channel counts are other records.
        let copy = folder.appendingPathComponent("copy of song.wav").path
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        XCTAssertTrue(try store.analysis(of: copy, sampleRate: 44_100, channels: 2).cached, "a copy is recognized")
        XCTAssertFalse(try store.analysis(of: path, sampleRate: 44_100, channels: 1).cached)
        XCTAssertFalse(try store.analysis(of: path, sampleRate: 48_000, channels: 2).cached)

        // Changed content is measured again.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[bytes.count - 100] ^= 0x40
        try bytes.write(to: URL(fileURLWithPath: path))
        XCTAssertFalse(try store.analysis(of: path, sampleRate: 44_100, channels: 2).cached, "an edited file")
    }

    func testAnAnalysisRoundTripsAndDamagedBytesAreRefused() throws {
        let analysis = try MusicAnalysis.measure(try musicFile("a.wav", seconds: 1.3), sampleRate: 44_100, channels: 2)
        XCTAssertEqual(analysis.frames, 57_330)
        XCTAssertEqual(analysis.chunkCount, (57_330 + 440) / 441)
        XCTAssertEqual(MusicAnalysis(decoding: analysis.encoded()), analysis)
        let bytes = analysis.encoded()
        XCTAssertNil(MusicAnalysis(decoding: Array(bytes.dropLast(4))))
        XCTAssertNil(MusicAnalysis(decoding: bytes + [0]))
        XCTAssertNil(MusicAnalysis(decoding: []))
    }

    /// Renders with music read from the cache give the same bytes as renders that measured it.
    func testARenderWithACachedAnalysisWritesTheSameBytes() throws {
        let timeline = try RenderHarness.timeline("title: Cache\nsteps:\n  - name: Hold\n    hold: 8s\n", rate: 44_100)
        let options = RenderOptions(music: [try musicFile("song.wav", seconds: 4)])
        let store = MusicAnalysisStore(folder: CacheFolder(path: folder.appendingPathComponent("cache").path))
        var tracks: [[UInt8]] = []
        for _ in 0..<2 {
            let resources = try RenderResources(options: options, musicStore: store)
            tracks.append(try TrackRenderer.renderBytes(timeline, options: options, resources: resources, scratchFolder: folder.path))
        }
        XCTAssertEqual(tracks[0], tracks[1])
        XCTAssertTrue(try store.analysis(of: options.music[0], sampleRate: 44_100, channels: 2).cached)
    }
}

/// Decoded music kept for the playlist's repeats (MusicCache): in memory, in scratch files, or not
/// at all, the track is the same to the byte.
final class MusicDecodedCacheTests: XCTestCase {
    func testMemoryScratchFilesAndNoCacheWriteTheSameBytes() throws {
        let folder = try ScratchFolder(for: self, "render").url
        let a = folder.appendingPathComponent("a.wav"), b = folder.appendingPathComponent("b.wav")
        try WAVFile.write(MusicHarness.pinkNoise(seconds: 7, rate: 48_000, channels: 2, seed: 5), channels: 2, rate: 48_000, to: a)
        try WAVFile.write(MusicHarness.tones([(330, 0.3)], seconds: 5, rate: 22_050), channels: 1, rate: 22_050, to: b)
        // 26 s: each file repeats.
        let timeline = try RenderHarness.timeline("title: Repeats\nsteps:\n  - name: Hold\n    hold: 24s\n", rate: 44_100)
        let options = RenderOptions(music: [a.path, b.path])
        var tracks: [String: [UInt8]] = [:]
        for (label, memory, scratch) in [("memory", MusicCache.budget, 0), ("scratch files", 0, MusicCache.scratchBudget), ("none", 0, 0)] {
            let cache = MusicCache(sampleRate: 44_100, channels: 2, memoryBudget: memory, scratchBudget: scratch)
            let resources = try RenderResources(options: options, musicStore: .none, musicCache: cache)
            tracks[label] = try TrackRenderer.renderBytes(timeline, options: options, resources: resources, scratchFolder: folder.path)
            if label == "scratch files" {
                XCTAssertNotNil(cache.scratchFile(for: a.path), "the file went to a scratch file as it was measured")
                XCTAssertNotNil(cache.scratchFile(for: b.path))
            }
        }
        // With the analyses read from a cache folder, the scratch files are filled as the files first play.
        let store = MusicAnalysisStore(folder: CacheFolder(path: folder.appendingPathComponent("cache").path))
        _ = try RenderResources(options: options, musicStore: store)
        let cache = MusicCache(sampleRate: 44_100, channels: 2, memoryBudget: 0)
        let resources = try RenderResources(options: options, musicStore: store, musicCache: cache)
        XCTAssertNil(cache.scratchFile(for: a.path), "not decoded to be measured")
        tracks["scratch files filled as they play"] = try TrackRenderer.renderBytes(
            timeline, options: options, resources: resources,
            scratchFolder: folder.path)
        XCTAssertNotNil(cache.scratchFile(for: a.path), "filled as it played the first time")
        for label in ["scratch files", "none", "scratch files filled as they play"] {
            XCTAssertEqual(tracks[label], tracks["memory"], label)
        }
    }
}
