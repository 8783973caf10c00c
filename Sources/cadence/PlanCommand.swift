import ArgumentParser
import CadenceKit

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Print a routine's schedule: one line per interval, then the total length."
    )

    @Argument(help: "The routine file.")
    var routine: String

    @Flag(name: .long, help: "Print the timeline JSON instead (see docs/timeline.md), and nothing else on standard output.")
    var json = false

    @Option(name: .long, help: "Also write the timeline as a picture (SVG) to this file.")
    var svg: String?

    @Option(name: .long, help: "Sample rate in Hz, 8000 to 192000.")
    var sampleRate: Int = 44_100

    @Option(name: .long, help: "Which value ranges give: easy (low end), normal (midpoint) or hard (high end).")
    var level: Level = .normal

    @Option(name: .long, help: "For a routine with `days:`, the day of its program to show, from 1 (default: 1).")
    var day: Int?

    @OptionGroup(
        title: "Voice (with --voice: the schedule with every `transition: fit` lengthened, and what does not fit, on standard error)")
    var voiceOptions: VoiceOptions

    func validate() throws {
        do throws(RenderError) {
            try RenderOptions.checkSampleRate(sampleRate)
        } catch {
            throw ValidationError(error.message)
        }
    }

    func run() throws {
        // The picture's file is checked and made first: if it cannot be written, nothing is printed.
        var picture: PendingOutput?
        if let svg {
            try OutputSafety.check(
                outputs: [.init(svg, label: "--svg \(PathBytes.display(svg))")],
                inputs: [.init(routine, label: "the routine file \(PathBytes.display(routine))")])
            try OutputPreparation.makeFolders(for: [svg])
            picture = try PendingOutput(svg)
        }
        let loaded = try RoutineLoader.load(path: routine, level: level, day: day)
        let day = try loaded.checkedDay(day, path: routine)
        try Scheduler.checkMemory(for: loaded, at: level, day: day, timelineText: json)
        let timeline: Timeline
        if let voice = voiceOptions.speechVoice {
            let options = RenderOptions(sampleRate: sampleRate, level: level, voice: voice)
            let resources = try RenderResources(options: options, shouldStop: { StopSignal.isRequested })
            let guide = try SpokenGuide.make(for: loaded, day: day, resources: resources, shouldStop: { StopSignal.isRequested })
            for note in guide.lengthenedTransitionNotes { Console.message("\(PathBytes.display(routine)): \(note)") }
            for warning in guide.warnings(path: routine) { Console.message(warning) }
            timeline = guide.timeline
        } else {
            timeline = Scheduler.schedule(loaded, sampleRate: sampleRate, level: level, day: day)
        }
        if let picture {
            try picture.write(Array(TimelineSVG.svg(timeline).utf8))
            try picture.commit()
        }
        Console.out(json ? TimelineJSON.encode(timeline) : PlanText.render(timeline))
    }
}
