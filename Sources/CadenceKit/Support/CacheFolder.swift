import Foundation

/// One kind of record kept in the user's cache folder (`$XDG_CACHE_HOME/cadence/KIND`, or
/// `~/.cache/cadence/KIND`), such as the music files' loudness measurements. A record is a small
/// header (a magic word, the kind, the record version, the payload's length and checksum) and the
/// payload, written atomically through `OutputFile`, so a reader sees a whole record or none.
/// Reading gives nil for anything that is not a whole record of this kind and version (missing,
/// cut short, damaged, written by another version): a cache is only ever a shortcut, so every
/// failure is a miss and never an error, and a record that cannot be written is simply not kept.
///
/// `CADENCE_CACHE=off` in the environment turns every cache off (nothing is read or written).
struct CacheFolder: Sendable {
    /// The folder of this kind's records.
    let path: String
    let kind: String
    /// Records of another version are ignored (and replaced when written again).
    let version: UInt32

    private static let magic: [UInt8] = Array("CADENCE-CACHE\n".utf8)
    /// Records larger than this are not read (a damaged length cannot make a reader allocate much).
    static let maximumRecordSize = 256 << 20

    init(path: String, kind: String, version: UInt32) {
        self.path = path
        self.kind = kind
        self.version = version
    }

    /// The folder for `kind` under the user's cache folder, or nil when caching is off or there
    /// is no cache folder to be had (neither XDG_CACHE_HOME nor HOME set to an absolute path).
    static func user(kind: String, version: UInt32,
                     environment: [String: String] = ProcessInfo.processInfo.environment) -> CacheFolder? {
        if environment["CADENCE_CACHE"] == "off" { return nil }
        let base: String
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            base = xdg
        } else if let home = environment["HOME"], home.hasPrefix("/") {
            base = FilePaths.join(home, ".cache")
        } else {
            return nil
        }
        return CacheFolder(path: FilePaths.join(FilePaths.join(base, "cadence"), kind), kind: kind, version: version)
    }

    /// The file of the record named `key` (letters, digits and dashes).
    func file(for key: String) -> String {
        precondition(!key.isEmpty && key.utf8.allSatisfy { $0 == UInt8(ascii: "-") || (48...57).contains($0) || (97...122).contains($0) },
                     "cache keys are lower-case letters, digits and dashes")
        return FilePaths.join(path, key + ".record")
    }

    /// The payload of the record `key`, or nil when there is no whole, valid one.
    func read(_ key: String) -> [UInt8]? {
        guard let (bytes, size) = try? InputFile.readBytes(file(for: key), kind: "cache record", limit: Self.maximumRecordSize),
              Int64(bytes.count) == size else { return nil }
        var reader = ByteReader(bytes)
        guard reader.take(Self.magic.count) == Self.magic,
              let kindLength = reader.uint32(), let kindBytes = reader.take(Int(kindLength)), kindBytes == Array(kind.utf8),
              reader.uint32() == version,
              let length = reader.uint64(), let checksum = reader.uint64(),
              length == UInt64(reader.remaining), let payload = reader.take(Int(length)) else { return nil }
        var hash = ContentHash()
        hash.add(payload)
        return hash.value == checksum ? payload : nil
    }

    /// Keeps `payload` as the record `key`, replacing any older one; failures are ignored.
    func write(_ key: String, _ payload: [UInt8]) {
        var bytes = Self.magic
        func append<Value: FixedWidthInteger>(_ value: Value) {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }
        let kindBytes = Array(kind.utf8)
        append(UInt32(kindBytes.count))
        bytes += kindBytes
        append(version)
        append(UInt64(payload.count))
        var hash = ContentHash()
        hash.add(payload)
        append(hash.value)
        bytes += payload
        do {
            try FileSystem.makeFolders(path)
            try OutputFile.write(bytes, to: file(for: key))
        } catch {
            // Not kept: the next render measures again.
        }
    }
}
