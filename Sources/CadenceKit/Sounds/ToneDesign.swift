import Foundation

/// A cue sound described as notes, each a set of decaying partials with raised-cosine edges.
struct ToneDesign {
    struct Partial {
        var ratio: Double
        var amplitude: Double
        /// Time constant of the exponential decay, in seconds.
        var decay: Double
    }

    struct Note {
        var offset: Double
        var frequency: Double
        var partials: [Partial]
        var attack: Double = 0.006
        var length: Double
        var release: Double = 0.03
        var level: Double = 1
    }

    var notes: [Note]
    /// The peak the rendered sound is scaled to, before `--gain`.
    var peak: Double

    /// The shortest edge allowed on any sound: fades of at least 5 ms keep every edge free of clicks.
    static let minimumFade = 0.005

    /// The sound as mono samples at `sampleRate`, its peak at `peak`. Partials above 45 % of the
    /// sample rate are left out so nothing aliases at low rates.
    func render(sampleRate: Int) -> [Float] {
        let rate = Double(sampleRate)
        let totalLength = notes.map { $0.offset + $0.length }.max() ?? 0
        let frameCount = Int((totalLength * rate).rounded(.up))
        var samples = [Double](repeating: 0, count: frameCount)
        for note in notes {
            let start = Int((note.offset * rate).rounded())
            let length = Int((note.length * rate).rounded())
            let attack = max(Self.minimumFade, note.attack) * rate
            let release = max(Self.minimumFade, note.release) * rate
            let partials = note.partials.filter { note.frequency * $0.ratio < 0.45 * rate }
            let count = min(length, frameCount - start)
            guard count > 0 else { continue }
            var body = [Double](repeating: 0, count: count)
            // Each partial is a decaying phasor, advanced by one rotation and one multiplication per sample.
            for partial in partials {
                let step = 2 * Double.pi * note.frequency * partial.ratio / rate
                let (rotateCos, rotateSin) = (cos(step), sin(step))
                let decay = exp(-1 / (partial.decay * rate))
                var (re, im) = (partial.amplitude, 0.0)
                for index in 0..<count {
                    body[index] += re
                    (re, im) = ((re * rotateCos - im * rotateSin) * decay, (re * rotateSin + im * rotateCos) * decay)
                }
            }
            for index in 0..<count {
                var envelope = 1.0
                if Double(index) < attack { envelope *= Fade.raisedCosine(Double(index) + 1, attack) }
                if Double(length - index) < release { envelope *= Fade.raisedCosine(Double(length - index), release) }
                samples[start + index] += note.level * envelope * body[index]
            }
        }
        let loudest = samples.reduce(0) { max($0, abs($1)) }
        let scale = loudest > 0 ? peak / loudest : 0
        return samples.map { Float($0 * scale) }
    }
}
