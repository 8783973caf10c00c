/// Mixes the timeline's cue sounds into consecutive mono blocks, each sound starting exactly at its
/// cue's sample. Only the sounds playing in a block are touched, so memory and time do not grow
/// with the session's length, and silent stretches cost almost nothing.
struct CueMixer {
    /// Where a playing sound's samples come from.
    enum Source {
        /// A sound's samples and its peak magnitude.
        case samples([Float], peak: Float)
        /// A spoken phrase's samples and its peak magnitude (the music ducks deeper under it).
        case speech([Float], peak: Float)
        case breath(BreathTone)

        /// The loudest the source can be.
        var peak: Float {
            switch self {
            case .samples(_, let peak), .speech(_, let peak): return peak
            case .breath(let tone): return tone.peakBound
            }
        }

        var isSpeech: Bool {
            if case .speech = self { return true }
            return false
        }

        /// How many samples it plays.
        var length: Int {
            switch self {
            case .samples(let samples, _), .speech(let samples, _): return samples.count
            case .breath(let tone): return tone.length
            }
        }

        static func samples(_ samples: [Float]) -> Source {
            .samples(samples, peak: samples.reduce(0) { max($0, abs($1)) })
        }

        static func speech(_ samples: [Float]) -> Source {
            .speech(samples, peak: samples.reduce(0) { max($0, abs($1)) })
        }
    }

    private struct Voice {
        var start: Int64
        var source: Source
        var length: Int64 { Int64(source.length) }
    }

    /// A spoken line placed on the track (see `SpeechLayout`): its samples start at `start`.
    struct Phrase {
        var start: Int64
        var source: Source
    }

    private let cues: [Cue]
    private let phrases: [Phrase]
    private let totalSamples: Int64
    private let source: (Cue) -> [Source]
    private var nextCue = 0
    private var nextPhrase = 0
    private var voices: [Voice] = []
    private(set) var position: Int64 = 0

    /// A sound that the end of the track cuts short fades out over its last 20 ms instead of stopping dead.
    static let cutFade = 0.02

    private let cutFadeLength: Int

    /// - Parameters:
    ///   - source: the sounds a cue plays (none for a silent cue).
    ///   - phrases: the voice's lines, in order of their start.
    init(timeline: Timeline, sampleRate: Int, source: @escaping (Cue) -> [Source], phrases: [Phrase] = []) {
        cues = timeline.cues
        self.phrases = phrases
        totalSamples = timeline.totalSamples
        cutFadeLength = max(1, Int(Self.cutFade * Double(sampleRate)))
        self.source = source
    }

    /// The part of `source` that fits before the end of the track, faded out at the cut.
    private func cutShort(_ source: Source, startingAt start: Int64) -> Source {
        let room = Int(totalSamples - start)
        var samples: [Float]
        switch source {
        case .samples(let all, _), .speech(let all, _):
            samples = Array(all.prefix(room))
        case .breath(var tone):
            samples = [Float](repeating: 0, count: min(room, tone.length))
            samples.withUnsafeMutableBufferPointer { tone.render(adding: $0.baseAddress!, count: $0.count) }
        }
        let fade = min(cutFadeLength, samples.count - 1)
        if fade > 0 {
            for offset in 0..<fade {
                samples[samples.count - 1 - offset] *= Float(Fade.raisedCosine(Double(offset), Double(fade)))
            }
        }
        return .samples(samples)
    }

    /// The sounds of the built-in or loaded pack, with synthesized breath tones; the voice-only mix
    /// keeps the breath tones alone. With a `layout`, the sounds its lines replace are left out and
    /// those whose tails they cut end there (faded); the lines themselves are `phrases(of:)`.
    static func soundSource(bank: SoundBank, mix: MixStyle = .standard, layout: SpeechLayout? = nil) -> (Cue) -> [Source] {
        let sounds = Dictionary(uniqueKeysWithValues: CueSound.allCases.map { ($0, Source.samples(bank.samples(for: $0))) })
        let breathTones = BreathToneCache(sampleRate: bank.sampleRate, gain: bank.gain)
        let replaced = layout?.replaced ?? []
        let cutLengths = layout?.cutLengths ?? [:]
        let fade = max(1, Int(Self.tailFade * Double(bank.sampleRate)))
        var cutSounds: [CueSound: [Int: Source]] = [:]
        func cut(_ sound: CueSound, to length: Int) -> Source {
            if let known = cutSounds[sound]?[length] { return known }
            var samples = Array(bank.samples(for: sound).prefix(length))
            let fadeLength = min(fade, samples.count)
            for offset in 0..<fadeLength {
                samples[samples.count - 1 - offset] *= Float(Fade.raisedCosine(Double(offset), Double(fadeLength)))
            }
            let source = Source.samples(samples)
            cutSounds[sound, default: [:]][length] = source
            return source
        }
        return { cue in
            switch cue.type {
            case .inhale, .exhale:
                guard let length = cue.length, length > 0 else { return [] }
                return [breathTones.tone(rising: cue.type == .inhale, length: Int(length))]
            case .breathHold:
                guard let length = cue.length, length > 0 else { return [] }
                return [breathTones.heldTone(afterInhale: cue.breath == "in", length: Int(length))]
            default:
                guard mix != .voiceOnly, let sound = CueSound.forCue(cue), let source = sounds[sound], source.peak > 0 else { return [] }
                guard layout != nil else { return [source] }
                let key = SpeechLayout.CueKey(cue)
                if replaced.contains(key) { return [] }
                if let length = cutLengths[key] { return [cut(sound, to: length)] }
                return [source]
            }
        }
    }

    /// A sound cut short by a spoken line fades out over its last 30 ms.
    static let tailFade = 0.03

    /// The lines of `layout` as the mixer plays them.
    static func phrases(of layout: SpeechLayout?) -> [Phrase] {
        (layout?.placed ?? []).map { Phrase(start: $0.start, source: .speech($0.samples)) }
    }

    /// Where every cue sound and spoken line of `timeline` plays, [start, end) in samples, and
    /// whether it is speech, for ducking the music.
    static func soundSpans(of timeline: Timeline, source: (Cue) -> [Source], phrases: [Phrase] = []) -> [DuckingEnvelope.Sound] {
        var spans: [DuckingEnvelope.Sound] = []
        for cue in timeline.cues where cue.sample < timeline.totalSamples {
            for sound in source(cue) {
                spans.append(
                    DuckingEnvelope.Sound(
                        start: cue.sample, end: min(timeline.totalSamples, cue.sample + Int64(sound.length)),
                        isSpeech: sound.isSpeech))
            }
        }
        for phrase in phrases where phrase.start < timeline.totalSamples {
            spans.append(
                DuckingEnvelope.Sound(
                    start: phrase.start, end: min(timeline.totalSamples, phrase.start + Int64(phrase.source.length)),
                    isSpeech: true))
        }
        return spans
    }

    private mutating func start(_ source: Source, at sample: Int64) {
        var voice = Voice(start: sample, source: source)
        if voice.start + voice.length > totalSamples {
            voice = Voice(start: sample, source: cutShort(source, startingAt: sample))
        }
        voices.append(voice)
    }

    /// Writes the next `count` samples (zeroing the buffer first) and returns a bound on their
    /// magnitude: the sum of the peaks of the sounds playing in the block, 0 when none plays.
    mutating func render(into buffer: UnsafeMutablePointer<Float>, count: Int) -> Float {
        buffer.initialize(repeating: 0, count: count)
        let blockStart = position
        let blockEnd = position + Int64(count)
        position = blockEnd
        while nextCue < cues.count, cues[nextCue].sample < blockEnd {
            let cue = cues[nextCue]
            nextCue += 1
            guard cue.sample < totalSamples else { continue }
            for source in source(cue) { start(source, at: cue.sample) }
        }
        while nextPhrase < phrases.count, phrases[nextPhrase].start < blockEnd {
            let phrase = phrases[nextPhrase]
            nextPhrase += 1
            if phrase.start < totalSamples { start(phrase.source, at: phrase.start) }
        }
        guard !voices.isEmpty else { return 0 }
        var bound: Float = 0
        for index in voices.indices {
            let voice = voices[index]
            let offset = Int(max(0, voice.start - blockStart))
            let played = max(0, blockStart - voice.start)
            let count = Int(min(Int64(count - offset), voice.length - played))
            guard count > 0 else { continue }
            bound += voice.source.peak
            switch voice.source {
            case .samples(let samples, _), .speech(let samples, _):
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
        return bound
    }
}

/// Breath tones of the same kind and length sound the same, and a routine repeats them breath after
/// breath, so each is synthesized once and then mixed like any other sound. Tones too long for the
/// memory budget (a minute-long inhale at 192 kHz) are synthesized as they play instead.
final class BreathToneCache {
    /// At most this many samples are kept (16 MB of floats).
    static let budget = 4 << 20

    private let sampleRate: Int
    private let gain: Double
    private var tones: [Key: CueMixer.Source] = [:]
    private var kept = 0

    init(sampleRate: Int, gain: Double) {
        self.sampleRate = sampleRate
        self.gain = gain
    }

    func tone(rising: Bool, length: Int) -> CueMixer.Source {
        cached(Key(shape: rising ? .rising : .falling, length: length)) {
            BreathTone(rising: rising, length: length, sampleRate: sampleRate, gain: gain)
        }
    }

    /// The steady tone of a held breath (format 2).
    func heldTone(afterInhale: Bool, length: Int) -> CueMixer.Source {
        cached(Key(shape: afterInhale ? .heldIn : .heldOut, length: length)) {
            BreathTone(heldAfterInhale: afterInhale, length: length, sampleRate: sampleRate, gain: gain)
        }
    }

    private struct Key: Hashable {
        enum Shape { case rising, falling, heldIn, heldOut }
        var shape: Shape
        var length: Int
    }

    private func cached(_ key: Key, make: () -> BreathTone) -> CueMixer.Source {
        let length = key.length
        if let source = tones[key] { return source }
        var tone = make()
        guard kept + length <= Self.budget else { return .breath(tone) }
        var samples = [Float](repeating: 0, count: length)
        samples.withUnsafeMutableBufferPointer { tone.render(adding: $0.baseAddress!, count: length) }
        let source = CueMixer.Source.samples(samples)
        tones[key] = source
        kept += length
        return source
    }
}
