import ArgumentParser
import CadenceKit

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate routines: print OK with the length of each good one and the errors of each bad one.",
        discussion: "A folder stands for every *.yaml and *.yml routine in it. The exit code is the first failure's (65 for an invalid routine, 66 for one that cannot be read)."
    )

    @Argument(help: "Routine files or folders of routines.")
    var routines: [String]

    @Option(name: .long, help: "The level at which session limits (24 hours at most) are checked.")
    var level: Level = .normal

    @Option(name: .long, help: "For routines with `days:`, the day whose session is checked and shown (default: every day is checked, day 1 shown).")
    var day: Int?

    func validate() throws {
        if routines.isEmpty { throw ValidationError("give at least one routine file or folder to check") }
    }

    func run() throws {
        var firstFailure: Int32 = 0
        func fail(_ error: Error) {
            let code = Console.report(error)
            if firstFailure == 0 { firstFailure = code }
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
                    Console.out("OK  \(PathBytes.display(path))  \(routine.title)  (\(DurationText.short(length)), \(steps)\(program))\n")
                } catch {
                    fail(error)
                }
            }
        }
        if firstFailure != 0 { throw ExitCode(firstFailure) }
    }
}
