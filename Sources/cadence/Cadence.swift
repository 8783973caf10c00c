import ArgumentParser
import CadenceKit

@main
struct Cadence: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cadence",
        abstract: "Turn an exercise routine into an audio cue track.",
        discussion: """
            Cadence reads a routine (a YAML file), schedules it to the sample, and renders breath \
            tones, countdown beeps, side-switch chimes and go/stop signals into one audio file.
            Exit codes: 0 success, 1 other failure, 64 bad command line, 65 invalid routine, \
            66 missing or unreadable input, 73 output cannot be created, 74 I/O error while \
            writing, 130 interrupted.
            """,
        version: CadenceVersion.string,
        subcommands: [RenderCommand.self, PlanCommand.self, CheckCommand.self, WatchCommand.self, SoundsCommand.self],
        defaultSubcommand: RenderCommand.self
    )
}
