import Foundation
import Synchronization

/// What an output folder's tracks were made from: for each track, the fingerprint of its inputs and
/// the stamp (device, inode, size, modification time) of the file this process wrote, taken from
/// its own descriptor before the rename. Kept as `.cadence-manifest.json` in the folder. A track is
/// up to date when its entry's fingerprint matches and the file at its name still has that stamp:
/// a track another run renamed over it, or one edited or removed since, is rendered again. A
/// missing or damaged manifest just means every track is rendered again.
struct TrackManifest: Codable, Equatable {
    static let fileName = ".cadence-manifest.json"
    static let currentVersion = 2
    /// A manifest larger than this is treated as damaged.
    static let maximumSize = 64 << 20

    struct Entry: Codable, Equatable, Sendable {
        var fingerprint: String
        var stamp: FileStamp
    }

    /// A track's file name, told apart from others by its bytes: `café` written in two Unicode forms
    /// is two files, and Swift's String would call them equal.
    struct TrackName: Hashable, Comparable, Sendable, ExpressibleByStringLiteral {
        let bytes: [UInt8]
        init(_ name: String) { bytes = PathBytes.bytes(name) }
        init(stringLiteral name: String) { self.init(name) }
        var text: String { PathBytes.string(fromBytes: bytes) }
        static func < (a: TrackName, b: TrackName) -> Bool { a.bytes.lexicographicallyPrecedes(b.bytes) }
    }

    var version = TrackManifest.currentVersion
    var tracks: [TrackName: Entry] = [:]

    init() {}

    /// On disk the tracks are a list of `{"name", "fingerprint", "stamp"}`, in the order of their
    /// names' bytes (JSON object keys would merge names that differ only in Unicode form).
    private struct Record: Codable {
        var name: String
        var fingerprint: String
        var stamp: FileStamp
    }

    private enum CodingKeys: String, CodingKey { case version, tracks }

    init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(Int.self, forKey: .version)
        for record in try container.decode([Record].self, forKey: .tracks) {
            tracks[TrackName(record.name)] = Entry(fingerprint: record.fingerprint, stamp: record.stamp)
        }
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(version, forKey: .version)
        try container.encode(
            tracks.sorted { $0.key < $1.key }.map { Record(name: $0.key.text, fingerprint: $0.value.fingerprint, stamp: $0.value.stamp) },
            forKey: .tracks)
    }

    static func path(in folder: String) -> String { FilePaths.join(folder, fileName) }

    /// The manifest of `folder`, or an empty one when it is missing, unreadable or damaged.
    static func load(folder: String) -> TrackManifest {
        guard let (bytes, _) = try? InputFile.readBytes(path(in: folder), kind: "manifest", limit: maximumSize),
            bytes.count <= maximumSize,
            let manifest = try? JSONDecoder().decode(TrackManifest.self, from: Data(bytes)),
            manifest.version == currentVersion
        else { return TrackManifest() }
        return manifest
    }

    func save(folder: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try OutputFile.write(Array(try encoder.encode(self)) + [0x0A], to: Self.path(in: folder))
    }

    func isUpToDate(track name: String, at path: String, fingerprint: String) -> Bool {
        guard let entry = tracks[TrackName(name)], entry.fingerprint == fingerprint else { return false }
        return FileStamp.of(path) == entry.stamp
    }
}

/// One output folder's manifest during a batch. Finished tracks are recorded in memory and saved
/// at most once a second (and at the end), so a batch of thousands of routines is not slowed by
/// rewriting the manifest after each. Each save locks the folder (`flock`), reads the manifest
/// again and writes it back with only this run's entries changed, so two runs into one folder at
/// once keep each other's entries; a track whose file another run replaced no longer matches its
/// stamp, and is rendered again next time.
final class ManifestStore: Sendable {
    let folder: String
    private struct State {
        var loaded: TrackManifest
        var pending: [TrackManifest.TrackName: TrackManifest.Entry] = [:]
        var lastSave = Date()
    }

    private let state: Mutex<State>
    static let saveInterval: TimeInterval = 1
    /// How long a save waits for another run's lock on the folder before giving up.
    static let lockTimeout: TimeInterval = 10

    init(folder: String) {
        self.folder = folder
        state = Mutex(State(loaded: TrackManifest.load(folder: folder)))
    }

    func isUpToDate(track name: String, at path: String, fingerprint: String) -> Bool {
        state.withLock { $0.loaded.isUpToDate(track: name, at: path, fingerprint: fingerprint) }
    }

    func record(track name: String, fingerprint: String, stamp: FileStamp) {
        let due = state.withLock { state -> Bool in
            state.pending[TrackManifest.TrackName(name)] = TrackManifest.Entry(fingerprint: fingerprint, stamp: stamp)
            return Date().timeIntervalSince(state.lastSave) >= Self.saveInterval
        }
        if due { save() }
    }

    /// Merges this run's entries into the manifest on disk. A manifest that cannot be saved only
    /// means those tracks are rendered again next time.
    func save() {
        let pending = state.withLock { state -> [TrackManifest.TrackName: TrackManifest.Entry] in
            defer {
                state.pending = [:]
                state.lastSave = Date()
            }
            return state.pending
        }
        guard !pending.isEmpty, let lock = try? FileSystem.open(folder, O_RDONLY | O_DIRECTORY) else { return }
        defer { FileSystem.closeQuietly(lock) }
        let deadline = Date().addingTimeInterval(Self.lockTimeout)
        while (try? FileSystem.lock(lock, wait: false)) == nil {
            guard Date() < deadline, !StopSignal.isRequested else { return }
            usleep(20_000)
        }
        defer { FileSystem.unlock(lock) }
        var manifest = TrackManifest.load(folder: folder)
        manifest.tracks.merge(pending) { _, new in new }
        try? manifest.save(folder: folder)
        state.withLock { $0.loaded.tracks.merge(pending) { _, new in new } }
    }
}
