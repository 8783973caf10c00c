import Foundation

/// When each file of the playlist plays: the files follow each other in order, overlapping by an
/// equal-power crossfade (3 s, or a third of the shorter file), and repeat until the session
/// ends; the first fades in over 2 s (or a third of its length). Worked out one entry at a time, so
/// a tiny file repeated for hours costs no memory. The playing playlist and the loudness
/// prediction read the same schedule.
struct PlaylistSchedule {
    struct Entry {
        /// Index into the playlist's tracks.
        var track: Int
        var start: Int64
        var frames: Int64
        var fadeIn: Int64
        var fadeOut: Int64
        var end: Int64 { start + frames }

        /// The equal-power fade gain at `frame` (sin rising over the fade-in, falling over the fade-out).
        func fadeGain(at frame: Int64) -> Double {
            let into = frame - start
            let left = end - 1 - frame
            var gain = 1.0
            if into < fadeIn { gain *= sin(Double.pi / 2 * Double(into + 1) / Double(fadeIn + 1)) }
            if left < fadeOut { gain *= sin(Double.pi / 2 * Double(left + 1) / Double(fadeOut + 1)) }
            return gain
        }
    }

    /// Crossfade between files, and the fade-in at the start, in seconds.
    static let crossfade = 3.0
    static let fadeIn = 2.0

    private let lengths: [Int64]
    private let totalFrames: Int64
    private let crossfadeFrames: Int64
    private var nextTrack = 0
    private var nextStart: Int64 = 0
    private var nextFadeIn: Int64

    /// - Parameter lengths: each file's length at the track's rate, in playlist order.
    init(lengths: [Int64], sampleRate: Int, totalFrames: Int64) {
        precondition(!lengths.isEmpty)
        self.lengths = lengths
        self.totalFrames = totalFrames
        crossfadeFrames = Int64(Self.crossfade * Double(sampleRate))
        nextFadeIn = min(Int64(Self.fadeIn * Double(sampleRate)), lengths[0] / 3)
    }

    /// Where the next entry starts (it is not taken).
    var upcomingStart: Int64? { nextStart < totalFrames ? nextStart : nil }

    /// The next file to play, or nil once the next would start after the session.
    mutating func next() -> Entry? {
        guard nextStart < totalFrames else { return nil }
        let track = nextTrack % lengths.count
        let frames = lengths[track]
        let following = lengths[(nextTrack + 1) % lengths.count]
        let fadeOut = max(1, min(crossfadeFrames, frames / 3, following / 3))
        let entry = Entry(track: track, start: nextStart, frames: frames, fadeIn: max(1, nextFadeIn), fadeOut: fadeOut)
        nextStart += max(1, frames - fadeOut)
        nextFadeIn = fadeOut
        nextTrack += 1
        return entry
    }
}
