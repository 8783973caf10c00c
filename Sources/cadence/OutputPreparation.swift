import CadenceKit

/// What every command that writes files does before it starts: make the folders its outputs go
/// to, refuse an output that is one of the inputs (or another output), and clear partial files
/// that renders killed earlier left in those folders.
enum OutputPreparation {
    /// Makes the folder of each output file that is missing (and its parents).
    static func makeFolders(for outputs: [String]) throws(RenderError) {
        for output in outputs { try RoutineFolder.makeFolders(FilePaths.folder(of: output), for: output) }
    }

    /// The inputs of a render: routines, music files and the sound pack's files.
    static func inputs(routines: [String], options: RenderOptions, pack: SoundPackFolder?) -> [OutputSafety.NamedFile] {
        routines.map { OutputSafety.NamedFile($0, label: "the routine file \(PathBytes.display($0))") }
            + options.music.map { OutputSafety.NamedFile($0, label: "the music file \(PathBytes.display($0))") }
            + (pack?.files.values.sorted() ?? []).map { OutputSafety.NamedFile($0, label: "the pack sound \(PathBytes.display($0))") }
    }

    /// Removes stale partial files in `folders`, saying so unless `quiet`.
    static func sweep(_ folders: [String], quiet: Bool) {
        for folder in Set(folders).sorted() {
            for path in StalePartials.sweep(folder: folder) where !quiet {
                Console.message("note: removed \(PathBytes.display(path)), a partial file left by a render that did not finish")
            }
        }
    }

    /// `44.1 kHz stereo WAV`, as the line after a render says it.
    static func describe(_ options: RenderOptions) -> String {
        let rate =
            options.sampleRate % 1000 == 0
            ? "\(options.sampleRate / 1000)"
            : String(String(Double(options.sampleRate) / 1000).prefix(6))
        let depth =
            options.format.hasBitDepth && options.bitDepth != .pcm16
            ? " " + (options.bitDepth == .float ? "32-bit float" : "\(options.bitDepth.rawValue)-bit") : ""
        return "\(rate) kHz \(options.channels == 1 ? "mono" : "stereo")\(depth) \(options.format.displayName)"
    }
}
