import Foundation

/// A music file decoded once at the track's rate and channels into an unnamed scratch file in the
/// temporary folder (TMPDIR, or /tmp), for files too large to keep in memory that play more than
/// once: later repeats read the decoded frames back (the kernel's page cache serves them) instead of
/// decoding and resampling again, and the process's own memory does not grow. The file has no name,
/// so it is gone when the process ends, however it ends.
final class MusicScratch: @unchecked Sendable {
    // Written by one thread until `complete`; from then on only read, with pread, by any thread.
    private let file: OutputFile
    let channels: Int
    /// The music file it holds, for messages.
    let source: String
    private(set) var frames: Int64 = 0
    private(set) var complete = false

    /// A new, empty scratch file, or nil when the temporary folder cannot take one.
    init?(channels: Int, source: String) {
        let folder = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "/tmp"
        guard let file = try? OutputFile.scratch(in: folder) else { return nil }
        self.file = file
        self.channels = channels
        self.source = source
    }

    deinit {
        file.abandon()
    }

    /// Appends decoded frames (interleaved); false when the file cannot take them (disk full).
    func append(_ samples: UnsafeBufferPointer<Float>) -> Bool {
        precondition(!complete, "a complete scratch file is only read")
        do {
            try FileSystem.write(file.descriptor, UnsafeRawBufferPointer(samples), at: frames * Int64(channels) * 4)
        } catch {
            return false
        }
        frames += Int64(samples.count / channels)
        return true
    }

    /// Marks the file whole: it can be read from now on.
    func finish() {
        complete = true
    }

    /// Reads `count` frames from frame `start` into `output`; fewer past the end.
    func read(into output: UnsafeMutablePointer<Float>, from start: Int64, count: Int) throws -> Int {
        let available = Int(max(0, min(Int64(count), frames - start)))
        guard available > 0 else { return 0 }
        let bytes = available * channels * 4
        var done = 0
        while done < bytes {
            let made: Int
            do {
                made = try FileSystem.read(
                    file.descriptor, into: UnsafeMutableRawPointer(output) + done, count: bytes - done,
                    at: start * Int64(channels) * 4 + Int64(done))
            } catch {
                throw InputError(
                    path: source, reason: "cannot read this music file's decoded copy in the temporary folder: \(error.reason)")
            }
            if made == 0 { throw InputError(path: source, reason: "this music file's decoded copy in the temporary folder was cut short") }
            done += made
        }
        return available
    }
}
