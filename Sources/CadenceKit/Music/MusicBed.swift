import Foundation
import Synchronization

/// The music of a render, prepared once: each file analysed and its gain set, the ducking worked
/// out from where the cue sounds play. A fresh playlist is made for each pass.
struct MusicBed {
    /// Each music file is first brought to this loudness (LUFS); the master gain then sets the mix.
    static let fileLoudness = -16.0

    let tracks: [MusicPlaylist.Track]
    let ducking: DuckingEnvelope
    let sampleRate: Int
    let channels: Int
    let totalFrames: Int64
    let fadeOutStart: Int64
    private let cache: MusicCache

    /// Analyses every music file once (a file named twice is analysed once; see
    /// `MusicAnalysisStore`) and returns the playlist's tracks at the cache's rate and channels; a
    /// file that cannot be played is an `InputError`. A file decoded to be measured is offered to
    /// `cache`, so that playing it needs no second decoding.
    static func measure(
        _ files: [String], cache: MusicCache, store: MusicAnalysisStore,
        shouldStop: () -> Bool
    ) throws -> [MusicPlaylist.Track] {
        // Distinct files (by their paths' bytes: two Unicode forms of one name are two files) are
        // analysed side by side, on as many threads as there are cores.
        var unique: [String] = []
        var seen: Set<[UInt8]> = []
        for path in files where seen.insert(PathBytes.key(path)).inserted { unique.append(path) }
        let distinct = unique
        let results = Mutex([[UInt8]: Result<MusicAnalysis, any Error>]())
        withoutActuallyEscaping(shouldStop) { shouldStop in
            let stop = StopCheck(shouldStop)
            let next = Atomic<Int>(0)
            let threads = max(1, min(distinct.count, ProcessInfo.processInfo.activeProcessorCount))
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                while true {
                    let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard index < distinct.count else { return }
                    let path = distinct[index]
                    let result = Result { try analyse(path, cache: cache, store: store, shouldStop: stop.check) }
                    results.withLock { $0[PathBytes.key(path)] = result }
                }
            }
        }
        var tracks: [MusicPlaylist.Track] = []
        let measured = results.withLock { $0 }
        for path in distinct {
            // The first failure in the order the files were given.
            if case .failure(let error) = measured[PathBytes.key(path)]! { throw error }
        }
        for path in files {
            let analysis = try measured[PathBytes.key(path)]!.get()
            tracks.append(
                MusicPlaylist.Track(
                    path: path, gain: Float(pow(10, (fileLoudness - analysis.loudness) / 20)),
                    frames: analysis.frames, analysis: analysis))
        }
        return tracks
    }

    /// A stop check that may be called from the analysing threads (it only reads a flag or a signal).
    private final class StopCheck: @unchecked Sendable {
        private let shouldStop: () -> Bool
        init(_ shouldStop: @escaping () -> Bool) { self.shouldStop = shouldStop }
        func check() -> Bool { shouldStop() }
    }

    /// Analyses one file, keeping its decoded frames as it is measured: in memory while they fit,
    /// else in a scratch file.
    private static func analyse(
        _ path: String, cache: MusicCache, store: MusicAnalysisStore,
        shouldStop: () -> Bool
    ) throws -> MusicAnalysis {
        var decoded: [Float]? = []
        var scratch: (file: MusicScratch, reserved: Int64)?
        var scratchFailed = false
        let analysis = try store.analysis(
            of: path, sampleRate: cache.sampleRate, channels: cache.channels,
            shouldStop: shouldStop
        ) { block, expected in
            if var kept = decoded {
                if cache.hasRoom(for: kept.count + block.count) {
                    decoded = nil  // (keeps `kept` the array's only owner while it grows)
                    // Room for the whole file at once, so growing never holds two copies.
                    if kept.isEmpty, expected > 0, cache.hasRoom(for: Int(expected) * cache.channels) {
                        kept.reserveCapacity(Int(expected) * cache.channels)
                    }
                    kept.append(contentsOf: block)
                    decoded = kept
                    return
                }
                decoded = nil
                // Too large for memory: the frames so far and the rest go to a scratch file.
                if expected > 0, let file = cache.startScratch(for: path, frames: expected) {
                    scratch = (file, expected)
                    scratchFailed = !kept.withUnsafeBufferPointer { file.append($0) }
                } else {
                    scratchFailed = true
                }
            }
            if let (file, _) = scratch, !scratchFailed, !file.append(block) { scratchFailed = true }
        }.analysis
        if let decoded, !decoded.isEmpty { cache.offer(decoded, for: path) }
        if let (file, reserved) = scratch {
            cache.endScratch(file, for: path, reserved: reserved, whole: !scratchFailed && file.frames == analysis.frames)
        }
        return analysis
    }

    init(
        tracks: [MusicPlaylist.Track], cache: MusicCache, timeline: Timeline, options: RenderOptions,
        sounds: [DuckingEnvelope.Sound]
    ) {
        precondition(cache.sampleRate == options.sampleRate && cache.channels == options.channels)
        self.tracks = tracks
        ducking = DuckingEnvelope(
            sounds: sounds, decibels: options.duckDecibels, speechDecibels: options.speechDuckDecibels,
            sampleRate: options.sampleRate)
        sampleRate = options.sampleRate
        channels = options.channels
        totalFrames = timeline.totalSamples
        self.cache = cache
        // The music fades out over the tail, or over the last 3 seconds when the tail is shorter.
        let tailStart = timeline.intervals.last(where: { $0.kind == .tail })?.start ?? totalFrames
        fadeOutStart = min(tailStart, max(0, totalFrames - Int64(3 * options.sampleRate)))
    }

    func playlist() -> MusicPlaylist {
        MusicPlaylist(
            tracks: tracks, sampleRate: sampleRate, channels: channels, totalFrames: totalFrames,
            fadeOutStart: fadeOutStart, cache: cache)
    }
}
