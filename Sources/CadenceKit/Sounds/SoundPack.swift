/// The default sound pack as files: what `cadence sounds export` writes and `Sounds/` holds.
public enum SoundPack {
    /// The rate of exported sounds. A pack at any rate works: sounds are resampled when loaded.
    public static let exportSampleRate = 48_000

    /// Writes every built-in cue sound as a 16-bit mono WAV into `folder` (created if missing) and
    /// returns the paths written. A file there that differs from the built-in sound (an edited
    /// sound) is not overwritten unless `force` is true: then nothing is written and the error
    /// names them.
    public static func exportDefault(to folder: String, force: Bool = false) throws -> [String] {
        try RoutineFolder.makeFolders(folder)
        var writers: [(path: String, writer: TrackWriter)] = []
        var edited: [String] = []
        for sound in CueSound.allCases {
            let path = FilePaths.join(folder, sound.fileName)
            var samples = DefaultSounds.design(sound).render(sampleRate: exportSampleRate)
            SoundBank.enforceOnset(&samples)
            let metadata = TrackMetadata(
                title: "Cadence \(sound.rawValue)", chapters: [], sampleRate: exportSampleRate,
                totalFrames: Int64(samples.count))
            let writer = try TrackWriter(
                destination: path, format: .wav, bitDepth: .pcm16, sampleRate: exportSampleRate,
                channels: 1, metadata: metadata)
            try samples.withUnsafeBufferPointer { try writer.write($0, frameCount: samples.count, sourceChannels: 1, silent: false) }
            writers.append((path, writer))
        }
        // Every sound is complete (but not yet in place) before any replaces a file: all or none.
        for (path, writer) in writers {
            try writer.complete()
            if !force, let existing = try? InputFile.readBytes(path, kind: "sound", limit: 16 << 20).bytes,
                existing != (try writer.contents())
            {
                edited.append(PathBytes.display(FilePaths.name(of: path)))
            }
        }
        if !edited.isEmpty {
            for (_, writer) in writers { writer.abandon() }
            throw RenderError.cannotCreateOutput(
                path: folder,
                reason:
                    "it holds edited sounds (\(edited.joined(separator: ", "))), which Cadence does not overwrite; "
                    + "export to another folder, or add --force to replace them")
        }
        for (_, writer) in writers { try writer.commit() }
        return writers.map(\.path)
    }
}
