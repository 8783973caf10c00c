import CadenceTestSupport
import Foundation
import XCTest
@testable import CadenceKit

/// The system-call seam of CadenceKit, tested in process: path strings that keep a file name's
/// bytes (`PathBytes`), path arithmetic without Foundation (`FilePaths`), files that appear only
/// when complete (`OutputFile`), the sweep of partial files whose owner is gone (`StalePartials`),
/// faults injected into every system call (`FaultInjection`), and helper programs run without
/// stalling (`Subprocess`). The same behaviour through the built `cadence` is in
/// Tests/CadenceCLITests/Safety*Tests.swift; docs/robustness.md ("Scenarios") maps each scenario
/// of the issue to its test.
final class SystemSeamTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = try ScratchFolder(for: self, "seam").url
    }

    override func tearDownWithError() throws {
        FaultInjection.set([])
        StopSignal.reset()
    }

    private func path(_ name: String) -> String { FilePaths.join(folder.path, name) }

    /// The names in the scratch folder, hidden ones included, as their raw bytes (readdir).
    private func rawNames() -> [[UInt8]] {
        guard let handle = opendir(folder.path) else { return [] }
        defer { closedir(handle) }
        var names: [[UInt8]] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if name != [0x2E], name != [0x2E, 0x2E] { names.append(name) }
        }
        return names.sorted { $0.lexicographicallyPrecedes($1) }
    }

    private func names() -> [String] { rawNames().map { PathBytes.string(fromBytes: $0) }.sorted() }

    private func bytes(_ path: String) -> [UInt8]? {
        try? InputFile.readBytes(path, kind: "file", limit: 64 << 20).bytes
    }

    private func mode(_ path: String) -> mode_t? {
        guard let status = (try? FileSystem.status(of: path)) ?? nil else { return nil }
        return status.st_mode & 0o7777
    }

    // MARK: PathBytes

    /// Every byte, alone and between letters, comes back as itself; a well-formed UTF-8 name is
    /// the plain Swift string of it (so messages and Foundation see normal text).
    func testEveryByteRoundTripsAloneAndInContext() {
        for value in 0...255 {
            let byte = UInt8(value)
            for bytes in [[byte], [0x61, byte, 0x62], [byte, byte], [0xC3, byte], [byte, 0xA9]] {
                let string = PathBytes.string(fromBytes: bytes)
                XCTAssertEqual(PathBytes.bytes(string), bytes, "bytes \(bytes) did not round-trip")
                if !bytes.contains(0) {
                    let passed = PathBytes.withCString(string) { Array(UnsafeRawBufferPointer(start: $0, count: strlen($0))) }
                    XCTAssertEqual(passed, bytes, "withCString of \(bytes)")
                }
            }
        }
        XCTAssertEqual(PathBytes.string(fromBytes: Array("café ♪.yaml".utf8)), "café ♪.yaml")
        XCTAssertEqual(PathBytes.string(fromBytes: [0x63, 0x61, 0x66, 0xE9]).unicodeScalars.count, 4)
    }

    /// Every two-byte sequence round-trips, and two different sequences are two different strings.
    func testEveryPairOfBytesRoundTripsAndStaysDistinct() {
        var seen = Set<[UInt32]>()
        for first in 0...255 {
            for second in 0...255 {
                let bytes = [UInt8(first), UInt8(second)]
                let string = PathBytes.string(fromBytes: bytes)
                XCTAssertEqual(PathBytes.bytes(string), bytes)
                XCTAssertTrue(
                    seen.insert(string.unicodeScalars.map(\.value)).inserted,
                    "two byte pairs gave the same string: \(bytes)")
            }
        }
    }

    /// Random byte strings (plain bytes, UTF-8 sequences, overlong and surrogate forms, and the
    /// UTF-8 of the escape scalars U+10FF80...U+10FFFF themselves) round-trip, and the key of a path
    /// is its bytes, so different bytes never compare equal.
    func testRandomByteStringsRoundTrip() {
        var random = SplitMix64(seed: 0xCADE_2026_0B17)
        let pieces: [[UInt8]] = [
            Array("a".utf8), Array("/".utf8), Array(".".utf8), Array("é".utf8), Array("♪".utf8), Array("😀".utf8),
            [0xE9], [0xFF], [0x80], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF4, 0x8F, 0xBE, 0x80],
            [0xF4, 0x8F, 0xBF, 0xBF], [0xF4, 0x8F, 0xBC, 0x80], [0xE2, 0x82], [0xCC, 0x81], Array("e\u{301}".utf8), [0x1B], [0x0A],
        ]
        for _ in 0..<20_000 {
            var bytes: [UInt8] = []
            for _ in 0..<random.int(0...24) {
                if random.below(3) == 0 {
                    bytes.append(UInt8(random.below(256)))
                } else {
                    bytes += pieces[random.below(pieces.count)]
                }
            }
            let string = PathBytes.string(fromBytes: bytes)
            XCTAssertEqual(PathBytes.bytes(string), bytes, "\(bytes) did not round-trip")
            XCTAssertEqual(PathBytes.key(string), bytes)
            let display = PathBytes.display(string)
            XCTAssertFalse(
                display.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "display of \(bytes) has control characters")
        }
    }

    /// NFC and NFD `café` are == as Swift strings but two names on Linux: their keys differ.
    func testTheKeyOfAPathIsItsBytesNotItsCanonicalForm() {
        let composed = "caf\u{E9}.yaml", decomposed = "cafe\u{301}.yaml"
        XCTAssertEqual(composed, decomposed, "precondition: Swift compares strings by canonical equivalence")
        XCTAssertNotEqual(PathBytes.key(composed), PathBytes.key(decomposed))
        XCTAssertEqual(PathBytes.display(PathBytes.string(fromBytes: Array("caf".utf8) + [0xE9, 0x1B])), "caf\\xE9\\u{1B}")
    }

    /// A file made under a name that is not UTF-8 has exactly those bytes on disk, and listing the
    /// folder gives back the same path string.
    func testANameThatIsNotUTF8IsTheSameFileOnDiskAndInAListing() throws {
        let name = PathBytes.string(fromBytes: Array("caf".utf8) + [0xE9] + Array(".yaml".utf8))
        try OutputFile.write(Array("title: x\n".utf8), to: path(name))
        XCTAssertEqual(rawNames(), [Array("caf".utf8) + [0xE9] + Array(".yaml".utf8)])
        XCTAssertEqual(try FileSystem.list(folder.path).map(PathBytes.key), [PathBytes.key(name)])
        XCTAssertEqual(bytes(path(name)), Array("title: x\n".utf8))
    }

    // MARK: FilePaths

    func testFolderAndNameOfShortAndOddPaths() {
        let cases: [(path: String, folder: String, name: String)] = [
            ("a", ".", "a"), (" ", ".", " "), ("/", "/", ""), ("a/", ".", "a"), ("/a", "/", "a"), ("a/b/", "a", "b"),
            ("a/b", "a", "b"), ("a//b", "a", "b"), ("./x", ".", "x"), ("//", "/", ""), ("/a/b.wav", "/a", "b.wav"),
            ("x/\u{301}y.wav", "x", "\u{301}y.wav"), ("\u{301}/a", "\u{301}", "a"),
        ]
        for (path, folder, name) in cases {
            XCTAssertEqual(PathBytes.key(FilePaths.folder(of: path)), PathBytes.key(folder), "folder of \"\(path)\"")
            XCTAssertEqual(PathBytes.key(FilePaths.name(of: path)), PathBytes.key(name), "name of \"\(path)\"")
        }
        XCTAssertEqual(FilePaths.baseName(of: "a/morning.yaml"), "morning")
        XCTAssertEqual(FilePaths.baseName(of: ".hidden"), ".hidden")
        XCTAssertEqual(FilePaths.baseName(of: "a.b/c"), "c")
        XCTAssertEqual(FilePaths.pathExtension(of: "a.b.FLAC"), "FLAC")
        XCTAssertEqual(FilePaths.pathExtension(of: ".wav"), "")
        XCTAssertEqual(FilePaths.pathExtension(of: "a"), "")
        XCTAssertEqual(PathBytes.key(FilePaths.baseName(of: "d/\u{301}a.yaml")), PathBytes.key("\u{301}a"))
        XCTAssertEqual(FilePaths.join(".", "x"), "x")
        XCTAssertEqual(FilePaths.join("/", "x"), "/x")
        XCTAssertEqual(FilePaths.join("a/", "x"), "a/x")
        XCTAssertEqual(PathBytes.key(FilePaths.join("a", "\u{301}x")), PathBytes.key("a/\u{301}x"))
        XCTAssertTrue(FilePaths.isHidden(".\u{301}x"))
        XCTAssertFalse(FilePaths.isHidden("x."))
        let latin1 = PathBytes.string(fromBytes: Array("d\u{E9}/".utf8) + [0xE9, 0x2F, 0x61, 0xE9, 0x2E, 0x77])
        XCTAssertEqual(PathBytes.bytes(FilePaths.folder(of: latin1)), Array("d\u{E9}/".utf8) + [0xE9])
        XCTAssertEqual(PathBytes.bytes(FilePaths.name(of: latin1)), [0x61, 0xE9, 0x2E, 0x77])
    }

    // MARK: OutputFile

    func testACommittedFileAppearsWholeAndAloneAndAnAbandonedOneLeavesNothing() throws {
        let destination = path("track.wav")
        let file = try OutputFile(destination: destination)
        try file.write(Array("first".utf8))
        XCTAssertEqual(names(), [], "a file being written has no name in its folder")
        let stamp = try file.commit()
        XCTAssertEqual(names(), ["track.wav"])
        XCTAssertEqual(bytes(destination), Array("first".utf8))
        XCTAssertEqual(stamp, FileStamp.of(destination), "the stamp is the committed file's")

        let dropped = try OutputFile(destination: destination)
        try dropped.write(Array("second, never committed".utf8))
        dropped.abandon()
        do {
            let forgotten = try OutputFile(destination: path("other.wav"))
            try forgotten.write(Array("dropped by deinit".utf8))
        }
        XCTAssertEqual(names(), ["track.wav"], "an abandoned or forgotten file leaves no trace")
        XCTAssertEqual(bytes(destination), Array("first".utf8), "the existing file is untouched")

        let exclusive = try OutputFile(destination: destination)
        try exclusive.write(Array("third".utf8))
        XCTAssertThrowsError(try exclusive.commit(replacing: false)) { error in
            XCTAssertEqual((error as? RenderError)?.exitStatus, .cannotCreateOutput)
            XCTAssertTrue("\(error)".contains("it already exists"), "\(error)")
        }
        XCTAssertEqual(names(), ["track.wav"])
        XCTAssertEqual(bytes(destination), Array("first".utf8))
    }

    func testAReplacedFileKeepsItsModeAndANewOneFollowsTheUmask() throws {
        let destination = path("track.wav")
        for wanted: mode_t in [0o600, 0o640, 0o755, 0o444] {
            try OutputFile.write(Array("old".utf8), to: destination)
            XCTAssertEqual(chmod(destination, wanted), 0)
            try OutputFile.write(Array("new \(wanted)".utf8), to: destination)
            XCTAssertEqual(mode(destination), wanted, "a re-render must keep mode \(String(wanted, radix: 8))")
            XCTAssertEqual(bytes(destination), Array("new \(wanted)".utf8))
        }
        let mask = umask(0o022)
        umask(mask)
        try OutputFile.write(Array("fresh".utf8), to: path("fresh.wav"))
        XCTAssertEqual(mode(path("fresh.wav")), 0o666 & ~mask)
        XCTAssertEqual(names(), ["fresh.wav", "track.wav"])
    }

    func testDestinationsThatCannotBeFilesAreRefusedBeforeAnythingIsMade() throws {
        XCTAssertEqual(mkfifo(path("pipe.wav"), 0o644), 0)
        try FileManager.default.createDirectory(atPath: path("folder.wav"), withIntermediateDirectories: false)
        let long = String(repeating: "n", count: 252) + ".wav"
        for (destination, fragment) in [
            (path("pipe.wav"), "named pipe"), (path("folder.wav"), "it is a folder"),
            (path("missing/x.wav"), "does not exist"), (path(long), "256 bytes long"),
            (path("x.wav/"), "names a folder"), (path(".."), "names a folder"),
        ] {
            XCTAssertThrowsError(try OutputFile(destination: destination), destination) { error in
                XCTAssertEqual((error as? RenderError)?.exitStatus, .cannotCreateOutput, "\(error)")
                XCTAssertTrue("\(error)".contains(fragment), "\(destination): \(error)")
            }
        }
        XCTAssertEqual(names(), ["folder.wav", "pipe.wav"])
        // 255 bytes is the limit, and is fine (the temporary name is cut to fit).
        try OutputFile.write(Array("x".utf8), to: path(String(repeating: "n", count: 251) + ".wav"))
        XCTAssertEqual(names().count, 3)
    }

    /// Temporary names: random, hidden, within 255 bytes however long the destination's name, and
    /// recognised by the sweep; they never hold the process number.
    func testTemporaryNamesAreRandomHiddenAndShortEnough() {
        var seen = Set<String>()
        for length in [1, 100, 233, 255] {
            let destination = path(String(repeating: "é", count: length / 2) + String(repeating: "a", count: length % 2))
            for _ in 0..<50 {
                let name = FilePaths.name(of: OutputFile.temporaryName(in: folder.path, for: destination))
                XCTAssertTrue(name.hasPrefix("."), name)
                XCTAssertTrue(StalePartials.isCurrentPartial(name), name)
                XCTAssertLessThanOrEqual(PathBytes.bytes(name).count, 255, name)
                XCTAssertFalse(name.contains(".\(getpid())."), "the process number is not what makes a name unique")
                XCTAssertTrue(seen.insert(name).inserted, "a temporary name came twice: \(name)")
            }
        }
    }

    /// Where unnamed files are not used (`CADENCE_NAMED_PARTIALS=1`, or a file system without
    /// O_TMPFILE) the file is written under a hidden random name, locked for as long as it is
    /// open. The switch is read once per process, so the cases run in a child copy of this test
    /// bundle with the variable set (`testNamedPartialFilesWhenForced`).
    func testTheNamedPartialFallbackInAChildProcess() throws {
        let bundle = CommandLine.arguments[0]
        guard FileManager.default.isExecutableFile(atPath: bundle) else {
            throw XCTSkip("cannot run this test bundle again as a child process")
        }
        let child = try ProcessRunner.run(
            bundle, ["CadenceKitTests.SystemSeamTests/testNamedPartialFilesWhenForced"],
            environment: ["CADENCE_NAMED_PARTIALS": "1"], timeout: 600, mergeOutput: true)
        let text = child.stdout
        guard text.contains("testNamedPartialFilesWhenForced") else {
            throw XCTSkip("this XCTest runner does not take a test name as its argument:\n\(text.suffix(500))")
        }
        XCTAssertEqual(child.code, 0, "the named-partial cases failed in the child:\n\(text.suffix(3000))")
        XCTAssertTrue(text.contains("Executed 1 test, with 0 failures"), text.suffix(2000).description)
        XCTAssertFalse(text.contains("skipped"), "the child skipped the cases:\n\(text.suffix(1000))")
    }

    func testNamedPartialFilesWhenForced() throws {
        guard ProcessInfo.processInfo.environment["CADENCE_NAMED_PARTIALS"] == "1" else {
            throw XCTSkip("runs in a child process with CADENCE_NAMED_PARTIALS=1 (testTheNamedPartialFallbackInAChildProcess)")
        }
        let destination = path("track.wav")
        try OutputFile.write(Array("old".utf8), to: destination)
        XCTAssertEqual(chmod(destination, 0o600), 0)

        let file = try OutputFile(destination: destination)
        try file.write(Array("new".utf8))
        let partials = names().filter { $0 != "track.wav" }
        XCTAssertEqual(partials.count, 1, "one named partial file while writing: \(names())")
        let partial = try XCTUnwrap(partials.first)
        XCTAssertTrue(partial.hasPrefix(".track.wav.cadence-") && partial.hasSuffix(".partial"), partial)
        // Locked by its writer: another open file description cannot take the lock, and the sweep keeps it.
        let probe = open(path(partial), O_RDONLY)
        XCTAssertGreaterThanOrEqual(probe, 0)
        XCTAssertNotEqual(flock(probe, LOCK_EX | LOCK_NB), 0, "the partial file is not locked by its writer")
        close(probe)
        XCTAssertEqual(StalePartials.sweep(folder: folder.path), [])
        try file.commit()
        XCTAssertEqual(names(), ["track.wav"], "the partial file became the track")
        XCTAssertEqual(bytes(destination), Array("new".utf8))
        XCTAssertEqual(mode(destination), 0o600, "the mode is kept with named partials too")

        let dropped = try OutputFile(destination: destination)
        try dropped.write(Array("dropped".utf8))
        dropped.abandon()
        do { _ = try OutputFile(destination: path("other.wav")) }
        let scratch = try OutputFile.scratch(in: folder.path)
        try scratch.write(Array("scratch".utf8))
        XCTAssertEqual(names(), ["track.wav"], "abandoned, forgotten and scratch files leave no name behind")
        XCTAssertEqual(try scratch.contents(), Array("scratch".utf8))
        scratch.abandon()

        // A 255-byte destination still gets a partial name that fits.
        let long = path(String(repeating: "l", count: 251) + ".mp3")
        let longFile = try OutputFile(destination: long)
        XCTAssertTrue(names().contains { PathBytes.bytes($0).count == 255 && StalePartials.isCurrentPartial($0) }, "\(names())")
        try longFile.write(Array("long".utf8))
        try longFile.commit()
        XCTAssertEqual(bytes(long), Array("long".utf8))
        XCTAssertEqual(names().filter(StalePartials.isCurrentPartial), [])
    }

    // MARK: StalePartials

    /// The sweep removes a partial file nobody holds that has not changed for 2 s, and nothing
    /// else: not one its writer still holds locked, not one just made (its writer may not have
    /// locked it yet), not a link or a folder named like one, not other hidden files.
    func testTheSweepRemovesOnlyUnlockedOldPartials() throws {
        let stale = ".track.wav.cadence-abcdefghijkl.partial"
        let held = ".held.wav.cadence-mnopqrstuvwx.partial"
        let legacyLive = ".old.wav.\(getpid()).cadence-partial"
        let others = [".cadence-manifest.json", ".notes", ".x.cadence-y.partialx", "track.wav"]
        for name in [stale, held, legacyLive] + others { try OutputFile.write(Array(name.utf8), to: path(name)) }
        XCTAssertEqual(symlink(path("track.wav"), path(".link.wav.cadence-aaaaaaaaaaaa.partial")), 0)
        try FileManager.default.createDirectory(atPath: path(".dir.wav.cadence-bbbbbbbbbbbb.partial"), withIntermediateDirectories: false)
        let lock = open(path(held), O_RDONLY)
        defer { close(lock) }
        XCTAssertEqual(flock(lock, LOCK_EX | LOCK_NB), 0)
        let before = names()
        XCTAssertEqual(StalePartials.sweep(folder: folder.path), [], "nothing is removed while every partial is fresh")
        XCTAssertEqual(names(), before)

        usleep(2_200_000)
        let fresh = ".fresh.wav.cadence-cccccccccccc.partial"
        try OutputFile.write(Array("fresh".utf8), to: path(fresh))
        let removed = StalePartials.sweep(folder: folder.path)
        XCTAssertEqual(removed.map(FilePaths.name(of:)), [stale])
        XCTAssertEqual(names(), (before + [fresh]).filter { $0 != stale }.sorted())
        XCTAssertEqual(bytes(path(held)), Array(held.utf8))
        XCTAssertEqual(StalePartials.sweep(folder: folder.path + "/missing"), [], "a folder that cannot be read is no error")
    }

    // MARK: FaultInjection

    private static let routine = """
        title: Seam
        defaults: {lead_in: 1s, transition: 1s, tail: 1s, countdown: 1}
        steps:
          - name: Hold
            hold: 2s
          - name: Breathe
            breaths: 1
            inhale: 1s
            exhale: 1s
        """

    private func timeline() throws -> Timeline {
        Scheduler.schedule(try RoutineLoader.parse(Array(Self.routine.utf8), path: "seam.yaml"), sampleRate: 8_000)
    }

    private let options = RenderOptions(format: .wav, sampleRate: 8_000)

    func testFaultRulesAreParsed() {
        XCTAssertEqual(
            FaultInjection.parse("write:ENOSPC@40, read:EIO,open:EINTR@=3"),
            [
                .init(operation: .write, code: ENOSPC, from: 40, once: false),
                .init(operation: .read, code: EIO, from: 1, once: false),
                .init(operation: .open, code: EINTR, from: 3, once: true),
            ])
        XCTAssertEqual(FaultInjection.parse("frobnicate:EIO,write:EWHATEVER,write,"), [], "unknown rules are ignored")
    }

    /// A disk that fills part way (the Nth write and every later one): 74, nothing at the
    /// destination, an existing track untouched, for each format.
    func testWriteENOSPCPartWayFailsWith74AndLeavesNothing() throws {
        let timeline = try timeline()
        for format in AudioFormat.allCases {
            var options = options
            options.format = format
            if let rates = format.allowedSampleRates, !rates.contains(8_000) { continue }
            for from in [1, 3, 8] {
                FaultInjection.set([.init(operation: .write, code: ENOSPC, from: from, once: false)])
                XCTAssertThrowsError(try TrackRenderer.render(timeline, to: path("new.\(format.fileExtension)"), options: options)) {
                    error in
                    XCTAssertEqual((error as? CadenceError)?.exitStatus, .ioError, "\(format) @\(from): \(error)")
                    XCTAssertTrue("\(error)".contains("no space left on the device"), "\(format) @\(from): \(error)")
                    XCTAssertTrue("\(error)".contains("new.\(format.fileExtension)"), "\(error)")
                }
                FaultInjection.set([])
                XCTAssertEqual(names(), [], "\(format) @\(from): a file was left behind")
            }
        }
    }

    func testWriteEIOFailsWith74AndKeepsTheOldTrack() throws {
        let timeline = try timeline()
        let destination = path("track.wav")
        try TrackRenderer.render(timeline, to: destination, options: options)
        let old = bytes(destination)
        var louder = options
        louder.gainDecibels = -6
        FaultInjection.set([.init(operation: .write, code: EIO, from: 2, once: false)])
        XCTAssertThrowsError(try TrackRenderer.render(timeline, to: destination, options: louder)) { error in
            XCTAssertEqual((error as? CadenceError)?.exitStatus, .ioError, "\(error)")
            XCTAssertEqual("\(error)", "\(destination): error: writing failed: input/output error; nothing was written there")
        }
        FaultInjection.set([])
        XCTAssertEqual(bytes(destination), old)
        XCTAssertEqual(names(), ["track.wav"])
    }

    /// EIO while an input is read (a routine, music through libsndfile's I/O): 66, naming it.
    func testReadEIOOnAnInputIs66NamingIt() throws {
        let routine = path("r.yaml")
        try OutputFile.write(Array(Self.routine.utf8), to: routine)
        let music = path("music.wav")
        var musicOptions = options
        musicOptions.music = [music]
        try TrackRenderer.render(try timeline(), to: music, options: options)
        FaultInjection.set([.init(operation: .read, code: EIO, from: 1, once: false)])
        XCTAssertThrowsError(try RoutineLoader.load(path: routine)) { error in
            XCTAssertEqual((error as? CadenceError)?.exitStatus, .missingInput, "\(error)")
            XCTAssertEqual("\(error)", "\(routine): error: cannot read this routine file: input/output error")
        }
        XCTAssertThrowsError(try RenderResources(options: musicOptions)) { error in
            XCTAssertEqual((error as? CadenceError)?.exitStatus, .missingInput, "\(error)")
            XCTAssertTrue("\(error)".hasPrefix("\(music): error: "), "\(error)")
            XCTAssertTrue("\(error)".contains("input/output error"), "\(error)")
        }
        FaultInjection.set([])
        XCTAssertEqual(names(), ["music.wav", "r.yaml"])
    }

    /// A write interrupted by a signal (EINTR) is made again: the render succeeds with the bytes
    /// of a render that was never interrupted. So is an interrupted read, open or rename.
    func testInterruptedCallsAreRetriedAndTheTrackIsIdentical() throws {
        let timeline = try timeline()
        for format in [AudioFormat.wav, .flac, .mp3] {
            var options = options
            options.format = format
            let reference = path("reference.\(format.fileExtension)")
            try TrackRenderer.render(timeline, to: reference, options: options)
            for rule in ["write:EINTR@=3", "write:EINTR@=1,read:EINTR@=2,open:EINTR@=1,rename:EINTR@=1,link:EINTR@=1"] {
                let destination = path("interrupted.\(format.fileExtension)")
                FaultInjection.set(FaultInjection.parse(rule))
                XCTAssertNoThrow(try TrackRenderer.render(timeline, to: destination, options: options), "\(format) \(rule)")
                FaultInjection.set([])
                XCTAssertEqual(bytes(destination), bytes(reference), "\(format) \(rule): not the same bytes")
                try FileSystem.unlink(destination)
            }
        }
        XCTAssertEqual(names(), ["reference.flac", "reference.mp3", "reference.wav"])
    }

    // MARK: Subprocess

    private func run(
        _ script: String, input: [UInt8] = [], timeout: Double = 20, outputLimit: Int = 64 << 20,
        shouldStop: () -> Bool = { false }
    ) throws(Subprocess.Failure) -> Subprocess.Result {
        try Subprocess.run("/bin/sh", ["-c", script], input: input, timeout: timeout, outputLimit: outputLimit, shouldStop: shouldStop)
    }

    private func elapsed<T>(_ body: () throws -> T) rethrows -> (T, TimeInterval) {
        let start = Date()
        let value = try body()
        return (value, Date().timeIntervalSince(start))
    }

    /// Megabytes on the error output while the program runs: drained as they come (a program that
    /// filled the pipe used to stall until the 30 s timeout), only a short tail kept, as one line.
    func testMegabytesOfErrorOutputAreDrainedAndOnlyATailIsKept() throws {
        let (result, seconds) = try elapsed {
            try run("head -c 8000000 /dev/zero | tr '\\0' x >&2; printf '\\nlast words\\033[31m\\n' >&2; printf out; exit 3")
        }
        XCTAssertLessThan(seconds, 10, "draining 8 MB of error output took \(seconds) s")
        XCTAssertEqual(result.status, 3)
        XCTAssertEqual(result.output, Array("out".utf8))
        XCTAssertLessThanOrEqual(result.errorTail.count, Subprocess.errorTailLength + 20, "the error tail is not bounded")
        XCTAssertTrue(result.errorTail.hasSuffix("last words\\u{1B}[31m"), result.errorTail.suffix(60).description)
        XCTAssertFalse(result.errorTail.contains("\n"))
    }

    /// Input written while output is read: a program that echoes 4 MB neither stalls nor loses a byte.
    func testInputAndOutputFlowAtOnce() throws {
        var random = SplitMix64(seed: 7)
        let input = (0..<(4 << 20)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        let (result, seconds) = try elapsed { try run("cat; cat /dev/null >&2", input: input) }
        XCTAssertLessThan(seconds, 10)
        XCTAssertEqual(result.status, 0)
        XCTAssertEqual(result.output, input)
    }

    func testTooMuchOutputStopsTheProgram() {
        let start = Date()
        XCTAssertThrowsError(try run("exec cat /dev/zero", outputLimit: 1 << 20)) { error in
            XCTAssertEqual(error as? Subprocess.Failure, .outputTooLarge)
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
    }

    /// A program that runs too long is killed at its timeout, also when it has closed its output
    /// (then the end of the pipes says nothing about the program's end).
    func testAProgramThatRunsTooLongIsKilledAtItsTimeout() {
        for script in ["sleep 30", "exec sleep 30", "exec >&- 2>&- <&-; sleep 30", "exec sleep 30 >&- 2>&-"] {
            let start = Date()
            XCTAssertThrowsError(try run(script, timeout: 0.5), script) { error in
                XCTAssertEqual(error as? Subprocess.Failure, .timedOut, script)
            }
            XCTAssertLessThan(Date().timeIntervalSince(start), 5, "\(script): not killed at its 0.5 s timeout")
        }
    }

    /// A stop (Ctrl-C) ends the program at once, whatever it is doing.
    func testAStopKillsTheProgram() {
        for script in ["sleep 30", "exec >&- 2>&- <&-; sleep 30", "while :; do echo spam >&2; done"] {
            let start = Date()
            XCTAssertThrowsError(try run(script, timeout: 30, shouldStop: { Date().timeIntervalSince(start) > 0.3 }), script) { error in
                XCTAssertEqual(error as? Subprocess.Failure, .stopped, script)
            }
            XCTAssertLessThan(Date().timeIntervalSince(start), 5, "\(script): not stopped")
        }
    }

    /// A fault injected into `spawn` is the program failing to start.
    func testAnInjectedSpawnFaultIsAProgramThatCannotStart() {
        FaultInjection.set([.init(operation: .spawn, code: EAGAIN, from: 1, once: true)])
        XCTAssertThrowsError(try run("exit 0")) { error in
            XCTAssertEqual(error as? Subprocess.Failure, .cannotStart(SystemError.describe(EAGAIN)))
        }
        XCTAssertEqual(try? run("exit 0").status, 0, "the rule was for the first start only")
    }

    func testExitStatusesAndAProgramThatCannotStart() throws {
        XCTAssertEqual(try run("exit 0").status, 0)
        XCTAssertEqual(try run("exit 7").status, 7)
        XCTAssertEqual(try run("kill -TERM $$").status, 128 + SIGTERM)
        XCTAssertThrowsError(
            try Subprocess.run(folder.path + "/no-such-program", [], input: [], timeout: 5, outputLimit: 1, shouldStop: { false })
        ) { error in
            guard case .cannotStart = error as? Subprocess.Failure else { return XCTFail("\(error)") }
        }
    }
}
