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
            discussion: """
                Edit the files, then pass the folder to `cadence render --sounds`. Sounds in the folder \
                that differ from the built-in ones (edited sounds) are not overwritten unless --force is given.
                """
        )

        @Argument(help: "The folder to write the sounds to (created if missing).")
        var folder: String

        @Flag(name: .long, help: "Replace sounds in the folder even when they were edited.")
        var force = false

        func run() throws {
            for path in try SoundPack.exportDefault(to: folder, force: force) { Console.out(PathBytes.display(path) + "\n") }
        }
    }
}
