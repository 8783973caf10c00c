import ArgumentParser
import CadenceKit
import Foundation

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate routines: print OK with the length of each good one and the errors of each bad one."
    )

    @Argument(help: "Routine files to check.")
    var routines: [String]

    @Option(name: .long, help: "The level at which session limits (24 hours at most) are checked.")
    var level: Level = .normal

    func validate() throws {
        if routines.isEmpty { throw ValidationError("give at least one routine file to check") }
    }

    func run() throws {
        var firstFailure: Int32 = 0
        for path in routines {
            do {
                let routine = try RoutineLoader.load(path: path, level: level)
                let length = Scheduler.sessionLength(of: routine, at: level)
                let steps = routine.steps.count == 1 ? "1 step" : "\(routine.steps.count) steps"
                print("OK  \(path)  \(routine.title)  (\(DurationText.short(length)), \(steps))")
            } catch {
                let code = report(error)
                if firstFailure == 0 { firstFailure = code }
            }
        }
        if firstFailure != 0 { throw ExitCode(firstFailure) }
    }
}
