import Foundation

/// Estimates the true peak of a stream (the highest level between samples, as EBU R 128 measures
/// it by 4× oversampling) cheaply: the signal is interpolated at the three points between two
/// samples with a 12-tap windowed-sinc filter, but only where one of the two samples is loud
/// enough (above `gate`) for the peak between them to matter, and only where the interpolated value
/// could pass `threshold` at all (the samples under the filter, times the sum of its coefficients'
/// magnitudes, bound it). Quiet stretches cost a comparison. So `peak` is exact (for this
/// estimate) whenever it is above `threshold`; below, it is only known to be at most `threshold`.
struct TruePeakEstimator {
    static let taps = 12
    /// Between two samples below -6 dBFS the peak cannot reach -1 dBTP (that would need 5 dB of
    /// overshoot, far more than real music shows), so they are not interpolated.
    static let gate: Float = 0.5

    /// coefficients[phase][tap] for phases 1/4, 2/4, 3/4; tap k multiplies x[i - 5 + k] to give the
    /// value at i + phase/4.
    private static let coefficients: [[Float]] = (1...3).map { phase in
        let offset = Double(phase) / 4
        return (0..<taps).map { tap in
            let t = offset - Double(tap - (taps / 2 - 1))  // distance from sample i - 5 + tap
            let sinc = t == 0 ? 1 : sin(Double.pi * t) / (Double.pi * t)
            let window = 0.5 * (1 + cos(Double.pi * t / Double(taps / 2 + 1)))  // Hann over ±7
            return Float(sinc * window)
        }
    }

    /// The most any interpolated value can be, as a multiple of the largest sample under the filter.
    static let overshootBound: Float = coefficients.map { $0.reduce(0) { $0 + abs($1) } }.max()!

    let channels: Int
    /// Values at or under this need not be known exactly.
    let threshold: Float
    /// The last `taps` frames seen, followed by room for the next block: interpolation runs over
    /// this window, so a block needs no copy of its own besides this one.
    private var window: [Float]
    private(set) var peak: Float = 0

    /// - Parameter threshold: the level above which the peak must be exact (0: everywhere).
    init(channels: Int, threshold: Float = 0) {
        self.channels = channels
        self.threshold = threshold
        window = [Float](repeating: 0, count: Self.taps * channels)
    }

    /// Finishes the stream: the last frames are interpolated against the silence after them.
    mutating func finish() {
        let silence = [Float](repeating: 0, count: Self.taps * channels)
        silence.withUnsafeBufferPointer { add($0.baseAddress!, frameCount: Self.taps) }
    }

    /// Adds `frameCount` interleaved frames.
    mutating func add(_ samples: UnsafePointer<Float>, frameCount: Int) {
        let taps = Self.taps, channels = self.channels
        let kept = (taps - 1) * channels
        let total = kept + frameCount * channels
        if window.count < total { window += [Float](repeating: 0, count: total - window.count) }
        var peak = self.peak
        window.withUnsafeMutableBufferPointer { buffer in
            let frames = buffer.baseAddress!
            // The window: the last taps - 1 frames of before (at the front), then the new frames.
            (frames + kept).update(from: samples, count: frameCount * channels)
            let count = total / channels
            guard count >= taps else { return }
            // Frame f of the window is interpolated towards f + 1 for every f with five frames
            // before it and six after. Stretches of 16 frames whose samples (and the next frame's)
            // are all under the gate only need their sample peak, found by a loop that vectorizes.
            let first = taps / 2 - 1, end = count - taps / 2
            let group = 16
            var f = first
            while f < end {
                let stop = min(end, f + group)
                let lanes = (stop + 1 - f) * channels
                let groupPeak = PeakLimiter.peak(UnsafeBufferPointer(start: frames + f * channels, count: lanes))
                // Every sample any interpolation in this stretch uses: frames f - 5 ... stop + 5.
                let reach =
                    groupPeak < Self.gate
                    ? 0
                    : PeakLimiter.peak(UnsafeBufferPointer(start: frames + (f - first) * channels, count: (stop - f + taps - 1) * channels))
                if groupPeak < Self.gate || reach * Self.overshootBound <= threshold {
                    peak = max(peak, groupPeak)
                } else {
                    for frame in f..<stop {
                        for channel in 0..<channels {
                            let here = abs(frames[frame * channels + channel]), next = abs(frames[(frame + 1) * channels + channel])
                            peak = max(peak, here)
                            guard max(here, next) >= Self.gate else { continue }
                            let base = (frame - first) * channels + channel
                            for phase in 0..<3 {
                                var value: Float = 0
                                for tap in 0..<taps { value += Self.flatCoefficients[phase * taps + tap] * frames[base + tap * channels] }
                                peak = max(peak, abs(value))
                            }
                        }
                    }
                }
                f = stop
            }
            // Keep the last taps - 1 frames at the front for the next block.
            frames.update(from: frames + (total - kept), count: kept)
        }
        self.peak = peak
    }

    /// `coefficients`, phase after phase, for indexing without nested arrays.
    private static let flatCoefficients: [Float] = coefficients.flatMap { $0 }
}
