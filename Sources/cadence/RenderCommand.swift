import ArgumentParser
import CadenceKit
import Foundation

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render routines to audio tracks.",
        discussion: """
            With no routine, renders the built-in daily lower-back routine to ./daily-lower-back.wav. \
            With one routine file, writes -o FILE or <out-dir>/<routine base name>.<ext>. With several \
            files or a folder (every *.yaml and *.yml in it), writes <out-dir>/<base name>.<ext>, several \
            at once, and skips tracks that are up to date (same routine, sounds, music, options and \
            version of Cadence; see --force). Missing output folders are created. An output is never \
            one of the inputs, and a track appears only when it is complete.
            """
    )

    @Argument(help: "Routine files or folders; none renders the built-in daily routine.")
    var routines: [String] = []

    @Option(name: [.short, .long], help: "One routine: the track's path (its extension gives the format).")
    var output: String?

    @Option(name: .long, help: "The folder the tracks go to (default: the current folder).")
    var outDir: String?

    @Option(name: .long, help: "Also write the timeline JSON to this file (one routine).")
    var timeline: String?

    @Option(name: .long, help: "Also write an Audacity label track (one line per step) to this file (one routine).")
    var labels: String?

    @Option(name: .long, help: "Also write a self-contained web page that plays the session and shows where you are (one routine).")
    var html: String?

    @Option(name: .long, help: "wav, flac, ogg, opus or mp3 (default: from the extension of -o, else wav).")
    var format: AudioFormat?

    @Option(name: .long, help: "For a routine with `days:`, the day of its program to render, from 1 (default: 1).")
    var day: Int?

    @Flag(name: .long, help: "One track per day of each routine's program, <base>-day01.<ext> ..., as a batch kept up to date.")
    var allDays = false

    @OptionGroup var track: TrackOptions

    func run() throws {
        if day != nil, allDays { throw RenderError.invalidOptions("give --day (one day) or --all-days (every day), not both") }
        let plan = try RenderPlan(routines: routines, output: output, outDir: outDir, format: format, allDays: allDays)
        if day != nil, plan.isBatch {
            throw RenderError.invalidOptions("--day takes one routine; to render every day of a program, use --all-days")
        }
        let sideFiles = [(timeline, "--timeline"), (labels, "--labels"), (html, "--html")].compactMap { path, label in
            path.map { OutputSafety.NamedFile($0, label: "\(label) \(PathBytes.display($0))") }
        }
        if plan.isBatch, !sideFiles.isEmpty {
            throw RenderError.invalidOptions("--timeline, --labels and --html take one routine at a time")
        }
        let options = try track.renderOptions(format: plan.format)
        let pack = try options.soundsFolder.map { folder throws(InputError) in try SoundPackFolder(folder: folder) }
        let outputs =
            plan.jobs.map {
                OutputSafety.NamedFile(
                    $0.output,
                    label: plan.isBatch
                        ? "the track \(PathBytes.display($0.output))"
                        : "-o \(PathBytes.display($0.output))")
            } + sideFiles
        try OutputSafety.check(
            outputs: outputs,
            inputs: OutputPreparation.inputs(
                routines: plan.jobs.compactMap(\.routine),
                options: options, pack: pack))
        try OutputSafety.checkPack(outputs: outputs, pack: pack)
        // The inputs are checked (and the music measured) before any folder is made, so a bad one
        // leaves nothing behind.
        let resources: RenderResources
        do {
            resources = try RenderResources(options: options, shouldStop: { StopSignal.isRequested })
        } catch RenderError.interrupted(let path, let signal) where path.isEmpty && !plan.isBatch {
            // Stopped while the music was being measured: say which track was not written.
            throw RenderError.interrupted(path: plan.jobs[0].output, signal: signal)
        }
        if let outDir { try RoutineFolder.makeFolders(outDir) }
        try OutputPreparation.makeFolders(for: outputs.map(\.path))
        OutputPreparation.sweep(outputs.map { FilePaths.folder(of: $0.path) }, quiet: track.quiet)
        for warning in resources.warnings { Console.message(warning) }
        if plan.isBatch {
            let items = plan.jobs.map { BatchItem(routine: $0.routine!, output: $0.output, day: $0.day) }
            let code = try Self.renderBatch(items, options: options, resources: resources, track: track)
            if code != 0 { throw ExitCode(code) }
        } else {
            try renderOne(plan.jobs[0], options: options, resources: resources)
        }
    }

    /// Renders a batch and returns the exit code: the first failure's (in the order given), or 0.
    static func renderBatch(_ items: [BatchItem], options: RenderOptions, resources: RenderResources, track: TrackOptions) throws -> Int32 {
        let batch = try BatchRenderer(
            items: items, options: options, resources: resources, jobs: track.jobCount,
            force: track.force, shouldStop: { StopSignal.isRequested })
        let view = BatchProgress(items: items, quiet: track.quiet)
        let outcomes = batch.run(
            shouldStop: { StopSignal.isRequested },
            started: view.started, progress: view.progress,
            finished: { view.finished($0, $1, seconds: $2) }, warn: view.warn)
        view.summary(outcomes)
        if StopSignal.isRequested { return ExitStatus.stopped(by: StopSignal.signal).code }
        for outcome in outcomes {
            if case .failed(let error) = outcome { return error.exitStatus.code }
        }
        return 0
    }

    private func renderOne(_ job: RenderPlan.Job, options: RenderOptions, resources: RenderResources) throws {
        let routine: Routine
        let path = job.routine ?? "<built-in daily routine>"
        if let file = job.routine {
            routine = try RoutineLoader.load(path: file, level: options.level, day: day)
        } else {
            routine = try RoutineLoader.parse(Array(DefaultRoutine.text.utf8), path: path, level: options.level, day: day)
        }
        let day = try routine.checkedDay(day, path: path)
        try Scheduler.checkMemory(for: routine, at: options.level, day: day, timelineText: timeline != nil || html != nil)
        let guide: SpokenGuide
        do {
            guide = try SpokenGuide.make(for: routine, day: day, resources: resources, shouldStop: { StopSignal.isRequested })
        } catch RenderError.interrupted(_, let signal) {
            throw RenderError.interrupted(path: job.output, signal: signal)
        }
        for warning in guide.warnings(path: path) { Console.message(warning) }
        let scheduled = guide.timeline
        // The files beside the track are made now (so a folder that cannot take them is reported
        // before the render), written once the track is complete and put in place just before it:
        // if any cannot be written, the track is dropped too and nothing changes.
        var sides: [(file: PendingOutput, contents: () throws -> [UInt8])] = []
        if let timeline { sides.append((try PendingOutput(timeline), { Array(TimelineJSON.encode(scheduled).utf8) })) }
        if let labels { sides.append((try PendingOutput(labels), { Array(LabelTrack.encode(scheduled).utf8) })) }
        if let html {
            sides.append(
                (
                    try PendingOutput(html),
                    {
                        Array(
                            try PlayerAudio.page(
                                for: routine, timeline: scheduled, options: options, resources: resources,
                                scratchFolder: FilePaths.folder(of: html), shouldStop: { StopSignal.isRequested }
                            ).utf8)
                    }
                ))
        }
        var bar = ProgressBar(label: FilePaths.name(of: job.output), quiet: track.quiet)
        var passes = 1
        try TrackRenderer.render(
            scheduled, to: job.output, options: options, resources: resources, guide: guide,
            progress: { bar.update($0) }, shouldStop: { StopSignal.isRequested },
            writtenPasses: { passes = $0 },
            beforeCommit: {
                for side in sides { try side.file.write(try side.contents()) }
                for side in sides { try side.file.commit() }
            })
        bar.finish()
        guard !track.quiet else { return }
        // With music the track is written again when it missed the loudness or peak target: say so.
        let again = passes > 1 ? "  (written \(passes) times to meet the loudness and peak targets)" : ""
        Console.message(
            "wrote \(PathBytes.display(job.output))  \(DurationText.short(scheduled.totalTime))  \(OutputPreparation.describe(options))\(again)"
        )
        for side in sides { Console.message("wrote \(PathBytes.display(side.file.path))") }
    }
}
