import Foundation

/// Spoken announcements, synthesized offline by the `espeak-ng` program. It runs as a separate
/// process (it is GPL-licensed, so it is never linked). Each phrase is synthesized once per run,
/// trimmed of silence, resampled to the track's rate, faded in and out and brought to one loudness.
final class SpeechSynthesizer {
    /// Phrases are brought to this loudness (LUFS), a little above the music under them.
    static let loudness = -19.0
    /// How long one phrase may take to synthesize before espeak-ng is stopped.
    static let timeout: TimeInterval = 30

    private let sampleRate: Int
    private let voice: SpeechVoice
    private let gain: Double
    private let program: String
    private var phrases: [String: [Float]] = [:]

    init(sampleRate: Int, voice: SpeechVoice, gainDecibels: Double) throws {
        self.sampleRate = sampleRate
        self.voice = voice
        gain = pow(10, gainDecibels / 20)
        guard let program = Self.findProgram("espeak-ng") else {
            throw RenderError.missingTool(
                "--voice needs the espeak-ng program, which is not installed; install it with `sudo apt-get install espeak-ng` (scripts/bootstrap does this)")
        }
        self.program = program
    }

    /// The samples of `text` spoken, ready to mix (computed once per phrase).
    func phrase(_ text: String) throws -> [Float] {
        if let cached = phrases[text] { return cached }
        let samples = try synthesize(text)
        phrases[text] = samples
        return samples
    }

    private func synthesize(_ text: String) throws -> [Float] {
        let folder = FileManager.default.temporaryDirectory.path
        // A name no other render (in this process or another) can be using at the same time.
        let wavPath = (folder as NSString).appendingPathComponent("cadence-speech-\(getpid())-\(UUID().uuidString).wav")
        defer { unlink(wavPath) }
        var arguments = ["--stdin", "-w", wavPath]
        if let name = voice.name { arguments += ["-v", name] }
        if let speed = voice.wordsPerMinute { arguments += ["-s", String(speed)] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let input = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw RenderError.missingTool("cannot run espeak-ng: \(error.localizedDescription)")
        }
        input.fileHandleForWriting.write(Data(text.utf8))
        try? input.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(Self.timeout)
        while process.isRunning, Date() < deadline { usleep(2_000) }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
            throw RenderError.missingTool("espeak-ng did not finish speaking \"\(text.prefix(40))\" within \(Int(Self.timeout)) s")
        }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0 else {
            if let name = voice.name, message.lowercased().contains("voice") {
                throw RenderError.invalidOptions("espeak-ng has no voice '\(name)' (`espeak-ng --voices` lists them): \(message)")
            }
            throw RenderError.missingTool("espeak-ng failed (exit \(process.terminationStatus)): \(message)")
        }
        do {
            return try prepare(wavPath, text: text)
        } catch let error as AudioFileError {
            throw RenderError.missingTool("cannot read what espeak-ng wrote for \"\(text.prefix(40))\": \(error.message)")
        }
    }

    /// Reads espeak-ng's WAV and makes it ready to mix.
    private func prepare(_ path: String, text: String) throws -> [Float] {
        let file = try Sndfile.openForReading(path: path)
        var samples = try Resampler.resample(try file.readAllMono(), channels: 1, from: file.sampleRate, to: sampleRate)
        let silence: Float = 1e-3
        guard let first = samples.firstIndex(where: { abs($0) >= silence }),
              let last = samples.lastIndex(where: { abs($0) >= silence }) else {
            throw RenderError.missingTool("espeak-ng produced no sound for \"\(text.prefix(40))\"")
        }
        samples = Array(samples[first...last])
        // One loudness for every phrase (EBU R 128 where the phrase is long enough to measure,
        // else by its RMS level).
        let meter = LoudnessMeter(channels: 1, sampleRate: sampleRate)
        samples.withUnsafeBufferPointer { meter.add($0.baseAddress!, frameCount: $0.count) }
        var loudness = meter.integratedLoudness
        if !loudness.isFinite {
            let power = samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(1, samples.count))
            loudness = 10 * log10(max(power, 1e-12)) - 0.691
        }
        let scale = Float(pow(10, (Self.loudness - loudness) / 20) * gain)
        samples = samples.map { $0 * scale }
        SoundBank.shape(&samples, sampleRate: sampleRate)
        return samples
    }

    static func findProgram(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = String(folder) + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
