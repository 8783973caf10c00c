import Synchronization

/// Music decoded and resampled once and kept, so that a playlist that repeats is decoded once
/// instead of at every repeat: in memory for files small enough (a fixed budget, so memory does not
/// grow with the session), else in scratch files in the temporary folder (`MusicScratch`, within a
/// budget of their own), filled as a file is measured or first played. Files measured for the first
/// time are kept as they are measured, so even a first render decodes them only once. The cache
/// belongs to the render's resources, so every track of a batch, on every job's thread, shares it.
/// Files that fit neither budget are decoded as they play.
final class MusicCache: Sendable {
    /// At most this many samples are kept in memory (16 MB of floats, about 90 s of stereo at
    /// 44.1 kHz), all files together.
    static let budget = 4 << 20
    /// At most this many samples go to scratch files (1 GB of floats, about 50 minutes of stereo
    /// at 44.1 kHz), all files together.
    static let scratchBudget = 1 << 28

    private let scratch = Mutex<(files: [String: MusicScratch], started: Set<String>, kept: Int)>(([:], [], 0))

    let sampleRate: Int
    let channels: Int
    private let state = Mutex<(tracks: [String: [Float]], refused: Set<String>, kept: Int)>(([:], [], 0))

    /// The budgets in use (the defaults above; smaller ones in tests).
    let memoryBudget: Int
    let scratchFileBudget: Int

    init(sampleRate: Int, channels: Int, memoryBudget: Int = MusicCache.budget, scratchBudget: Int = MusicCache.scratchBudget) {
        self.sampleRate = sampleRate
        self.channels = channels
        self.memoryBudget = memoryBudget
        scratchFileBudget = scratchBudget
    }

    /// Whether `samples` more would fit.
    func hasRoom(for samples: Int) -> Bool {
        state.withLock { $0.kept + samples <= memoryBudget }
    }

    /// Keeps the decoded `samples` of `path` (the whole file at the cache's rate and channels) if they fit.
    func offer(_ samples: [Float], for path: String) {
        state.withLock { state in
            guard state.tracks[path] == nil, state.kept + samples.count <= memoryBudget else { return }
            state.tracks[path] = samples
            state.kept += samples.count
        }
    }

    /// The scratch file holding `path` whole, if there is one.
    func scratchFile(for path: String) -> MusicScratch? {
        scratch.withLock { $0.files[path] }
    }

    /// A new scratch file to fill with `path`, or nil when one is (being) made already, or there is
    /// no room (`frames` is the file's expected length; an estimate will do).
    func startScratch(for path: String, frames: Int64) -> MusicScratch? {
        let size = Int(frames) * channels
        let reserved = scratch.withLock { state -> Bool in
            guard !state.started.contains(path), state.kept + size <= scratchFileBudget else { return false }
            state.started.insert(path)
            state.kept += size
            return true
        }
        guard reserved else { return nil }
        guard let file = MusicScratch(channels: channels, source: path) else {
            scratch.withLock { _ = $0.started.remove(path) }
            return nil
        }
        return file
    }

    /// Publishes a scratch file filled with the whole of `path` (or, `whole` false, gives up on it,
    /// after which the file may be started again).
    func endScratch(_ file: MusicScratch, for path: String, reserved frames: Int64, whole: Bool) {
        scratch.withLock { state in
            state.kept += (whole ? Int(file.frames) * channels : 0) - Int(frames) * channels
            if whole {
                file.finish()
                state.files[path] = file
            } else {
                state.started.remove(path)
            }
        }
    }

    /// The whole file at the track's rate and channels, or nil when it does not fit the budget.
    /// A file not kept yet is decoded now (while other threads asking for it wait).
    func samples(of track: MusicPlaylist.Track) throws -> [Float]? {
        try state.withLock { state throws -> [Float]? in
            if let samples = state.tracks[track.path] { return samples }
            let size = Int(track.frames) * channels
            guard !state.refused.contains(track.path), state.kept + size <= memoryBudget else {
                state.refused.insert(track.path)
                return nil
            }
            let decoder = try MusicDecoder(path: track.path, sampleRate: sampleRate, channels: channels)
            var samples = [Float](repeating: 0, count: size)
            var made = 0
            while made < Int(track.frames) {
                let count = try samples.withUnsafeMutableBufferPointer { buffer in
                    try decoder.read(into: buffer.baseAddress! + made * channels, frameCount: Int(track.frames) - made)
                }
                if count == 0 { break }
                made += count
            }
            state.tracks[track.path] = samples
            state.kept += size
            return samples
        }
    }
}
