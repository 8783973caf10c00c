import Foundation
import Synchronization

/// A library site: a static folder that plays every routine of a folder on any device, from any web
/// server or from files, and a podcast feed that brings every new or edited session to a podcast
/// app (the files are listed in `SiteLayout`).
///
/// It is kept up to date like a batch: the tracks are rendered by `BatchRenderer` into the site's
/// `tracks/` folder, with the same fingerprints and manifest, so only what changed is rendered
/// again; every other file is written only when its bytes change, so a run with nothing changed
/// leaves every byte (and every file's time) as it was. `SiteManifest` keeps each routine's feed
/// GUID for good. A routine that fails (invalid, unreadable) is reported and left out of the
/// index and the feed, and the files it had from an earlier run are kept; the files of a routine
/// that is gone are removed. One run at a time works on a site: a second waits for the first.
public final class LibrarySite {
    public let settings: SiteSettings
    /// The routine files, in name order.
    public let routines: [String]
    /// Every track the site renders: the MP3 of each routine in order, then its Opus track when asked for.
    public let items: [BatchItem]
    private let bases: [String]

    /// Finds the routines (a folder without any is an `InputError`, exit 66) and where their files go.
    /// Two routines that would have the same files (`a.yaml` and `a.yml`) are refused (exit 64).
    public init(settings: SiteSettings) throws {
        self.settings = settings
        guard RoutineFolder.isFolder(settings.routinesFolder) else {
            throw InputError(
                path: settings.routinesFolder,
                reason: RoutineFolder.exists(settings.routinesFolder)
                    ? "is not a folder; `cadence site` makes a site of a folder of routines" : "no such folder")
        }
        routines = try RoutineFolder.routines(in: settings.routinesFolder)
        var seen: [String: String] = [:]
        var bases: [String] = []
        for routine in routines {
            let base = FilePaths.baseName(of: routine)
            if let other = seen[base] {
                throw RenderError.invalidOptions(
                    "\(PathBytes.display(other)) and \(PathBytes.display(routine)) would both be "
                        + "published as \(PathBytes.display(base)); rename one")
            }
            seen[base] = routine
            bases.append(base)
        }
        self.bases = bases
        let folder = settings.siteFolder
        var items = zip(routines, bases).map { BatchItem(routine: $0, output: FilePaths.join(folder, SiteLayout.track($1, .mp3))) }
        if settings.opus != nil {
            items += zip(routines, bases).map { BatchItem(routine: $0, output: FilePaths.join(folder, SiteLayout.track($1, .opus))) }
        }
        self.items = items
    }

    /// Every file the site may write, with words for a message (for `OutputSafety`).
    public var outputs: [OutputSafety.NamedFile] {
        let site = (SiteLayout.siteFiles + [SiteManifest.fileName]).map { FilePaths.join(settings.siteFolder, $0) }
        let routineFiles = bases.flatMap { base in
            [SiteLayout.page(base), SiteLayout.chapters(base)].map { FilePaths.join(settings.siteFolder, $0) }
        }
        return (site + routineFiles).map { OutputSafety.NamedFile($0, label: "the site file \(PathBytes.display($0))") }
            + items.map { OutputSafety.NamedFile($0.output, label: "the track \(PathBytes.display($0.output))") }
    }

    /// The folders the site writes into.
    public var folders: [String] { [settings.siteFolder, FilePaths.join(settings.siteFolder, SiteLayout.tracksFolder)] }

    /// Renders what changed, writes what changed, removes the files of routines that are gone.
    /// `mp3Resources` and `opusResources` are prepared for `settings.mp3` and `settings.opus`. The
    /// callbacks are those of `BatchRenderer.run`, with indexes into `items`; `waiting` is called
    /// once if another run holds the site.
    public func build(
        mp3Resources: RenderResources, opusResources: RenderResources?,
        shouldStop: @escaping @Sendable () -> Bool,
        waiting: () -> Void = {},
        started: @escaping @Sendable (Int) -> Void = { _ in },
        progress: @escaping @Sendable (Int, Double) -> Void = { _, _ in },
        finished: @escaping @Sendable (Int, BatchOutcome, TimeInterval) -> Void = { _, _, _ in },
        warn: @escaping @Sendable (String) -> Void = { _ in }
    ) throws -> SiteReport {
        let lock = try lockSite(shouldStop: shouldStop, waiting: waiting)
        defer {
            FileSystem.unlock(lock)
            FileSystem.closeQuietly(lock)
        }
        let old = try SiteManifest.load(folder: settings.siteFolder)
        var report = SiteReport()

        // The tracks, as a batch: what each was made from is kept, to make its page from the same bytes.
        let count = routines.count
        let read = Mutex([Int: (bytes: [UInt8], fingerprint: String)]())
        var batches = [(settings.mp3, mp3Resources, 0)]
        if let opus = settings.opus, let opusResources { batches.append((opus, opusResources, count)) }
        for (options, resources, offset) in batches {
            // The Opus tracks say what the MP3 tracks say: their warnings are the same.
            let quiet: @Sendable (String) -> Void = { _ in }
            let batchWarn = offset == 0 ? warn : quiet
            let batch = try BatchRenderer(
                items: Array(items[offset..<offset + count]), options: options, resources: resources,
                jobs: settings.jobs, force: settings.force, shouldStop: shouldStop)
            report.outcomes += batch.run(
                shouldStop: shouldStop, started: { started(offset + $0) },
                progress: { progress(offset + $0, $1) },
                finished: { finished(offset + $0, $1, $2) },
                read: { index, bytes, fingerprint in read.withLock { $0[offset + index] = (bytes, fingerprint) } },
                warn: batchWarn)
            if shouldStop() { throw RenderError.interrupted(path: "", signal: StopSignal.signal) }
        }
        let inputs = read.withLock { $0 }

        // The sessions: each routine whose tracks are all there, made from the bytes they were.
        var manifest = old
        var entries: [SiteEntry] = []
        var keptFiles: [String] = []
        for (index, routine) in routines.enumerated() {
            do {
                entries.append(
                    try session(
                        index, routine: routine, inputs: inputs, outcomes: report.outcomes, manifest: &manifest,
                        resources: mp3Resources, shouldStop: shouldStop))
            } catch let problem as SessionProblem {
                report.problems.append(SiteReport.Problem(routine: routine, error: problem.error, reported: problem.reported))
                // Its files from an earlier run stay (a typo does not take a session away), and so does its GUID.
                keptFiles += SiteLayout.files(of: bases[index]).filter { old.files.contains($0) }
            }
        }
        report.sessions = entries.count

        // The record first: a GUID given out must be kept before any feed shows it.
        var files = Set(keptFiles + SiteLayout.siteFiles)
        for entry in entries { files.formUnion([entry.pagePath, entry.chaptersPath] + entry.tracks.map(\.path)) }
        let stale = Set(old.files).subtracting(files).filter(SiteLayout.isSiteFile)
        manifest.files = files.union(stale).sorted()
        try saveManifest(manifest)

        // Each session's chapters and page, then the site's own files, the feed last.
        for entry in entries {
            try write(PodcastChapters.json(entry.timeline), to: entry.chaptersPath, &report)
            let links = SitePageLinks(siteTitle: settings.title, tracks: entry.tracks)
            try write(PlayerPage.html(timeline: entry.timeline, audio: .site(links)), to: entry.pagePath, &report)
        }
        try write(SiteIcon.svg, to: SiteLayout.icon, &report)
        try write(WebAppManifest.json(title: settings.title), to: SiteLayout.appManifest, &report)
        try write(SiteServiceWorker.javaScript, to: SiteLayout.serviceWorker, &report)
        try write(SiteIndexPage.html(title: settings.title, entries: entries, address: settings.address), to: SiteLayout.index, &report)
        try write(PodcastFeed.xml(title: settings.title, entries: entries, address: settings.address), to: SiteLayout.feed, &report)

        // What no routine has any more goes, now that nothing links to it.
        for path in stale.sorted() where SiteFiles.remove(FilePaths.join(settings.siteFolder, path)) {
            report.removed.append(FilePaths.join(settings.siteFolder, path))
        }
        manifest.files = files.sorted()
        try saveManifest(manifest)
        return report
    }

    /// Why a routine is left out: its error, and whether a track's outcome gave it already.
    private struct SessionProblem: Error {
        var error: any CadenceError
        var reported: Bool
    }

    /// The session of routine `index`, when every one of its tracks was rendered or is up to date
    /// and all were made from the same bytes; its GUID and publication date from (and into) `manifest`.
    private func session(
        _ index: Int, routine: String, inputs: [Int: (bytes: [UInt8], fingerprint: String)],
        outcomes: [BatchOutcome], manifest: inout SiteManifest, resources: RenderResources,
        shouldStop: () -> Bool
    ) throws -> SiteEntry {
        let count = routines.count
        let trackIndexes = [index] + (settings.opus == nil ? [] : [count + index])
        for trackIndex in trackIndexes {
            if case .failed(let error) = outcomes[trackIndex] { throw SessionProblem(error: error, reported: true) }
        }
        guard let mp3Input = inputs[index] else {
            throw SessionProblem(error: UnexpectedError(message: "\(PathBytes.display(routine)) was not read"), reported: false)
        }
        let changed = InputError(path: routine, reason: "the routine changed while the site was being made; run `cadence site` again")
        if settings.opus != nil, inputs[count + index]?.bytes != mp3Input.bytes { throw SessionProblem(error: changed, reported: false) }

        let options = settings.mp3
        let timeline: Timeline
        do {
            let parsed = try RoutineLoader.parse(mp3Input.bytes, path: routine, level: options.level)
            try Scheduler.checkMemory(for: parsed, at: options.level)
            // As the track was scheduled: with the transitions `transition: fit` lengthens for the voice.
            timeline = try SpokenGuide.make(for: parsed, resources: resources, shouldStop: shouldStop).timeline
        } catch let error as CadenceError {
            throw SessionProblem(error: error, reported: false)
        }

        let base = bases[index]
        func track(_ format: AudioFormat, _ fingerprint: String) throws -> SiteEntry.Track {
            let path = SiteLayout.track(base, format)
            guard let stamp = FileStamp.of(FilePaths.join(settings.siteFolder, path)) else {
                throw SessionProblem(
                    error: InputError(
                        path: FilePaths.join(settings.siteFolder, path),
                        reason: "the track vanished while the site was being made; run `cadence site` again"),
                    reported: false)
            }
            return SiteEntry.Track(format: format, path: path, size: stamp.size, version: fingerprint)
        }
        let mp3 = try track(.mp3, mp3Input.fingerprint)
        let opus = try settings.opus.map { _ in try track(.opus, inputs[count + index]!.fingerprint) }

        // A GUID once per routine file name; a new date whenever the track's content is new. Tracks
        // rendered in one run are dated a second apart, in name order, so apps list them as the index does.
        let name = FilePaths.name(of: routine)
        var item = manifest.items[name] ?? SiteManifest.Item(guid: SiteManifest.newGUID(), published: 0, track: "")
        if item.track != mp3Input.fingerprint {
            item.track = mp3Input.fingerprint
            item.published = settings.now - Int64(index)
        }
        manifest.items[name] = item
        return SiteEntry(
            routineName: name, base: base, timeline: timeline, guid: item.guid, published: item.published,
            mp3: mp3, opus: opus)
    }

    private func write(_ text: String, to path: String, _ report: inout SiteReport) throws {
        let full = FilePaths.join(settings.siteFolder, path)
        if try SiteFiles.write(text, to: full) { report.written.append(full) } else { report.unchanged += 1 }
    }

    private func saveManifest(_ manifest: SiteManifest) throws {
        try SiteFiles.write(manifest.encoded(), to: SiteManifest.path(in: settings.siteFolder))
    }

    /// Locks the site's folder for this run (`flock`), waiting while another run holds it.
    private func lockSite(shouldStop: () -> Bool, waiting: () -> Void) throws -> Int32 {
        let folder = settings.siteFolder
        let descriptor: Int32
        do {
            descriptor = try FileSystem.open(folder, O_RDONLY | O_DIRECTORY)
        } catch {
            throw RenderError.cannotCreateOutput(path: folder, reason: "cannot open the site's folder: \(error.reason)")
        }
        var announced = false
        while (try? FileSystem.lock(descriptor, wait: false)) == nil {
            if shouldStop() {
                FileSystem.closeQuietly(descriptor)
                throw RenderError.interrupted(path: "", signal: StopSignal.signal)
            }
            if !announced {
                announced = true
                waiting()
            }
            usleep(50_000)
        }
        return descriptor
    }
}
