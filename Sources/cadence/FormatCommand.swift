import ArgumentParser
import CadenceKit

struct FormatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "format",
        abstract: "Print the routine file format reference (docs/routine-format.md)."
    )

    func run() throws {
        Console.out(FormatReference.text)
    }
}
