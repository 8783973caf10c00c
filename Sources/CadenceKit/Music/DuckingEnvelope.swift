import Foundation

/// How far the music is lowered, sample by sample: down by the ducking depth while a cue sound
/// plays, and by the (deeper) speech depth while the voice speaks, gliding down over `attack` just
/// before each sound starts (the timeline is known in advance, so the music is already low when the
/// cue begins) and back up over `release` after it ends. Sounds of one kind closer together than
/// attack + release are treated as one, so the music does not pump; where a tone and speech are
/// near each other, the music follows whichever asks for it lower.
struct DuckingEnvelope {
    static let attack = 0.05
    static let release = 0.4

    /// Where one cue sound plays, [start, end) in samples.
    struct Sound {
        var start: Int64
        var end: Int64
        var isSpeech: Bool
    }

    /// The merged stretches of one kind of sound, in order, and the gain the music has in them.
    private struct Layer {
        var spans: [(start: Int64, end: Int64)] = []
        var depth: Float
        var first = 0
    }

    private var layers: [Layer]
    private let attackFrames: Int64
    private let releaseFrames: Int64

    /// The merged stretches of every kind, for tests.
    var spans: [(start: Int64, end: Int64)] { layers.flatMap(\.spans).sorted { $0.start < $1.start } }

    /// - Parameters:
    ///   - sounds: where each cue sound plays, in any order.
    ///   - decibels: how much to lower the music under tones (0 leaves it alone).
    ///   - speechDecibels: how much to lower it under speech (nil: as much as under tones).
    init(sounds: [Sound], decibels: Double, speechDecibels: Double? = nil, sampleRate: Int) {
        attackFrames = max(1, Int64(Self.attack * Double(sampleRate)))
        releaseFrames = max(1, Int64(Self.release * Double(sampleRate)))
        let gap = attackFrames + releaseFrames
        layers = []
        for (speech, depth) in [(false, decibels), (true, speechDecibels ?? decibels)] {
            var layer = Layer(depth: Float(pow(10, -depth / 20)))
            for sound in sounds.filter({ $0.isSpeech == speech }).sorted(by: { $0.start < $1.start }) where sound.end > sound.start {
                if let last = layer.spans.last, sound.start <= last.end + gap {
                    layer.spans[layer.spans.count - 1].end = max(last.end, sound.end)
                } else {
                    layer.spans.append((sound.start, sound.end))
                }
            }
            if !layer.spans.isEmpty, layer.depth < 1 { layers.append(layer) }
        }
    }

    /// An envelope for tones alone.
    init(sounds: [(start: Int64, end: Int64)], decibels: Double, sampleRate: Int) {
        self.init(sounds: sounds.map { Sound(start: $0.start, end: $0.end, isSpeech: false) }, decibels: decibels, sampleRate: sampleRate)
    }

    /// Fills `gains` with the music's gain for frames `start ..< start + count`.
    mutating func fill(_ gains: UnsafeMutablePointer<Float>, from start: Int64, count: Int) {
        gains.update(repeating: 1, count: count)
        for index in layers.indices {
            fill(layer: &layers[index], gains, from: start, count: count)
        }
    }

    private func fill(layer: inout Layer, _ gains: UnsafeMutablePointer<Float>, from start: Int64, count: Int) {
        let end = start + Int64(count)
        while layer.first < layer.spans.count, layer.spans[layer.first].end + releaseFrames <= start { layer.first += 1 }
        var index = layer.first
        while index < layer.spans.count, layer.spans[index].start - attackFrames < end {
            let span = layer.spans[index]
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
                let gain = 1 - (1 - layer.depth) * Float(amount)
                let slot = Int(frame - start)
                gains[slot] = min(gains[slot], gain)
                frame += 1
            }
            index += 1
        }
    }
}
