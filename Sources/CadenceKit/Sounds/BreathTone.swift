import Foundation

/// The breath tones: a warm hum that glides up a fifth while breathing in (G3 to D4) and back
/// down while breathing out, lasting exactly its cue's length, soft enough to sit under music.
///
/// A tone is made sample by sample as the mixer asks for it, so its length costs no memory.
struct BreathTone {
    static let low = 196.0
    static let high = 293.66
    static let peak = 0.14
    /// Format 2: the steady tone of a held breath, about 4 dB under the glides.
    static let heldPeak = 0.09
    /// Fade in and out over a quarter of the tone, at most 0.35 s, at least 5 ms.
    static let longestFade = 0.35

    let length: Int
    private let fadeLength: Double
    private let ratio: Double
    private var frequency: Double
    private var phase: Double = 0
    private let level: Double
    private let floor: Double
    private(set) var position = 0

    init(rising: Bool, length: Int, sampleRate: Int, gain: Double) {
        self.length = length
        let rate = Double(sampleRate)
        fadeLength = max(min(Double(length) / 4, Self.longestFade * rate), ToneDesign.minimumFade * rate)
        let start = rising ? Self.low : Self.high
        let end = rising ? Self.high : Self.low
        // Glide exponentially (evenly in pitch): multiply the frequency by the same ratio each sample.
        ratio = Foundation.pow(end / start, 1 / Double(max(1, length - 1)))
        frequency = start / rate
        // The harmonics add up to at most 1.36 times the fundamental's amplitude.
        level = Self.peak / 1.36 * gain
        floor = min(1, Double(SoundBank.onsetFloor) / level)
    }

    /// Format 2: the steady tone of a held breath, at the top of the glide after an inhale (`in`)
    /// and at its bottom after an exhale, quieter than the glides, with the same fades.
    init(heldAfterInhale: Bool, length: Int, sampleRate: Int, gain: Double) {
        self.length = length
        let rate = Double(sampleRate)
        fadeLength = max(min(Double(length) / 4, Self.longestFade * rate), ToneDesign.minimumFade * rate)
        ratio = 1
        frequency = (heldAfterInhale ? Self.high : Self.low) / rate
        level = Self.heldPeak / 1.36 * gain
        floor = min(1, Double(SoundBank.onsetFloor) / level)
    }

    /// No sample of the tone is louder than this.
    var peakBound: Float { Float(level * 1.36) }

    /// Adds the next `count` samples of the tone to `buffer`.
    mutating func render(adding buffer: UnsafeMutablePointer<Float>, count: Int) {
        let end = min(length, position + count)
        let total = Double(length)
        let tableSize = Double(SineTable.size)
        let fadeLength = self.fadeLength, floor = self.floor, ratio = self.ratio
        let level = Float(self.level)
        var phase = self.phase, frequency = self.frequency, position = self.position
        SineTable.withTable { table in
            var out = buffer
            while position < end {
                let p = Double(position)
                // The envelope never drops below `floor`, so the tone is audible from its first sample
                // to its last, with no silent stretch inside it (the step at each end is about −76 dBFS).
                var gain = level
                if p + 1 < fadeLength || total - p < fadeLength {
                    gain *= Float(max(floor, table.raisedCosine(p + 1, fadeLength) * table.raisedCosine(total - p, fadeLength)))
                }
                // Cosine phase (a quarter cycle ahead) so the very first sample is not zero.
                let first = (phase + 0.25) * tableSize
                let value = table.lookup(first) + 0.28 * table.lookup(2 * first) + 0.08 * table.lookup(3 * first)
                out.pointee += gain * value
                out += 1
                phase += frequency
                if phase >= 1 { phase -= 1 }
                frequency *= ratio
                position += 1
            }
        }
        self.phase = phase
        self.frequency = frequency
        self.position = position
    }
}
