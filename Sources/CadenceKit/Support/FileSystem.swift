import Foundation

/// The file operations Cadence uses, each a thin wrapper that passes the path's exact bytes (see
/// `PathBytes`) and turns failure into `SystemCallError` through `SystemCall`. Nothing else in the
/// engine calls `open`, `read`, `write`, `rename` and the rest directly.
enum FileSystem {
    /// `O_TMPFILE` (an unnamed file in a folder), which Swift does not import: `__O_TMPFILE | O_DIRECTORY`.
    static let unnamedFile: Int32 = 0o20000000 | O_DIRECTORY

    // MARK: Descriptors

    static func open(_ path: String, _ flags: Int32, mode: mode_t = 0o666) throws(SystemCallError) -> Int32 {
        try SystemCall.valueOrErrno(.open) { PathBytes.withCString(path) { Glibc.open($0, flags | O_CLOEXEC, mode) } }
    }

    static func openAt(_ folder: Int32, _ path: String, _ flags: Int32, mode: mode_t = 0o666) throws(SystemCallError) -> Int32 {
        try SystemCall.valueOrErrno(.open) { PathBytes.withCString(path) { Glibc.openat(folder, $0, flags | O_CLOEXEC, mode) } }
    }

    /// Closes `descriptor`. Not retried on EINTR: Linux has closed the descriptor by then.
    static func close(_ descriptor: Int32) throws(SystemCallError) {
        try SystemCall.valueOrErrno(.close, retryOnInterrupt: false) { Glibc.close(descriptor) }
    }

    /// Closes `descriptor` where nothing can be done about a failure (cleaning up after another error).
    static func closeQuietly(_ descriptor: Int32) {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
    }

    static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawPointer, count: Int) throws(SystemCallError) -> Int {
        try SystemCall.valueOrErrno(.read) { Glibc.read(descriptor, buffer, count) }
    }

    static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawPointer, count: Int, at offset: Int64) throws(SystemCallError) -> Int
    {
        try SystemCall.valueOrErrno(.read) { Glibc.pread(descriptor, buffer, count, off_t(offset)) }
    }

    /// Writes every byte (a short write is continued).
    static func write(_ descriptor: Int32, _ buffer: UnsafeRawBufferPointer, at offset: Int64) throws(SystemCallError) {
        var done = 0
        while done < buffer.count {
            let count = try SystemCall.valueOrErrno(.write) {
                Glibc.pwrite(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            }
            if count == 0 { throw SystemCallError(operation: .write, code: EIO) }
            done += count
        }
    }

    static func write(_ descriptor: Int32, _ bytes: [UInt8], at offset: Int64) throws(SystemCallError) {
        try SystemCall.typed(.write) { try bytes.withUnsafeBytes { buffer in try write(descriptor, buffer, at: offset) } }
    }

    /// Writes every byte at the descriptor's position (for pipes and terminals).
    static func write(_ descriptor: Int32, _ buffer: UnsafeRawBufferPointer) throws(SystemCallError) {
        var done = 0
        while done < buffer.count {
            let count = try SystemCall.valueOrErrno(.write) { Glibc.write(descriptor, buffer.baseAddress! + done, buffer.count - done) }
            if count == 0 { throw SystemCallError(operation: .write, code: EIO) }
            done += count
        }
    }

    /// Fills `bytes` from `offset`; running out of file is an I/O error.
    static func readExactly(_ descriptor: Int32, _ bytes: inout [UInt8], at offset: Int64) throws(SystemCallError) {
        var done = 0
        let total = bytes.count
        while done < total {
            let count = try SystemCall.typed(.read) {
                try bytes.withUnsafeMutableBytes { buffer in
                    try read(descriptor, into: buffer.baseAddress! + done, count: total - done, at: offset + Int64(done))
                }
            }
            if count == 0 { throw SystemCallError(operation: .read, code: EIO) }
            done += count
        }
    }

    static func seek(_ descriptor: Int32, _ offset: Int64, _ whence: Int32) throws(SystemCallError) -> Int64 {
        Int64(try SystemCall.valueOrErrno(.seek) { Glibc.lseek(descriptor, off_t(offset), whence) })
    }

    static func truncate(_ descriptor: Int32, to length: Int64) throws(SystemCallError) {
        try SystemCall.valueOrErrno(.truncate) { Glibc.ftruncate(descriptor, off_t(length)) }
    }

    static func status(of descriptor: Int32) throws(SystemCallError) -> stat {
        var status = stat()
        try SystemCall.valueOrErrno(.stat) { fstat(descriptor, &status) }
        return status
    }

    static func setMode(_ descriptor: Int32, _ mode: mode_t) throws(SystemCallError) {
        try SystemCall.valueOrErrno(.chmod) { Glibc.fchmod(descriptor, mode) }
    }

    /// Takes an advisory lock (`flock`); `wait: false` fails at once with EWOULDBLOCK when it is held.
    static func lock(_ descriptor: Int32, exclusive: Bool = true, wait: Bool) throws(SystemCallError) {
        let operation = (exclusive ? LOCK_EX : LOCK_SH) | (wait ? 0 : LOCK_NB)
        try SystemCall.valueOrErrno(.lock) { flock(descriptor, operation) }
    }

    static func unlock(_ descriptor: Int32) {
        _ = flock(descriptor, LOCK_UN)
    }

    static func clearNonBlocking(_ descriptor: Int32) throws(SystemCallError) {
        let flags = try SystemCall.valueOrErrno(.open) { fcntl(descriptor, F_GETFL) }
        try SystemCall.valueOrErrno(.open) { fcntl(descriptor, F_SETFL, flags & ~O_NONBLOCK) }
    }

    // MARK: Paths

    /// The status of `path` (following symbolic links), or nil when nothing is there.
    static func status(of path: String) throws(SystemCallError) -> stat? {
        var status = stat()
        do throws(SystemCallError) {
            try SystemCall.valueOrErrno(.stat) { PathBytes.withCString(path) { stat($0, &status) } }
        } catch  where error.code == ENOENT {
            return nil
        }
        return status
    }

    /// The status of `path` itself (a symbolic link is not followed), or nil when nothing is there.
    static func linkStatus(of path: String) throws(SystemCallError) -> stat? {
        var status = stat()
        do throws(SystemCallError) {
            try SystemCall.valueOrErrno(.stat) { PathBytes.withCString(path) { lstat($0, &status) } }
        } catch  where error.code == ENOENT {
            return nil
        }
        return status
    }

    static func rename(_ from: String, to: String) throws(SystemCallError) {
        try SystemCall.valueOrErrno(.rename) {
            PathBytes.withCString(from) { source in PathBytes.withCString(to) { Glibc.rename(source, $0) } }
        }
    }

    static func unlink(_ path: String) throws(SystemCallError) {
        try SystemCall.valueOrErrno(.unlink) { PathBytes.withCString(path) { Glibc.unlink($0) } }
    }

    /// Gives the open, unnamed file `descriptor` (made with O_TMPFILE) the name `path`; fails with
    /// EEXIST when the name is taken. Uses /proc/self/fd, which needs no privilege.
    static func link(descriptor: Int32, to path: String) throws(SystemCallError) {
        try SystemCall.valueOrErrno(.link) {
            "/proc/self/fd/\(descriptor)".withCString { source in
                PathBytes.withCString(path) { Glibc.linkat(AT_FDCWD, source, AT_FDCWD, $0, AT_SYMLINK_FOLLOW) }
            }
        }
    }

    /// A second name for the file at `existing`; fails with EEXIST when `path` exists.
    static func link(_ existing: String, to path: String) throws(SystemCallError) {
        try SystemCall.valueOrErrno(.link) {
            PathBytes.withCString(existing) { source in PathBytes.withCString(path) { Glibc.link(source, $0) } }
        }
    }

    static func makeFolder(_ path: String, mode: mode_t = 0o777) throws(SystemCallError) {
        try SystemCall.valueOrErrno(.mkdir) { PathBytes.withCString(path) { Glibc.mkdir($0, mode) } }
    }

    /// Makes `path` and every missing folder above it (as `mkdir -p`); an existing folder is fine.
    static func makeFolders(_ path: String) throws(SystemCallError) {
        if let status = try status(of: path) {
            if status.isFolder { return }
            throw SystemCallError(operation: .mkdir, code: ENOTDIR)
        }
        let parent = FilePaths.folder(of: path)
        if parent != path { try makeFolders(parent) }
        do throws(SystemCallError) {
            try makeFolder(path)
        } catch  where error.code == EEXIST {
            // Made by another run in the meantime.
        }
    }

    /// The names in a folder (not `.` and `..`), as path strings with their exact bytes.
    static func list(_ folder: String) throws(SystemCallError) -> [String] {
        let handle = try SystemCall.pointerOrErrno(.list) { PathBytes.withCString(folder) { opendir($0) } }
        defer { closedir(handle) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(handle) else {
                if errno != 0 { throw SystemCallError(operation: .list, code: errno) }
                break
            }
            let name = withUnsafePointer(to: entry.pointee.d_name) { pointer in
                pointer.withMemoryRebound(to: CChar.self, capacity: 256) { PathBytes.string(fromCString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The absolute path with every symbolic link resolved, or nil when it does not exist.
    static func resolved(_ path: String) -> String? {
        PathBytes.withCString(path) { pointer -> String? in
            guard let result = Glibc.realpath(pointer, nil) else { return nil }
            defer { free(result) }
            return PathBytes.string(fromCString: result)
        }
    }

    /// The longest file name the folder's file system takes (255 on every common one).
    static func maximumNameLength(in folder: String) -> Int {
        let value = PathBytes.withCString(folder) { pathconf($0, Int32(_PC_NAME_MAX)) }
        return value > 0 ? value : 255
    }
}

extension stat {
    var isRegularFile: Bool { (st_mode & S_IFMT) == S_IFREG }
    var isFolder: Bool { (st_mode & S_IFMT) == S_IFDIR }
    var isSymbolicLink: Bool { (st_mode & S_IFMT) == S_IFLNK }

    /// What kind of file this is, for a message: "a folder", "a named pipe (FIFO)", "a device"...
    var kindDescription: String {
        switch st_mode & S_IFMT {
        case S_IFREG: return "a regular file"
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a named pipe (FIFO)"
        case S_IFCHR, S_IFBLK: return "a device"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a symbolic link"
        default: return "not a regular file"
        }
    }

    /// Modification time in nanoseconds.
    var modifiedNanoseconds: Int64 { Int64(st_mtim.tv_sec) * 1_000_000_000 + Int64(st_mtim.tv_nsec) }
    var changedNanoseconds: Int64 { Int64(st_ctim.tv_sec) * 1_000_000_000 + Int64(st_ctim.tv_nsec) }

    /// Whether two statuses are of the same file (device and inode).
    func isSameFile(as other: stat) -> Bool { st_dev == other.st_dev && st_ino == other.st_ino }
}
