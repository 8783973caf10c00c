import ArgumentParser
import CadenceKit
import Foundation

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Print a routine's schedule: one line per interval, then the total length."
    )

    @Argument(help: "The routine file.")
    var routine: String

    @Flag(name: .long, help: "Print the timeline JSON (timeline.md) instead, and nothing else on standard output.")
    var json = false

    @Option(name: .long, help: "Also write the timeline as a picture (SVG) to this file.")
    var svg: String?

    @OptionGroup var schedule: ScheduleOptions

    func run() throws {
        let loaded: Routine
        do {
            loaded = try RoutineLoader.load(path: routine, level: schedule.level)
        } catch {
            throw ExitCode(report(error))
        }
        let timeline = Scheduler.schedule(loaded, sampleRate: schedule.sampleRate, level: schedule.level)
        // The picture first: if it cannot be written, nothing is printed.
        if let svg {
            do {
                try PlayerFiles.writeSVG(timeline, to: svg)
            } catch {
                throw ExitCode(report(error))
            }
        }
        let text = json ? TimelineJSON.encode(timeline) : PlanText.render(timeline)
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
