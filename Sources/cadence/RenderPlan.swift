import CadenceKit

/// Routines to render and where their tracks go: no routine renders the built-in one; one routine
/// file goes to `-o FILE`, or `<out-dir>/<base name>.<ext>` (`.` by default); several files or a
/// folder go to `<out-dir>/<base name>.<ext>` as a batch.
struct RenderPlan {
    struct Job {
        /// The routine file, or nil for the built-in default routine.
        var routine: String?
        var output: String
    }

    var jobs: [Job]
    var format: AudioFormat
    /// Several routines (or a folder): rendered as a batch, skipping tracks that are up to date.
    var isBatch: Bool
    /// The folder the tracks go to.
    var outputFolders: [String] { Array(Set(jobs.map { FilePaths.folder(of: $0.output) })).sorted() }

    init(routines: [String], output: String?, outDir: String?, format explicitFormat: AudioFormat?) throws {
        if output != nil, outDir != nil {
            throw RenderError.invalidOptions("give -o (one track's path) or --out-dir (the folder for the tracks), not both")
        }
        func track(_ routine: String?, _ format: AudioFormat) -> String {
            let base = routine.map(FilePaths.baseName(of:)) ?? DefaultRoutine.name
            return FilePaths.join(outDir ?? ".", base + "." + format.fileExtension)
        }
        let files = try Self.routineFiles(routines)
        if files.routines.count <= 1, !files.sawFolder {
            format = try AudioFormat.resolve(explicit: explicitFormat, output: output)
            let routine = files.routines.first
            jobs = [Job(routine: routine, output: output ?? track(routine, format))]
            isBatch = false
            return
        }
        if output != nil {
            throw RenderError.invalidOptions("-o names one track; with several routines or a folder, use --out-dir for the folder the tracks go to")
        }
        format = explicitFormat ?? .wav
        isBatch = true
        var seen: [[UInt8]: String] = [:]
        jobs = []
        for file in files.routines {
            let output = track(file, format)
            if let other = seen[PathBytes.key(output)] {
                throw RenderError.invalidOptions("\(PathBytes.display(other)) and \(PathBytes.display(file)) would both be rendered to \(PathBytes.display(output)); rename one")
            }
            seen[PathBytes.key(output)] = file
            jobs.append(Job(routine: file, output: output))
        }
    }

    /// The routine files named: files as given, folders as every *.yaml / *.yml in them, sorted.
    /// A path that does not exist is kept as a file: rendering reports it (exit 66) on its own, and
    /// in a batch the other routines are still rendered.
    static func routineFiles(_ paths: [String]) throws(InputError) -> (routines: [String], sawFolder: Bool) {
        var routines: [String] = []
        var sawFolder = false
        for path in paths {
            guard RoutineFolder.isFolder(path) else {
                routines.append(path)
                continue
            }
            sawFolder = true
            routines += try RoutineFolder.routines(in: path)
        }
        return (routines, sawFolder)
    }
}
