import Foundation

/// Everything that decides a track's bytes, hashed: the version of Cadence, the routine file, the
/// render options, the sound pack's files, the music files and (with --voice) the espeak-ng version.
/// The inputs shared by every routine of a batch are hashed once.
public struct RenderFingerprint: Sendable {
    private let shared: String

    public init(options: RenderOptions) {
        var parts = ["cadence \(CadenceVersion.string)"]
        parts.append("format=\(options.format.rawValue) depth=\(options.bitDepth.rawValue) rate=\(options.sampleRate) "
            + "channels=\(options.channels) level=\(options.level.rawValue) gain=\(options.gainDecibels) "
            + "duck=\(options.duckDecibels) loudness=\(options.loudnessTarget)")
        if let folder = options.soundsFolder {
            for sound in CueSound.allCases {
                let path = (folder as NSString).appendingPathComponent(sound.fileName)
                parts.append("sound \(sound.rawValue)=\(ContentHash.ofFile(path) ?? "built-in")")
            }
        }
        for file in options.music {
            parts.append("music \(file)=\(ContentHash.ofFile(file) ?? "unreadable")")
        }
        if let voice = options.voice {
            parts.append("voice name=\(voice.name ?? "-") speed=\(voice.wordsPerMinute.map(String.init) ?? "-") "
                + "espeak=\(Self.espeakVersion())")
        }
        var hash = ContentHash()
        for part in parts { hash.add(part) }
        shared = hash.hex
    }

    /// The fingerprint of one routine's track (nil when the routine cannot be read: it must be rendered,
    /// which reports the error).
    public func fingerprint(routineBytes: [UInt8]) -> String {
        var hash = ContentHash()
        hash.add(shared)
        hash.add(routineBytes)
        return hash.hex
    }

    private static func espeakVersion() -> String {
        guard let program = SpeechSynthesizer.findProgram("espeak-ng") else { return "missing" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = ["--version"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "unrunnable" }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
