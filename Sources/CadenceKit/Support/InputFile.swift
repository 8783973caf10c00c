import Foundation

/// A file given to Cadence (a routine, music, a sound) that is missing or cannot be read.
public struct InputError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): error: \(reason)" }
}

enum InputFile {
    /// The size of the file at `path` in bytes, or nil when it cannot be examined.
    static func size(path: String) -> Int64? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return Int64(status.st_size)
    }

    /// Reads a whole file, refusing anything that is not a regular file or that is larger than `limit`
    /// (a larger file is read only up to `limit + 1` bytes, so the caller can report its size).
    static func readBytes(path: String, limit: Int) throws(InputError) -> [UInt8] {
        var status = stat()
        guard stat(path, &status) == 0 else { throw InputError(path: path, reason: SystemError.describe(errno, reading: true)) }
        if (status.st_mode & S_IFMT) == S_IFDIR {
            throw InputError(path: path, reason: "is a folder, not a routine file")
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw InputError(path: path, reason: SystemError.describe(errno, reading: true)) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while bytes.count <= limit {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw InputError(path: path, reason: SystemError.describe(errno, reading: true))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }
}

/// Turns C `errno` values into short messages, in one place.
enum SystemError {
    static func describe(_ code: Int32, reading: Bool) -> String {
        switch code {
        case ENOENT: return reading ? "no such file" : "no such folder"
        case EACCES, EPERM: return "permission denied"
        case EISDIR: return "is a folder"
        case ENOSPC: return "no space left on the device"
        case EDQUOT: return "disk quota exceeded"
        case EROFS: return "read-only file system"
        case ENOTDIR: return "a part of the path is not a folder"
        default: return String(cString: strerror(code))
        }
    }
}
