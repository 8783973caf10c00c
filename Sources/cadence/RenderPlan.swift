import CadenceKit
import Foundation

/// Routines to render and where their tracks go, following cli.md: no routine renders the built-in
/// one, one routine file goes to -o FILE or ./<base name>.<ext>, several files or a folder go to
/// <out-dir>/<base name>.<ext>.
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

    init(routines: [String], output: String?, outDir: String?, format explicitFormat: AudioFormat?) throws {
        func track(_ baseName: String, _ format: AudioFormat) -> String {
            let name = baseName + "." + format.fileExtension
            guard let outDir, outDir != "." else { return name }
            return (outDir as NSString).appendingPathComponent(name)
        }
        let files = try Self.routineFiles(routines)
        if files.routines.count <= 1, !files.sawFolder {
            format = explicitFormat ?? output.flatMap { AudioFormat(pathExtension: ($0 as NSString).pathExtension) } ?? .wav
            let routine = files.routines.first
            let base = routine.map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension } ?? DefaultRoutine.name
            jobs = [Job(routine: routine, output: output ?? track(base, format))]
            isBatch = false
            return
        }
        if output != nil {
            throw RenderError.invalidOptions("-o/--output names one track; with several routines use --out-dir")
        }
        format = explicitFormat ?? .wav
        isBatch = true
        var seen: [String: String] = [:]
        jobs = []
        for file in files.routines {
            let output = track((((file as NSString).lastPathComponent) as NSString).deletingPathExtension, format)
            if let other = seen[output] {
                throw RenderError.invalidOptions("\(other) and \(file) would both be rendered to \(output); rename one")
            }
            seen[output] = file
            jobs.append(Job(routine: file, output: output))
        }
    }

    /// The routine files named: files as given, folders as every *.yaml / *.yml in them, sorted.
    static func routineFiles(_ paths: [String]) throws -> (routines: [String], sawFolder: Bool) {
        var routines: [String] = []
        var sawFolder = false
        for path in paths {
            // A missing path is kept as a routine file: rendering it reports "no such file" (exit 66)
            // on its own, and in a batch the other routines are still rendered.
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
                routines.append(path)
                continue
            }
            sawFolder = true
            routines += try routinesInFolder(path)
        }
        return (routines, sawFolder)
    }

    static func routinesInFolder(_ folder: String) throws -> [String] {
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw InputError(path: folder, reason: "cannot list this folder")
        }
        let yaml = entries.filter { ($0.hasSuffix(".yaml") || $0.hasSuffix(".yml")) && !$0.hasPrefix(".") }.sorted()
        if yaml.isEmpty { throw InputError(path: folder, reason: "the folder has no .yaml or .yml routines") }
        return yaml.map { (folder as NSString).appendingPathComponent($0) }
    }
}
