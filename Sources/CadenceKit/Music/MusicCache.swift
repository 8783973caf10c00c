/// Music decoded and resampled once and kept in memory, for files small enough: a short playlist
/// that repeats for an hour, measured and then written, is decoded once instead of at every repeat
/// of every pass. The budget is fixed, so memory does not grow with the session; files that do not
/// fit are decoded as they play.
final class MusicCache {
    /// At most this many samples are kept (16 MB of floats, about 90 s of stereo at 44.1 kHz),
    /// all files together.
    static let budget = 4 << 20

    private let sampleRate: Int
    private let channels: Int
    private var tracks: [String: [Float]] = [:]
    private var refused: Set<String> = []
    private var kept = 0

    init(sampleRate: Int, channels: Int) {
        self.sampleRate = sampleRate
        self.channels = channels
    }

    /// The whole file at the track's rate and channels, or nil when it does not fit the budget.
    func samples(of track: MusicPlaylist.Track) throws -> [Float]? {
        if let samples = tracks[track.path] { return samples }
        let size = Int(track.frames) * channels
        guard !refused.contains(track.path), kept + size <= Self.budget else {
            refused.insert(track.path)
            return nil
        }
        let decoder = try MusicDecoder(path: track.path, sampleRate: sampleRate, channels: channels)
        var samples = [Float](repeating: 0, count: size)
        var made = 0
        while made < Int(track.frames) {
            let count = try samples.withUnsafeMutableBufferPointer { buffer in
                try decoder.read(into: buffer.baseAddress! + made * channels, frameCount: Int(track.frames) - made)
            }
            if count == 0 { break }
            made += count
        }
        tracks[track.path] = samples
        kept += size
        return samples
    }
}
