import Foundation

/// Fade gains for a run of frames without a call to `sin` per frame: the sine is advanced by a
/// rotation (one complex multiplication per frame, in Double), started from the exact value at the
/// run's first frame, so the error stays far below a Float's resolution over any block.
enum FadeCurve {
    /// Multiplies `gains[k]` by sin(start + k·step) (squared when `squared`), for k in 0..<count.
    static func multiplySine(_ gains: UnsafeMutablePointer<Float>, count: Int, start: Double, step: Double, squared: Bool = false) {
        guard count > 0 else { return }
        var sine = sin(start), cosine = cos(start)
        let stepSine = sin(step), stepCosine = cos(step)
        for index in 0..<count {
            let value = squared ? sine * sine : sine
            gains[index] = Float(Double(gains[index]) * value)
            let nextSine = sine * stepCosine + cosine * stepSine
            cosine = cosine * stepCosine - sine * stepSine
            sine = nextSine
        }
    }

    /// The crossfade gains of `entry` times `gain`, for frames `from ..< from + count` (inside the entry).
    static func fill(_ gains: UnsafeMutablePointer<Float>, entry: PlaylistSchedule.Entry, gain: Float, from: Int64, count: Int) {
        gains.update(repeating: gain, count: count)
        let to = from + Int64(count)
        // Fade-in: sin(π/2 · (into + 1) / (fadeIn + 1)), rising.
        let fadeInEnd = min(to, entry.start + entry.fadeIn)
        if fadeInEnd > from {
            let step = Double.pi / 2 / Double(entry.fadeIn + 1)
            multiplySine(gains, count: Int(fadeInEnd - from), start: step * Double(from - entry.start + 1), step: step)
        }
        // Fade-out: sin(π/2 · (left + 1) / (fadeOut + 1)), falling.
        let fadeOutStart = max(from, entry.end - entry.fadeOut)
        if to > fadeOutStart {
            let step = Double.pi / 2 / Double(entry.fadeOut + 1)
            multiplySine(gains + Int(fadeOutStart - from), count: Int(to - fadeOutStart),
                         start: step * Double(entry.end - fadeOutStart), step: -step)
        }
    }
}
