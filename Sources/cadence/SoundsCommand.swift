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
            abstract: "Write the default sound pack (one WAV file per cue sound) to a folder.",
            discussion: "Edit the files, then pass the folder to `cadence render --sounds`."
        )

        @Argument(help: "The folder to write the sounds to (created if missing).")
        var folder: String

        func run() throws {
            do {
                for path in try SoundPack.exportDefault(to: folder) { print(path) }
            } catch {
                throw ExitCode(report(error))
            }
        }
    }
}
