import Foundation

/// Integrated loudness (EBU R 128 / ITU-R BS.1770) from the K-weighted energy of consecutive
/// 100 ms steps, gated as libebur128 gates it: 400 ms blocks every 100 ms (the first ends at
/// 400 ms, the last at the last whole step), an absolute gate at -70 LUFS, then a relative gate
/// 10 LU below the mean of the blocks that passed the first. A pure function of its input, shared
/// by the prediction of a mix's loudness and the measurement of what was written.
enum LoudnessGate {
    /// libebur128's 100 ms step in frames at `sampleRate`.
    static func stepFrames(sampleRate: Int) -> Int { (sampleRate + 5) / 10 }

    /// - Parameters:
    ///   - steps: per step, the channel-weighted sum over channels of the K-weighted sum of squares
    ///     (every channel here weighs 1: mono and stereo tracks).
    ///   - stepFrames: frames in a step.
    /// - Returns: LUFS, or -infinity when no block passes the gates (silence, under 400 ms).
    static func integratedLoudness(steps: UnsafeBufferPointer<Double>, stepFrames: Int) -> Double {
        guard steps.count >= 4 else { return -.infinity }
        let blockFrames = Double(4 * stepFrames)
        let absoluteGate = pow(10, (-70 + 0.691) / 10)
        var energies: [Double] = []
        energies.reserveCapacity(steps.count - 3)
        for last in 3..<steps.count {
            let z = ((steps[last - 3] + steps[last - 2]) + (steps[last - 1] + steps[last])) / blockFrames
            if z >= absoluteGate { energies.append(z) }
        }
        guard !energies.isEmpty else { return -.infinity }
        let relativeGate = energies.reduce(0, +) / Double(energies.count) * 0.1
        var sum = 0.0, count = 0
        for z in energies where z >= relativeGate {
            sum += z
            count += 1
        }
        guard count > 0 else { return -.infinity }
        return 10 * log10(sum / Double(count)) - 0.691
    }

    static func integratedLoudness(steps: [Double], stepFrames: Int) -> Double {
        steps.withUnsafeBufferPointer { integratedLoudness(steps: $0, stepFrames: stepFrames) }
    }
}
