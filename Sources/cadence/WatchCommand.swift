import ArgumentParser
import CadenceKit
import Foundation

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Keep tracks up to date: render a routine again as soon as it is saved.",
        discussion: """
            Watches folders of routines (*.yaml, *.yml) and single routine files. Renders every routine \
            that is not up to date, then looks for changes twice a second and renders what changed. \
            Errors are reported and watching goes on. Ctrl-C (or SIGTERM, SIGHUP) stops it, exit 0.
            """
    )

    @Argument(help: "Folders of routines, or routine files.")
    var paths: [String]

    @Option(name: .long, help: "The folder the tracks go to (default: the current folder; created if missing).")
    var outDir: String?

    @Option(name: .long, help: "wav, flac, ogg, opus or mp3: the format of every track (default: wav).")
    var format: AudioFormat?

    @OptionGroup var track: TrackOptions

    /// How often the routines are looked at.
    static let interval: useconds_t = 500_000

    func validate() throws {
        if paths.isEmpty { throw ValidationError("give a folder of routines or a routine file to watch") }
    }

    func run() throws {
        for path in paths where !RoutineFolder.exists(path) {
            throw InputError(path: path, reason: "no such folder or routine file")
        }
        let format = self.format ?? .wav
        let options = try track.renderOptions(format: format)
        if let outDir { try RoutineFolder.makeFolders(outDir) }
        let pack = try options.soundsFolder.map { folder throws(InputError) in try SoundPackFolder(folder: folder) }
        let resources = try RenderResources(options: options, shouldStop: { StopSignal.isRequested })
        for warning in resources.warnings { Console.message(warning) }
        OutputPreparation.sweep([outDir ?? "."], quiet: track.quiet)
        if !track.quiet {
            Console.message("watching \(paths.map(PathBytes.display).joined(separator: ", ")) (Ctrl-C to stop)")
        }
        var seen: [[UInt8]: FileStamp] = [:]
        var firstPass = true
        while !StopSignal.isRequested {
            let current = snapshot()
            let changed = current.filter { key, file in seen[key] != file.stamp }.map(\.value.path).sorted()
            seen = current.mapValues(\.stamp)
            if !changed.isEmpty {
                // Give an editor that saves in several writes a moment to finish.
                if !firstPass { usleep(150_000) }
                let items = changed.map { BatchItem(routine: $0, output: output(for: $0, format: format)) }
                do {
                    try OutputSafety.check(
                        outputs: items.map { .init($0.output, label: "the track \(PathBytes.display($0.output))") },
                        inputs: OutputPreparation.inputs(routines: items.map(\.routine), options: options, pack: pack))
                    _ = try RenderCommand.renderBatch(items, options: options, resources: resources, track: track)
                } catch {
                    Console.report(error)
                }
                firstPass = false
            }
            usleep(Self.interval)
        }
        if !track.quiet { Console.message("stopped watching \(paths.map(PathBytes.display).joined(separator: ", "))") }
    }

    private func output(for routine: String, format: AudioFormat) -> String {
        FilePaths.join(outDir ?? ".", FilePaths.baseName(of: routine) + "." + format.fileExtension)
    }

    /// The stamp of every routine watched (a file that vanished is left out; a non-regular one is
    /// kept with no stamp change, so it is reported once, when first seen).
    private func snapshot() -> [[UInt8]: (path: String, stamp: FileStamp)] {
        var result: [[UInt8]: (path: String, stamp: FileStamp)] = [:]
        for path in paths {
            if RoutineFolder.isFolder(path) {
                for routine in (try? RoutineFolder.routines(in: path)) ?? [] {
                    result[PathBytes.key(routine)] = (routine, RoutineFolder.stamp(of: routine))
                }
            } else if RoutineFolder.exists(path) {
                result[PathBytes.key(path)] = (path, RoutineFolder.stamp(of: path))
            }
        }
        return result
    }
}
