/// Keeps the mix at or below a ceiling without moving anything in time.
///
/// The gain at sample i is the average, over the last L samples, of the smallest gain any sample
/// from H before to L after needs to stay under the ceiling (L = look-ahead, H = hold). That gain
/// is never more than what sample i needs, and it glides over L samples instead of jumping, so
/// there are no clicks. The caller supplies the next block as look-ahead, so no delay is added.
/// While nothing comes near the ceiling, blocks pass through untouched.
/// Blocks are interleaved frames of `channels` samples; one gain applies to all channels of a frame.
struct PeakLimiter {
    let ceiling: Float
    let channels: Int
    private let lookahead: Int
    private let hold: Int
    /// Sliding minimum of the needed gains: (sample index, gain), gains increasing from the front.
    private var minimums: [(index: Int64, gain: Float)] = []
    private var minimumsFront = 0
    /// The last L minimums and their sum, for the moving average.
    private var recent: [Float]
    private var recentPosition = 0
    private var recentSum: Double
    private var recentBelowOne = 0
    private var position: Int64 = 0
    /// How far (exclusive) needed gains have been pushed.
    private var pushedUpTo: Int64 = 0
    /// Whether the gains before the first sample have been worked out.
    private var preRolled = false

    init(ceiling: Float, sampleRate: Int, channels: Int = 1) {
        self.ceiling = ceiling
        self.channels = channels
        lookahead = max(8, sampleRate / 100)  // 10 ms
        hold = max(8, sampleRate / 25)  // 40 ms
        recent = [Float](repeating: 1, count: lookahead)
        recentSum = Double(lookahead)
    }

    private var isIdle: Bool { minimumsFront == minimums.count && recentBelowOne == 0 }

    /// Applies the gain to `block` in place. `next` holds the samples that follow it (at least the
    /// look-ahead, fewer only at the end of the track, where silence follows). `bound` is a known
    /// upper bound of the magnitudes in both, when the caller has one: under the ceiling, and with
    /// no gain reduction under way, the block passes untouched without being scanned.
    mutating func process(_ block: UnsafeMutableBufferPointer<Float>, next: UnsafeBufferPointer<Float>, bound: Float = .infinity) {
        let channels = self.channels
        let count = block.count / channels
        if isIdle,
            bound <= ceiling
                || (Self.peak(block) <= ceiling
                    && Self.peak(UnsafeBufferPointer(rebasing: next.prefix(lookahead * channels))) <= ceiling)
        {
            position += Int64(count)
            pushedUpTo = max(pushedUpTo, position + Int64(lookahead) - 1)
            preRolled = true
            return
        }
        let blockStart = position
        // Before the first sample, the gains of the L-1 silent samples before the track are worked
        // out too (and not applied), so a peak right at the start is already limited.
        let first = preRolled ? blockStart : blockStart - Int64(lookahead - 1)
        preRolled = true
        for index in first..<(blockStart + Int64(count)) {
            // Push the needed gain of the sample L-1 ahead.
            let ahead = index + Int64(lookahead) - 1
            while pushedUpTo <= ahead {
                let offset = Int(pushedUpTo - blockStart)
                var magnitude: Float = 0
                if offset < count {
                    for channel in 0..<channels { magnitude = max(magnitude, abs(block[offset * channels + channel])) }
                } else if (offset - count + 1) * channels <= next.count {
                    for channel in 0..<channels { magnitude = max(magnitude, abs(next[(offset - count) * channels + channel])) }
                }
                if magnitude > ceiling {
                    let gain = ceiling / magnitude
                    while minimums.count > minimumsFront, minimums[minimums.count - 1].gain >= gain { minimums.removeLast() }
                    minimums.append((pushedUpTo, gain))
                }
                pushedUpTo += 1
            }
            // Forget minimums older than the hold.
            while minimumsFront < minimums.count, minimums[minimumsFront].index < index - Int64(hold) { minimumsFront += 1 }
            if minimumsFront > 1024, minimumsFront * 2 > minimums.count {
                minimums.removeFirst(minimumsFront)
                minimumsFront = 0
            }
            let minimum = minimumsFront < minimums.count ? minimums[minimumsFront].gain : 1
            let leaving = recent[recentPosition]
            if leaving < 1 { recentBelowOne -= 1 }
            if minimum < 1 { recentBelowOne += 1 }
            recent[recentPosition] = minimum
            recentPosition = (recentPosition + 1) % lookahead
            recentSum += Double(minimum) - Double(leaving)
            if recentBelowOne == 0 { recentSum = Double(lookahead) }
            let gain = recentBelowOne == 0 ? 1 : Float(recentSum / Double(lookahead))
            if index >= blockStart, gain < 1 {
                let frame = Int(index - blockStart) * channels
                for channel in 0..<channels { block[frame + channel] *= gain }
            }
        }
        position += Int64(count)
    }

    /// Advances over a block and its look-ahead that are both digital silence.
    mutating func skipSilence(count: Int) {
        if isIdle {
            position += Int64(count)
            pushedUpTo = max(pushedUpTo, position + Int64(lookahead) - 1)
            return
        }
        var silence = [Float](repeating: 0, count: count * channels)
        let ahead = [Float](repeating: 0, count: lookahead * channels)
        silence.withUnsafeMutableBufferPointer { block in
            ahead.withUnsafeBufferPointer { process(block, next: $0) }
        }
    }

    /// The largest magnitude in `samples`. The magnitudes are compared as the integers their bit
    /// patterns are with the sign cleared (for floats of one sign, the same order), so the loop is an
    /// integer maximum, which vectorizes; a float maximum does not, as it may not be reordered.
    static func peak(_ samples: UnsafeBufferPointer<Float>) -> Float {
        guard let base = samples.baseAddress else { return 0 }
        let bits = UnsafeRawPointer(base).assumingMemoryBound(to: UInt32.self)
        var highest: UInt32 = 0
        for index in 0..<samples.count { highest = max(highest, bits[index] & 0x7FFF_FFFF) }
        return Float(bitPattern: highest)
    }

    static func peak(_ samples: UnsafeMutableBufferPointer<Float>) -> Float {
        peak(UnsafeBufferPointer(samples))
    }
}
