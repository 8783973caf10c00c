import ArgumentParser
import CadenceKit
import Foundation

struct SiteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "site",
        abstract: "Make a static web site of a folder of routines: an index, a player page and a track per routine, and a podcast feed.",
        discussion: """
            The site works from any web server and opened from files, offline once opened. Only what \
            changed is rendered or written again; each feed item keeps its GUID for good. Give \
            --base-url with the address the site will be served from, so podcast apps can use the feed.
            """
    )

    @Argument(help: "The folder of routines (every *.yaml and *.yml in it).")
    var routines: String

    @Option(name: .long, help: "The site's folder (created if missing).")
    var outDir: String

    @Option(
        name: .customLong("base-url"),
        help: "The address the site is served from, such as https://example.org/back/; the feed's links need it.")
    var baseURL: String?

    @Option(name: .long, help: "The site's name: the heading of its index and the podcast's title.")
    var title = "Exercise sessions"

    @Flag(name: .long, help: "Also write every track as Opus, beside the MP3.")
    var opus = false

    @OptionGroup var track: TrackOptions

    func validate() throws {
        if !title.contains(where: { $0.isLetter || $0.isNumber }) {
            throw ValidationError("--title needs a letter or a digit: it is the site's heading and the podcast's name")
        }
    }

    func run() throws {
        let address = try SiteAddress(baseURL: baseURL)
        if let bitDepth = track.bitDepth {
            throw RenderError.invalidOptions("--bit-depth \(bitDepth.rawValue) has no effect on a site's MP3 and Opus tracks; leave it out")
        }
        let (mp3, opusOptions) = SiteSettings.trackOptions(
            from: try track.renderOptions(format: .mp3), channels: track.channels,
            sampleRate: track.sampleRate, opus: opus)
        try mp3.validate()
        try opusOptions?.validate()
        let settings = SiteSettings(
            routinesFolder: routines, siteFolder: outDir, title: title, address: address, mp3: mp3,
            opus: opusOptions, jobs: track.jobCount, force: track.force, now: Self.now())
        let site = try LibrarySite(settings: settings)
        let pack = try mp3.soundsFolder.map { folder throws(InputError) in try SoundPackFolder(folder: folder) }
        try OutputSafety.check(outputs: site.outputs, inputs: OutputPreparation.inputs(routines: site.routines, options: mp3, pack: pack))
        for folder in site.folders { try RoutineFolder.makeFolders(folder) }
        OutputPreparation.sweep(site.folders, quiet: track.quiet)
        let mp3Resources = try RenderResources(options: mp3, shouldStop: { StopSignal.isRequested })
        for warning in mp3Resources.warnings { Console.message(warning) }
        let opusResources = try opusOptions.map { try RenderResources(options: $0, shouldStop: { StopSignal.isRequested }) }

        let view = BatchProgress(items: site.items, quiet: track.quiet)
        let report = try site.build(
            mp3Resources: mp3Resources, opusResources: opusResources,
            shouldStop: { StopSignal.isRequested },
            waiting: { Console.message("note: waiting for another `cadence site` run to finish with \(PathBytes.display(outDir))") },
            started: view.started, progress: view.progress,
            finished: { view.finished($0, $1, seconds: $2) }, warn: view.warn)
        view.summary(report.outcomes)
        for problem in report.problems where !problem.reported {
            if !track.quiet { Console.message("left out   \(PathBytes.display(problem.routine))") }
            Console.message(problem.error.description)
        }
        if !address.isAbsolute {
            Console.message(
                "\(PathBytes.display(FilePaths.join(outDir, "feed.xml"))): warning: without --base-url the feed's links are relative, "
                    + "and podcast apps need absolute ones; give the address the site is served from, such as --base-url https://example.org/back/"
            )
        }
        if !track.quiet {
            let sessions = report.sessions == 1 ? "1 session" : "\(report.sessions) sessions"
            var line =
                "\(PathBytes.display(outDir)): \(sessions); wrote \(report.written.count) "
                + (report.written.count == 1 ? "file" : "files") + ", \(report.unchanged) unchanged"
            if !report.removed.isEmpty { line += ", removed \(report.removed.count)" }
            Console.message(line)
        }
        if StopSignal.isRequested { throw ExitCode(ExitStatus.stopped(by: StopSignal.signal).code) }
        if let failure = report.firstFailure { throw ExitCode(failure.exitStatus.code) }
    }

    /// The time tracks rendered now are published at: `SOURCE_DATE_EPOCH` when set (for builds that
    /// must be reproducible), else the clock.
    static func now() -> Int64 {
        if let text = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], let seconds = Int64(text), seconds >= 0 { return seconds }
        return Int64(time(nil))
    }
}
