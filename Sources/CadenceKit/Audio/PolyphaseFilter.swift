import Foundation
import Synchronization

/// The windowed-sinc filter bank of a rational sample-rate change (`up`/`down`, reduced), made
/// once per pair of rates and shared by every file and thread that converts between them.
///
/// Output frame n sits at input position n·down/up. With i its whole part and p = n·down mod up
/// its phase, the frame is the dot product of phase p's `taps` coefficients with input frames
/// i - taps/2 + 1 ... i + taps/2. The kernel is a Kaiser-windowed sinc whose cutoff sits below the
/// lower of the two Nyquist frequencies, so a downward change does not alias; each phase is
/// scaled to a gain of exactly 1 at 0 Hz.
final class PolyphaseFilter: Sendable {
    /// Taps of the kernel when the rate goes up (more when it goes down, where the kernel widens).
    static let baseTaps = 32
    /// The cutoff, as a fraction of the lower Nyquist frequency: flat to about 16 kHz at 44.1 kHz.
    static let cutoff = 0.86
    /// Kaiser window shape: about 75 dB of stop-band rejection.
    static let beta = 7.5
    /// Ratios needing more phases than this (rates with no small common factor) are left to libsamplerate.
    static let maximumPhases = 2_048

    let up: Int
    let down: Int
    let taps: Int
    /// `up` phases of `taps` coefficients each, phase after phase.
    let coefficients: [Float]

    private static let made = Mutex<[Int: PolyphaseFilter]>([:])

    /// The shared filter from `sourceRate` to `targetRate`, or nil when the ratio needs too many phases.
    static func shared(from sourceRate: Int, to targetRate: Int) -> PolyphaseFilter? {
        let divisor = gcd(sourceRate, targetRate)
        let up = targetRate / divisor, down = sourceRate / divisor
        guard up <= maximumPhases, sourceRate > 0, targetRate > 0 else { return nil }
        let key = up << 32 | down
        return made.withLock { filters in
            if let filter = filters[key] { return filter }
            let filter = PolyphaseFilter(up: up, down: down)
            filters[key] = filter
            return filter
        }
    }

    private init(up: Int, down: Int) {
        self.up = up
        self.down = down
        let widening = max(1, Double(down) / Double(up))
        var taps = Int((Double(Self.baseTaps) * widening).rounded(.up))
        taps += taps % 2
        self.taps = taps
        // Cutoff in cycles per input sample.
        let cutoff = 0.5 * Self.cutoff / widening
        let half = Double(taps / 2)
        let besselOfBeta = Self.bessel0(Self.beta)
        var coefficients = [Float](repeating: 0, count: up * taps)
        for phase in 0..<up {
            let fraction = Double(phase) / Double(up)
            var row = [Double](repeating: 0, count: taps)
            for tap in 0..<taps {
                // Distance from the output position to input frame i - taps/2 + 1 + tap.
                let distance = fraction + half - 1 - Double(tap)
                let x = 2 * cutoff * distance
                let sinc = x == 0 ? 1 : sin(Double.pi * x) / (Double.pi * x)
                let ratio = distance / half
                let window = abs(ratio) >= 1 ? 0 : Self.bessel0(Self.beta * (1 - ratio * ratio).squareRoot()) / besselOfBeta
                row[tap] = sinc * window
            }
            let sum = row.reduce(0, +)
            for tap in 0..<taps { coefficients[phase * taps + tap] = Float(row[tap] / sum) }
        }
        self.coefficients = coefficients
    }

    /// The modified Bessel function of the first kind, order 0 (for the Kaiser window).
    private static func bessel0(_ x: Double) -> Double {
        var sum = 1.0, term = 1.0
        var k = 1.0
        while term > 1e-12 * sum {
            term *= (x / (2 * k)) * (x / (2 * k))
            sum += term
            k += 1
        }
        return sum
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int {
        var a = a, b = b
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }
}
