import Foundation

/// The rule that an output is never an input, and that one run never writes two outputs to one
/// file. Files are compared by device and inode (so a symbolic or hard link to a routine is that
/// routine), and an output that does not exist yet by its resolved path.
public enum OutputSafety {
    /// A file named on the command line, with the words that name it in a message
    /// (`the routine file r.yaml`, `--timeline t.json`).
    public struct NamedFile: Sendable {
        public var path: String
        public var label: String

        public init(_ path: String, label: String) {
            self.path = path
            self.label = label
        }
    }

    /// Throws `RenderError.invalidOptions` (exit 64) naming the two files when an output is the same
    /// file as an input or as another output.
    public static func check(outputs: [NamedFile], inputs: [NamedFile]) throws(RenderError) {
        var inputsByFile: [FileKey: NamedFile] = [:]
        for input in inputs {
            guard let status = try? FileSystem.status(of: input.path) else { continue }
            let key = FileKey(status)
            if inputsByFile[key] == nil { inputsByFile[key] = input }
        }
        var outputsByFile: [FileKey: NamedFile] = [:]
        var outputsByPath: [[UInt8]: NamedFile] = [:]
        for output in outputs {
            if let status = try? FileSystem.status(of: output.path) {
                let key = FileKey(status)
                if let input = inputsByFile[key] {
                    throw .invalidOptions(
                        "\(output.label) is \(input.label): an output is never one of the inputs; choose another file name")
                }
                if let other = outputsByFile[key] {
                    throw .invalidOptions("\(other.label) and \(output.label) are the same file; give each output its own name")
                }
                outputsByFile[key] = output
            }
            let resolved = PathBytes.key(resolvedPath(output.path))
            if let other = outputsByPath[resolved] {
                throw .invalidOptions("\(other.label) and \(output.label) are the same file; give each output its own name")
            }
            outputsByPath[resolved] = output
        }
    }

    /// Throws (exit 64) when an output would land in the sound pack's folder as one of its sounds:
    /// the render would change the pack it reads, and a second file for one sound (`Go.wav` beside
    /// `go.wav`) would break the next render with that pack.
    public static func checkPack(outputs: [NamedFile], pack: SoundPackFolder?) throws(RenderError) {
        guard let pack, let packFolder = FileSystem.resolved(pack.folder) else { return }
        for output in outputs {
            guard let sound = SoundPackFolder.sound(named: FilePaths.name(of: output.path)),
                FileSystem.resolved(FilePaths.folder(of: output.path)) == packFolder
            else { continue }
            throw .invalidOptions(
                "\(output.label) would become the \(sound.rawValue) sound of the sound pack \(PathBytes.display(pack.folder)); "
                    + "write it outside the pack's folder")
        }
    }

    private struct FileKey: Hashable {
        var device: UInt64
        var inode: UInt64
        init(_ status: stat) {
            device = UInt64(status.st_dev)
            inode = UInt64(status.st_ino)
        }
    }

    /// The absolute path `path` will have: the longest part of its folder that exists, with every
    /// link resolved, then the folders still to be made and its name, with `.` and `..` applied to
    /// the text (nothing there can be a link yet), so `new/x.wav` and `new/./x.wav` are one file.
    static func resolvedPath(_ path: String) -> String {
        var missing = [FilePaths.name(of: path)]
        var folder = FilePaths.folder(of: path)
        var base = FileSystem.resolved(folder)
        while base == nil {
            let parent = FilePaths.folder(of: folder)
            if parent == folder { break }
            missing.insert(FilePaths.name(of: folder), at: 0)
            folder = parent
            base = FileSystem.resolved(folder)
        }
        var result = base ?? folder
        for component in missing {
            switch component {
            case "", ".": continue
            case "..": result = FilePaths.folder(of: result)
            default: result = FilePaths.join(result, component)
            }
        }
        return result
    }
}
