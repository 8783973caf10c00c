import Foundation

/// The music of a render, prepared once: each file's loudness measured and its gain set, the
/// ducking worked out from where the cue sounds play. A fresh playlist is made for each pass.
struct MusicBed {
    /// Each music file is first brought to this loudness (LUFS); the master gain then sets the mix.
    static let fileLoudness = -16.0

    let tracks: [MusicPlaylist.Track]
    let ducking: DuckingEnvelope
    private let sampleRate: Int
    private let channels: Int
    private let totalFrames: Int64
    private let fadeOutStart: Int64
    private let cache: MusicCache

    /// Measures every music file once (a file named twice is measured once) and returns the
    /// playlist's tracks at `sampleRate`; a file that cannot be played is an `InputError`.
    static func measure(_ files: [String], sampleRate: Int, shouldStop: () -> Bool) throws -> [MusicPlaylist.Track] {
        var measured: [[UInt8]: (gain: Float, frames: Int64)] = [:]
        var tracks: [MusicPlaylist.Track] = []
        for path in files {
            let key = PathBytes.key(path)
            if measured[key] == nil {
                let measurement = try MusicDecoder.measure(path, sampleRate: sampleRate, shouldStop: shouldStop)
                measured[key] = (Float(pow(10, (fileLoudness - measurement.loudness) / 20)), measurement.frames)
            }
            let (gain, frames) = measured[key]!
            tracks.append(MusicPlaylist.Track(path: path, gain: gain, frames: frames))
        }
        return tracks
    }

    init(tracks: [MusicPlaylist.Track], timeline: Timeline, options: RenderOptions, sounds: [DuckingEnvelope.Sound]) {
        self.tracks = tracks
        ducking = DuckingEnvelope(sounds: sounds, decibels: options.duckDecibels, speechDecibels: options.speechDuckDecibels,
                                  sampleRate: options.sampleRate)
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
