import ArgumentParser
import CadenceKit

struct Cadence: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cadence",
        abstract: "Turn an exercise routine into an audio cue track.",
        discussion: """
            Cadence reads a routine (a YAML file), schedules it to the sample, and renders breath \
            tones, countdown beeps, side-switch chimes and go/stop signals into one audio file. \
            `cadence new my-routine.yaml` writes a starter routine; `cadence format` prints the \
            format reference.
            Exit codes: 0 success, 1 other failure, 64 bad command line, 65 invalid routine, \
            66 missing or unreadable input, 73 output cannot be created, 74 I/O error while \
            writing, 128+N stopped by signal N (130 Ctrl-C, 143 SIGTERM, 129 SIGHUP).
            """,
        version: CadenceVersion.string,
        subcommands: [
            RenderCommand.self, PlanCommand.self, CheckCommand.self, WatchCommand.self, SiteCommand.self, NewCommand.self,
            FormatCommand.self, SoundsCommand.self,
        ],
        defaultSubcommand: RenderCommand.self
    )
}

extension Level: ExpressibleByArgument {}
extension AudioFormat: ExpressibleByArgument {}
extension BitDepth: ExpressibleByArgument {}
extension SpeechEngine: ExpressibleByArgument {}
extension MixStyle: ExpressibleByArgument {}
extension RepCounts: ExpressibleByArgument {}
