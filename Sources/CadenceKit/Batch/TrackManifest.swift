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

    var version = TrackManifest.currentVersion
    var tracks: [String: Entry] = [:]

    static func path(in folder: String) -> String { FilePaths.join(folder, fileName) }

    /// The manifest of `folder`, or an empty one when it is missing, unreadable or damaged.
    static func load(folder: String) -> TrackManifest {
        guard let (bytes, _) = try? InputFile.readBytes(path(in: folder), kind: "manifest", limit: maximumSize),
              bytes.count <= maximumSize,
              let manifest = try? JSONDecoder().decode(TrackManifest.self, from: Data(bytes)),
              manifest.version == currentVersion else { return TrackManifest() }
        return manifest
    }

    func save(folder: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try OutputFile.write(Array(try encoder.encode(self)) + [0x0A], to: Self.path(in: folder))
    }

    func isUpToDate(track name: String, at path: String, fingerprint: String) -> Bool {
        guard let entry = tracks[name], entry.fingerprint == fingerprint else { return false }
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
        var pending: [String: TrackManifest.Entry] = [:]
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
            state.pending[name] = TrackManifest.Entry(fingerprint: fingerprint, stamp: stamp)
            return Date().timeIntervalSince(state.lastSave) >= Self.saveInterval
        }
        if due { save() }
    }

    /// Merges this run's entries into the manifest on disk. A manifest that cannot be saved only
    /// means those tracks are rendered again next time.
    func save() {
        let pending = state.withLock { state -> [String: TrackManifest.Entry] in
            defer { state.pending = [:]; state.lastSave = Date() }
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
