import Foundation

/// How far the music is lowered, sample by sample: down by the ducking depth while any cue sound
/// plays, gliding down over `attack` just before each sound starts (the timeline is known in
/// advance, so the music is already low when the cue begins) and back up over `release` after it
/// ends. Sounds closer together than attack + release are treated as one, so the music does not pump.
struct DuckingEnvelope {
    static let attack = 0.05
    static let release = 0.4

    /// Merged stretches of cue sound, [start, end) in samples, in order.
    private(set) var spans: [(start: Int64, end: Int64)] = []
    private let depth: Float
    private let attackFrames: Int64
    private let releaseFrames: Int64
    private var first = 0
    /// The gains over the attack (frame by frame from `attackFrames` before a span) and the release
    /// (from a span's end), worked out once: 1 − (1 − depth) · a raised cosine.
    private let attackRamp: [Float]
    private let releaseRamp: [Float]

    /// - Parameters:
    ///   - sounds: where each cue sound plays, [start, end) in samples, in any order.
    ///   - decibels: how much to lower the music (0 leaves it alone).
    init(sounds: [(start: Int64, end: Int64)], decibels: Double, sampleRate: Int) {
        depth = Float(pow(10, -decibels / 20))
        attackFrames = max(1, Int64(Self.attack * Double(sampleRate)))
        releaseFrames = max(1, Int64(Self.release * Double(sampleRate)))
        let depth = self.depth, attackFrames = self.attackFrames, releaseFrames = self.releaseFrames
        attackRamp = depth < 1 ? (0..<Int(attackFrames)).map { offset in
            1 - (1 - depth) * Float(Fade.raisedCosine(Double(offset), Double(attackFrames)))
        } : []
        releaseRamp = depth < 1 ? (0..<Int(releaseFrames)).map { offset in
            1 - (1 - depth) * Float(Fade.raisedCosine(Double(releaseFrames - Int64(offset)), Double(releaseFrames)))
        } : []
        for sound in sounds.sorted(by: { $0.start < $1.start }) where sound.end > sound.start {
            if let last = spans.last, sound.start <= last.end + attackFrames + releaseFrames {
                spans[spans.count - 1].end = max(last.end, sound.end)
            } else {
                spans.append(sound)
            }
        }
    }

    /// Fills `gains` with the music's gain for frames `start ..< start + count`.
    mutating func fill(_ gains: UnsafeMutablePointer<Float>, from start: Int64, count: Int) {
        gains.update(repeating: 1, count: count)
        guard depth < 1 else { return }
        let end = start + Int64(count)
        while first < spans.count, spans[first].end + releaseFrames <= start { first += 1 }
        var index = first
        attackRamp.withUnsafeBufferPointer { attack in
            releaseRamp.withUnsafeBufferPointer { release in
                while index < spans.count, spans[index].start - attackFrames < end {
                    let span = spans[index]
                    // The attack ramp, the span itself at full depth, the release ramp.
                    let attackFrom = max(start, span.start - attackFrames), attackTo = min(end, span.start)
                    var frame = attackFrom
                    while frame < attackTo {
                        let slot = Int(frame - start)
                        gains[slot] = min(gains[slot], attack[Int(frame - (span.start - attackFrames))])
                        frame += 1
                    }
                    let bodyFrom = max(start, span.start), bodyTo = min(end, span.end)
                    frame = bodyFrom
                    while frame < bodyTo {
                        let slot = Int(frame - start)
                        gains[slot] = min(gains[slot], depth)
                        frame += 1
                    }
                    let releaseFrom = max(start, span.end), releaseTo = min(end, span.end + releaseFrames)
                    frame = releaseFrom
                    while frame < releaseTo {
                        let slot = Int(frame - start)
                        gains[slot] = min(gains[slot], release[Int(frame - span.end)])
                        frame += 1
                    }
                    index += 1
                }
            }
        }
    }

    /// The music's gain at `frame` (what `fill` gives there), looked up without streaming.
    func gain(at frame: Int64) -> Float {
        guard depth < 1 else { return 1 }
        // The last span starting before the frame's attack could reach it; only it can apply,
        // since separate spans are further apart than attack + release.
        var low = 0, high = spans.count
        while low < high {
            let middle = (low + high) / 2
            if spans[middle].start - attackFrames <= frame { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return 1 }
        let span = spans[low - 1]
        if frame < span.start { return attackRamp[Int(frame - (span.start - attackFrames))] }
        if frame < span.end { return depth }
        if frame < span.end + releaseFrames { return releaseRamp[Int(frame - span.end)] }
        return 1
    }
}
