import ArgumentParser
import CadenceKit

struct RenderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render routines to audio tracks."
    )

    @Argument(help: "Routine files or folders; none renders the built-in daily routine.")
    var routines: [String] = []

    func run() throws {
        throw ExitCode(report(RenderError.notImplemented))
    }
}
