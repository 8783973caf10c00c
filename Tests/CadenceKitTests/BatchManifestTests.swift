import CadenceTestSupport
import Foundation
import XCTest
@testable import CadenceKit

/// The pieces of a batch's up-to-date check: `ContentHash` (64-bit FNV-1a), `TrackManifest` (what
/// each track of a folder was made from, kept in `.cadence-manifest.json`) and `RenderFingerprint`
/// (everything that decides a track's bytes).
final class BatchManifestTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try ScratchFolder(for: self, "manifest").url
    }

    private func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    private func hash(_ bytes: [UInt8]) -> String {
        var hash = ContentHash()
        hash.add(bytes)
        return hash.hex
    }

    private func hash(strings: [String]) -> String {
        var hash = ContentHash()
        for string in strings { hash.add(string) }
        return hash.hex
    }

    private func partialFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.contains(".partial") }
    }

    private func stamp(size: Int64, modified: Int64) -> FileStamp {
        FileStamp(device: 1, inode: 2, size: size, modified: modified)
    }

    /// Sets a file's modification time to `seconds` after 1 January 2020 (plus `nanoseconds`).
    private func setModified(_ path: String, seconds: Int, nanoseconds: Int = 0) {
        let base = 1_577_836_800 + seconds
        var times = [timespec(tv_sec: base, tv_nsec: nanoseconds), timespec(tv_sec: base, tv_nsec: nanoseconds)]
        XCTAssertEqual(utimensat(AT_FDCWD, path, &times, 0), 0, "utimensat \(path)")
    }

    // MARK: ContentHash

    func testContentHashOfKnownBytesIsFNV1a64() {
        // The published FNV-1a 64-bit test vectors.
        XCTAssertEqual(hash([]), "cbf29ce484222325")
        XCTAssertEqual(hash(Array("a".utf8)), "af63dc4c8601ec8c")
        XCTAssertEqual(hash(Array("foobar".utf8)), "85944171f73967e8")
        XCTAssertEqual(ContentHash().hex, "cbf29ce484222325", "an empty hash is the offset basis")
    }

    func testContentHashOfAStringEndsItWithAZeroByte() {
        // Strings are hashed with a 0 after them, so ["ab"] and ["a", "b"] differ.
        XCTAssertEqual(hash(strings: ["a"]), "089be207b544f1e4", "leading zero digits are kept: always 16 digits")
        XCTAssertEqual(hash(strings: ["a"]), hash(Array("a".utf8) + [0]))
        XCTAssertEqual(hash(strings: ["foobar"]), "34531ca7168b8f38")
        XCTAssertEqual(hash(strings: [""]), "af63bd4c8601b7df")
        XCTAssertEqual(hash(strings: ["café"]), "8722d2eed3c2ffcb", "strings are hashed as UTF-8")
        XCTAssertNotEqual(hash(strings: ["ab"]), hash(strings: ["a", "b"]))
        XCTAssertNotEqual(hash(strings: ["a", "bc"]), hash(strings: ["ab", "c"]))
    }

    func testContentHashAddedInPiecesEqualsTheWhole() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 31 + 7) }
        var pieces = ContentHash()
        pieces.add(Array(bytes[0..<1]))
        pieces.add(Array(bytes[1..<500]))
        pieces.add([])
        pieces.add(Array(bytes[500...]))
        XCTAssertEqual(pieces.hex, hash(bytes))
        XCTAssertEqual(pieces.hex.count, 16)
        XCTAssertEqual(pieces.hex, pieces.hex.lowercased())
    }

    func testContentHashOfAFileIsTheHashOfItsBytes() throws {
        // Past the 1 MB reading piece, with a length that is not a multiple of it.
        let bytes = (0..<(2 * 1_048_576 + 12_345)).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }
        try Data(bytes).write(to: folder.appendingPathComponent("big.bin"))
        XCTAssertEqual(try ContentHash.ofFile(path("big.bin"), kind: "file", shouldStop: { false }), hash(bytes))
        try Data().write(to: folder.appendingPathComponent("empty.bin"))
        XCTAssertEqual(try ContentHash.ofFile(path("empty.bin"), kind: "file", shouldStop: { false }), "cbf29ce484222325")
        XCTAssertThrowsError(try ContentHash.ofFile(path("missing.bin"), kind: "file", shouldStop: { false }), "a missing file has no hash")
        XCTAssertThrowsError(try ContentHash.ofFile(folder.path, kind: "file", shouldStop: { false }), "a folder has no hash")
        // A device that never ends, and a pipe with no writer, are refused at once instead of read forever.
        XCTAssertThrowsError(try ContentHash.ofFile("/dev/zero", kind: "music file", shouldStop: { false })) { error in
            XCTAssertEqual("\(error)", "/dev/zero: error: is a device, not a music file")
        }
        XCTAssertEqual(mkfifo(path("pipe.wav"), 0o600), 0)
        XCTAssertThrowsError(try ContentHash.ofFile(path("pipe.wav"), kind: "music file", shouldStop: { false })) { error in
            XCTAssertTrue("\(error)".hasSuffix("error: is a named pipe (FIFO), not a music file"), "\(error)")
        }
    }

    // MARK: TrackManifest

    func testManifestIsSavedAndLoadedBack() throws {
        var manifest = TrackManifest()
        manifest.tracks["a.wav"] = .init(fingerprint: "0011223344556677", stamp: stamp(size: 1234, modified: 1_700_000_000_123_456_789))
        manifest.tracks["b b.flac"] = .init(fingerprint: "ffeeddccbbaa9988", stamp: stamp(size: 0, modified: -5))
        try manifest.save(folder: folder.path)
        XCTAssertEqual(TrackManifest.path(in: folder.path), path(".cadence-manifest.json"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: path(".cadence-manifest.json")))
        XCTAssertEqual(TrackManifest.load(folder: folder.path), manifest)
        XCTAssertEqual(partialFiles(), [])
        let json = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(".cadence-manifest.json")))
                as? [String: Any])
        XCTAssertEqual(json["version"] as? Int, 2)
        // Saved again over the old one.
        manifest.tracks["a.wav"] = nil
        try manifest.save(folder: folder.path)
        XCTAssertEqual(TrackManifest.load(folder: folder.path), manifest)
    }

    func testAMissingManifestLoadsEmpty() {
        XCTAssertEqual(TrackManifest.load(folder: folder.path), TrackManifest())
        XCTAssertEqual(TrackManifest.load(folder: folder.appendingPathComponent("no-such-folder").path), TrackManifest())
        XCTAssertEqual(TrackManifest().tracks, [:])
        XCTAssertEqual(TrackManifest().version, TrackManifest.currentVersion)
    }

    func testADamagedManifestLoadsEmpty() throws {
        var good = TrackManifest()
        good.tracks["a.wav"] = .init(fingerprint: "0011223344556677", stamp: stamp(size: 10, modified: 20))
        try good.save(folder: folder.path)
        let text = try String(contentsOf: folder.appendingPathComponent(".cadence-manifest.json"), encoding: .utf8)
        let cases: [(String, Data)] = [
            ("garbage bytes", Data((0..<2048).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) })),
            ("truncated JSON", Data(text.utf8).prefix(text.utf8.count / 2)),
            ("empty", Data()),
            ("null", Data("null".utf8)),
            ("an array", Data("[]".utf8)),
            ("no tracks", Data(#"{"version": 2}"#.utf8)),
            ("tracks of the wrong type", Data(#"{"version": 2, "tracks": [1]}"#.utf8)),
            ("an entry missing its stamp", Data(#"{"version": 2, "tracks": {"a.wav": {"fingerprint": "x"}}}"#.utf8)),
            (
                "a size that is text",
                Data(
                    #"{"version": 2, "tracks": {"a.wav": {"fingerprint": "x", "stamp": {"device": 1, "inode": 2, "size": "1", "modified": 1}}}}"#
                        .utf8)
            ),
            (
                "a manifest of Cadence 0.1",
                Data(#"{"version": 1, "tracks": {"a.wav": {"fingerprint": "x", "size": 1, "modified": 1}}}"#.utf8)
            ),
            ("invalid UTF-8", Data([0x7B, 0xFF, 0xFE])),
        ]
        for (what, bytes) in cases {
            try bytes.write(to: folder.appendingPathComponent(".cadence-manifest.json"))
            XCTAssertEqual(TrackManifest.load(folder: folder.path), TrackManifest(), what)
        }
    }

    func testAManifestOfAnotherVersionLoadsEmpty() throws {
        var manifest = TrackManifest()
        manifest.tracks["a.wav"] = .init(fingerprint: "0011223344556677", stamp: stamp(size: 10, modified: 20))
        for version in [0, 1, TrackManifest.currentVersion + 1] {
            manifest.version = version
            try manifest.save(folder: folder.path)
            XCTAssertEqual(TrackManifest.load(folder: folder.path), TrackManifest(), "version \(version)")
        }
    }

    func testAFolderNamedLikeTheManifestLoadsEmptyAndCannotBeSavedOver() throws {
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent(".cadence-manifest.json"),
            withIntermediateDirectories: false)
        XCTAssertEqual(TrackManifest.load(folder: folder.path), TrackManifest())
        var manifest = TrackManifest()
        manifest.tracks["a.wav"] = .init(fingerprint: "0011223344556677", stamp: stamp(size: 10, modified: 20))
        XCTAssertThrowsError(try manifest.save(folder: folder.path))
        XCTAssertEqual(partialFiles(), [], "a failed save leaves no temporary file")
        var isFolder: ObjCBool = false
        XCTAssertTrue(FileManager.default.fileExists(atPath: path(".cadence-manifest.json"), isDirectory: &isFolder) && isFolder.boolValue)
    }

    func testARecordedTrackIsUpToDateUntilItChanges() throws {
        let track = path("a.wav")
        try Data(repeating: 7, count: 100).write(to: URL(fileURLWithPath: track))
        setModified(track, seconds: 100, nanoseconds: 123_456_789)
        var manifest = TrackManifest()
        let recorded = try XCTUnwrap(FileStamp.of(track))
        XCTAssertEqual(recorded.size, 100)
        XCTAssertEqual(recorded.modified, (1_577_836_800 + 100) * 1_000_000_000 + 123_456_789, "modification time in nanoseconds")
        manifest.tracks["a.wav"] = .init(fingerprint: "f1", stamp: recorded)
        XCTAssertTrue(manifest.isUpToDate(track: "a.wav", at: track, fingerprint: "f1"))
        XCTAssertFalse(manifest.isUpToDate(track: "a.wav", at: track, fingerprint: "f2"), "another fingerprint")
        XCTAssertFalse(manifest.isUpToDate(track: "b.wav", at: track, fingerprint: "f1"), "a track not in the manifest")

        // Kept through save and load.
        try manifest.save(folder: folder.path)
        let loaded = TrackManifest.load(folder: folder.path)
        XCTAssertTrue(loaded.isUpToDate(track: "a.wav", at: track, fingerprint: "f1"))

        // Only the modification time changed (by one nanosecond).
        setModified(track, seconds: 100, nanoseconds: 123_456_790)
        XCTAssertFalse(loaded.isUpToDate(track: "a.wav", at: track, fingerprint: "f1"), "another modification time")
        setModified(track, seconds: 100, nanoseconds: 123_456_789)
        XCTAssertTrue(loaded.isUpToDate(track: "a.wav", at: track, fingerprint: "f1"))

        // Another file renamed over it, with the same size and time: another inode.
        let other = path("other.wav")
        try Data(repeating: 7, count: 100).write(to: URL(fileURLWithPath: other))
        setModified(other, seconds: 100, nanoseconds: 123_456_789)
        XCTAssertEqual(rename(other, track), 0)
        XCTAssertFalse(loaded.isUpToDate(track: "a.wav", at: track, fingerprint: "f1"), "another file (inode) with the same size and time")

        // Removed, then a folder in its place.
        try FileManager.default.removeItem(atPath: track)
        XCTAssertFalse(loaded.isUpToDate(track: "a.wav", at: track, fingerprint: "f1"), "a removed track")
        try FileManager.default.createDirectory(atPath: track, withIntermediateDirectories: false)
        XCTAssertFalse(loaded.isUpToDate(track: "a.wav", at: track, fingerprint: "f1"), "a folder is not a track")
    }

    func testTwoStoresOfOneFolderKeepEachOthersEntries() throws {
        // Two runs into one folder at once: each save merges its own entries into what is on disk.
        let first = ManifestStore(folder: folder.path), second = ManifestStore(folder: folder.path)
        first.record(track: "a.wav", fingerprint: "fa", stamp: stamp(size: 1, modified: 1))
        second.record(track: "b.wav", fingerprint: "fb", stamp: stamp(size: 2, modified: 2))
        first.save()
        second.save()
        first.record(track: "c.wav", fingerprint: "fc", stamp: stamp(size: 3, modified: 3))
        first.save()
        let saved = TrackManifest.load(folder: folder.path)
        XCTAssertEqual(saved.tracks.keys.sorted().map(\.text), ["a.wav", "b.wav", "c.wav"])
        XCTAssertEqual(saved.tracks["b.wav"]?.fingerprint, "fb")
        XCTAssertEqual(partialFiles(), [])
    }

    // MARK: RenderFingerprint

    private let routine = Array("title: T\nsteps:\n  - name: A\n    hold: 3s\n".utf8)

    private func fingerprint(_ options: RenderOptions, _ bytes: [UInt8]? = nil) throws -> String {
        try RenderFingerprint(options: options).fingerprint(routineBytes: bytes ?? routine)
    }

    func testTheSameInputsGiveTheSameFingerprint() throws {
        let first = try fingerprint(RenderOptions())
        XCTAssertEqual(first, try fingerprint(RenderOptions()))
        XCTAssertEqual(first.count, 16)
        XCTAssertTrue(first.allSatisfy { "0123456789abcdef".contains($0) }, first)
        let shared = try RenderFingerprint(options: RenderOptions())
        XCTAssertEqual(shared.fingerprint(routineBytes: routine), shared.fingerprint(routineBytes: routine))
        // -0 dB is 0 dB.
        XCTAssertEqual(try fingerprint(RenderOptions(gainDecibels: -0.0)), first)
        XCTAssertEqual(try fingerprint(RenderOptions(gainDecibels: 0.0)), first)
    }

    func testTheRoutineBytesChangeTheFingerprint() throws {
        var oneByte = routine
        oneByte[oneByte.count - 3] = UInt8(ascii: "4")  // hold: 4s
        let variants: [[UInt8]] = [routine, oneByte, routine + [10], Array(routine.dropLast()), [], [0]]
        let prints = try variants.map { try fingerprint(RenderOptions(), $0) }
        XCTAssertEqual(Set(prints).count, variants.count, "\(prints)")
    }

    func testEveryOptionChangesTheFingerprint() throws {
        try Data([1, 2, 3]).write(to: folder.appendingPathComponent("music.wav"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("pack"), withIntermediateDirectories: false)
        let variants: [(String, RenderOptions)] = [
            ("defaults", RenderOptions()),
            ("format", RenderOptions(format: .flac)),
            ("bit depth 24", RenderOptions(bitDepth: .pcm24)),
            ("bit depth float", RenderOptions(bitDepth: .float)),
            ("sample rate", RenderOptions(sampleRate: 48_000)),
            ("channels", RenderOptions(channels: 1)),
            ("level hard", RenderOptions(level: .hard)),
            ("level easy", RenderOptions(level: .easy)),
            ("gain", RenderOptions(gainDecibels: -6)),
            ("small gain", RenderOptions(gainDecibels: 0.5)),
            ("sound pack", RenderOptions(soundsFolder: path("pack"))),
            ("music", RenderOptions(music: [path("music.wav")])),
            ("duck", RenderOptions(duckDecibels: 3)),
            ("loudness", RenderOptions(loudnessTarget: -20)),
            ("voice", RenderOptions(voice: SpeechVoice())),
            ("voice name", RenderOptions(voice: SpeechVoice(name: "en-gb"))),
            ("voice speed", RenderOptions(voice: SpeechVoice(wordsPerMinute: 200))),
        ]
        var seen: [String: String] = [:]
        for (what, options) in variants {
            let print = try fingerprint(options)
            if let other = seen[print] { XCTFail("\(what) gives the same fingerprint as \(other)") }
            seen[print] = what
        }
    }

    func testASoundPackFilesContentChangesTheFingerprint() throws {
        let pack = folder.appendingPathComponent("pack")
        try FileManager.default.createDirectory(at: pack, withIntermediateDirectories: false)
        for (index, sound) in CueSound.allCases.enumerated() {
            try Data([UInt8(index), 1, 2, 3]).write(to: pack.appendingPathComponent(sound.fileName))
        }
        let options = RenderOptions(soundsFolder: pack.path)
        let original = try fingerprint(options)
        for (index, sound) in CueSound.allCases.enumerated() {
            let file = pack.appendingPathComponent(sound.fileName)
            try Data([UInt8(index), 1, 2, 4]).write(to: file)
            XCTAssertNotEqual(try fingerprint(options), original, "\(sound.fileName) changed")
            // Same bytes again (a new modification time): same fingerprint.
            try Data([UInt8(index), 1, 2, 3]).write(to: file)
            XCTAssertEqual(try fingerprint(options), original, "\(sound.fileName) back as it was")
        }
        // A pack file removed: the built-in sound plays instead.
        try FileManager.default.removeItem(at: pack.appendingPathComponent("go.wav"))
        let withoutGo = try fingerprint(options)
        XCTAssertNotEqual(withoutGo, original)
        // An empty go.wav is not the same as none.
        try Data().write(to: pack.appendingPathComponent("go.wav"))
        XCTAssertNotEqual(try fingerprint(options), withoutGo)
        XCTAssertNotEqual(try fingerprint(options), original)
    }

    func testAMusicFilesContentChangesTheFingerprint() throws {
        let first = folder.appendingPathComponent("one.wav"), second = folder.appendingPathComponent("two.wav")
        try Data([1, 2, 3]).write(to: first)
        try Data([4, 5, 6]).write(to: second)
        let one = RenderOptions(music: [first.path])
        let original = try fingerprint(one)
        try Data([1, 2, 4]).write(to: first)
        XCTAssertNotEqual(try fingerprint(one), original, "the music file's content changed")
        try Data([1, 2, 3]).write(to: first)
        XCTAssertEqual(try fingerprint(one), original, "same content again")
        let both = try fingerprint(RenderOptions(music: [first.path, second.path]))
        XCTAssertNotEqual(both, original, "a second music file")
        XCTAssertNotEqual(try fingerprint(RenderOptions(music: [second.path, first.path])), both, "the playlist's order")
        try Data([4, 5, 7]).write(to: second)
        XCTAssertNotEqual(try fingerprint(RenderOptions(music: [first.path, second.path])), both, "the second file changed")
    }
}
