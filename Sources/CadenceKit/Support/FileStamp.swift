import Foundation

/// What identifies one version of a file: its device and inode, size and modification time. Taken
/// from the descriptor Cadence wrote through, just before the file got its name, it says "this is
/// still the file this process wrote": a file another process renamed over it has another inode.
public struct FileStamp: Codable, Hashable, Sendable {
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    /// Modification time in nanoseconds.
    public var modified: Int64

    init(device: UInt64, inode: UInt64, size: Int64, modified: Int64) {
        self.device = device
        self.inode = inode
        self.size = size
        self.modified = modified
    }

    init(_ status: stat) {
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
        size = Int64(status.st_size)
        modified = status.modifiedNanoseconds
    }

    /// The stamp of the regular file at `path` (a symbolic link followed), or nil.
    static func of(_ path: String) -> FileStamp? {
        guard let status = try? FileSystem.status(of: path), status.isRegularFile else { return nil }
        return FileStamp(status)
    }
}
