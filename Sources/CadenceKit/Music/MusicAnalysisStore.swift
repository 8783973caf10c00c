/// Gives the analysis of a music file: from the user's cache folder when a record for the same
/// content (a digest of the file's bytes) at the same track rate and channel count is there, else
/// by decoding and measuring the file, after which the record is kept for later renders. Copies and
/// renamed files are recognized by their content; an edited file is measured again.
struct MusicAnalysisStore: Sendable {
    let folder: CacheFolder?
    static let kind = CacheFolder.Kind(name: "music-analysis", version: Int(MusicAnalysis.version))
    /// An analysis is a few hundred KB per hour of music; one larger than this is not read.
    static let largestRecord = 256 << 20

    /// The store in the user's cache folder (none when caching is off).
    static var user: MusicAnalysisStore {
        MusicAnalysisStore(folder: CacheFolder.user())
    }

    /// A store that keeps nothing: every file is measured.
    static let none = MusicAnalysisStore(folder: nil)

    /// The record's name for a file's content at a rate and channel count.
    static func key(digest: String, sampleRate: Int, channels: Int) -> String {
        "\(digest)-\(sampleRate)-\(channels)"
    }

    func analysis(
        of path: String, sampleRate: Int, channels: Int, shouldStop: () -> Bool = { false },
        keep: MusicAnalysis.Keep? = nil
    ) throws -> (analysis: MusicAnalysis, cached: Bool) {
        guard let folder else {
            return (try MusicAnalysis.measure(path, sampleRate: sampleRate, channels: channels, shouldStop: shouldStop, keep: keep), false)
        }
        let key = Self.key(
            digest: try FileDigest.of(path, kind: "music file", shouldStop: shouldStop),
            sampleRate: sampleRate, channels: channels)
        if let bytes = folder.read(Self.kind, key: key, limit: Self.largestRecord), let analysis = MusicAnalysis(decoding: bytes),
            analysis.channels == channels,
            analysis.chunkFrames == MusicAnalysis.chunkFrames(sampleRate: sampleRate)
        {
            return (analysis, true)
        }
        let analysis = try MusicAnalysis.measure(path, sampleRate: sampleRate, channels: channels, shouldStop: shouldStop, keep: keep)
        folder.write(Self.kind, key: key, payload: analysis.encoded())
        return (analysis, false)
    }
}
