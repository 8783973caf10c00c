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

    /// The merged stretches of one kind of sound, in order, the gain the music has in them, and the
    /// gains over the attack (frame by frame from `attackFrames` before a stretch) and the release
    /// (from a stretch's end), worked out once: 1 − (1 − depth) · a raised cosine.
    private struct Layer {
        var spans: [(start: Int64, end: Int64)] = []
        var depth: Float
        var first = 0
        var attackRamp: [Float] = []
        var releaseRamp: [Float] = []
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
        let attackFrames = max(1, Int64(Self.attack * Double(sampleRate)))
        let releaseFrames = max(1, Int64(Self.release * Double(sampleRate)))
        self.attackFrames = attackFrames
        self.releaseFrames = releaseFrames
        layers = []
        for (speech, decibels) in [(false, decibels), (true, speechDecibels ?? decibels)] {
            let depth = Float(pow(10, -decibels / 20))
            guard depth < 1 else { continue }
            var layer = Layer(depth: depth)
            for sound in sounds.filter({ $0.isSpeech == speech }).sorted(by: { $0.start < $1.start }) where sound.end > sound.start {
                if let last = layer.spans.last, sound.start <= last.end + attackFrames + releaseFrames {
                    layer.spans[layer.spans.count - 1].end = max(last.end, sound.end)
                } else {
                    layer.spans.append((sound.start, sound.end))
                }
            }
            guard !layer.spans.isEmpty else { continue }
            layer.attackRamp = (0..<Int(attackFrames)).map { offset in
                1 - (1 - depth) * Float(Fade.raisedCosine(Double(offset), Double(attackFrames)))
            }
            layer.releaseRamp = (0..<Int(releaseFrames)).map { offset in
                1 - (1 - depth) * Float(Fade.raisedCosine(Double(releaseFrames - Int64(offset)), Double(releaseFrames)))
            }
            layers.append(layer)
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
            Self.fill(layer: &layers[index], gains, from: start, count: count, attackFrames: attackFrames, releaseFrames: releaseFrames)
        }
    }

    /// One layer's gains, folded into `gains` (the lower wins): the attack ramp, the stretch itself
    /// at full depth, the release ramp, in plain loops over the tables (they vectorize).
    private static func fill(
        layer: inout Layer, _ gains: UnsafeMutablePointer<Float>, from start: Int64, count: Int,
        attackFrames: Int64, releaseFrames: Int64
    ) {
        let end = start + Int64(count)
        while layer.first < layer.spans.count, layer.spans[layer.first].end + releaseFrames <= start { layer.first += 1 }
        var index = layer.first
        let depth = layer.depth
        let spans = layer.spans
        layer.attackRamp.withUnsafeBufferPointer { attack in
            layer.releaseRamp.withUnsafeBufferPointer { release in
                while index < spans.count, spans[index].start - attackFrames < end {
                    let span = spans[index]
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
        var gain: Float = 1
        for layer in layers {
            // The last stretch starting before the frame's attack could reach it; only it can
            // apply, since separate stretches of one layer are further apart than attack + release.
            var low = 0, high = layer.spans.count
            while low < high {
                let middle = (low + high) / 2
                if layer.spans[middle].start - attackFrames <= frame { low = middle + 1 } else { high = middle }
            }
            guard low > 0 else { continue }
            let span = layer.spans[low - 1]
            let here: Float
            if frame < span.start {
                here = layer.attackRamp[Int(frame - (span.start - attackFrames))]
            } else if frame < span.end {
                here = layer.depth
            } else if frame < span.end + releaseFrames {
                here = layer.releaseRamp[Int(frame - span.end)]
            } else {
                here = 1
            }
            gain = min(gain, here)
        }
        return gain
    }
}
