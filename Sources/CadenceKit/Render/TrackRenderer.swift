/// Renders a timeline into a track: timeline -> cue mixer -> peak limiter -> track writer,
/// one block at a time, so memory stays flat however long the session is.
public enum TrackRenderer {
    /// Samples per block. Must be at least the limiter's look-ahead (10 ms at 192 kHz = 1920).
    static let blockSize = 8192
    /// The mix never goes above this (-1.1 dBFS), whatever the sounds and `--gain`.
    static let ceiling: Float = 0.88

    /// Writes the track for `timeline` to `path` (atomically: see `TrackWriter`).
    /// - Parameters:
    ///   - progress: called after each block with the fraction done.
    ///   - shouldStop: checked before each block; when it returns true the render stops and
    ///     throws `RenderError.interrupted`, leaving nothing at `path`.
    ///   - beforeCommit: runs when the track is complete but not yet at `path`; if it throws, the
    ///     track is dropped and the destination left as it was.
    public static func render(_ timeline: Timeline, to path: String, options: RenderOptions,
                              progress: ((Double) -> Void)? = nil, shouldStop: () -> Bool = { false },
                              beforeCommit: () throws -> Void = {}) throws {
        try options.validate()
        precondition(timeline.sampleRate == options.sampleRate, "the timeline was scheduled at another rate")
        let bank = try SoundBank(sampleRate: options.sampleRate, gainDecibels: options.gainDecibels,
                                 packFolder: options.soundsFolder)
        var mixer = CueMixer(timeline: timeline, sampleRate: options.sampleRate, source: CueMixer.soundSource(bank: bank))
        let writer = try TrackWriter(destination: path, format: options.format, bitDepth: options.bitDepth,
                                     sampleRate: options.sampleRate, channels: options.channels,
                                     title: timeline.title, totalFrames: timeline.totalSamples)
        var limiter = PeakLimiter(ceiling: ceiling, sampleRate: options.sampleRate)
        let total = timeline.totalSamples

        var current = [Float](repeating: 0, count: blockSize)
        var next = [Float](repeating: 0, count: blockSize)
        var currentStart: Int64 = 0
        var currentCount = Int(min(Int64(blockSize), total))
        var currentBound = current.withUnsafeMutableBufferPointer { mixer.render(into: $0.baseAddress!, count: currentCount) }

        while currentCount > 0 {
            if shouldStop() {
                writer.abandon()
                throw RenderError.interrupted(path: path)
            }
            let nextStart = currentStart + Int64(currentCount)
            let nextCount = Int(min(Int64(blockSize), total - nextStart))
            let nextBound: Float = nextCount > 0
                ? next.withUnsafeMutableBufferPointer { mixer.render(into: $0.baseAddress!, count: nextCount) }
                : 0
            let currentHasSound = currentBound > 0
            if nextCount < blockSize {
                // Past the end of the track: silence, for the limiter's look-ahead.
                next.withUnsafeMutableBufferPointer { $0.baseAddress!.advanced(by: nextCount).update(repeating: 0, count: blockSize - nextCount) }
            }
            if currentHasSound || nextBound > 0 {
                current.withUnsafeMutableBufferPointer { block in
                    next.withUnsafeBufferPointer { ahead in
                        limiter.process(UnsafeMutableBufferPointer(rebasing: block[0..<currentCount]), next: ahead,
                                        bound: max(currentBound, nextBound))
                    }
                }
            } else {
                limiter.skipSilence(count: currentCount)
            }
            try current.withUnsafeBufferPointer { block throws(RenderError) in
                try writer.write(block, frameCount: currentCount, sourceChannels: 1, silent: !currentHasSound)
            }
            progress?(Double(nextStart) / Double(max(1, total)))
            swap(&current, &next)
            currentStart = nextStart
            currentCount = nextCount
            currentBound = nextBound
        }
        let markers = timeline.steps.map { WavMarkers.Marker(sample: $0.start, name: $0.name) }
        try writer.finish(markers: markers, beforeRename: beforeCommit)
    }
}
