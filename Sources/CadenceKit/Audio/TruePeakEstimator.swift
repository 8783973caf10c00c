import Foundation

/// Estimates the true peak of a stream (the highest level between samples, as EBU R 128 measures
/// it by 4× oversampling) cheaply: the signal is interpolated at the three points between two
/// samples with a 12-tap windowed-sinc filter, but only where one of the two samples is loud
/// enough (above `gate`) for the peak between them to matter. Quiet stretches cost a comparison.
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
            let t = offset - Double(tap - (taps / 2 - 1))   // distance from sample i - 5 + tap
            let sinc = t == 0 ? 1 : sin(Double.pi * t) / (Double.pi * t)
            let window = 0.5 * (1 + cos(Double.pi * t / Double(taps / 2 + 1)))   // Hann over ±7
            return Float(sinc * window)
        }
    }

    let channels: Int
    private var history: [Float]
    private(set) var peak: Float = 0

    init(channels: Int) {
        self.channels = channels
        history = [Float](repeating: 0, count: Self.taps * channels)
    }

    /// Finishes the stream: the last frames are interpolated against the silence after them.
    mutating func finish() {
        let silence = [Float](repeating: 0, count: Self.taps * channels)
        silence.withUnsafeBufferPointer { add($0.baseAddress!, frameCount: Self.taps) }
    }

    /// Adds `frameCount` interleaved frames.
    mutating func add(_ samples: UnsafePointer<Float>, frameCount: Int) {
        let taps = Self.taps, channels = self.channels
        // Work on history (the last 11 frames) followed by the new frames.
        var window = [Float](repeating: 0, count: (taps - 1 + frameCount) * channels)
        for index in 0..<((taps - 1) * channels) { window[index] = history[channels + index] }
        for index in 0..<(frameCount * channels) { window[(taps - 1) * channels + index] = samples[index] }
        let coefficients = Self.coefficients
        var peak = self.peak
        window.withUnsafeBufferPointer { frames in
            // Frame f of `frames` is sample n = f - (taps - 1) of this block; interpolate between
            // frames f and f + 1 for every f with five frames before it and six after.
            let count = frames.count / channels
            guard count >= taps else { return }
            for f in (taps / 2 - 1)..<(count - taps / 2) {
                for channel in 0..<channels {
                    let here = abs(frames[f * channels + channel]), next = abs(frames[(f + 1) * channels + channel])
                    peak = max(peak, here)
                    guard max(here, next) >= Self.gate else { continue }
                    let base = (f - (taps / 2 - 1)) * channels + channel
                    for phase in coefficients {
                        var value: Float = 0
                        for tap in 0..<taps { value += phase[tap] * frames[base + tap * channels] }
                        peak = max(peak, abs(value))
                    }
                }
            }
        }
        self.peak = peak
        // Keep the last `taps` frames (so the next block can finish the ones near this block's end).
        let total = window.count / channels
        let keep = min(total, taps)
        history = [Float](repeating: 0, count: taps * channels)
        for index in 0..<(keep * channels) {
            history[(taps - keep) * channels + index] = window[(total - keep) * channels + index]
        }
    }
}
