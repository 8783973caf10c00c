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

    /// - Parameters:
    ///   - sounds: where each cue sound plays, [start, end) in samples, in any order.
    ///   - decibels: how much to lower the music (0 leaves it alone).
    init(sounds: [(start: Int64, end: Int64)], decibels: Double, sampleRate: Int) {
        depth = Float(pow(10, -decibels / 20))
        attackFrames = max(1, Int64(Self.attack * Double(sampleRate)))
        releaseFrames = max(1, Int64(Self.release * Double(sampleRate)))
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
        while index < spans.count, spans[index].start - attackFrames < end {
            let span = spans[index]
            let from = max(start, span.start - attackFrames)
            let to = min(end, span.end + releaseFrames)
            var frame = from
            while frame < to {
                // 0 outside the span, 1 inside, raised-cosine ramps on either side.
                let amount: Double
                if frame < span.start {
                    amount = Fade.raisedCosine(Double(frame - (span.start - attackFrames)), Double(attackFrames))
                } else if frame < span.end {
                    amount = 1
                } else {
                    amount = Fade.raisedCosine(Double(span.end + releaseFrames - frame), Double(releaseFrames))
                }
                let gain = 1 - (1 - depth) * Float(amount)
                let slot = Int(frame - start)
                gains[slot] = min(gains[slot], gain)
                frame += 1
            }
            index += 1
        }
    }
}
