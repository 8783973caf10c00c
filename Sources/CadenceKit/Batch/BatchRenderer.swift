import Foundation

/// One routine of a batch and where its track goes.
public struct BatchItem: Sendable {
    public var routine: String
    public var output: String

    public init(routine: String, output: String) {
        self.routine = routine
        self.output = output
    }
}

/// What happened to one routine of a batch.
public enum BatchOutcome {
    case rendered
    /// The track was already made from the same inputs.
    case upToDate
    case failed(Error)
}

/// Renders many routines with the same options, several at once, skipping those whose track is
/// up to date (see `TrackManifest`). One routine's failure does not stop the others. Every track
/// is rendered exactly as it would be alone, so the bytes do not depend on how many run at once.
public final class BatchRenderer {
    private let items: [BatchItem]
    private let options: RenderOptions
    private let jobs: Int
    private let force: Bool
    private let fingerprints: RenderFingerprint
    private let lock = NSLock()
    private var manifests: [String: TrackManifest] = [:]
    private var nextItem = 0

    public init(items: [BatchItem], options: RenderOptions, jobs: Int, force: Bool) {
        self.items = items
        self.options = options
        self.jobs = max(1, min(jobs, items.count))
        self.force = force
        fingerprints = RenderFingerprint(options: options)
    }

    /// Renders every item and returns the outcomes in the items' order.
    /// - Parameters:
    ///   - started: called (from a worker thread) when an item is taken up.
    ///   - progress: called (from a worker thread) with an item's index and fraction done.
    ///   - finished: called (from a worker thread) when an item is done, with its time in seconds.
    public func run(shouldStop: @escaping () -> Bool,
                    started: @escaping (Int) -> Void = { _ in },
                    progress: @escaping (Int, Double) -> Void = { _, _ in },
                    finished: @escaping (Int, BatchOutcome, TimeInterval) -> Void = { _, _, _ in }) -> [BatchOutcome] {
        var outcomes = [BatchOutcome?](repeating: nil, count: items.count)
        DispatchQueue.concurrentPerform(iterations: jobs) { _ in
            while let index = takeNext(), !shouldStop() {
                started(index)
                let began = Date()
                let outcome = render(items[index], index: index, shouldStop: shouldStop, progress: progress)
                lock.withLock { outcomes[index] = outcome }
                finished(index, outcome, Date().timeIntervalSince(began))
            }
        }
        return outcomes.map { $0 ?? .failed(RenderError.interrupted(path: "")) }
    }

    private func takeNext() -> Int? {
        lock.withLock {
            guard nextItem < items.count else { return nil }
            defer { nextItem += 1 }
            return nextItem
        }
    }

    private func render(_ item: BatchItem, index: Int, shouldStop: @escaping () -> Bool,
                        progress: @escaping (Int, Double) -> Void) -> BatchOutcome {
        do {
            let bytes = try InputFile.readBytes(path: item.routine, limit: TextScreening.maximumFileSize)
            let fingerprint = fingerprints.fingerprint(routineBytes: bytes)
            let folder = (item.output as NSString).deletingLastPathComponent
            let name = (item.output as NSString).lastPathComponent
            let upToDate = lock.withLock { () -> Bool in
                if manifests[folder] == nil { manifests[folder] = TrackManifest.load(folder: folder.isEmpty ? "." : folder) }
                return manifests[folder]!.isUpToDate(track: name, at: item.output, fingerprint: fingerprint)
            }
            if upToDate, !force { return .upToDate }
            let routine = try RoutineLoader.parse(bytes, path: item.routine, level: options.level)
            let timeline = Scheduler.schedule(routine, sampleRate: options.sampleRate, level: options.level)
            try TrackRenderer.render(timeline, to: item.output, options: options,
                                     progress: { progress(index, $0) }, shouldStop: shouldStop)
            lock.withLock {
                manifests[folder]!.record(track: name, at: item.output, fingerprint: fingerprint)
                // A manifest that cannot be saved only means the track is rendered again next time.
                try? manifests[folder]!.save(folder: folder.isEmpty ? "." : folder)
            }
            return .rendered
        } catch {
            return .failed(error)
        }
    }
}
