import ArgumentParser
import CadenceKit
import Foundation

extension AudioFormat: ExpressibleByArgument {}
extension BitDepth: ExpressibleByArgument {}

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render routines to audio tracks.",
        discussion: """
            With no routine, renders the built-in daily lower-back routine to ./daily-lower-back.wav. \
            With one routine file, writes -o FILE or ./<routine base name>.<ext>. With several files \
            or a folder (every *.yaml and *.yml in it), writes <out-dir>/<base name>.<ext>.
            """
    )

    @Argument(help: "Routine files or folders; none renders the built-in daily routine.")
    var routines: [String] = []

    @Option(name: [.short, .long], help: "One routine: the track's path.")
    var output: String?

    @Option(name: .long, help: "Several routines: the folder the tracks go to.")
    var outDir: String?

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

    @Option(name: .long, help: "Also write the timeline JSON to this file.")
    var timeline: String?

    @Option(name: .long, help: "Also write an Audacity label track (one line per step) to this file.")
    var labels: String?

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
        if output != nil, routines.count > 1 {
            throw ValidationError("-o/--output names one track; with several routines use --out-dir")
        }
    }

    func run() throws {
        Interrupts.install()
        let jobs: [RenderJob]
        do {
            jobs = try RenderJob.plan(routines: routines, output: output, outDir: outDir, format: format)
        } catch {
            throw ExitCode(report(error))
        }
        if jobs.count > 1, timeline != nil || labels != nil {
            throw ExitCode(report(RenderError.invalidOptions("--timeline and --labels take one routine at a time")))
        }
        var firstFailure: Int32 = 0
        for job in jobs {
            if Interrupts.wasRequested {
                if firstFailure == 0 { firstFailure = ExitStatus.interrupted }
                break
            }
            do {
                try render(job)
            } catch {
                let code = report(error)
                if firstFailure == 0 { firstFailure = code }
            }
        }
        if firstFailure != 0 { throw ExitCode(firstFailure) }
    }

    private func render(_ job: RenderJob) throws {
        let options = RenderOptions(format: job.format, bitDepth: bitDepth,
                                    sampleRate: sampleRate ?? job.format.defaultSampleRate, channels: channels,
                                    level: level, gainDecibels: gain, soundsFolder: sounds, music: music,
                                    duckDecibels: duck,
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
        let routine = try job.loadRoutine(level: level)
        let scheduled = Scheduler.schedule(routine, sampleRate: options.sampleRate, level: level)
        var bar = ProgressBar(label: (job.output as NSString).lastPathComponent, quiet: quiet)
        defer { bar.finish() }
        // The timeline and labels are written once the track is complete, before it replaces the
        // destination: if either cannot be written, the track is dropped and nothing changes.
        try TrackRenderer.render(scheduled, to: job.output, options: options,
                                 progress: { bar.update($0) }, shouldStop: { Interrupts.wasRequested },
                                 beforeCommit: {
                                     if let timeline { try TrackFiles.writeTimeline(scheduled, to: timeline) }
                                     if let labels { try TrackFiles.writeLabels(scheduled, to: labels) }
                                 })
    }
}

/// One routine to render and where its track goes.
struct RenderJob {
    /// The routine file, or nil for the built-in default routine.
    var routine: String?
    var output: String
    var format: AudioFormat

    func loadRoutine(level: Level) throws -> Routine {
        guard let routine else {
            return try RoutineLoader.parse(Array(DefaultRoutine.text.utf8), path: "<built-in daily routine>", level: level)
        }
        return try RoutineLoader.load(path: routine, level: level)
    }

    /// Where each routine's track goes, following cli.md.
    static func plan(routines: [String], output: String?, outDir: String?, format explicitFormat: AudioFormat?) throws -> [RenderJob] {
        func format(for path: String?) -> AudioFormat {
            explicitFormat ?? path.flatMap { AudioFormat(pathExtension: ($0 as NSString).pathExtension) } ?? .wav
        }
        func track(_ baseName: String, in folder: String?, _ format: AudioFormat) -> String {
            let name = baseName + "." + format.fileExtension
            guard let folder, folder != "." else { return name }
            return (folder as NSString).appendingPathComponent(name)
        }
        if routines.isEmpty {
            let chosen = format(for: output)
            return [RenderJob(routine: nil, output: output ?? track(DefaultRoutine.name, in: outDir, chosen), format: chosen)]
        }
        var files: [String] = []
        var sawFolder = false
        for path in routines {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
                throw InputError(path: path, reason: "no such file or folder")
            }
            if isFolder.boolValue {
                sawFolder = true
                let entries: [String]
                do {
                    entries = try FileManager.default.contentsOfDirectory(atPath: path)
                } catch {
                    throw InputError(path: path, reason: "cannot list this folder")
                }
                let yaml = entries.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
                if yaml.isEmpty { throw InputError(path: path, reason: "the folder has no .yaml or .yml routines") }
                files += yaml.map { (path as NSString).appendingPathComponent($0) }
            } else {
                files.append(path)
            }
        }
        if files.count == 1, !sawFolder {
            let chosen = format(for: output)
            let base = ((files[0] as NSString).lastPathComponent as NSString).deletingPathExtension
            return [RenderJob(routine: files[0], output: output ?? track(base, in: outDir, chosen), format: chosen)]
        }
        if output != nil {
            throw RenderError.invalidOptions("-o/--output names one track; with several routines use --out-dir")
        }
        let chosen = explicitFormat ?? .wav
        return files.map { file in
            let base = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            return RenderJob(routine: file, output: track(base, in: outDir, chosen), format: chosen)
        }
    }
}
