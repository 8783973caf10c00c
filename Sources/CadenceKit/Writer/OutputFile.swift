import Foundation

/// A file that appears at its destination only when it is complete: nothing is lost and no one
/// ever sees half a file.
///
/// It is written as an unnamed file in the destination's folder (`O_TMPFILE`), which the kernel
/// removes by itself if the process dies, even by `kill -9`. `commit` gives it a random hidden
/// name (created exclusively, so it can never be another process's) and renames that over the
/// destination in one atomic step; an existing file there keeps its mode. Where the file system
/// has no unnamed files, the file is created under such a random name from the start and locked
/// (`flock`) for as long as this process lives, so `StalePartials` can tell a partial file whose
/// owner is gone from one still being written. Nothing is forced to disk (no fsync): see the README.
final class OutputFile {
    let destination: String
    /// The path the file is renamed to: the destination, or the file a link at the destination
    /// points to (a link is written through, and stays a link).
    private let target: String
    private let folder: String
    /// The descriptor of the file being written (open for reading and writing).
    private(set) var descriptor: Int32 = -1
    /// The name of the temporary file when it has one (the fallback for file systems without O_TMPFILE).
    private var temporaryPath: String?
    /// The mode of the file this one replaces, kept by the new one.
    private let replacedMode: mode_t?
    private var done = false

    /// Creates the unnamed file for `destination`, after checking the destination can be written.
    convenience init(destination: String) throws(RenderError) {
        try self.init(destination: destination, checked: true)
    }

    private init(destination: String, checked: Bool) throws(RenderError) {
        self.destination = destination
        let existing = checked ? try Self.checkDestination(destination) : nil
        target = existing?.target ?? destination
        replacedMode = existing?.mode
        folder = FilePaths.folder(of: target)
        (descriptor, temporaryPath) = try Self.makeTemporary(in: folder, for: target)
    }

    deinit {
        if !done { abandon() }
    }

    // MARK: Checks

    /// Throws unless `path` can be a destination: a name no longer than the file system allows, in
    /// an existing folder, and not a folder, device, pipe or socket, nor a link to one. Returns what
    /// is there already, if anything: the regular file's path (a link's target) and its mode.
    @discardableResult
    static func checkDestination(_ path: String) throws(RenderError) -> (target: String, mode: mode_t)? {
        let name = FilePaths.name(of: path)
        if name.isEmpty || name == "." || name == ".." || path.hasSuffix("/") {
            throw .cannotCreateOutput(path: path, reason: "this names a folder, not a file")
        }
        let folder = FilePaths.folder(of: path)
        let status: stat?
        do {
            guard let folderStatus = try FileSystem.status(of: folder) else {
                throw RenderError.cannotCreateOutput(path: path, reason: "the folder \(PathBytes.display(folder)) does not exist")
            }
            guard folderStatus.isFolder else {
                throw RenderError.cannotCreateOutput(path: path, reason: "\(PathBytes.display(folder)) is not a folder")
            }
            let length = PathBytes.bytes(name).count
            let limit = FileSystem.maximumNameLength(in: folder)
            if length > limit {
                throw RenderError.cannotCreateOutput(
                    path: path, reason: "the file name is \(length) bytes long; this file system allows at most \(limit)")
            }
            status = try FileSystem.linkStatus(of: path)
        } catch let error as RenderError {
            throw error
        } catch let error as SystemCallError {
            throw .cannotCreateOutput(path: path, reason: error.reason)
        } catch {
            throw .cannotCreateOutput(path: path, reason: "\(error)")
        }
        guard let status else { return nil }
        if status.isFolder { throw .cannotCreateOutput(path: path, reason: "it is a folder") }
        if status.isSymbolicLink {
            // A link is written through to the file it points to (so `-o /dev/stdout` can never
            // replace /dev's link, and a user's link to a track stays a link).
            guard let pointed = (try? FileSystem.status(of: path)).flatMap({ $0 }), let resolved = FileSystem.resolved(path) else {
                throw .cannotCreateOutput(path: path, reason: "it is a link to nothing; remove it or name another file")
            }
            guard pointed.isRegularFile else {
                throw .cannotCreateOutput(
                    path: path, reason: "it is a link to \(pointed.kindDescription); Cadence writes only to regular files")
            }
            return (resolved, pointed.st_mode & 0o7777)
        }
        // Renaming over a device or a pipe (say /dev/null) would replace it with a regular file.
        guard status.isRegularFile else {
            throw .cannotCreateOutput(path: path, reason: "it is \(status.kindDescription); Cadence writes only to regular files")
        }
        return (path, status.st_mode & 0o7777)
    }

    // MARK: Writing

    /// Replaces the file's contents by what `transform` writes into a fresh file from the current
    /// one (both descriptors open; the source is not to be changed): for rewriting headers in front.
    func rewrite(_ transform: (_ source: Int32, _ target: Int32) throws -> Void) throws {
        let (newDescriptor, newPath) = try Self.makeTemporary(in: folder, for: target)
        do {
            try transform(descriptor, newDescriptor)
        } catch {
            Self.discard(newDescriptor, newPath)
            throw error
        }
        Self.discard(descriptor, temporaryPath)
        descriptor = newDescriptor
        temporaryPath = newPath
    }

    /// Puts the complete file at the destination (atomically: the destination holds either the old
    /// file or the whole new one) and returns the stamp of what was written.
    /// With `replacing: false` an existing file at the destination is never replaced: the commit
    /// fails with "it already exists" instead (EEXIST).
    @discardableResult
    func commit(replacing: Bool = true) throws(RenderError) -> FileStamp {
        precondition(!done, "an output file is committed once")
        do throws(SystemCallError) {
            if let replacedMode { try FileSystem.setMode(descriptor, replacedMode) }
            let stamp = FileStamp(try FileSystem.status(of: descriptor))
            if !replacing {
                // link() never replaces an existing name.
                if let temporaryPath {
                    try FileSystem.link(temporaryPath, to: target)
                    try? FileSystem.unlink(temporaryPath)
                    self.temporaryPath = nil
                } else {
                    try FileSystem.link(descriptor: descriptor, to: target)
                }
            } else if let temporaryPath {
                try FileSystem.rename(temporaryPath, to: target)
            } else {
                let name = try Self.linkUnnamed(descriptor, in: folder, for: target)
                do {
                    try FileSystem.rename(name, to: target)
                } catch {
                    try? FileSystem.unlink(name)
                    throw error
                }
            }
            done = true
            // The lock goes with the descriptor; nothing was buffered, so closing cannot lose data.
            FileSystem.closeQuietly(descriptor)
            descriptor = -1
            return stamp
        } catch {
            abandon()
            if error.isWriteFailure { throw .writeFailed(path: destination, reason: error.reason) }
            throw .cannotCreateOutput(path: destination, reason: error.code == EEXIST ? "it already exists" : error.reason)
        }
    }

    /// Drops the file: nothing appears at the destination, and an existing file there is untouched.
    func abandon() {
        guard !done else { return }
        done = true
        Self.discard(descriptor, temporaryPath)
        descriptor = -1
    }

    // MARK: Temporary files

    /// The part of every temporary name after the destination's name: `.cadence-` + random + `.partial`.
    static let temporaryMarker = ".cadence-"
    static let temporarySuffix = ".partial"

    /// Whether the system gives unnamed files a name through /proc (checked once). The environment
    /// variable `CADENCE_NAMED_PARTIALS=1` makes Cadence use named, locked partial files instead, as
    /// on a file system without unnamed files (for tests of that path, and of what is being written).
    private static let canLinkUnnamed: Bool =
        access("/proc/self/fd", X_OK) == 0
        && ProcessInfo.processInfo.environment["CADENCE_NAMED_PARTIALS"] != "1"

    /// An unnamed file in `folder`, or a locked one under a random name where unnamed files are not
    /// supported. The lock is taken before anything is written.
    private static func makeTemporary(in folder: String, for destination: String) throws(RenderError) -> (Int32, String?) {
        if canLinkUnnamed {
            do throws(SystemCallError) {
                let descriptor = try FileSystem.open(folder, FileSystem.unnamedFile | O_RDWR, mode: 0o666)
                try? FileSystem.lock(descriptor, wait: false)
                return (descriptor, nil)
            } catch  where [EOPNOTSUPP, EISDIR, EINVAL].contains(error.code) {
                // This file system has no unnamed files: use a named one.
            } catch {
                throw error.isWriteFailure
                    ? .writeFailed(path: destination, reason: error.reason)
                    : .cannotCreateOutput(path: destination, reason: error.reason)
            }
        }
        for _ in 0..<16 {
            let path = temporaryName(in: folder, for: destination)
            do throws(SystemCallError) {
                let descriptor = try FileSystem.open(path, O_CREAT | O_EXCL | O_RDWR, mode: 0o666)
                try? FileSystem.lock(descriptor, wait: false)
                return (descriptor, path)
            } catch  where error.code == EEXIST {
                continue
            } catch {
                throw error.isWriteFailure
                    ? .writeFailed(path: destination, reason: error.reason)
                    : .cannotCreateOutput(path: destination, reason: error.reason)
            }
        }
        throw .cannotCreateOutput(path: destination, reason: "cannot find a free temporary name in its folder")
    }

    /// Names the unnamed file under a fresh random name and returns that name.
    private static func linkUnnamed(_ descriptor: Int32, in folder: String, for destination: String) throws(SystemCallError) -> String {
        for _ in 0..<16 {
            let name = temporaryName(in: folder, for: destination)
            do throws(SystemCallError) {
                try FileSystem.link(descriptor: descriptor, to: name)
                return name
            } catch  where error.code == EEXIST {
                continue
            }
        }
        throw SystemCallError(operation: .link, code: EEXIST)
    }

    /// `.NAME.cadence-RANDOM.partial` in `folder`, NAME cut so the whole stays within 255 bytes.
    static func temporaryName(in folder: String, for destination: String) -> String {
        var random = SystemRandomNumberGenerator()
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
        let tag = String((0..<12).map { _ in alphabet[Int(random.next() % 32)] })
        let suffix = Array((temporaryMarker + tag + temporarySuffix).utf8)
        let room = 255 - 1 - suffix.count
        let name = Array(PathBytes.bytes(FilePaths.name(of: destination)).prefix(room))
        return FilePaths.join(folder, PathBytes.string(fromBytes: [UInt8(ascii: ".")] + name + suffix))
    }

    private static func discard(_ descriptor: Int32, _ path: String?) {
        if let path { try? FileSystem.unlink(path) }
        FileSystem.closeQuietly(descriptor)
    }
}

extension OutputFile {
    /// A scratch file in `folder` that is never given a name: written, read back, and gone when
    /// dropped (for the page's audio and for speech).
    static func scratch(in folder: String) throws(RenderError) -> OutputFile {
        let file = try OutputFile(destination: FilePaths.join(folder, ".cadence-scratch"), checked: false)
        if let path = file.temporaryPath {
            // No unnamed files here: the name is dropped at once, the descriptor keeps the file.
            try? FileSystem.unlink(path)
            file.temporaryPath = nil
        }
        return file
    }

    /// Every byte written so far.
    func contents() throws(RenderError) -> [UInt8] {
        do throws(SystemCallError) {
            let size = Int(try FileSystem.status(of: descriptor).st_size)
            var bytes = [UInt8](repeating: 0, count: size)
            try FileSystem.readExactly(descriptor, &bytes, at: 0)
            return bytes
        } catch {
            throw .writeFailed(path: destination, reason: error.reason)
        }
    }

    /// Writes `bytes` as the whole contents of `path`, atomically (for the small files beside a
    /// track: timeline, labels, page, manifest).
    static func write(_ bytes: [UInt8], to path: String) throws(RenderError) {
        let file = try OutputFile(destination: path)
        try file.write(bytes)
        try file.commit()
    }

    /// Writes `bytes` at the start of the (empty) file.
    func write(_ bytes: [UInt8]) throws(RenderError) {
        do throws(SystemCallError) {
            try FileSystem.write(descriptor, bytes, at: 0)
        } catch {
            abandon()
            throw error.isWriteFailure
                ? .writeFailed(path: destination, reason: error.reason)
                : .cannotCreateOutput(path: destination, reason: error.reason)
        }
    }
}
