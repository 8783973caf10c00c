import Foundation
import Synchronization

/// Spoken announcements, synthesized offline by the `espeak-ng` program. It runs as a separate
/// process (it is GPL-licensed, so it is never linked) that writes its WAV to a pipe. Each phrase is
/// synthesized once and kept, trimmed of silence, resampled to the track's rate, faded in and out
/// and brought to one loudness. One synthesizer serves every track of a batch.
final class SpeechSynthesizer: Sendable {
    /// Phrases are brought to this loudness (LUFS), a little above the music under them.
    static let loudness = -19.0
    /// How long one phrase may take to synthesize before espeak-ng is stopped.
    static let timeout: Double = 30
    /// A phrase's WAV is at most this large (a 200-character phrase is well under 1 MB).
    static let outputLimit = 64 << 20

    private let sampleRate: Int
    private let voice: SpeechVoice
    private let gain: Double
    private let program: String
    private let phrases = Mutex<[String: [Float]?]>([:])

    init(sampleRate: Int, voice: SpeechVoice, gainDecibels: Double) throws(VoiceError) {
        self.sampleRate = sampleRate
        self.voice = voice
        gain = pow(10, gainDecibels / 20)
        guard let program = Subprocess.find("espeak-ng") else {
            throw .engineMissing(engine: "espeak-ng", install: "sudo apt-get install espeak-ng")
        }
        self.program = program
    }

    /// Whether a phrase has anything to say: a letter or a digit (`...`, `?` or `♪♪` has none).
    static func isSpeakable(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.properties.isAlphabetic || $0.properties.numericType != nil }
    }

    /// The samples of `text` spoken, ready to mix (made once per phrase), or nil when there is
    /// nothing to say: then the cue's own sound plays instead.
    func phrase(_ text: String, shouldStop: () -> Bool = { false }) throws -> [Float]? {
        if let cached = phrases.withLock({ $0[text] }) { return cached }
        let samples = Self.isSpeakable(text) ? try synthesize(text, shouldStop: shouldStop) : nil
        phrases.withLock { $0[text] = .some(samples) }
        return samples
    }

    private func synthesize(_ text: String, shouldStop: () -> Bool) throws -> [Float]? {
        var arguments = ["--stdout", "--stdin"]
        if let name = voice.name { arguments += ["-v", name] }
        if let speed = voice.wordsPerMinute { arguments += ["-s", String(speed)] }
        let result: Subprocess.Result
        do {
            result = try Subprocess.run(program, arguments, input: Array(text.utf8), timeout: Self.timeout,
                                        outputLimit: Self.outputLimit, shouldStop: shouldStop)
        } catch .stopped {
            throw RenderError.interrupted(path: "", signal: StopSignal.signal)
        } catch .timedOut {
            throw VoiceError.engineFailed(engine: "espeak-ng", reason: "it did not finish speaking \"\(shown(text))\" within \(Int(Self.timeout)) s")
        } catch .outputTooLarge {
            throw VoiceError.engineFailed(engine: "espeak-ng", reason: "it wrote more than \(Self.outputLimit >> 20) MB for \"\(shown(text))\"")
        } catch .cannotStart(let reason) {
            throw VoiceError.engineFailed(engine: "espeak-ng", reason: "cannot run it: \(reason)")
        }
        guard result.status == 0 else {
            if let name = voice.name, result.errorTail.lowercased().contains("voice") {
                throw VoiceError.unknownVoice(engine: "espeak-ng", name: name, reason: result.errorTail)
            }
            throw VoiceError.engineFailed(engine: "espeak-ng", reason: "exit \(result.status)" + (result.errorTail.isEmpty ? "" : ": \(result.errorTail)"))
        }
        return try prepare(result.output, text: text)
    }

    /// Reads espeak-ng's WAV and makes it ready to mix; nil when it holds no sound.
    private func prepare(_ wav: [UInt8], text: String) throws -> [Float]? {
        let scratch = try OutputFile.scratch(in: NSTemporaryDirectory())
        try scratch.write(wav)
        let file: Sndfile
        do {
            file = try Sndfile.open(descriptor: scratch.descriptor, path: "espeak-ng output", kind: "speech")
        } catch {
            throw VoiceError.engineFailed(engine: "espeak-ng", reason: "cannot read what it wrote for \"\(shown(text))\": \(error.message)")
        }
        var samples: [Float]
        do {
            samples = try Resampler.resample(try file.readAllMono(), channels: 1, from: file.sampleRate, to: sampleRate)
        } catch {
            throw VoiceError.engineFailed(engine: "espeak-ng", reason: "cannot read what it wrote for \"\(shown(text))\": \(error)")
        }
        let silence: Float = 1e-3
        guard let first = samples.firstIndex(where: { abs($0) >= silence }),
              let last = samples.lastIndex(where: { abs($0) >= silence }) else { return nil }
        samples = Array(samples[first...last])
        // One loudness for every phrase (EBU R 128 where the phrase is long enough to measure,
        // else by its RMS level).
        var loudness = -Double.infinity
        if let meter = LoudnessMeter(channels: 1, sampleRate: sampleRate) {
            samples.withUnsafeBufferPointer { meter.add($0.baseAddress!, frameCount: $0.count) }
            loudness = meter.integratedLoudness
        }
        if !loudness.isFinite {
            let power = samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(1, samples.count))
            loudness = 10 * log10(max(power, 1e-12)) - 0.691
        }
        let scale = Float(pow(10, (Self.loudness - loudness) / 20) * gain)
        samples = samples.map { $0 * scale }
        SoundBank.shape(&samples, sampleRate: sampleRate)
        return samples
    }

    /// The speech program's version, for the batch fingerprint ("missing" when it is not installed).
    static func engineVersion() -> String {
        guard let program = Subprocess.find("espeak-ng"),
              let result = try? Subprocess.run(program, ["--version"], input: [], timeout: 10, outputLimit: 1 << 16, shouldStop: { false })
        else { return "missing" }
        return String(decoding: result.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
