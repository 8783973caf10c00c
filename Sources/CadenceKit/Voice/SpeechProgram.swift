import Foundation
import Synchronization

/// One speech engine set up for one voice and speed: the program to run for a phrase (the phrase
/// goes on its standard input, a WAV comes out of its standard output), and what names its output.
protocol SpeechProgram: Sendable {
    var engine: SpeechEngine { get }
    /// The program's full path.
    var path: String { get }
    /// The arguments that speak one phrase read from standard input.
    var arguments: [String] { get }
    /// The engine, its version, the voice and the speed, as text: two programs with the same
    /// identity say a phrase with the same bytes. It keys the phrase cache and joins the batch
    /// fingerprint.
    var identity: String { get }
    /// The voice's name, for messages ("default" for the engine's own).
    var voiceName: String { get }
    /// Whether a failed run's error output says the voice does not exist.
    func isUnknownVoice(errorTail: String) -> Bool
}

enum SpeechPrograms {
    /// The program for `voice`, its engine chosen when the voice names none; throws when the
    /// engine is not installed, (festival) has no such voice or (piper) its model is missing.
    static func make(_ voice: SpeechVoice) throws -> any SpeechProgram {
        let engine = voice.engine ?? SpeechEngine.automatic()
        if engine == .piper, let model = voice.model {
            // A missing model is reported first, whether piper is installed or not.
            _ = try InputFile.regularStatus(model, kind: "voice model")
        }
        guard let path = Subprocess.find(engine.programName) else {
            if voice.engine == nil {
                throw VoiceError.noEngine
            }
            throw VoiceError.engineMissing(engine: engine.displayName, install: engine.installCommand)
        }
        switch engine {
        case .espeak: return EspeakProgram(path: path, voice: voice)
        case .festival: return try FestivalProgram(path: path, voice: voice)
        case .piper: return try PiperProgram(path: path, voice: voice)
        }
    }

    /// What `voice` would be spoken by, for the batch fingerprint: the program's identity, or
    /// why there is none (then the render fails anyway).
    static func identity(of voice: SpeechVoice) -> String {
        do {
            return try make(voice).identity
        } catch {
            return "no speech program: \(error)"
        }
    }

    private static let versions = Mutex<[String: String]>([:])

    /// What `path --version` (or `arguments`) prints, asked once per process; "unknown" when it
    /// cannot say.
    static func version(of path: String, arguments: [String] = ["--version"]) -> String {
        let key = ([path] + arguments).joined(separator: " ")
        if let known = versions.withLock({ $0[key] }) { return known }
        var version = "unknown"
        if let result = try? Subprocess.run(
            path, arguments, input: [], timeout: 10, outputLimit: 1 << 16,
            shouldStop: { StopSignal.isRequested }),
            result.status == 0
        {
            let text = String(decoding: result.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { version = text }
        }
        versions.withLock { $0[key] = version }
        return version
    }
}
