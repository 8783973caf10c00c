/// Mixes the timeline's cue sounds into consecutive mono blocks, each sound starting exactly at its
/// cue's sample. Only the sounds playing in a block are touched, so memory and time do not grow
/// with the session's length, and silent stretches cost almost nothing.
struct CueMixer {
    /// Where a playing sound's samples come from.
    enum Source {
        case samples([Float])
        case breath(BreathTone)
    }

    private struct Voice {
        var start: Int64
        var source: Source
        var length: Int64 {
            switch source {
            case .samples(let samples): return Int64(samples.count)
            case .breath(let tone): return Int64(tone.length)
            }
        }
    }

    private let cues: [Cue]
    private let totalSamples: Int64
    private let source: (Cue) -> Source?
    private var nextCue = 0
    private var voices: [Voice] = []
    private(set) var position: Int64 = 0

    /// - Parameter source: the sound a cue plays, or nil for a silent cue.
    init(timeline: Timeline, source: @escaping (Cue) -> Source?) {
        cues = timeline.cues
        totalSamples = timeline.totalSamples
        self.source = source
    }

    /// The sounds of the built-in or loaded pack, with synthesized breath tones.
    static func soundSource(bank: SoundBank) -> (Cue) -> Source? {
        let sounds = Dictionary(uniqueKeysWithValues: CueSound.allCases.map { ($0, bank.samples(for: $0)) })
        return { cue in
            switch cue.type {
            case .inhale, .exhale:
                guard let length = cue.length, length > 0 else { return nil }
                return .breath(BreathTone(rising: cue.type == .inhale, length: Int(length),
                                          sampleRate: bank.sampleRate, gain: bank.gain))
            default:
                guard let sound = CueSound.forCue(cue), let samples = sounds[sound], !samples.isEmpty else { return nil }
                return .samples(samples)
            }
        }
    }

    /// Writes the next `count` samples (zeroing the buffer first) and returns whether any sound played.
    mutating func render(into buffer: UnsafeMutablePointer<Float>, count: Int) -> Bool {
        buffer.initialize(repeating: 0, count: count)
        let blockStart = position
        let blockEnd = position + Int64(count)
        position = blockEnd
        while nextCue < cues.count, cues[nextCue].sample < blockEnd {
            let cue = cues[nextCue]
            nextCue += 1
            guard cue.sample < totalSamples, let source = source(cue) else { continue }
            voices.append(Voice(start: cue.sample, source: source))
        }
        guard !voices.isEmpty else { return false }
        for index in voices.indices {
            let voice = voices[index]
            let offset = Int(max(0, voice.start - blockStart))
            let played = max(0, blockStart - voice.start)
            let count = Int(min(Int64(count - offset), voice.length - played))
            guard count > 0 else { continue }
            switch voice.source {
            case .samples(let samples):
                samples.withUnsafeBufferPointer { sound in
                    let from = sound.baseAddress! + Int(played)
                    let to = buffer + offset
                    for sample in 0..<count { to[sample] += from[sample] }
                }
            case .breath(var tone):
                tone.render(adding: buffer + offset, count: count)
                voices[index].source = .breath(tone)
            }
        }
        voices.removeAll { $0.start + $0.length <= blockEnd }
        return true
    }
}
