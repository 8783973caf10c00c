import ArgumentParser
import CadenceKit
import Foundation

/// The options that decide how tracks sound, shared by `render` and `watch`. Their ranges and the
/// rules for which go together live in `RenderOptions.validate`, applied by `renderOptions(format:)`;
/// `validate` here only adds what belongs to the command line (an option given without the one it
/// goes with). `--format` is each command's own: its default is said differently by `render` (the
/// extension of -o) and `watch` (no -o).
struct TrackOptions: ParsableArguments {
    @Option(name: .long, help: "WAV and FLAC sample format: 16, 24 or float (default: 16).")
    var bitDepth: BitDepth?

    @Option(name: .long, help: "Sample rate in Hz, 8000 to 192000 (default: 44100; 48000 for opus).")
    var sampleRate: Int?

    @Option(
        name: .long,
        help:
            "Ogg, Opus and MP3: encoder quality from 0 (smallest file) to 1 (best sound) (default: Opus 96 kbps stereo, MP3 LAME -V 5, Vorbis q 6)."
    )
    var quality: Double?

    @Option(name: .long, help: "1 (mono) or 2 (stereo) (default: 2; for `site`, mono unless there is music).")
    var channels: Int?

    @Option(name: .long, help: "Which value ranges give: easy (low end), normal (midpoint) or hard (high end).")
    var level: Level = .normal

    @Option(name: .long, help: "A sound pack folder (see `cadence sounds export`); missing sounds fall back to the built-in ones.")
    var sounds: String?

    @Option(name: .long, parsing: .unconditional, help: "Cue level change in dB, -40 to +6; the mix still never clips.")
    var gain: Double = 0

    @Option(name: .long, help: "Mix this music file under the cues (repeat for a playlist; any format libsndfile reads).")
    var music: [String] = []

    @Option(
        name: .long, parsing: .unconditional,
        help: "With --music: how far the music drops while a cue sound plays, in dB, 0 to 40 (default: 9).")
    var duck: Double?

    @Option(
        name: .long, parsing: .unconditional,
        help: "With --music and --voice: how far the music drops while the voice speaks, in dB, 0 to 40 (default: 18).")
    var duckSpeech: Double?

    @OptionGroup var voiceOptions: VoiceOptions

    @Option(
        name: .long,
        help:
            "With --voice: standard (every cue sound), voice-only (the voice and the breath tones) or accessible (with --music: the music at least 20 dB under the voice)."
    )
    var mix: MixStyle = .standard

    @Option(name: .long, help: "Routines rendered at once (default: the number of cores).")
    var jobs: Int?

    @Flag(name: .long, help: "Render even the tracks that are up to date.")
    var force = false

    @Flag(name: [.short, .long], help: "No progress output and no summary (errors and warnings are still printed).")
    var quiet = false

    func validate() throws {
        if duck != nil, music.isEmpty { throw ValidationError("--duck goes with --music: without music nothing is ducked") }
        if duckSpeech != nil, music.isEmpty || !voiceOptions.voice {
            throw ValidationError("--duck-speech goes with --music and --voice: it sets how far the music drops under the voice")
        }
        if let duckSpeech, mix == .accessible {
            let least = RenderOptions.accessibleSpeechDuck(gainDecibels: gain)
            if duckSpeech < least {
                throw ValidationError(
                    "--mix accessible keeps the music \(Int(RenderOptions.accessibleMargin)) dB under the voice, which needs "
                        + "--duck-speech \(least.formatted()) or more at --gain \(gain.formatted()); leave --duck-speech out, or raise it")
            }
        }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, not \(jobs)") }
        // The ranges and the rules that depend on the format are checked once the format is known,
        // by RenderOptions.validate (see renderOptions(format:)).
    }

    var jobCount: Int { jobs ?? ProcessInfo.processInfo.activeProcessorCount }

    /// The engine's options for tracks in `format`. An option that does nothing for that format is
    /// an error (exit 64): `--bit-depth` with an encoded format.
    func renderOptions(format: AudioFormat) throws(RenderError) -> RenderOptions {
        if let bitDepth, !format.hasBitDepth {
            throw .invalidOptions(
                "--bit-depth \(bitDepth.rawValue) has no effect on \(format.displayName) tracks (it applies to wav and flac); leave it out")
        }
        let options = RenderOptions(
            format: format, bitDepth: bitDepth ?? .pcm16, sampleRate: sampleRate ?? format.defaultSampleRate,
            channels: channels ?? 2, level: level, gainDecibels: gain, soundsFolder: sounds,
            music: music, duckDecibels: duck ?? 9, duckSpeechDecibels: duckSpeech ?? 18, mix: mix,
            voice: voiceOptions.speechVoice,
            quality: quality)
        try options.validate()
        return options
    }
}
