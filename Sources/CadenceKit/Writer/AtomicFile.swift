import Foundation

/// Writes a small file (timeline, labels, page, manifest) through a temporary file and a rename, so
/// a reader never sees half of it and a failure leaves the old file as it was. Like tracks, it is
/// not forced to disk first (see `TrackWriter.finish`): on ext4 an fsync would also wait for every
/// track written just before it.
enum AtomicFile {
    static func write(_ text: String, to path: String) throws(RenderError) {
        try TrackWriter.checkDestination(path)
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = (folder.isEmpty ? "" : folder + "/") + ".\(name).\(getpid()).cadence-partial"
        let descriptor = open(temporary, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .cannotCreateOutput(path: path, reason: SystemError.describe(errno, reading: false))
        }
        do {
            try SystemCall.writeAll(descriptor, Array(text.utf8), at: 0)
        } catch {
            close(descriptor)
            unlink(temporary)
            throw .writeFailed(path: path, reason: error.description)
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw .cannotCreateOutput(path: path, reason: SystemError.describe(code, reading: false))
        }
    }
}
