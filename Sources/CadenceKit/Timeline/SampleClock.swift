/// Converts exact times (microseconds from the session start) to sample indices:
/// S(t) = floor((t * R + 500000) / 1000000), rounding half up, so no error builds up.
public struct SampleClock: Hashable, Sendable {
    public static let supportedRates: ClosedRange<Int> = 8_000...192_000

    public let sampleRate: Int

    public init(sampleRate: Int) {
        precondition(Self.supportedRates.contains(sampleRate), "sample rate \(sampleRate) is outside 8000...192000")
        self.sampleRate = sampleRate
    }

    public func sample(at microseconds: Int64) -> Int64 {
        // 24 h at 192 kHz is 1.7e16 after multiplying: far inside Int64.
        (microseconds * Int64(sampleRate) + 500_000) / 1_000_000
    }
}
