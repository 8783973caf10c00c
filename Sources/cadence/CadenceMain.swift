import ArgumentParser
import CadenceKit
import Foundation

/// The entry point: the arguments are taken byte for byte (a file name that is not UTF-8 stays the
/// same file), a first word that is neither a command nor a routine is refused with a suggestion
/// (so `cadence rendr x.yaml` does not render), and every error is printed once, with one
/// `error:` prefix, before the process exits with its code.
@main
enum CadenceMain {
    static func main() {
        StopSignal.install()
        let arguments = (1..<Int(CommandLine.argc)).map { PathBytes.string(fromCString: CommandLine.unsafeArgv[$0]!) }
        if let message = unknownCommand(arguments) {
            Console.message(message)
            exit(ExitStatus.usage.code)
        }
        do {
            var command = try Cadence.parseAsRoot(arguments)
            try command.run()
        } catch {
            exit(Console.report(error))
        }
        exit(0)
    }

    /// The commands, as a first word may name them.
    static let commandNames = ["render", "plan", "check", "watch", "site", "new", "format", "sounds", "help"]

    /// A message when the first word looks like a mistyped command: not an option, not a command,
    /// not an existing file or folder, and not a routine's name (`*.yaml`, `*.yml`, or a path).
    static func unknownCommand(_ arguments: [String]) -> String? {
        guard let first = arguments.first, !first.hasPrefix("-"), !commandNames.contains(first),
            !first.unicodeScalars.contains("/"), !RoutineFolder.isRoutineName(first), !RoutineFolder.exists(first)
        else { return nil }
        var message = "error: unknown command '\(PathBytes.display(first))'"
        if let suggestion = Spelling.suggestion(for: first, among: commandNames) { message += "; did you mean '\(suggestion)'?" }
        return message + "\nThe commands are: " + commandNames.dropLast().joined(separator: ", ")
            + ". A routine file to render ends in .yaml or .yml. See 'cadence --help'."
    }
}
