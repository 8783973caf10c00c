import Foundation

/// The user's cache folder for Cadence: `$CADENCE_CACHE_DIR` when it is set (a user's own choice,
/// and the seam tests use), else `$XDG_CACHE_HOME/cadence`, else `~/.cache/cadence`; none at all
/// with `CADENCE_CACHE=off`. Each kind of entry (spoken phrases, music analyses) has a subfolder
/// and a format version of its own.
///
/// An entry is written whole or not at all (through `OutputFile`) and carries its kind, version,
/// full key and a checksum, so a cut, damaged, foreign or older entry reads as missing and is
/// written anew. Nothing here throws: a cache that cannot be read or written costs time, never a
/// render. Entries are never removed by Cadence; deleting the folder is always safe.
struct CacheFolder: Sendable {
    /// One kind of entry: its subfolder's name and the version of its contents' format.
    struct Kind: Sendable {
        var name: String
        var version: Int
    }

    let path: String

    /// The cache folder that `environment` names, or nil when it names none (no home).
    static func user(environment: [String: String] = ProcessInfo.processInfo.environment) -> CacheFolder? {
        if environment["CADENCE_CACHE"] == "off" { return nil }
        if let folder = environment["CADENCE_CACHE_DIR"], !folder.isEmpty { return CacheFolder(path: folder) }
        // The XDG base directory rules: a relative path there is to be ignored.
        if let base = environment["XDG_CACHE_HOME"], base.hasPrefix("/") { return CacheFolder(path: FilePaths.join(base, "cadence")) }
        if let home = environment["HOME"], home.hasPrefix("/") { return CacheFolder(path: FilePaths.join(home, ".cache/cadence")) }
        return nil
    }

    /// Where the entry of `kind` for `key` is kept: a hash of the key names it.
    func entryPath(_ kind: Kind, key: String) -> String {
        var hash = ContentHash()
        hash.add(kind.name)
        hash.add(key)
        return FilePaths.join(FilePaths.join(path, kind.name), hash.hex + ".entry")
    }

    /// The payload stored for `key`, or nil when there is none, or it cannot be read, or it is
    /// damaged, of another version or another key, or larger than `limit` bytes.
    func read(_ kind: Kind, key: String, limit: Int) -> [UInt8]? {
        guard
            let (bytes, _) = try? InputFile.readBytes(
                entryPath(kind, key: key), kind: "cache entry",
                limit: limit + Self.overhead(kind, key: key))
        else { return nil }
        let header = Self.header(kind, key: key)
        guard bytes.count >= header.count + 16, bytes.starts(with: header) else { return nil }
        let length = Self.number(in: bytes, at: header.count)
        guard length <= UInt64(limit), bytes.count == header.count + 8 + Int(length) + 8 else { return nil }
        var hash = ContentHash()
        hash.add(Array(bytes[..<(bytes.count - 8)]))
        guard Self.number(in: bytes, at: bytes.count - 8) == hash.value else { return nil }
        return Array(bytes[(header.count + 8)..<(bytes.count - 8)])
    }

    /// Stores `payload` for `key` (replacing what was there); any failure is ignored.
    func write(_ kind: Kind, key: String, payload: [UInt8]) {
        let path = entryPath(kind, key: key)
        var bytes = Self.header(kind, key: key)
        Self.append(UInt64(payload.count), to: &bytes)
        bytes += payload
        var hash = ContentHash()
        hash.add(bytes)
        Self.append(hash.value, to: &bytes)
        do {
            try FileSystem.makeFolders(FilePaths.folder(of: path))
            try OutputFile.write(bytes, to: path)
        } catch {
            // Unwritable or full: the entry is simply not kept.
        }
    }

    // MARK: Layout

    /// `cadence-cache 1\n`, then `KIND VERSION\n`, the key's length (8 bytes, little-endian) and
    /// the key; the payload's length and the payload follow, and the FNV-1a hash of all before it.
    private static func header(_ kind: Kind, key: String) -> [UInt8] {
        var bytes = Array("cadence-cache 1\n\(kind.name) \(kind.version)\n".utf8)
        let keyBytes = Array(key.utf8)
        append(UInt64(keyBytes.count), to: &bytes)
        return bytes + keyBytes
    }

    private static func overhead(_ kind: Kind, key: String) -> Int { header(kind, key: key).count + 16 }

    private static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        for index in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
    }

    private static func number(in bytes: [UInt8], at offset: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
    }
}
