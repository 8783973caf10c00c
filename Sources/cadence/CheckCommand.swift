import ArgumentParser
import CadenceKit

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate routines: print OK with the length of each good one and the errors of each bad one.",
        discussion:
            "A folder stands for every *.yaml and *.yml routine in it. The exit code is the first failure's (65 for an invalid routine, 66 for one that cannot be read)."
    )

    @Argument(help: "Routine files or folders of routines.")
    var routines: [String]

    @Option(name: .long, help: "The level at which session limits (24 hours at most) are checked.")
    var level: Level = .normal

    @Option(
        name: .long,
        help: "For routines with `days:`, the day whose session is checked and shown (default: every day is checked, day 1 shown).")
    var day: Int?

    @OptionGroup(title: "Voice (with --voice: also warn, at the step, of every spoken line that does not fit where it may go)")
    var voiceOptions: VoiceOptions

    func validate() throws {
        if routines.isEmpty { throw ValidationError("give at least one routine file or folder to check") }
    }

    func run() throws {
        var firstFailure: Int32 = 0
        func fail(_ error: Error) {
            let code = Console.report(error)
            if firstFailure == 0 { firstFailure = code }
        }
        // The voice's engine is found (and its phrases made) once for every routine checked.
        let resources = try voiceOptions.speechVoice.map { voice in
            try RenderResources(options: RenderOptions(level: level, voice: voice), shouldStop: { StopSignal.isRequested })
        }
        for argument in routines {
            let paths: [String]
            do {
                paths = try RenderPlan.routineFiles([argument]).routines
            } catch {
                fail(error)
                continue
            }
            for path in paths {
                do {
                    let routine = try RoutineLoader.load(path: path, level: level, day: day)
                    let shownDay = try routine.checkedDay(day, path: path)
                    let length = Scheduler.sessionLength(of: routine, at: level, day: shownDay)
                    let count = routine.session(level: level, day: shownDay).count
                    let steps = count == 1 ? "1 step" : "\(count) steps"
                    let program = routine.days.map { ", day \(shownDay) of \($0)" } ?? ""
                    var fitted = ""
                    if let resources {
                        let guide = try SpokenGuide.make(
                            for: routine, day: shownDay, resources: resources, shouldStop: { StopSignal.isRequested })
                        for warning in guide.warnings(path: path) { Console.message(warning) }
                        if !guide.lengthenedTransitions.isEmpty {
                            fitted = ", \(DurationText.short(guide.timeline.totalTime)) with the transitions fitted to the voice"
                        }
                    }
                    Console.out(
                        "OK  \(PathBytes.display(path))  \(routine.title)  (\(DurationText.short(length)), \(steps)\(program)\(fitted))\n")
                } catch {
                    fail(error)
                }
            }
        }
        if firstFailure != 0 { throw ExitCode(firstFailure) }
    }
}
