import ArgumentParser
import CadenceKit
import Foundation

/// The options that decide how tracks sound, shared by `render` and `watch`. Their ranges and the
/// rules for which go together live in `RenderOptions.validate`; these only add what belongs to
/// the command line (an option given without the one it goes with). `--format` is each command's
/// own: its default is said differently by `render` (the extension of -o) and `watch` (no -o).
struct TrackOptions: ParsableArguments {
    @Option(name: .long, help: "WAV and FLAC sample format: 16, 24 or float (default: 16).")
    var bitDepth: BitDepth?

    @Option(name: .long, help: "Sample rate in Hz, 8000 to 192000 (default: 44100; 48000 for opus).")
    var sampleRate: Int?

    @Option(name: .long, help: "1 (mono) or 2 (stereo).")
    var channels: Int = 2

    @Option(name: .long, help: "Which value ranges give: easy (low end), normal (midpoint) or hard (high end).")
    var level: Level = .normal

    @Option(name: .long, help: "A sound pack folder (see `cadence sounds export`); missing sounds fall back to the built-in ones.")
    var sounds: String?

    @Option(name: .long, parsing: .unconditional, help: "Cue level change in dB, -40 to +6; the mix still never clips.")
    var gain: Double = 0

    @Option(name: .long, help: "Mix this music file under the cues (repeat for a playlist; any format libsndfile reads).")
    var music: [String] = []

    @Option(name: .long, parsing: .unconditional, help: "With --music: how far the music drops while a cue sound plays, in dB, 0 to 40 (default: 9).")
    var duck: Double?

    @Flag(name: .long, help: "Speak each step's `say` text (else its name), the next side at switches and \"halfway\" (needs espeak-ng).")
    var voice = false

    @Option(name: .long, help: "With --voice: the espeak-ng voice, such as en-gb (see `espeak-ng --voices`).")
    var voiceName: String?

    @Option(name: .long, help: "With --voice: speaking speed in words per minute, 80 to 450.")
    var voiceSpeed: Int?

    @Option(name: .long, help: "Routines rendered at once (default: the number of cores).")
    var jobs: Int?

    @Flag(name: .long, help: "Render even the tracks that are up to date.")
    var force = false

    @Flag(name: [.short, .long], help: "No progress output and no summary (errors and warnings are still printed).")
    var quiet = false

    func validate() throws {
        if !voice, voiceName != nil || voiceSpeed != nil {
            throw ValidationError("--voice-name and --voice-speed go with --voice")
        }
        if duck != nil, music.isEmpty { throw ValidationError("--duck goes with --music: without music nothing is ducked") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, not \(jobs)") }
        // The ranges, checked once, where RenderOptions checks them for every caller (the format's
        // own rules, such as opus's rates, when the command knows its format).
        do throws(RenderError) {
            try renderOptions(format: .wav, checkFormatRules: false).validate()
        } catch {
            throw ValidationError(error.message)
        }
    }

    var jobCount: Int { jobs ?? ProcessInfo.processInfo.activeProcessorCount }

    /// The engine's options for tracks in `format`. An option that does nothing for that format is
    /// an error (exit 64): `--bit-depth` with an encoded format.
    func renderOptions(format: AudioFormat, checkFormatRules: Bool = true) throws(RenderError) -> RenderOptions {
        if checkFormatRules, let bitDepth, !format.hasBitDepth {
            throw .invalidOptions("--bit-depth \(bitDepth.rawValue) has no effect on \(format.displayName) tracks (it applies to wav and flac); leave it out")
        }
        let options = RenderOptions(format: format, bitDepth: bitDepth ?? .pcm16, sampleRate: sampleRate ?? format.defaultSampleRate,
                                    channels: channels, level: level, gainDecibels: gain, soundsFolder: sounds,
                                    music: music, duckDecibels: duck ?? 9,
                                    voice: voice ? SpeechVoice(name: voiceName, wordsPerMinute: voiceSpeed) : nil)
        if checkFormatRules { try options.validate() }
        return options
    }
}
