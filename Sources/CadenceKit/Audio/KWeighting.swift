import Foundation

/// The K-weighting of ITU-R BS.1770 (a high shelf near 1.7 kHz, then a high-pass near 38 Hz) as
/// one fourth-order filter with the coefficients libebur128 derives for a sample rate, and an
/// accumulator of the filtered signal's energy (sum of squares) per channel over consecutive
/// chunks of frames: what loudness is computed from. The inner loop has no calls and runs the
/// channels side by side.
struct KWeighting {
    /// Numerator and denominator of the combined filter (a0 = 1).
    let b: (Double, Double, Double, Double, Double)
    let a: (Double, Double, Double, Double)

    init(sampleRate: Int) {
        let rate = Double(sampleRate)
        // Stage 1: the high shelf (the head's acoustic effect).
        var f0 = 1681.974450955533
        let gain = 3.999843853973347
        var q = 0.7071752369554196
        var k = tan(Double.pi * f0 / rate)
        let vh = pow(10, gain / 20)
        let vb = pow(vh, 0.4996667741545416)
        let a0 = 1 + k / q + k * k
        let pb = ((vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0)
        let pa = (2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0)
        // Stage 2: the high-pass (RLB weighting).
        f0 = 38.13547087602444
        q = 0.5003270373238773
        k = tan(Double.pi * f0 / rate)
        let ra = (2 * (k * k - 1) / (1 + k / q + k * k), (1 - k / q + k * k) / (1 + k / q + k * k))
        let rb = (1.0, -2.0, 1.0)
        b = (
            pb.0 * rb.0,
            pb.0 * rb.1 + pb.1 * rb.0,
            pb.0 * rb.2 + pb.1 * rb.1 + pb.2 * rb.0,
            pb.1 * rb.2 + pb.2 * rb.1,
            pb.2 * rb.2
        )
        a = (
            pa.0 + ra.0,
            pa.0 * ra.0 + pa.1 + ra.1,
            pa.0 * ra.1 + pa.1 * ra.0,
            pa.1 * ra.1
        )
    }
}

/// K-weighted energy of an interleaved stream (1 or 2 channels), summed over chunks of
/// `chunkFrames` frames: `energies` holds chunk after chunk, `channels` sums each.
struct KWeightedEnergy {
    let channels: Int
    let chunkFrames: Int
    private let filter: KWeighting
    /// Filter state (direct form II, four delays) of each channel.
    private var left = SIMD4<Double>(), right = SIMD4<Double>()
    private var sumLeft = 0.0, sumRight = 0.0
    private var inChunk = 0
    private(set) var energies: [Float] = []

    init(channels: Int, sampleRate: Int, chunkFrames: Int) {
        precondition(channels == 1 || channels == 2, "K-weighted energy is measured on 1 or 2 channels")
        self.channels = channels
        self.chunkFrames = chunkFrames
        filter = KWeighting(sampleRate: sampleRate)
    }

    /// The chunks completed so far.
    var chunkCount: Int { energies.count / channels }

    /// Filters `frameCount` interleaved frames and adds their energy to the chunks; with
    /// `filtered`, also writes the K-weighted frames there.
    mutating func add(_ samples: UnsafePointer<Float>, frameCount: Int, filtered: UnsafeMutablePointer<Float>? = nil) {
        var done = 0
        while done < frameCount {
            let take = min(frameCount - done, chunkFrames - inChunk)
            if channels == 2 {
                filterStereo(samples + done * 2, count: take, filtered: filtered.map { $0 + done * 2 })
            } else {
                filterMono(samples + done, count: take, filtered: filtered.map { $0 + done })
            }
            done += take
            inChunk += take
            if inChunk == chunkFrames { closeChunk() }
        }
    }

    /// Ends the stream: a last, partial chunk is kept (its energy over fewer frames).
    mutating func finish() {
        if inChunk > 0 { closeChunk() }
    }

    /// Drops the filter's memory (after silence long enough for it to have died away).
    mutating func resetFilter() {
        left = SIMD4<Double>()
        right = SIMD4<Double>()
    }

    private mutating func closeChunk() {
        energies.append(Float(sumLeft))
        if channels == 2 { energies.append(Float(sumRight)) }
        sumLeft = 0
        sumRight = 0
        inChunk = 0
    }

    private mutating func filterStereo(_ samples: UnsafePointer<Float>, count: Int, filtered: UnsafeMutablePointer<Float>?) {
        let (b0, b1, b2, b3, b4) = filter.b
        let (a1, a2, a3, a4) = filter.a
        var l1 = left[0], l2 = left[1], l3 = left[2], l4 = left[3]
        var r1 = right[0], r2 = right[1], r3 = right[2], r4 = right[3]
        var sumL = sumLeft, sumR = sumRight
        for frame in 0..<count {
            let xl = Double(samples[frame * 2]), xr = Double(samples[frame * 2 + 1])
            let wl = xl - a1 * l1 - a2 * l2 - a3 * l3 - a4 * l4
            let wr = xr - a1 * r1 - a2 * r2 - a3 * r3 - a4 * r4
            let yl = b0 * wl + b1 * l1 + b2 * l2 + b3 * l3 + b4 * l4
            let yr = b0 * wr + b1 * r1 + b2 * r2 + b3 * r3 + b4 * r4
            l4 = l3
            l3 = l2
            l2 = l1
            l1 = wl
            r4 = r3
            r3 = r2
            r2 = r1
            r1 = wr
            sumL += yl * yl
            sumR += yr * yr
            if let filtered {
                filtered[frame * 2] = Float(yl)
                filtered[frame * 2 + 1] = Float(yr)
            }
        }
        left = SIMD4(l1, l2, l3, l4)
        right = SIMD4(r1, r2, r3, r4)
        sumLeft = sumL
        sumRight = sumR
    }

    private mutating func filterMono(_ samples: UnsafePointer<Float>, count: Int, filtered: UnsafeMutablePointer<Float>?) {
        let (b0, b1, b2, b3, b4) = filter.b
        let (a1, a2, a3, a4) = filter.a
        var s1 = left[0], s2 = left[1], s3 = left[2], s4 = left[3]
        var sum = sumLeft
        for frame in 0..<count {
            let x = Double(samples[frame])
            let w = x - a1 * s1 - a2 * s2 - a3 * s3 - a4 * s4
            let y = b0 * w + b1 * s1 + b2 * s2 + b3 * s3 + b4 * s4
            s4 = s3
            s3 = s2
            s2 = s1
            s1 = w
            sum += y * y
            if let filtered { filtered[frame] = Float(y) }
        }
        left = SIMD4(s1, s2, s3, s4)
        sumLeft = sum
    }
}
