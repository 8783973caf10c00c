import ArgumentParser
import CadenceKit

struct SoundsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sounds",
        abstract: "Work with sound packs.",
        subcommands: [ExportSounds.self]
    )

    struct ExportSounds: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write the default sound pack (one audio file per cue sound) to a folder."
        )

        @Argument(help: "The folder to write the sounds to (created if missing).")
        var folder: String

        func run() throws {
            throw ExitCode(report(RenderError.notImplemented))
        }
    }
}
