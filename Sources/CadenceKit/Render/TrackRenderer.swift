/// Renders a timeline into a track: timeline -> cue mixer -> peak limiter -> track writer,
/// one block at a time, so memory stays flat however long the session is.
public enum TrackRenderer {
    /// Samples per block. Must be at least the limiter's look-ahead (10 ms at 192 kHz = 1920).
    static let blockSize = 8192
    /// The mix never goes above this (-1.1 dBFS), whatever the sounds and `--gain`.
    static let ceiling: Float = 0.88
    /// The last 20 ms of the track fade out, so a sound cut short by the end cannot click.
    static let endFade = 0.02

    /// Writes the track for `timeline` to `path` (atomically: see `TrackWriter`).
    /// - Parameters:
    ///   - progress: called after each block with the fraction done.
    ///   - shouldStop: checked before each block; when it returns true the render stops and
    ///     throws `RenderError.interrupted`, leaving nothing at `path`.
    public static func render(_ timeline: Timeline, to path: String, options: RenderOptions,
                              progress: ((Double) -> Void)? = nil, shouldStop: () -> Bool = { false }) throws {
        try options.validate()
        precondition(timeline.sampleRate == options.sampleRate, "the timeline was scheduled at another rate")
        let bank = try SoundBank(sampleRate: options.sampleRate, gainDecibels: options.gainDecibels,
                                 packFolder: options.soundsFolder)
        var mixer = CueMixer(timeline: timeline, source: CueMixer.soundSource(bank: bank))
        let writer = try TrackWriter(destination: path, format: options.format, bitDepth: options.bitDepth,
                                     sampleRate: options.sampleRate, channels: options.channels,
                                     title: timeline.title, totalFrames: timeline.totalSamples)
        var limiter = PeakLimiter(ceiling: ceiling, sampleRate: options.sampleRate)
        let total = timeline.totalSamples
        let fadeLength = max(1, Int64(endFade * Double(options.sampleRate)))
        let channels = options.channels

        var current = [Float](repeating: 0, count: blockSize)
        var next = [Float](repeating: 0, count: blockSize)
        var interleaved = [Float](repeating: 0, count: blockSize * channels)
        var currentStart: Int64 = 0
        var currentCount = Int(min(Int64(blockSize), total))
        var currentHasSound = current.withUnsafeMutableBufferPointer { mixer.render(into: $0.baseAddress!, count: currentCount) }

        while currentCount > 0 {
            if shouldStop() {
                writer.abandon()
                throw RenderError.interrupted(path: path)
            }
            let nextStart = currentStart + Int64(currentCount)
            let nextCount = Int(min(Int64(blockSize), total - nextStart))
            let nextHasSound = nextCount > 0
                ? next.withUnsafeMutableBufferPointer { mixer.render(into: $0.baseAddress!, count: nextCount) }
                : false
            if nextCount < blockSize {
                // Past the end of the track: silence, for the limiter's look-ahead.
                next.withUnsafeMutableBufferPointer { $0.baseAddress!.advanced(by: nextCount).update(repeating: 0, count: blockSize - nextCount) }
            }
            if currentHasSound || nextHasSound {
                current.withUnsafeMutableBufferPointer { block in
                    next.withUnsafeBufferPointer { ahead in
                        limiter.process(UnsafeMutableBufferPointer(rebasing: block[0..<currentCount]), next: ahead)
                    }
                }
            } else {
                limiter.skipSilence(count: currentCount)
            }
            if currentHasSound {
                let fadeStart = total - fadeLength
                if currentStart + Int64(currentCount) > fadeStart {
                    for index in 0..<currentCount where currentStart + Int64(index) >= fadeStart {
                        let remaining = Double(total - (currentStart + Int64(index)))
                        current[index] *= Float(Fade.raisedCosine(remaining - 1, Double(fadeLength)))
                    }
                }
            }
            try interleaved.withUnsafeMutableBufferPointer { out throws(RenderError) in
                if currentHasSound {
                    for frame in 0..<currentCount {
                        for channel in 0..<channels { out[frame * channels + channel] = current[frame] }
                    }
                } else {
                    out.baseAddress!.update(repeating: 0, count: currentCount * channels)
                }
                try writer.write(UnsafeBufferPointer(out), frameCount: currentCount, silent: !currentHasSound)
            }
            progress?(Double(nextStart) / Double(max(1, total)))
            swap(&current, &next)
            currentStart = nextStart
            currentCount = nextCount
            currentHasSound = nextHasSound
        }
        let markers = timeline.steps.map { WavMarkers.Marker(sample: $0.start, name: $0.name) }
        try writer.finish(markers: markers)
    }
}
