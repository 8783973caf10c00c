import ArgumentParser
import CadenceKit
import Foundation

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render routines to audio tracks.",
        discussion: """
            With no routine, renders the built-in daily lower-back routine to ./daily-lower-back.wav. \
            With one routine file, writes -o FILE or ./<routine base name>.<ext>. With several files \
            or a folder (every *.yaml and *.yml in it), writes <out-dir>/<base name>.<ext>, several at \
            once, and skips tracks that are up to date (same routine, sounds, music, options and \
            version of Cadence; see --force).
            """
    )

    @Argument(help: "Routine files or folders; none renders the built-in daily routine.")
    var routines: [String] = []

    @Option(name: [.short, .long], help: "One routine: the track's path.")
    var output: String?

    @Option(name: .long, help: "Several routines: the folder the tracks go to.")
    var outDir: String?

    @Option(name: .long, help: "Also write the timeline JSON to this file (one routine).")
    var timeline: String?

    @Option(name: .long, help: "Also write an Audacity label track (one line per step) to this file (one routine).")
    var labels: String?

    @Option(name: .long, help: "Also write a self-contained web page that plays the session and shows where you are (one routine).")
    var html: String?

    @OptionGroup var track: TrackOptions

    func validate() throws {
        if output != nil, routines.count > 1 {
            throw ValidationError("-o/--output names one track; with several routines use --out-dir")
        }
    }

    func run() throws {
        Interrupts.install()
        let plan: RenderPlan
        let options: RenderOptions
        do {
            plan = try RenderPlan(routines: routines, output: output, outDir: outDir, format: track.format)
            if plan.isBatch, timeline != nil || labels != nil || html != nil {
                throw RenderError.invalidOptions("--timeline, --labels and --html take one routine at a time")
            }
            options = try track.renderOptions(format: plan.format)
            if plan.isBatch, let outDir { try Self.createFolder(outDir) }
        } catch {
            throw ExitCode(report(error))
        }
        if plan.isBatch {
            let code = Self.renderBatch(plan.jobs.map { BatchItem(routine: $0.routine!, output: $0.output) },
                                        options: options, track: track)
            if code != 0 { throw ExitCode(code) }
            return
        }
        do {
            try renderOne(plan.jobs[0], options: options)
        } catch {
            throw ExitCode(report(error))
        }
    }

    /// Creates the output folder of a batch (and its parents) when it does not exist yet.
    static func createFolder(_ path: String) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            if !isFolder.boolValue { throw RenderError.cannotCreateOutput(path: path, reason: "it is a file, not a folder") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw RenderError.cannotCreateOutput(path: path, reason: "cannot create this folder")
        }
    }

    /// Renders a batch and returns the exit code: the first failure's (in the order given), or 0.
    static func renderBatch(_ items: [BatchItem], options: RenderOptions, track: TrackOptions) -> Int32 {
        let batch = BatchRenderer(items: items, options: options, jobs: track.jobs, force: track.force)
        let view = BatchProgress(items: items, quiet: track.quiet)
        let outcomes = batch.run(shouldStop: { Interrupts.wasRequested },
                                 started: view.started, progress: view.progress,
                                 finished: { view.finished($0, $1, seconds: $2) })
        view.summary(outcomes)
        if Interrupts.wasRequested { return ExitStatus.interrupted }
        for outcome in outcomes {
            if case .failed(let error) = outcome { return ExitStatus.code(for: error) }
        }
        return 0
    }

    private func renderOne(_ job: RenderPlan.Job, options: RenderOptions) throws {
        let routine: Routine
        if let path = job.routine {
            routine = try RoutineLoader.load(path: path, level: options.level)
        } else {
            routine = try RoutineLoader.parse(Array(DefaultRoutine.text.utf8), path: "<built-in daily routine>",
                                              level: options.level)
        }
        let scheduled = Scheduler.schedule(routine, sampleRate: options.sampleRate, level: options.level)
        var bar = ProgressBar(label: (job.output as NSString).lastPathComponent, quiet: track.quiet)
        defer { bar.finish() }
        // The timeline, labels and page are written once the track is complete, before it replaces
        // the destination: if any cannot be written, the track is dropped and nothing changes.
        try TrackRenderer.render(scheduled, to: job.output, options: options,
                                 progress: { bar.update($0) }, shouldStop: { Interrupts.wasRequested },
                                 beforeCommit: {
                                     if let timeline { try TrackFiles.writeTimeline(scheduled, to: timeline) }
                                     if let labels { try TrackFiles.writeLabels(scheduled, to: labels) }
                                     if let html { try writePage(routine, scheduled, options: options, to: html) }
                                 })
    }

    /// The player page: the same session rendered as a compact MP3 (mono unless there is music;
    /// at the track's rate when MP3 can store it, else 44.1 kHz), embedded with its timeline.
    private func writePage(_ routine: Routine, _ scheduled: Timeline, options: RenderOptions, to path: String) throws {
        var pageOptions = options
        pageOptions.format = .mp3
        pageOptions.bitDepth = .pcm16
        if options.music.isEmpty { pageOptions.channels = 1 }
        if !(AudioFormat.mp3.allowedSampleRates ?? []).contains(options.sampleRate) { pageOptions.sampleRate = 44_100 }
        let pageTimeline = pageOptions.sampleRate == scheduled.sampleRate
            ? scheduled : Scheduler.schedule(routine, sampleRate: pageOptions.sampleRate, level: options.level)
        let audioPath = (FileManager.default.temporaryDirectory.path as NSString)
            .appendingPathComponent("cadence-page-\(getpid()).mp3")
        defer { unlink(audioPath) }
        try TrackRenderer.render(pageTimeline, to: audioPath, options: pageOptions, shouldStop: { Interrupts.wasRequested })
        guard let audio = FileManager.default.contents(atPath: audioPath) else {
            throw RenderError.writeFailed(path: path, reason: "cannot read back the page's audio")
        }
        try PlayerFiles.writeHTML(pageTimeline, audio: Array(audio), audioMimeType: PlayerPage.mimeType(for: .mp3), to: path)
    }
}
