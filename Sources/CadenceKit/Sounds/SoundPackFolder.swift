/// What a sound pack folder holds: which file gives which cue sound, and the files that are not
/// sounds of a pack. A sound's file is named after it (`go`, `countdown-last`, ...), in any case,
/// with `_` for `-` allowed, and any audio extension libsndfile reads (`go.wav`, `Go.FLAC`,
/// `countdown_last.mp3`). Hidden files and notes (README, *.md, *.txt) are left alone.
public struct SoundPackFolder: Sendable, Equatable {
    public let folder: String
    /// The file of each sound the pack replaces.
    public let files: [CueSound: String]
    /// Files that name no sound, so they are not used.
    public let unknown: [String]

    static let audioExtensions: Set<String> = [
        "wav", "wave", "flac", "ogg", "oga", "opus", "mp3", "aif", "aiff", "aifc", "au", "caf", "w64",
    ]

    /// Reads the folder's listing; a folder that is missing, not a folder, or unreadable is an `InputError`,
    /// and so are two files for one sound.
    public init(folder: String) throws(InputError) {
        self.folder = folder
        let names: [String]
        do {
            guard let status = try FileSystem.status(of: folder) else {
                throw InputError(path: folder, reason: "no such sound pack folder")
            }
            guard status.isFolder else { throw InputError(path: folder, reason: "is \(status.kindDescription), not a sound pack folder") }
            names = try FileSystem.list(folder).sorted()
        } catch let error as InputError {
            throw error
        } catch let error as SystemCallError {
            throw InputError(path: folder, reason: "cannot read this sound pack folder: \(error.reason)")
        } catch {
            throw InputError(path: folder, reason: "cannot read this sound pack folder")
        }
        var files: [CueSound: String] = [:]
        var unknown: [String] = []
        for name in names where !FilePaths.isHidden(name) {
            guard Self.audioExtensions.contains(FilePaths.pathExtension(of: name).lowercased()) else {
                let lower = name.lowercased()
                if !(lower.hasPrefix("readme") || lower.hasSuffix(".md") || lower.hasSuffix(".txt")) { unknown.append(name) }
                continue
            }
            guard let sound = Self.sound(named: name) else {
                unknown.append(name)
                continue
            }
            let path = FilePaths.join(folder, name)
            if let other = files[sound] {
                throw InputError(
                    path: path,
                    reason:
                        "the pack has two files for the sound \(sound.rawValue) (this one and \(PathBytes.display(FilePaths.name(of: other)))); keep one"
                )
            }
            files[sound] = path
        }
        self.files = files
        self.unknown = unknown
    }

    /// The sound a pack file of this name gives (`Go.wav`, `countdown_last.flac`), if any.
    public static func sound(named name: String) -> CueSound? {
        guard audioExtensions.contains(FilePaths.pathExtension(of: name).lowercased()) else { return nil }
        return CueSound(rawValue: FilePaths.baseName(of: name).lowercased().replacingOccurrences(of: "_", with: "-"))
    }

    /// A warning for each file that is not used, naming the sounds the pack does give.
    public var warnings: [String] {
        guard !unknown.isEmpty else { return [] }
        let read = CueSound.allCases.compactMap { sound in
            files[sound].map { "\(sound.rawValue) (\(PathBytes.display(FilePaths.name(of: $0))))" }
        }
        let names = CueSound.allCases.map(\.rawValue).joined(separator: ", ")
        return unknown.map { name in
            "\(PathBytes.display(FilePaths.join(folder, name))): warning: not a sound of the pack, so it is not used; "
                + "a pack's files are named \(names), with an audio extension such as .wav or .flac. "
                + (read.isEmpty
                    ? "This pack gives no sound: every sound is built in." : "Read from this pack: " + read.joined(separator: ", ") + ".")
        }
    }
}
