import ArgumentParser
import CadenceKit
import Foundation

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Keep a folder's tracks up to date: render a routine again as soon as it is saved.",
        discussion: """
            Renders every routine of the folder that is not up to date, then looks for changes twice a \
            second and renders what changed. Errors are reported and watching goes on. Ctrl-C stops \
            (exit 0).
            """
    )

    @Argument(help: "The folder of routines (*.yaml, *.yml).")
    var folder: String

    @Option(name: .long, help: "The folder the tracks go to (default: the current folder).")
    var outDir: String?

    @OptionGroup var track: TrackOptions

    /// How often the folder is looked at.
    static let interval: useconds_t = 500_000

    func run() throws {
        Interrupts.install()
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw ExitCode(report(InputError(path: folder, reason: "no such folder")))
        }
        let format = track.format ?? .wav
        let options: RenderOptions
        do {
            options = try track.renderOptions(format: format)
            if let outDir { try RenderCommand.createFolder(outDir) }
        } catch {
            throw ExitCode(report(error))
        }
        if !track.quiet { StandardError.write("watching \(folder) (Ctrl-C to stop)") }
        var seen: [String: (size: Int64, modified: Int64)] = [:]
        var firstPass = true
        while !Interrupts.wasRequested {
            let current = snapshot()
            let changed = current.filter { path, stamp in seen[path].map { $0 != stamp } ?? true }.map(\.key).sorted()
            seen = current
            if !changed.isEmpty {
                // Give an editor that saves in several writes a moment to finish.
                if !firstPass { usleep(150_000) }
                let items = changed.map { path in
                    BatchItem(routine: path, output: output(for: path, format: format))
                }
                // `seen` keeps the stamps from before this render: a routine saved while it ran is
                // seen as changed next time round (and one that did not change is just up to date).
                _ = RenderCommand.renderBatch(items, options: options, track: track)
                firstPass = false
            }
            usleep(Self.interval)
        }
        if !track.quiet { StandardError.write("stopped watching \(folder)") }
    }

    private func output(for routine: String, format: AudioFormat) -> String {
        let base = ((routine as NSString).lastPathComponent as NSString).deletingPathExtension
        let name = base + "." + format.fileExtension
        guard let outDir, outDir != "." else { return name }
        return (outDir as NSString).appendingPathComponent(name)
    }

    /// The size and modification time of every routine in the folder.
    private func snapshot() -> [String: (size: Int64, modified: Int64)] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [:] }
        var result: [String: (size: Int64, modified: Int64)] = [:]
        for entry in entries where (entry.hasSuffix(".yaml") || entry.hasSuffix(".yml")) && !entry.hasPrefix(".") {
            let path = (folder as NSString).appendingPathComponent(entry)
            var status = stat()
            guard stat(path, &status) == 0 else { continue }
            result[path] = (Int64(status.st_size), Int64(status.st_mtim.tv_sec) * 1_000_000_000 + Int64(status.st_mtim.tv_nsec))
        }
        return result
    }
}
