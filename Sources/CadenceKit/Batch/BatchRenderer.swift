import Foundation
import Synchronization

/// One routine of a batch and where its track goes.
public struct BatchItem: Sendable, Hashable {
    public var routine: String
    public var output: String
    /// The day of the routine's program this track is for (`render --all-days`); nil for day 1 of a
    /// routine rendered as a whole.
    public var day: Int?

    public init(routine: String, output: String, day: Int? = nil) {
        self.routine = routine
        self.output = output
        self.day = day
    }
}

/// What happened to one routine of a batch.
public enum BatchOutcome: Sendable {
    case rendered
    /// The track was already made from the same inputs.
    case upToDate
    case failed(any CadenceError)
}

/// An error that is not one of Cadence's own (it should not happen), carried as its text.
struct UnexpectedError: CadenceError {
    var message: String
    var path: String? { nil }
    var exitStatus: ExitStatus { .failure }
}

/// Renders many routines with the same options, several at once, skipping those whose track is up
/// to date (see `TrackManifest`). The sounds, the music's measurements and the speech program are
/// prepared once for all of them. One routine's failure does not stop the others. Every track is
/// rendered exactly as it would be alone, so the bytes do not depend on how many run at once.
public final class BatchRenderer: Sendable {
    private let items: [BatchItem]
    private let options: RenderOptions
    private let resources: RenderResources
    private let jobs: Int
    private let force: Bool
    private let fingerprints: RenderFingerprint
    private let manifests: [String: ManifestStore]
    private let nextItem = Atomic<Int>(0)

    /// Prepares a batch; hashing the shared inputs (pack sounds, music) refuses any that is not a
    /// regular file, as rendering would.
    public init(
        items: [BatchItem], options: RenderOptions, resources: RenderResources, jobs: Int, force: Bool,
        shouldStop: () -> Bool = { false }
    ) throws {
        self.items = items
        self.options = options
        self.resources = resources
        self.jobs = max(1, min(jobs, items.count))
        self.force = force
        fingerprints = try RenderFingerprint(options: options, shouldStop: shouldStop)
        var manifests: [String: ManifestStore] = [:]
        for item in items {
            let folder = FilePaths.folder(of: item.output)
            if manifests[folder] == nil { manifests[folder] = ManifestStore(folder: folder) }
        }
        self.manifests = manifests
    }

    /// Renders every item and returns the outcomes in the items' order (an item not reached because
    /// a stop was asked for is `.failed` with `RenderError.interrupted`).
    /// - Parameters:
    ///   - started: called (from a worker thread) when an item is taken up.
    ///   - progress: called (from a worker thread) with an item's index and fraction done.
    ///   - finished: called (from a worker thread) when an item is done, with its time in seconds.
    ///   - read: called (from a worker thread) with an item's index, the routine's bytes as read and
    ///     their fingerprint, before the up-to-date check: what the track is (or was) made from.
    public func run(
        shouldStop: @escaping @Sendable () -> Bool,
        started: @escaping @Sendable (Int) -> Void = { _ in },
        progress: @escaping @Sendable (Int, Double) -> Void = { _, _ in },
        finished: @escaping @Sendable (Int, BatchOutcome, TimeInterval) -> Void = { _, _, _ in },
        read: @escaping @Sendable (Int, [UInt8], String) -> Void = { _, _, _ in },
        warn: @escaping @Sendable (String) -> Void = { _ in }
    ) -> [BatchOutcome] {
        let outcomes = Mutex([BatchOutcome?](repeating: nil, count: items.count))
        DispatchQueue.concurrentPerform(iterations: jobs) { _ in
            while !shouldStop() {
                let index = nextItem.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < items.count else { break }
                started(index)
                let began = Date()
                let outcome = render(items[index], index: index, shouldStop: shouldStop, progress: progress, read: read, warn: warn)
                outcomes.withLock { $0[index] = outcome }
                finished(index, outcome, Date().timeIntervalSince(began))
            }
        }
        for manifest in manifests.values { manifest.save() }
        return outcomes.withLock { list in
            list.map { $0 ?? .failed(RenderError.interrupted(path: "", signal: StopSignal.signal)) }
        }
    }

    private func render(
        _ item: BatchItem, index: Int, shouldStop: () -> Bool,
        progress: @escaping @Sendable (Int, Double) -> Void,
        read: (Int, [UInt8], String) -> Void, warn: (String) -> Void
    ) -> BatchOutcome {
        do {
            let (bytes, size) = try InputFile.readBytes(item.routine, kind: "routine file", limit: TextScreening.maximumFileSize)
            let fingerprint = fingerprints.fingerprint(routineBytes: bytes, day: item.day)
            read(index, bytes, fingerprint)
            let manifest = manifests[FilePaths.folder(of: item.output)]!
            let name = FilePaths.name(of: item.output)
            if !force, manifest.isUpToDate(track: name, at: item.output, fingerprint: fingerprint) { return .upToDate }
            let routine = try RoutineLoader.parse(bytes, path: item.routine, size: size, level: options.level, day: item.day)
            let day = try routine.checkedDay(item.day, path: item.routine)
            try Scheduler.checkMemory(for: routine, at: options.level, day: day)
            let guide: SpokenGuide
            do {
                guide = try SpokenGuide.make(for: routine, day: day, resources: resources, shouldStop: shouldStop)
            } catch RenderError.interrupted(_, let signal) {
                throw RenderError.interrupted(path: item.output, signal: signal)
            }
            for warning in guide.warnings(path: item.routine) { warn(warning) }
            let stamp = try TrackRenderer.render(
                guide.timeline, to: item.output, options: options, resources: resources, guide: guide,
                progress: { progress(index, $0) }, shouldStop: shouldStop)
            manifest.record(track: name, fingerprint: fingerprint, stamp: stamp)
            return .rendered
        } catch let error as CadenceError {
            return .failed(error)
        } catch {
            return .failed(UnexpectedError(message: "\(error)"))
        }
    }
}
