import Foundation
import Synchronization

/// Fade gains for a run of frames without a call to `sin` per frame. The crossfade curves come from
/// tables made once per fade length and shared (within a fixed budget); past the budget, and for
/// the tail fade, the sine is advanced by a rotation (one complex multiplication per frame, in
/// Double), started from the exact value at the run's first frame, so the error stays far below a
/// Float's resolution over any block.
enum FadeCurve {
    /// At most this many table entries are kept, all lengths together (16 MB of floats).
    static let tableBudget = 4 << 20

    private static let tables = Mutex<(tables: [Int64: [Float]], kept: Int)>(([:], 0))

    /// sin(π/2 · (k + 1) / (length + 1)) for k in 0..<length, or nil past the budget.
    static func table(length: Int64) -> [Float]? {
        tables.withLock { state in
            if let table = state.tables[length] { return table }
            guard state.kept + Int(length) <= tableBudget else { return nil }
            let step = Double.pi / 2 / Double(length + 1)
            let table = (0..<Int(length)).map { Float(sin(step * Double($0 + 1))) }
            state.tables[length] = table
            state.kept += Int(length)
            return table
        }
    }

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
            let count = Int(fadeInEnd - from)
            if let table = table(length: entry.fadeIn) {
                table.withUnsafeBufferPointer { curve in
                    let first = curve.baseAddress! + Int(from - entry.start)
                    for index in 0..<count { gains[index] *= first[index] }
                }
            } else {
                let step = Double.pi / 2 / Double(entry.fadeIn + 1)
                multiplySine(gains, count: count, start: step * Double(from - entry.start + 1), step: step)
            }
        }
        // Fade-out: sin(π/2 · (left + 1) / (fadeOut + 1)), falling.
        let fadeOutStart = max(from, entry.end - entry.fadeOut)
        if to > fadeOutStart {
            let count = Int(to - fadeOutStart)
            let gains = gains + Int(fadeOutStart - from)
            if let table = table(length: entry.fadeOut) {
                // Frames left after each one fall from `entry.end - 1 - fadeOutStart`.
                table.withUnsafeBufferPointer { curve in
                    let last = Int(entry.end - 1 - fadeOutStart)
                    let curve = curve.baseAddress!
                    for index in 0..<count { gains[index] *= curve[last - index] }
                }
            } else {
                let step = Double.pi / 2 / Double(entry.fadeOut + 1)
                multiplySine(gains, count: count, start: step * Double(entry.end - fadeOutStart), step: -step)
            }
        }
    }
}
