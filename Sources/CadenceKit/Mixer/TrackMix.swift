/// The whole mix, block by block: cue sounds, and music lowered under them, times the master gain,
/// through the peak limiter. Each block is made one block ahead, which the limiter uses as its
/// look-ahead. Without music the mix is mono (the writer copies it to every channel); with music it
/// has the track's channels.
final class TrackMix {
    struct Block {
        /// Interleaved samples, `channels` per frame; valid until the next call to `next()`.
        var samples: UnsafeBufferPointer<Float>
        var frames: Int
        var channels: Int
        /// Every sample is 0.
        var silent: Bool
    }

    static let blockSize = 8192

    private var cues: CueMixer
    private let music: MusicAhead?
    private var ducking: DuckingEnvelope?
    private let masterGain: Float
    private var limiter: PeakLimiter?
    private let totalFrames: Int64
    let channels: Int

    private var current: [Float]
    private var next: [Float]
    private var cueBlock = [Float](repeating: 0, count: TrackMix.blockSize)
    private var duckGains = [Float](repeating: 1, count: TrackMix.blockSize)
    private var currentStart: Int64 = 0
    private var currentCount = 0
    private var currentBound: Float = 0
    private var started = false

    /// - Parameters:
    ///   - limiterCeiling: the limiter's ceiling, or nil for no limiter (the mix as the loudness model sees it).
    init(
        totalFrames: Int64, sampleRate: Int, outputChannels: Int, cues: CueMixer, music: MusicPlaylist?,
        ducking: DuckingEnvelope?, masterGain: Float, limiterCeiling: Float?
    ) {
        self.totalFrames = totalFrames
        self.cues = cues
        self.music = music.map { MusicAhead(playlist: $0, channels: outputChannels, blockFrames: Self.blockSize, totalFrames: totalFrames) }
        self.ducking = ducking
        self.masterGain = masterGain
        let channels = music == nil ? 1 : outputChannels
        self.channels = channels
        limiter = limiterCeiling.map { PeakLimiter(ceiling: $0, sampleRate: sampleRate, channels: channels) }
        current = [Float](repeating: 0, count: Self.blockSize * channels)
        next = [Float](repeating: 0, count: Self.blockSize * channels)
    }

    /// The next block of the track, or nil after the last.
    func nextBlock() throws -> Block? {
        if !started {
            started = true
            currentCount = Int(min(Int64(Self.blockSize), totalFrames))
            currentBound = try produce(into: &current, start: 0, count: currentCount)
        } else {
            swap(&current, &next)
            currentStart += Int64(currentCount)
            currentCount = Int(min(Int64(Self.blockSize), totalFrames - currentStart))
            currentBound = nextBound
        }
        guard currentCount > 0 else { return nil }
        let nextStart = currentStart + Int64(currentCount)
        let nextCount = Int(min(Int64(Self.blockSize), totalFrames - nextStart))
        nextBound = nextCount > 0 ? try produce(into: &next, start: nextStart, count: nextCount) : 0
        if nextCount < Self.blockSize {
            // Past the end of the track: silence, for the limiter's look-ahead.
            for index in (nextCount * channels)..<next.count { next[index] = 0 }
        }
        if limiter != nil {
            if currentBound > 0 || nextBound > 0 {
                let count = currentCount * channels
                current.withUnsafeMutableBufferPointer { block in
                    next.withUnsafeBufferPointer { ahead in
                        limiter!.process(
                            UnsafeMutableBufferPointer(rebasing: block[0..<count]), next: ahead,
                            bound: max(currentBound, nextBound))
                    }
                }
            } else {
                limiter!.skipSilence(count: currentCount)
            }
        }
        return current.withUnsafeBufferPointer { buffer in
            Block(
                samples: UnsafeBufferPointer(rebasing: buffer[0..<(currentCount * channels)]),
                frames: currentCount, channels: channels, silent: currentBound == 0)
        }
    }

    private var nextBound: Float = 0

    /// Mixes frames `start ..< start + count` into `buffer`; returns a bound on their magnitude
    /// (0 when silent, infinity when unknown).
    private func produce(into buffer: inout [Float], start: Int64, count: Int) throws -> Float {
        guard let music else {
            return buffer.withUnsafeMutableBufferPointer { cues.render(into: $0.baseAddress!, count: count) }
        }
        let cueBound = cueBlock.withUnsafeMutableBufferPointer { cues.render(into: $0.baseAddress!, count: count) }
        try buffer.withUnsafeMutableBufferPointer { try music.render(into: $0.baseAddress!, frameCount: count) }
        if ducking != nil {
            duckGains.withUnsafeMutableBufferPointer { ducking!.fill($0.baseAddress!, from: start, count: count) }
        }
        let gain = masterGain
        // Plain loops over the buffers, no calls per sample: they vectorize.
        buffer.withUnsafeMutableBufferPointer { out in
            duckGains.withUnsafeBufferPointer { ducks in
                cueBlock.withUnsafeBufferPointer { cueSamples in
                    let out = out.baseAddress!, duck = ducks.baseAddress!, cue = cueSamples.baseAddress!
                    switch (channels, cueBound > 0) {
                    case (2, true):
                        for frame in 0..<count {
                            out[2 * frame] = (out[2 * frame] * duck[frame] + cue[frame]) * gain
                            out[2 * frame + 1] = (out[2 * frame + 1] * duck[frame] + cue[frame]) * gain
                        }
                    case (2, false):
                        for frame in 0..<count {
                            out[2 * frame] = (out[2 * frame] * duck[frame]) * gain
                            out[2 * frame + 1] = (out[2 * frame + 1] * duck[frame]) * gain
                        }
                    case (_, true):
                        for frame in 0..<count { out[frame] = (out[frame] * duck[frame] + cue[frame]) * gain }
                    default:
                        for frame in 0..<count { out[frame] = (out[frame] * duck[frame]) * gain }
                    }
                }
            }
        }
        return .infinity
    }
}
