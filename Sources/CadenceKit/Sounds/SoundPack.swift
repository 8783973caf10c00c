import Foundation

/// The default sound pack as files: what `cadence sounds export` writes and `Sounds/` holds.
public enum SoundPack {
    /// The rate of exported sounds. A pack at any rate works: sounds are resampled when loaded.
    public static let exportSampleRate = 48_000

    /// Writes every built-in cue sound as a 16-bit mono WAV into `folder` (created if missing)
    /// and returns the paths written.
    public static func exportDefault(to folder: String) throws -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw RenderError.cannotCreateOutput(path: folder, reason: "cannot create this folder")
        }
        var written: [String] = []
        for sound in CueSound.allCases {
            let path = (folder as NSString).appendingPathComponent(sound.fileName)
            var samples = DefaultSounds.design(sound).render(sampleRate: exportSampleRate)
            SoundBank.enforceOnset(&samples)
            let metadata = TrackMetadata(title: "Cadence \(sound.rawValue)", chapters: [], sampleRate: exportSampleRate,
                                         totalFrames: Int64(samples.count))
            let writer = try TrackWriter(destination: path, format: .wav, bitDepth: .pcm16, sampleRate: exportSampleRate,
                                         channels: 1, metadata: metadata, totalFrames: Int64(samples.count))
            try samples.withUnsafeBufferPointer { try writer.write($0, frameCount: samples.count, sourceChannels: 1, silent: false) }
            try writer.finish()
            written.append(path)
        }
        return written
    }
}
