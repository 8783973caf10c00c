import Foundation

/// Partial files left in a folder by renders that did not finish. A partial file of this version
/// exists only on file systems without unnamed files (see `OutputFile`) and is locked by its writer
/// for as long as the writer lives, so one that can be locked has no owner any more; older versions
/// of Cadence named theirs `.NAME.PID.cadence-partial` without a lock, and one of those is stale
/// when its process is gone and it has not changed for a minute. Only such files are removed.
public enum StalePartials {
    /// Removes the stale partial files in `folder` and returns their paths (nothing when the folder
    /// cannot be read).
    @discardableResult
    public static func sweep(folder: String) -> [String] {
        guard let names = try? FileSystem.list(folder) else { return [] }
        var removed: [String] = []
        for name in names where FilePaths.isHidden(name) {
            let path = FilePaths.join(folder, name)
            if isCurrentPartial(name) {
                if removeIfUnowned(path, minimumAge: 2) { removed.append(path) }
            } else if let pid = legacyOwner(name), kill(pid, 0) != 0, errno == ESRCH {
                if removeIfUnowned(path, minimumAge: 60) { removed.append(path) }
            }
        }
        return removed
    }

    static func isCurrentPartial(_ name: String) -> Bool {
        name.hasSuffix(OutputFile.temporarySuffix) && name.contains(OutputFile.temporaryMarker)
    }

    /// The process number in a partial name of Cadence 0.1 (`.NAME.PID.cadence-partial`).
    static func legacyOwner(_ name: String) -> pid_t? {
        guard name.hasSuffix(".cadence-partial") else { return nil }
        let stem = name.dropLast(".cadence-partial".count)
        guard let dot = stem.lastIndex(of: "."), let pid = pid_t(stem[stem.index(after: dot)...]), pid > 0 else { return nil }
        return pid
    }

    /// Unlinks `path` when it is a regular file that nobody holds locked and that has not changed for
    /// `minimumAge` seconds (a file just created may not be locked yet).
    private static func removeIfUnowned(_ path: String, minimumAge: Int64) -> Bool {
        guard let descriptor = try? FileSystem.open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_NOCTTY) else { return false }
        defer { FileSystem.closeQuietly(descriptor) }
        guard let status = try? FileSystem.status(of: descriptor), status.isRegularFile else { return false }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let age = Int64(now.tv_sec) - Int64(status.st_ctim.tv_sec)
        guard age >= minimumAge, (try? FileSystem.lock(descriptor, wait: false)) != nil else { return false }
        // Still the same file under that name?
        guard let current = try? FileSystem.linkStatus(of: path), current.isSameFile(as: status) else { return false }
        return (try? FileSystem.unlink(path)) != nil
    }
}
