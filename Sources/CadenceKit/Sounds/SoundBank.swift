import Foundation

/// The cue sounds of one render, ready to mix: mono samples at the session's rate with `--gain`
/// applied. Each comes from the sound pack folder when it has the file, else from `DefaultSounds`.
struct SoundBank: Sendable {
    /// The first sample of every sound is at least this loud (about −76 dBFS, a few steps of
    /// 16-bit audio), so each sound audibly begins exactly on its cue's sample and not later.
    static let onsetFloor: Float = 1.5e-4

    let sampleRate: Int
    let gain: Double
    private(set) var sounds: [CueSound: [Float]] = [:]

    /// Builds the bank; the pack's files override built-in sounds one by one.
    init(sampleRate: Int, gainDecibels: Double, pack: SoundPackFolder?) throws(InputError) {
        self.sampleRate = sampleRate
        gain = pow(10, gainDecibels / 20)
        for sound in CueSound.allCases {
            var samples: [Float]
            if let path = pack?.files[sound] {
                samples = try Self.loadPackSound(path, sampleRate: sampleRate)
            } else {
                samples = DefaultSounds.design(sound).render(sampleRate: sampleRate)
            }
            if gain != 1 { samples = samples.map { $0 * Float(gain) } }
            Self.trimTail(&samples, sampleRate: sampleRate)
            Self.enforceOnset(&samples)
            sounds[sound] = samples
        }
    }

    func samples(for sound: CueSound) -> [Float] { sounds[sound] ?? [] }

    /// Below this level a sound's tail is cut (about −74 dBFS): a decaying tail that hovers around
    /// the smallest 16-bit step would otherwise drop to silence and come back, like a new sound.
    static let tailFloor: Float = 2e-4

    /// Ends the sound where its level, over 2 ms windows after its loudest point, first stays under
    /// `tailFloor`. The step left is under the floor, far too small to hear.
    static func trimTail(_ samples: inout [Float], sampleRate: Int) {
        guard let loudest = samples.indices.max(by: { abs(samples[$0]) < abs(samples[$1]) }) else { return }
        let window = max(1, sampleRate / 500)
        var start = loudest
        while start < samples.count {
            let end = min(samples.count, start + window)
            var peak: Float = 0
            for index in start..<end { peak = max(peak, abs(samples[index])) }
            if peak < tailFloor {
                samples.removeLast(samples.count - start)
                return
            }
            start = end
        }
    }

    /// Makes a loaded sound (a pack file, a spoken phrase) safe to start on a cue: 5 ms raised-cosine
    /// edges so it cannot click, turned upright if it starts downwards (so two sounds starting on
    /// one sample cannot cancel out; flipping a sound's polarity does not change how it sounds),
    /// and a first sample loud enough to mark the onset.
    static func shape(_ samples: inout [Float], sampleRate: Int) {
        guard !samples.isEmpty else { return }
        let fade = max(1, Int(ToneDesign.minimumFade * Double(sampleRate)))
        for index in 0..<min(fade, samples.count / 2) {
            let edge = Float(Fade.raisedCosine(Double(index + 1), Double(fade)))
            samples[index] *= edge
            samples[samples.count - 1 - index] *= edge
        }
        if samples[0] < 0 { samples = samples.map { -$0 } }
        enforceOnset(&samples)
    }

    static func enforceOnset(_ samples: inout [Float]) {
        guard let first = samples.first, abs(first) < onsetFloor else { return }
        samples[0] = first < 0 ? -onsetFloor : onsetFloor
    }

    /// A sound from a pack folder: mixed down to mono, resampled, its leading silence trimmed so it
    /// starts on its cue, and its edges faded (5 ms) so it cannot click.
    static func loadPackSound(_ path: String, sampleRate: Int) throws(InputError) -> [Float] {
        let file = try Sndfile.openForReading(path: path, kind: "sound")
        let maximumSeconds = 30
        guard file.frames <= Int64(maximumSeconds * file.sampleRate) else {
            throw InputError(path: path, reason: "a cue sound may be at most \(maximumSeconds) seconds long")
        }
        var samples: [Float]
        do {
            samples = try Resampler.resample(try file.readAllMono(), channels: 1, from: file.sampleRate, to: sampleRate)
        } catch let error as AudioFileError {
            throw InputError(path: path, reason: "cannot read this sound: \(error.message)")
        } catch {
            throw InputError(path: path, reason: "cannot resample this sound: \(error)")
        }
        let silence: Float = 1e-4
        if let firstSound = samples.firstIndex(where: { abs($0) >= silence }) {
            samples.removeFirst(firstSound)
        } else {
            throw InputError(path: path, reason: "this sound is silent")
        }
        if let lastSound = samples.lastIndex(where: { abs($0) >= silence }) {
            samples.removeLast(samples.count - lastSound - 1)
        }
        shape(&samples, sampleRate: sampleRate)
        return samples
    }
}
