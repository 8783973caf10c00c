import Foundation
import Synchronization

/// Spoken announcements, synthesized offline by a speech engine (`SpeechEngine`) run as a separate
/// process that writes its WAV to a pipe. Each phrase is synthesized once (and kept on disk by the
/// `PhraseCache`, so later renders reuse it), then trimmed of silence, resampled to the track's
/// rate, brought to one loudness whatever the engine, scaled by the cue gain and faded in and out.
/// One synthesizer serves every track of a batch.
final class SpeechSynthesizer: Sendable {
    /// Phrases are brought to this loudness (LUFS), a little below the music files' level
    /// (`MusicBed.fileLoudness`), which is ducked well under them.
    static let loudness = -19.0
    /// How long one phrase may take to synthesize before the engine is stopped.
    static let timeout: Double = 30
    /// A phrase's WAV is at most this large (a 200-character phrase is well under 1 MB).
    static let outputLimit = 64 << 20

    /// How many times any engine was run to speak a phrase in this process (cache hits and
    /// version queries not counted), for tests and benchmarks.
    static let engineRuns = Atomic<Int>(0)

    let program: any SpeechProgram
    /// The program's identity, worked out once.
    let identity: String
    private let sampleRate: Int
    private let gain: Double
    private let cache: PhraseCache?
    private let phrases = Mutex<[String: [Float]?]>([:])
    /// One lock per phrase being made, so tracks of a batch that need the same phrase at once
    /// run the engine once: the others wait for it.
    private let making = Mutex<[String: NSLock]>([:])

    /// - Parameter cache: where phrases are kept between renders (nil: nowhere).
    init(sampleRate: Int, voice: SpeechVoice, gainDecibels: Double, cache: PhraseCache? = PhraseCache.user()) throws {
        self.sampleRate = sampleRate
        gain = pow(10, gainDecibels / 20)
        program = try SpeechPrograms.make(voice)
        identity = program.identity
        self.cache = cache
    }

    /// Whether a phrase has anything to say: a letter or a digit (`...`, `?` or `♪♪` has none).
    static func isSpeakable(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.properties.isAlphabetic || $0.properties.numericType != nil }
    }

    /// The samples of `text` spoken, ready to mix (made once per phrase), or nil when there is
    /// nothing to say: then the cue's own sound plays instead.
    func phrase(_ text: String, shouldStop: () -> Bool = { false }) throws -> [Float]? {
        if let known = phrases.withLock({ $0[text] }) { return known }
        let lock = making.withLock { locks in
            if let lock = locks[text] { return lock }
            let lock = NSLock()
            locks[text] = lock
            return lock
        }
        lock.lock()
        defer { lock.unlock() }
        if let known = phrases.withLock({ $0[text] }) { return known }
        let samples = Self.isSpeakable(text) ? try speak(text, shouldStop: shouldStop) : nil
        phrases.withLock { $0[text] = .some(samples) }
        return samples
    }

    /// From the cache when it holds a readable WAV of the phrase, else from the engine (and then
    /// kept in the cache).
    /// (The cache also keeps each phrase ready to mix at the rates and gains it was used at.)
    private func speak(_ text: String, shouldStop: () -> Bool) throws -> [Float]? {
        if let ready = cache?.ready(for: text, by: identity, sampleRate: sampleRate, gain: gain), !ready.isEmpty { return ready }
        let prepared: [Float]?
        if let wav = cache?.wav(for: text, by: identity), let fromCache = try? prepare(wav, text: text) {
            prepared = fromCache
        } else {
            let wav = try synthesize(text, shouldStop: shouldStop)
            prepared = try prepare(wav, text: text)
            cache?.store(wav, for: text, by: identity)
        }
        if let prepared { cache?.storeReady(prepared, for: text, by: identity, sampleRate: sampleRate, gain: gain) }
        return prepared
    }

    /// The WAV the engine writes for `text`, its sizes set from what it wrote.
    private func synthesize(_ text: String, shouldStop: () -> Bool) throws -> [UInt8] {
        let engine = program.engine.displayName
        SpeechSynthesizer.engineRuns.add(1, ordering: .relaxed)
        let result: Subprocess.Result
        do {
            result = try Subprocess.run(
                program.path, program.arguments, input: Array(text.utf8), timeout: Self.timeout,
                outputLimit: Self.outputLimit, shouldStop: shouldStop)
        } catch .stopped {
            throw RenderError.interrupted(path: "", signal: StopSignal.signal)
        } catch .timedOut {
            throw VoiceError.engineFailed(
                engine: engine, reason: "it did not finish speaking \"\(shown(text))\" within \(Int(Self.timeout)) s")
        } catch .outputTooLarge {
            throw VoiceError.engineFailed(engine: engine, reason: "it wrote more than \(Self.outputLimit >> 20) MB for \"\(shown(text))\"")
        } catch .cannotStart(let reason) {
            throw VoiceError.engineFailed(engine: engine, reason: "cannot run it: \(reason)")
        }
        guard result.status == 0, !result.output.isEmpty else {
            if program.isUnknownVoice(errorTail: result.errorTail) {
                throw VoiceError.unknownVoice(engine: engine, name: program.voiceName, reason: result.errorTail)
            }
            let status = result.status == 0 ? "no sound" : "exit \(result.status)"
            throw VoiceError.engineFailed(engine: engine, reason: status + (result.errorTail.isEmpty ? "" : ": \(result.errorTail)"))
        }
        return StreamedWAV.withSizes(result.output)
    }

    /// Reads the engine's WAV and makes it ready to mix; nil when it holds no sound.
    private func prepare(_ wav: [UInt8], text: String) throws -> [Float]? {
        let engine = program.engine.displayName
        let scratch = try OutputFile.scratch(in: NSTemporaryDirectory())
        try scratch.write(wav)
        let file: Sndfile
        do {
            file = try Sndfile.open(descriptor: scratch.descriptor, path: "\(engine) output", kind: "speech")
        } catch {
            throw VoiceError.engineFailed(engine: engine, reason: "cannot read what it wrote for \"\(shown(text))\": \(error.message)")
        }
        var samples: [Float]
        do {
            samples = try file.readAllMono()
        } catch {
            throw VoiceError.engineFailed(engine: engine, reason: "cannot read what it wrote for \"\(shown(text))\": \(error)")
        }
        // The silence around the words is cut before resampling (keeping 10 ms for the filter),
        // which is most of the work on a cache hit, and again at the track's rate. Speech has
        // nothing near the engine's Nyquist frequency, so the medium converter loses nothing.
        let silence: Float = 1e-3
        guard let start = samples.firstIndex(where: { abs($0) >= silence }),
            let end = samples.lastIndex(where: { abs($0) >= silence })
        else { return nil }
        let margin = file.sampleRate / 100
        samples = Array(samples[max(0, start - margin)...min(samples.count - 1, end + margin)])
        do {
            samples = try Resampler.resample(samples, channels: 1, from: file.sampleRate, to: sampleRate, quality: .medium)
        } catch {
            throw VoiceError.engineFailed(engine: engine, reason: "cannot read what it wrote for \"\(shown(text))\": \(error)")
        }
        guard let first = samples.firstIndex(where: { abs($0) >= silence }),
            let last = samples.lastIndex(where: { abs($0) >= silence })
        else { return nil }
        samples = Array(samples[first...last])
        // One loudness for every phrase and engine, and peaks under `peakCeiling`: voices differ in
        // how far their peaks stand above their loudness (Piper's by several dB more than
        // festival's), and peaks the mix's limiter had to catch would take a voice below the others.
        // The phrase is levelled, its peaks limited, and levelled again (limiting takes a little
        // loudness, less each time), up to four times; a last limit keeps the peaks under the ceiling.
        func level() {
            let scale = Float(pow(10, (Self.loudness - Self.loudness(of: samples, sampleRate: sampleRate)) / 20))
            samples = samples.map { $0 * scale }
        }
        level()
        for round in 0..<5 where samples.reduce(0, { max($0, abs($1)) }) > Self.peakCeiling {
            var limiter = PeakLimiter(ceiling: Self.peakCeiling, sampleRate: sampleRate)
            samples.withUnsafeMutableBufferPointer { limiter.process($0, next: UnsafeBufferPointer(start: nil, count: 0)) }
            if round < 4 { level() }
        }
        let gain = Float(self.gain)
        samples = samples.map { $0 * gain }
        SoundBank.shape(&samples, sampleRate: sampleRate)
        return samples
    }

    /// A levelled phrase's peaks are kept under this (-2 dBFS), below the mix's limiter's ceiling.
    static let peakCeiling: Float = 0.794

    /// The loudness of a phrase in LUFS: EBU R 128 where it is long enough to measure, else its RMS level.
    static func loudness(of samples: [Float], sampleRate: Int) -> Double {
        var loudness = -Double.infinity
        if let meter = LoudnessMeter(channels: 1, sampleRate: sampleRate) {
            samples.withUnsafeBufferPointer { meter.add($0.baseAddress!, frameCount: $0.count) }
            loudness = meter.integratedLoudness
        }
        if !loudness.isFinite {
            let power = samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(1, samples.count))
            loudness = 10 * log10(max(power, 1e-12)) - 0.691
        }
        return loudness
    }
}
