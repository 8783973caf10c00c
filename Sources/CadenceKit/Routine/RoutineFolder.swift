import Foundation

/// The routine files of a folder: every `*.yaml` and `*.yml` in it (not hidden ones), sorted.
public enum RoutineFolder {
    public static func isRoutineName(_ name: String) -> Bool {
        !FilePaths.isHidden(name) && (name.hasSuffix(".yaml") || name.hasSuffix(".yml"))
    }

    /// The paths of the routines in `folder`; a folder that cannot be read, or has no routines, is an `InputError`.
    public static func routines(in folder: String) throws(InputError) -> [String] {
        let names: [String]
        do {
            names = try FileSystem.list(folder)
        } catch {
            throw InputError(path: folder, reason: "cannot read this folder: \(error.reason)")
        }
        let routines = names.filter(isRoutineName).sorted()
        if routines.isEmpty { throw InputError(path: folder, reason: "the folder has no .yaml or .yml routines") }
        return routines.map { FilePaths.join(folder, $0) }
    }

    /// Whether anything (a file, a folder, a link) is at `path`.
    public static func exists(_ path: String) -> Bool {
        (try? FileSystem.linkStatus(of: path)).flatMap { $0 } != nil
    }

    /// The stamp of what is at `path` (any kind of file, links followed), for noticing changes; a
    /// zero stamp when nothing can be examined.
    public static func stamp(of path: String) -> FileStamp {
        guard let status = (try? FileSystem.status(of: path)).flatMap({ $0 }) else {
            return FileStamp(device: 0, inode: 0, size: -1, modified: 0)
        }
        return FileStamp(status)
    }

    /// Whether `path` is an existing folder (following links).
    public static func isFolder(_ path: String) -> Bool {
        (try? FileSystem.status(of: path))??.isFolder == true
    }

    /// Makes `path` and the folders above it when missing (`mkdir -p`); used for output folders.
    /// The error names `output` (the file that was to go there) when given, else the folder.
    public static func makeFolders(_ path: String, for output: String? = nil) throws(RenderError) {
        do {
            try FileSystem.makeFolders(path)
        } catch {
            let reason =
                error.code == ENOTDIR
                ? "a file stands where the folder \(PathBytes.display(path)) would be"
                : "cannot create the folder \(PathBytes.display(path)): \(error.reason)"
            throw .cannotCreateOutput(path: output ?? path, reason: reason)
        }
    }
}
