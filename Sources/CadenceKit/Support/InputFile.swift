import Foundation

/// An input Cadence reads (a routine, music, a sound, a folder of them) that is missing, cannot be
/// read or is not a regular file (exit 66).
public struct InputError: CadenceError, Equatable {
    public var path: String?
    public var message: String
    public var exitStatus: ExitStatus { .missingInput }

    public init(path: String, reason: String) {
        self.path = path
        message = reason
    }
}

/// Opens and reads the files Cadence is given. Each is opened without blocking and checked to be a
/// regular file before a byte is read, so a named pipe, a device such as /dev/zero or a socket is
/// refused at once instead of hanging or reading forever.
enum InputFile {
    /// What an input is, for messages: "routine file", "music file", "sound".
    typealias Kind = String

    /// Opens `path` for reading; throws when it is missing, unreadable or not a regular file.
    static func openRegular(_ path: String, kind: Kind) throws(InputError) -> (descriptor: Int32, status: stat) {
        let descriptor: Int32
        do throws(SystemCallError) {
            descriptor = try FileSystem.open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY)
        } catch {
            throw InputError(path: path, reason: error.code == ENOENT ? "no such \(kind)" : "cannot open this \(kind): \(error.reason)")
        }
        do {
            let status = try FileSystem.status(of: descriptor)
            guard status.isRegularFile else {
                FileSystem.closeQuietly(descriptor)
                throw InputError(path: path, reason: "is \(status.kindDescription), not a \(kind)")
            }
            try FileSystem.clearNonBlocking(descriptor)
            return (descriptor, status)
        } catch let error as SystemCallError {
            FileSystem.closeQuietly(descriptor)
            throw InputError(path: path, reason: "cannot open this \(kind): \(error.reason)")
        } catch let error as InputError {
            throw error
        } catch {
            FileSystem.closeQuietly(descriptor)
            throw InputError(path: path, reason: "cannot open this \(kind)")
        }
    }

    /// Reads a whole regular file, at most `limit` bytes of it: a larger file is read up to
    /// `limit + 1` bytes, so the caller can tell and report its size (`size` is its real size).
    static func readBytes(_ path: String, kind: Kind, limit: Int) throws(InputError) -> (bytes: [UInt8], size: Int64) {
        let (descriptor, status) = try openRegular(path, kind: kind)
        defer { FileSystem.closeQuietly(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while bytes.count <= limit {
            let count: Int
            do throws(SystemCallError) {
                count = try SystemCall.typed(.read) {
                    try chunk.withUnsafeMutableBytes { buffer in
                        try FileSystem.read(descriptor, into: buffer.baseAddress!, count: buffer.count)
                    }
                }
            } catch {
                throw InputError(path: path, reason: "cannot read this \(kind): \(error.reason)")
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return (bytes, Int64(status.st_size))
    }

    /// The status of an input that must be a regular file (for identity checks and fingerprints).
    static func regularStatus(_ path: String, kind: Kind) throws(InputError) -> stat {
        let (descriptor, status) = try openRegular(path, kind: kind)
        FileSystem.closeQuietly(descriptor)
        return status
    }
}
