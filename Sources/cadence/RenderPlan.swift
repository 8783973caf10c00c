import CadenceKit

/// Routines to render and where their tracks go: no routine renders the built-in one; one routine
/// file goes to `-o FILE`, or `<out-dir>/<base name>.<ext>` (`.` by default); several files or a
/// folder go to `<out-dir>/<base name>.<ext>` as a batch.
struct RenderPlan {
    struct Job {
        /// The routine file, or nil for the built-in default routine.
        var routine: String?
        var output: String
        /// With `--all-days`: the day of the routine's program this track is for.
        var day: Int?
    }

    var jobs: [Job]
    var format: AudioFormat
    /// Several routines (or a folder): rendered as a batch, skipping tracks that are up to date.
    var isBatch: Bool
    /// The folder the tracks go to.
    var outputFolders: [String] { Array(Set(jobs.map { FilePaths.folder(of: $0.output) })).sorted() }

    init(routines: [String], output: String?, outDir: String?, format explicitFormat: AudioFormat?, allDays: Bool = false) throws {
        if output != nil, outDir != nil {
            throw RenderError.invalidOptions("give -o (one track's path) or --out-dir (the folder for the tracks), not both")
        }
        if allDays {
            format = explicitFormat ?? .wav
            jobs = try Self.allDaysJobs(routines, output: output, outDir: outDir, format: explicitFormat ?? .wav)
            isBatch = true
            return
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
            throw RenderError.invalidOptions(
                "-o names one track; with several routines or a folder, use --out-dir for the folder the tracks go to")
        }
        format = explicitFormat ?? .wav
        isBatch = true
        var seen: [[UInt8]: String] = [:]
        jobs = []
        for file in files.routines {
            let output = track(file, format)
            if let other = seen[PathBytes.key(output)] {
                throw RenderError.invalidOptions(
                    "\(PathBytes.display(other)) and \(PathBytes.display(file)) would both be rendered to \(PathBytes.display(output)); rename one"
                )
            }
            seen[PathBytes.key(output)] = file
            jobs.append(Job(routine: file, output: output))
        }
    }

    /// `--all-days`: a batch with one track per day of each routine's program (`BASE-day01.EXT` ...),
    /// and one track (`BASE.EXT`) for a routine without `days:`. A routine that cannot be read here
    /// gets one job, which reports its problems when it is rendered.
    private static func allDaysJobs(_ routines: [String], output: String?, outDir: String?, format: AudioFormat) throws -> [Job] {
        guard !routines.isEmpty else {
            throw RenderError.invalidOptions(
                "--all-days renders the days of a routine's program; name the routine (the built-in one has no `days:`)")
        }
        if output != nil {
            throw RenderError.invalidOptions(
                "-o names one track; --all-days writes one per day, so use --out-dir for the folder they go to")
        }
        let files = try Self.routineFiles(routines)
        var seen: [String: String] = [:]
        var jobs: [Job] = []
        for file in files.routines {
            let base = FilePaths.baseName(of: file)
            let days = RoutineLoader.programDays(ofRoutineAt: file)
            let named: [(String, Int?)] =
                days.map { days in
                    (1...days).map { (Routine.dayTrackName(base: base, day: $0, of: days, fileExtension: format.fileExtension), $0) }
                } ?? [(base + "." + format.fileExtension, nil)]
            for (name, day) in named {
                let output = FilePaths.join(outDir ?? ".", name)
                if let other = seen[output] {
                    throw RenderError.invalidOptions(
                        "\(PathBytes.display(other)) and \(PathBytes.display(file)) would both be rendered to \(PathBytes.display(output)); rename one"
                    )
                }
                seen[output] = file
                jobs.append(Job(routine: file, output: output, day: day))
            }
        }
        return jobs
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
