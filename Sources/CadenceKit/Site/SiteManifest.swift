import Foundation

/// What a library site was made from, kept as `.cadence-site.json` in its folder: for every
/// routine file name ever published there, the GUID of its feed item, when its track was last
/// published, and the fingerprint of that track; and the files the site wrote, so a file of a
/// routine that is gone can be removed (and nothing else ever is).
///
/// A GUID is a random UUID made the first time a routine file name is published, and never
/// changes: an edited routine keeps its item in every podcast app, and a routine removed and later
/// put back under the same name gets its GUID back. Unlike a batch's manifest, a damaged site
/// manifest is an error, not a reason to start again: new GUIDs would give every subscriber every
/// session twice.
struct SiteManifest: Codable, Equatable {
    static let fileName = ".cadence-site.json"
    static let currentVersion = 1
    static let maximumSize = 64 << 20

    struct Item: Codable, Equatable {
        /// The feed item's `<guid>`.
        var guid: String
        /// When the track was last published (seconds since 1970): the item's `<pubDate>`.
        var published: Int64
        /// The fingerprint of the MP3 track as published: when it changes, so does `published`.
        var track: String
    }

    var version = SiteManifest.currentVersion
    /// By routine file name (`morning.yaml`).
    var items: [String: Item] = [:]
    /// The files the site wrote, relative to its folder, sorted.
    var files: [String] = []

    static func path(in folder: String) -> String { FilePaths.join(folder, fileName) }

    /// The manifest of the site in `folder`: an empty one when there is none yet; an error when
    /// there is one that cannot be read or understood.
    static func load(folder: String) throws(InputError) -> SiteManifest {
        let path = path(in: folder)
        guard RoutineFolder.exists(path) else { return SiteManifest() }
        let (bytes, size) = try InputFile.readBytes(path, kind: "site record", limit: maximumSize)
        let damaged =
            "this record of the site's feed items cannot be read; mend it or move it away "
            + "(every feed item then gets a new GUID, and subscribers see every session again)"
        guard size <= maximumSize, let manifest = try? JSONDecoder().decode(SiteManifest.self, from: Data(bytes)) else {
            throw InputError(path: path, reason: damaged)
        }
        guard manifest.version == currentVersion else {
            throw InputError(path: path, reason: "this site record is of version \(manifest.version), which this Cadence does not know")
        }
        return manifest
    }

    /// The manifest as written: sorted keys, so the same manifest gives the same bytes.
    func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(self)) ?? Data()) + [0x0A]
    }

    /// A new GUID: a random UUID, in lower case.
    static func newGUID() -> String { UUID().uuidString.lowercased() }
}
