import ArgumentParser
import CadenceKit
import Foundation

extension AudioFormat: ExpressibleByArgument {}
extension BitDepth: ExpressibleByArgument {}

/// The options that decide how tracks sound, shared by `render` and `watch`.
struct TrackOptions: ParsableArguments {
    @Option(name: .long, help: "wav, flac, ogg, opus or mp3 (default: from the output's extension, else wav).")
    var format: AudioFormat?

    @Option(name: .long, help: "WAV and FLAC sample format: 16, 24 or float.")
    var bitDepth: BitDepth = .pcm16

    @Option(name: .long, help: "Sample rate in Hz, 8000 to 192000 (default 44100; 48000 for opus).")
    var sampleRate: Int?

    @Option(name: .long, help: "1 (mono) or 2 (stereo).")
    var channels: Int = 2

    @Option(name: .long, help: "Which value ranges give: easy, normal or hard.")
    var level: Level = .normal

    @Option(name: .long, help: "A sound pack folder (see `cadence sounds export`); missing files fall back to the built-in sounds.")
    var sounds: String?

    @Option(name: .long, parsing: .unconditional, help: "Cue level change in dB, -40 to +6; the mix still never clips.")
    var gain: Double = 0

    @Option(name: .long, help: "Mix this music file under the cues (repeat for a playlist; any format libsndfile reads).")
    var music: [String] = []

    @Option(name: .long, parsing: .unconditional, help: "How far the music drops while a cue sound plays, in dB (0 to 40).")
    var duck: Double = 9

    @Flag(name: .long, help: "Speak each step's `say` text (else its name), the next side at switches and \"halfway\" (needs espeak-ng).")
    var voice = false

    @Option(name: .long, help: "The espeak-ng voice for --voice (see `espeak-ng --voices`).")
    var voiceName: String?

    @Option(name: .long, help: "Speaking speed for --voice, in words per minute (80 to 450).")
    var voiceSpeed: Int?

    @Option(name: .long, help: "Routines rendered at once (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(name: .long, help: "Render even the tracks that are up to date.")
    var force = false

    @Flag(name: [.short, .long], help: "No progress output.")
    var quiet = false

    func validate() throws {
        if let sampleRate, !SampleClock.supportedRates.contains(sampleRate) {
            throw ValidationError("--sample-rate must be from 8000 to 192000, not \(sampleRate)")
        }
        guard channels == 1 || channels == 2 else { throw ValidationError("--channels must be 1 or 2, not \(channels)") }
        guard RenderOptions.gainRange.contains(gain) else {
            throw ValidationError("--gain must be from -40 to 6 dB, not \(gain)")
        }
        guard RenderOptions.duckRange.contains(duck) else { throw ValidationError("--duck must be from 0 to 40 dB, not \(duck)") }
        if let voiceSpeed, !(80...450).contains(voiceSpeed) {
            throw ValidationError("--voice-speed must be from 80 to 450 words per minute, not \(voiceSpeed)")
        }
        if !voice, voiceName != nil || voiceSpeed != nil {
            throw ValidationError("--voice-name and --voice-speed go with --voice")
        }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, not \(jobs)") }
    }

    /// The engine's options for a track in `format`, after checking the input files exist.
    func renderOptions(format: AudioFormat) throws -> RenderOptions {
        let options = RenderOptions(format: format, bitDepth: bitDepth, sampleRate: sampleRate ?? format.defaultSampleRate,
                                    channels: channels, level: level, gainDecibels: gain, soundsFolder: sounds,
                                    music: music, duckDecibels: duck,
                                    voice: voice ? SpeechVoice(name: voiceName, wordsPerMinute: voiceSpeed) : nil)
        try options.validate()
        if let sounds {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: sounds, isDirectory: &isFolder), isFolder.boolValue else {
                throw InputError(path: sounds, reason: "no such sound pack folder")
            }
        }
        for file in music {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: file, isDirectory: &isFolder), !isFolder.boolValue else {
                throw InputError(path: file, reason: isFolder.boolValue ? "is a folder, not a music file" : "no such music file")
            }
        }
        return options
    }
}
