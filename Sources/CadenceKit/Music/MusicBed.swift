import Foundation

/// The music of a render, prepared once: each file analysed and its gain set, the ducking worked
/// out from where the cue sounds play. A fresh playlist is made for each pass.
struct MusicBed {
    /// Each music file is first brought to this loudness (LUFS); the master gain then sets the mix.
    static let fileLoudness = -16.0

    let tracks: [MusicPlaylist.Track]
    let ducking: DuckingEnvelope
    let sampleRate: Int
    let channels: Int
    let totalFrames: Int64
    let fadeOutStart: Int64
    private let cache: MusicCache

    /// Analyses every music file once (a file named twice is analysed once; see
    /// `MusicAnalysisStore`) and returns the playlist's tracks at `sampleRate` and `channels`; a file
    /// that cannot be played is an `InputError`.
    static func measure(_ files: [String], sampleRate: Int, channels: Int, store: MusicAnalysisStore,
                        shouldStop: () -> Bool) throws -> [MusicPlaylist.Track] {
        var measured: [String: MusicAnalysis] = [:]
        var tracks: [MusicPlaylist.Track] = []
        for path in files {
            if measured[path] == nil {
                measured[path] = try store.analysis(of: path, sampleRate: sampleRate, channels: channels, shouldStop: shouldStop).analysis
            }
            let analysis = measured[path]!
            tracks.append(MusicPlaylist.Track(path: path, gain: Float(pow(10, (fileLoudness - analysis.loudness) / 20)),
                                              frames: analysis.frames, analysis: analysis))
        }
        return tracks
    }

    init(tracks: [MusicPlaylist.Track], timeline: Timeline, options: RenderOptions, sounds: [(start: Int64, end: Int64)]) {
        self.tracks = tracks
        ducking = DuckingEnvelope(sounds: sounds, decibels: options.duckDecibels, sampleRate: options.sampleRate)
        sampleRate = options.sampleRate
        channels = options.channels
        totalFrames = timeline.totalSamples
        cache = MusicCache(sampleRate: options.sampleRate, channels: options.channels)
        // The music fades out over the tail, or over the last 3 seconds when the tail is shorter.
        let tailStart = timeline.intervals.last(where: { $0.kind == .tail })?.start ?? totalFrames
        fadeOutStart = min(tailStart, max(0, totalFrames - Int64(3 * options.sampleRate)))
    }

    func playlist() -> MusicPlaylist {
        MusicPlaylist(tracks: tracks, sampleRate: sampleRate, channels: channels, totalFrames: totalFrames,
                      fadeOutStart: fadeOutStart, cache: cache)
    }
}
