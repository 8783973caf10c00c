import ArgumentParser
import CadenceKit

struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Write a commented starter routine to a new file, to edit.",
        discussion: "The file must not exist yet: `new` never overwrites one. `.yaml` is added to a name without an extension."
    )

    @Argument(help: "The routine file to write, such as morning.yaml.")
    var file: String

    func validate() throws {
        let name = FilePaths.name(of: file)
        if name.isEmpty || name == "." || name == ".." || file.unicodeScalars.last == "/" {
            throw ValidationError("'\(PathBytes.display(file))' is not a file name; give the routine file to write, such as morning.yaml")
        }
    }

    func run() throws {
        let path = RoutineFolder.isRoutineName(FilePaths.name(of: file)) ? file : file + ".yaml"
        if RoutineFolder.exists(path) {
            throw RenderError.cannotCreateOutput(path: path, reason: "it already exists; `cadence new` never overwrites a file")
        }
        try OutputPreparation.makeFolders(for: [path])
        let output = try PendingOutput(path)
        try output.write(Array(StarterRoutine.text(title: FilePaths.baseName(of: path)).utf8))
        try output.commit(replacing: false)
        Console.message(
            "wrote \(PathBytes.display(path)); edit it, then `cadence check \(PathBytes.display(path))` and `cadence render \(PathBytes.display(path))`"
        )
    }
}
