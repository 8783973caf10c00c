import Foundation

/// What an output folder's tracks were made from: for each track, the fingerprint of its inputs
/// and the size and modification time the track had when written. Kept as `.cadence-manifest.json`
/// in the folder. A track is up to date when its entry's fingerprint matches and the track is still
/// there, unchanged. A missing or damaged manifest just means every track is rendered again.
struct TrackManifest: Codable, Equatable {
    static let fileName = ".cadence-manifest.json"
    static let currentVersion = 1

    struct Entry: Codable, Equatable {
        var fingerprint: String
        var size: Int64
        var modified: Int64
    }

    var version = TrackManifest.currentVersion
    var tracks: [String: Entry] = [:]

    static func path(in folder: String) -> String {
        (folder as NSString).appendingPathComponent(fileName)
    }

    /// The manifest of `folder`, or an empty one when it is missing, unreadable or damaged.
    static func load(folder: String) -> TrackManifest {
        guard let data = FileManager.default.contents(atPath: path(in: folder)),
              let manifest = try? JSONDecoder().decode(TrackManifest.self, from: data),
              manifest.version == currentVersion else { return TrackManifest() }
        return manifest
    }

    func save(folder: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(self)
        try AtomicFile.write(String(decoding: data, as: UTF8.self) + "\n", to: Self.path(in: folder))
    }

    /// The size and modification time (nanoseconds) of a file, or nil when it does not exist.
    static func stamp(of path: String) -> (size: Int64, modified: Int64)? {
        var status = stat()
        guard stat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        return (Int64(status.st_size), Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec))
    }

    func isUpToDate(track name: String, at path: String, fingerprint: String) -> Bool {
        guard let entry = tracks[name], entry.fingerprint == fingerprint, let stamp = Self.stamp(of: path) else { return false }
        return stamp.size == entry.size && stamp.modified == entry.modified
    }

    mutating func record(track name: String, at path: String, fingerprint: String) {
        guard let stamp = Self.stamp(of: path) else { return }
        tracks[name] = Entry(fingerprint: fingerprint, size: stamp.size, modified: stamp.modified)
    }
}
