import Foundation

/// Everything that decides a track's bytes, hashed: the version of Cadence, the render options
/// (all of them, as `RenderOptions` encodes itself, so a new option cannot be forgotten here), the
/// bytes of the sound pack's files and of the music files, and the speech engine that speaks (the
/// one chosen when the options name none, its version, voice and speed). What
/// every routine of a batch shares is hashed once.
public struct RenderFingerprint: Sendable {
    private let shared: String

    /// Hashes what `options` name (the pack's files, the music files): each must be a regular file.
    public init(options: RenderOptions, shouldStop: () -> Bool = { false }) throws {
        let pack = try options.soundsFolder.map { folder throws(InputError) in try SoundPackFolder(folder: folder) }
        var hash = ContentHash()
        hash.add("cadence \(CadenceVersion.string)")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        hash.add(Array(try encoder.encode(options)))
        for sound in CueSound.allCases {
            if let path = pack?.files[sound] {
                hash.add("sound \(sound.rawValue)=" + (try ContentHash.ofFile(path, kind: "sound", shouldStop: shouldStop)))
            }
        }
        for file in options.music {
            hash.add("music=" + (try ContentHash.ofFile(file, kind: "music file", shouldStop: shouldStop)))
        }
        if let voice = options.voice { hash.add("speech " + SpeechPrograms.identity(of: voice)) }
        shared = hash.hex
    }

    /// The fingerprint of one routine's track; `day` is the day of its program (`--all-days`), which
    /// changes the track as much as the routine does. Without a day the fingerprint is as before days existed.
    public func fingerprint(routineBytes: [UInt8], day: Int? = nil) -> String {
        var hash = ContentHash()
        hash.add(shared)
        hash.add(routineBytes)
        if let day { hash.add("day \(day)") }
        return hash.hex
    }
}
