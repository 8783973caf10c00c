import CadenceTestSupport
import Foundation
import XCTest

/// Fault injection against the built `cadence` (cli.md "Output guarantees" and "Exit codes"): an
/// output folder that cannot be written (73), a disk that fills mid-render (74), Ctrl-C or a
/// termination request mid-render (130), a music or sound file that is cut short, corrupt or not
/// audio (66). Each must end with its exit code and a one-line message naming the file, leave no
/// `*.cadence-partial` or other new file, and leave an existing track byte for byte as it was.
///
/// RenderCommandFailureTests covers the basic cases (a missing folder, a folder in the way, a
/// WAV/FLAC write past `ulimit -f`, SIGINT during a WAV render, an unreadable pack sound); these
/// tests add real file systems (a full or read-only tmpfs, a folder the user may not write), every
/// format, SIGTERM, batches and music. The tmpfs cases need root with CAP_SYS_ADMIN and are
/// skipped (saying so) where mounting is not permitted; the `ulimit -f` cases run everywhere.
final class FaultInjectionTests: XCTestCase {
    /// About 13 s of session: small tracks in every format.
    static let routine = """
        title: Faults
        defaults: {lead_in: 1s, transition: 1s, tail: 1s}
        steps:
          - name: Hold
            hold: 3s
          - name: Breathe
            breaths: 2
            inhale: 1s
            exhale: 1s
        """
    /// An hour: a render that is still running when the signal comes.
    static let longRoutine = "title: One long hold\nsteps:\n  - name: Hold for an hour\n    hold: 1h\n"

    private var folder: URL!
    private var mounts: [URL] = []
    private let oldTrack = Data("an older track that must survive a failed render\n".utf8)

    override func setUpWithError() throws {
        folder = try ScratchFolder(for: self).url
        // What a test mounted in the folder is unmounted before the folder is removed (teardown blocks run last first).
        addTeardownBlock {
            for point in self.mounts.reversed() { Faults.unmount(point) }
        }
        try write(Self.routine, to: "routine.yaml", in: folder)
        try write(Self.routine.replacingOccurrences(of: "title: Faults", with: "title: Other"), to: "other.yaml", in: folder)
        try write(Self.longRoutine, to: "long.yaml", in: folder)
    }

    private func mount(_ name: String, kibibytes: Int) throws -> URL {
        let point = folder.appendingPathComponent(name)
        try Faults.mountTmpfs(at: point, kibibytes: kibibytes)
        mounts.append(point)
        return point
    }

    private func size(of url: URL) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
    }

    // MARK: 73: the output cannot be created

    /// Root ignores file permissions, so the render runs as `nobody` against a folder owned by root.
    func testAFolderTheUserMayNotWriteExits73() throws {
        try Faults.requireUnprivilegedRun()
        let locked = folder.appendingPathComponent("locked")
        try FileManager.default.createDirectory(at: locked, withIntermediateDirectories: true)
        try oldTrack.write(to: locked.appendingPathComponent("track.wav"))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: locked.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        let before = Faults.snapshot(locked)

        let one = try Faults.runCadenceAsNobody(
            ["render", "routine.yaml", "-o", "locked/track.wav", "--sample-rate", "8000", "-q"], in: folder)
        if one.code == 126 || one.code == 127 { throw XCTSkip("nobody cannot run the cadence binary here: \(one.stderr)") }
        XCTAssertEqual(one.code, 73, one.stderr)
        Faults.assertClearMessage(one, naming: "locked/track.wav", saying: "permission denied", "one track")
        Faults.assertUnchanged(locked, since: before, "one track into a folder nobody may write")

        let batch = try Faults.runCadenceAsNobody(
            ["render", "routine.yaml", "other.yaml", "--out-dir", "locked", "--sample-rate", "8000", "-q"],
            in: folder)
        XCTAssertEqual(batch.code, 73, batch.stderr)
        Faults.assertClearMessage(batch, naming: "locked/routine.wav", saying: "permission denied", "batch")
        Faults.assertUnchanged(locked, since: before, "a batch into a folder nobody may write (no manifest either)")
    }

    func testAReadOnlyFileSystemExits73() throws {
        let readOnly = try mount("read-only", kibibytes: 1_024)
        try oldTrack.write(to: readOnly.appendingPathComponent("track.wav"))
        try oldTrack.write(to: readOnly.appendingPathComponent("track.mp3"))
        Faults.remountReadOnly(readOnly)
        let before = Faults.snapshot(readOnly)
        for name in ["track.wav", "track.mp3", "new.flac"] {
            let result = try runCadence(["render", "routine.yaml", "-o", "read-only/\(name)", "--sample-rate", "8000"], in: folder)
            XCTAssertEqual(result.code, 73, "\(name): \(result.stderr)")
            Faults.assertClearMessage(result, naming: "read-only/\(name)", saying: "read-only file system", name)
        }
        let batch = try runCadence(["render", "routine.yaml", "other.yaml", "--out-dir", "read-only", "--sample-rate", "8000"], in: folder)
        XCTAssertEqual(batch.code, 73, batch.stderr)
        Faults.assertUnchanged(readOnly, since: before, "renders onto a read-only file system")

        // The track's folder is writable but the timeline's is not: the track is dropped too.
        try oldTrack.write(to: folder.appendingPathComponent("track.wav"))
        let outside = Faults.snapshot(folder)
        let timeline = try runCadence(
            ["render", "routine.yaml", "-o", "track.wav", "--sample-rate", "8000", "--timeline", "read-only/t.json"],
            in: folder)
        XCTAssertEqual(timeline.code, 73, timeline.stderr)
        Faults.assertClearMessage(timeline, naming: "read-only/t.json", saying: "read-only file system", "timeline")
        Faults.assertUnchanged(folder, since: outside, "a timeline that cannot be written")
    }

    func testPathsThatCannotHoldAFileExit73() throws {
        try write("notes\n", to: "notes.txt", in: folder)
        try oldTrack.write(to: folder.appendingPathComponent("track.wav"))
        let before = Faults.snapshot(folder)
        let id = UUID().uuidString
        for output in [
            "notes.txt/track.wav", "notes.txt/sub/track.wav", "/proc/cadence-\(id).wav", "/sys/cadence-\(id).wav",
            "/proc/self/cadence-\(id).wav",
        ] {
            let result = try runCadence(["render", "routine.yaml", "-o", output, "--sample-rate", "8000"], in: folder)
            XCTAssertEqual(result.code, 73, "\(output): \(result.stderr)")
            Faults.assertClearMessage(result, naming: output, output)
        }
        let export = try runCadence(["sounds", "export", "notes.txt/pack"], in: folder)
        XCTAssertEqual(export.code, 73, "sounds export under a file: \(export.stderr)")
        Faults.assertUnchanged(folder, since: before, "outputs that cannot be created")
    }

    /// REGRESSION (was a bug, now fixed): the finished track is renamed over the destination whatever the
    /// destination is. A named pipe (or, as root, a device: `cadence render x.yaml -o /dev/null`
    /// replaces /dev/null with a regular file) is replaced by a regular file. The render should
    /// refuse (73) or write into it, and leave the special file in place.
    func testADestinationThatIsNotARegularFileIsNeverReplaced() throws {
        let pipe = folder.appendingPathComponent("pipe.wav")
        XCTAssertEqual(mkfifo(pipe.path, 0o644), 0, "mkfifo")
        var targets: [(String, mode_t)] = [("pipe.wav", S_IFIFO)]
        if geteuid() == 0, Faults.run("/usr/bin/mknod", [folder.appendingPathComponent("null-device").path, "c", "1", "3"]) == 0 {
            targets.append(("null-device", S_IFCHR))
        }
        for (name, kind) in targets {
            let result = try runCadence(["render", "routine.yaml", "-o", name, "--format", "wav", "--sample-rate", "8000"], in: folder)
            var status = stat()
            XCTAssertEqual(lstat(folder.appendingPathComponent(name).path, &status), 0, name)
            XCTAssertEqual(
                status.st_mode & S_IFMT, kind,
                "\(name) was replaced by a regular file (exit \(result.code)); `-o /dev/null` does this to /dev/null")
            XCTAssertEqual(RenderCLI.partialFiles(in: folder), [], name)
        }
    }

    // MARK: 74: an I/O error while writing

    /// The tmpfs holds about half of each track: the disk fills mid-render, in the encoder.
    func testADiskThatFillsMidRenderExits74InEveryFormat() throws {
        try Faults.requireMount()
        for (format, rate) in [("wav", 44_100), ("flac", 44_100), ("ogg", 44_100), ("opus", 48_000), ("mp3", 44_100)] {
            let reference = try Faults.renderAudio(Self.routine, to: "reference.\(format)", in: folder, args: ["--sample-rate", "\(rate)"])
            let full = try size(of: reference)
            try FileManager.default.removeItem(at: reference)
            // A page for the old track, and half the new one.
            let disk = try mount("disk-\(format)", kibibytes: 4 + max(4, full / 2 / 1_024))
            try oldTrack.write(to: disk.appendingPathComponent("track.\(format)"))
            let before = Faults.snapshot(disk)
            let result = try runCadence(
                ["render", "routine.yaml", "-o", "disk-\(format)/track.\(format)", "--sample-rate", "\(rate)"],
                in: folder)
            XCTAssertEqual(result.code, 74, "\(format) (\(full) bytes) on a disk with room for half: \(result.stderr)")
            Faults.assertClearMessage(result, naming: "track.\(format)", "\(format) on a full disk")
            // REGRESSION (was a bug, now fixed) for Ogg: libsndfile's "Unspecified internal error" is passed on.
            XCTAssertTrue(
                result.stderr.lowercased().contains("no space left"),
                "\(format): the message does not say the disk is full: \(result.stderr)")
            Faults.assertUnchanged(disk, since: before, "\(format) on a full disk")
        }
    }

    /// REGRESSION (was a bug, now fixed): when the disk is already full, the first write (libsndfile's
    /// header) fails inside `TrackWriter.init`, which reports every failure there as "cannot create
    /// the file" (73); cli.md gives disk full 74. The message is libsndfile's "No space left on device".
    func testADiskThatIsAlreadyFullExits74() throws {
        let disk = try mount("disk-full", kibibytes: 16)
        try oldTrack.write(to: disk.appendingPathComponent("track.wav"))
        try Data(count: 12 << 10).write(to: disk.appendingPathComponent("filler.bin"))  // the rest of the 16 KiB
        let before = Faults.snapshot(disk)
        for format in ["wav", "flac", "mp3"] {
            let result = try runCadence(["render", "routine.yaml", "-o", "disk-full/track.\(format)", "--sample-rate", "8000"], in: folder)
            XCTAssertEqual(result.code, 74, "\(format) on a disk already full: \(result.stderr)")
            Faults.assertClearMessage(result, naming: "track.\(format)", "\(format) on a disk already full")
            XCTAssertTrue(result.stderr.lowercased().contains("no space left"), "\(format): \(result.stderr)")
            Faults.assertUnchanged(disk, since: before, "\(format) on a disk already full")
        }
    }

    /// An MP3 is encoded, then copied behind its ID3 tag (see `TrackMetadata`): with room for one
    /// copy and a half, the disk fills during the copy, after the encoder has finished.
    func testADiskThatFillsWhileTheMP3TitleTagIsWrittenExits74() throws {
        try Faults.requireMount()
        let reference = try Faults.renderAudio(Self.routine, to: "reference.mp3", in: folder)
        let full = try size(of: reference)
        let disk = try mount("disk-id3", kibibytes: 4 + full * 3 / 2 / 1_024)
        try oldTrack.write(to: disk.appendingPathComponent("track.mp3"))
        let before = Faults.snapshot(disk)
        let result = try runCadence(["render", "routine.yaml", "-o", "disk-id3/track.mp3"], in: folder)
        XCTAssertEqual(result.code, 74, result.stderr)
        Faults.assertClearMessage(result, naming: "track.mp3", saying: "no space left", "the ID3 copy")
        Faults.assertUnchanged(disk, since: before, "a disk that fills during the ID3 copy (no .tagged file left either)")
    }

    /// The track fits, the timeline written just before the rename does not: both are dropped and the
    /// old track and timeline stay.
    func testADiskThatFillsWhileTheTimelineIsWrittenDropsTheTrack() throws {
        try Faults.requireMount()
        let args = ["--sample-rate", "8000", "--channels", "1"]
        let reference = try Faults.renderAudio(Self.routine, to: "reference.wav", in: folder, args: args)
        let pages = (try size(of: reference) + 4_095) / 4_096
        // The new track's pages, and one page each for the old track and the old timeline.
        let disk = try mount("disk-timeline", kibibytes: 4 * (pages + 2))
        try oldTrack.write(to: disk.appendingPathComponent("track.wav"))
        try Data("{\"old\": true}\n".utf8).write(to: disk.appendingPathComponent("t.json"))
        let before = Faults.snapshot(disk)
        let result = try runCadence(
            ["render", "routine.yaml", "-o", "disk-timeline/track.wav", "--timeline", "disk-timeline/t.json"] + args,
            in: folder)
        XCTAssertEqual(result.code, 74, result.stderr)
        Faults.assertClearMessage(result, naming: "t.json", saying: "no space left", "the timeline")
        Faults.assertUnchanged(disk, since: before, "a disk that fills while the timeline is written")
    }

    /// Without a tmpfs: `ulimit -f` makes writes past 10 KB fail (EFBIG) in the encoders that
    /// RenderCommandFailureTests does not cover.
    func testAFileSizeLimitStopsEveryCompressedFormatWith74() throws {
        for (format, rate) in [("ogg", 44_100), ("opus", 48_000), ("mp3", 44_100)] {
            try oldTrack.write(to: folder.appendingPathComponent("track.\(format)"))
            let before = Faults.snapshot(folder)
            let result = try RenderCLI.runWithFileSizeLimit(
                20, ["render", "routine.yaml", "-o", "track.\(format)", "--sample-rate", "\(rate)"],
                in: folder)
            XCTAssertEqual(result.code, 74, "\(format) past a 10 KB file size limit: \(result.stderr)")
            Faults.assertClearMessage(result, naming: "track.\(format)", "\(format) past the file size limit")
            Faults.assertUnchanged(folder, since: before, "\(format) past the file size limit")
        }
    }

    // MARK: 130: interrupted

    /// SIGTERM (a service manager stopping it) and SIGHUP (its terminal closed) stop a render as
    /// Ctrl-C does; the exit code is 128 + the signal's number, as a shell reports it.
    func testSIGTERMAndSIGHUPMidRenderLeaveTheOldTrack() throws {
        try oldTrack.write(to: folder.appendingPathComponent("track.wav"))
        let before = Faults.snapshot(folder)
        for (signal, code, name) in [(SIGTERM, Int32(143), "SIGTERM"), (SIGHUP, Int32(129), "SIGHUP")] {
            let (result, sawPartial) = try Faults.signalledRun(
                ["render", "long.yaml", "-o", "track.wav", "--sample-rate", "192000", "-q"],
                in: folder, signal: signal)
            XCTAssertTrue(sawPartial, "\(name): the track was never being written")
            XCTAssertEqual(result.code, code, "\(name): \(result.stderr)")
            Faults.assertClearMessage(result, naming: "track.wav", saying: "interrupted by \(name)", name)
            Faults.assertUnchanged(folder, since: before, "\(name) mid-render")
        }
    }

    func testCtrlCMidRenderOfEveryCompressedFormatLeavesTheOldTrack() throws {
        for (format, rate) in [("flac", 192_000), ("ogg", 48_000), ("opus", 48_000), ("mp3", 48_000)] {
            try oldTrack.write(to: folder.appendingPathComponent("track.\(format)"))
            let before = Faults.snapshot(folder)
            let (result, sawPartial) = try Faults.signalledRun(
                ["render", "long.yaml", "-o", "track.\(format)", "--sample-rate", "\(rate)", "-q"],
                in: folder, signal: SIGINT)
            XCTAssertTrue(sawPartial, "\(format): the track was never being written")
            XCTAssertEqual(result.code, 130, "\(format): \(result.stderr)")
            Faults.assertClearMessage(result, naming: "track.\(format)", saying: "interrupted", format)
            Faults.assertUnchanged(folder, since: before, "Ctrl-C mid-render of \(format)")
        }
    }

    /// With music, the first pass only measures loudness: no file exists yet when Ctrl-C comes.
    func testCtrlCWhileTheMusicIsMeasuredExits130() throws {
        try Faults.toneWAV(frames: 44_100 * 20).write(to: folder.appendingPathComponent("song.wav"))
        try oldTrack.write(to: folder.appendingPathComponent("track.wav"))
        let before = Faults.snapshot(folder)
        let (result, _) = try Faults.signalledRun(
            ["render", "long.yaml", "-o", "track.wav", "--sample-rate", "48000", "--music", "song.wav", "-q"],
            in: folder, signal: SIGINT, delay: 1.0)
        XCTAssertEqual(result.code, 130, result.stderr)
        Faults.assertClearMessage(result, naming: "track.wav", saying: "interrupted", "Ctrl-C with music")
        Faults.assertUnchanged(folder, since: before, "Ctrl-C while the music is measured")
    }

    func testCtrlCDuringABatchLeavesEveryTrackWhole() throws {
        let routines = folder.appendingPathComponent("routines"), tracks = folder.appendingPathComponent("tracks")
        for url in [routines, tracks] { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        for name in ["a", "b", "c"] {
            try write(Self.longRoutine, to: "\(name).yaml", in: routines)
            try oldTrack.write(to: tracks.appendingPathComponent("\(name).wav"))
        }
        let before = Faults.snapshot(tracks)
        let (result, sawPartial) = try Faults.signalledRun(
            ["render", "routines", "--out-dir", "tracks", "--jobs", "2", "--sample-rate", "96000", "-q"],
            in: folder, watching: tracks, signal: SIGINT)
        XCTAssertTrue(sawPartial, "no track was being written")
        XCTAssertEqual(result.code, 130, result.stderr)
        Faults.assertClearMessage(result, naming: "tracks/a.wav", saying: "interrupted", "a batch")
        Faults.assertUnchanged(tracks, since: before, "Ctrl-C during a batch")
    }

    /// `cadence watch` ends with 0 on Ctrl-C (README), removing the half-written track.
    func testCtrlCStopsWatchingWithExit0AndNoPartialFile() throws {
        let routines = folder.appendingPathComponent("watched"), tracks = folder.appendingPathComponent("watch-out")
        for url in [routines, tracks] { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        try write(Self.longRoutine, to: "long.yaml", in: routines)
        try oldTrack.write(to: tracks.appendingPathComponent("long.wav"))
        let before = Faults.snapshot(tracks)
        let (result, sawPartial) = try Faults.signalledRun(
            ["watch", "watched", "--out-dir", "watch-out", "--sample-rate", "96000", "-q"],
            in: folder, watching: tracks, signal: SIGINT)
        XCTAssertTrue(sawPartial, "watch never started the render")
        XCTAssertEqual(result.code, 0, result.stderr)
        Faults.assertUnchanged(tracks, since: before, "Ctrl-C while watching")
    }

    // MARK: 66: unreadable input

    func testMusicThatEndsEarlyIsCutOrIsNotAudioExits66() throws {
        // Real FLAC, MP3 and Ogg files (Cadence's own tracks), cut in half: mid-frame.
        for format in ["flac", "mp3", "ogg"] {
            let whole = try Faults.renderAudio(Self.routine, to: "whole.\(format)", in: folder)
            let bytes = try Data(contentsOf: whole)
            try bytes.prefix(bytes.count / 2).write(to: folder.appendingPathComponent("cut.\(format)"))
            try FileManager.default.removeItem(at: whole)
        }
        try Faults.toneWAV(frames: 44_100, promisedFrames: 441_000).write(to: folder.appendingPathComponent("promises-more.wav"))
        try Faults.toneWAV(frames: 0).write(to: folder.appendingPathComponent("no-frames.wav"))
        var silent = Faults.toneWAV(frames: 44_100)
        silent.replaceSubrange(44..<silent.count, with: Data(count: silent.count - 44))
        try silent.write(to: folder.appendingPathComponent("silent.wav"))
        try Data("this is not audio\n".utf8).write(to: folder.appendingPathComponent("not-audio.mp3"))
        try Data().write(to: folder.appendingPathComponent("empty.wav"))
        try oldTrack.write(to: folder.appendingPathComponent("track.wav"))
        let before = Faults.snapshot(folder)
        for music in ["promises-more.wav", "cut.flac", "cut.mp3", "cut.ogg", "no-frames.wav", "silent.wav", "not-audio.mp3", "empty.wav"] {
            let result = try runCadence(
                ["render", "routine.yaml", "-o", "track.wav", "--sample-rate", "8000", "--music", music], in: folder)
            XCTAssertEqual(result.code, 66, "\(music): \(result.stderr)")
            Faults.assertClearMessage(result, naming: music, music)
            Faults.assertUnchanged(folder, since: before, "music \(music)")
        }
        // A good file first, then a bad one: the playlist fails as a whole.
        try Faults.toneWAV(frames: 44_100 * 3).write(to: folder.appendingPathComponent("good.wav"))
        let mixed = Faults.snapshot(folder)
        let result = try runCadence(
            [
                "render", "routine.yaml", "-o", "track.wav", "--sample-rate", "8000", "--music", "good.wav",
                "--music", "cut.flac",
            ], in: folder)
        XCTAssertEqual(result.code, 66, result.stderr)
        Faults.assertClearMessage(result, naming: "cut.flac", "a playlist with one cut file")
        Faults.assertUnchanged(folder, since: mixed, "a playlist with one cut file")
    }

    func testACorruptSoundPackFileExits66() throws {
        let good = Faults.toneWAV(frames: 4_800, rate: 48_000, channels: 1)
        func patched(_ offset: Int, _ bytes: [UInt8]) -> Data {
            var data = good
            data.replaceSubrange(offset..<(offset + bytes.count), with: bytes)
            return data
        }
        let cases: [(String, Data?)] = [
            ("header-only", Data(good.prefix(44))),  // promises 4800 frames, holds none
            ("empty", Data()),
            ("no-channels", patched(22, [0, 0])),
            ("absurd-rate", patched(24, [0x00, 0x94, 0x35, 0x77])),  // 2,000,000,000 Hz
            ("one-hertz", patched(24, [1, 0, 0, 0])),  // 4800 frames at 1 Hz: 80 minutes
            ("not-audio", Data("not a sound\n".utf8)),
            ("a-folder", nil),
        ]
        try oldTrack.write(to: folder.appendingPathComponent("track.wav"))
        for (name, bytes) in cases {
            let pack = folder.appendingPathComponent("pack-\(name)")
            try FileManager.default.createDirectory(at: pack, withIntermediateDirectories: true)
            if let bytes {
                try bytes.write(to: pack.appendingPathComponent("stop.wav"))
            } else {
                try FileManager.default.createDirectory(at: pack.appendingPathComponent("stop.wav"), withIntermediateDirectories: true)
            }
            let before = Faults.snapshot(folder)
            let result = try runCadence(
                ["render", "routine.yaml", "-o", "track.wav", "--sample-rate", "8000", "--sounds", "pack-\(name)"],
                in: folder)
            XCTAssertEqual(result.code, 66, "\(name): \(result.stderr)")
            Faults.assertClearMessage(result, naming: "pack-\(name)/stop.wav", name)
            Faults.assertUnchanged(folder, since: before, "pack sound \(name)")
        }
    }

    // MARK: Batches

    /// One routine's failure (a folder in the way: 73; a broken routine: 65) touches neither the
    /// other tracks nor its own old track; the exit code is the first failure's.
    func testAFailingTrackAmongSeveralDoesNotDamageTheOthers() throws {
        let routines = folder.appendingPathComponent("routines"), tracks = folder.appendingPathComponent("tracks")
        for url in [routines, tracks] { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        try write(Self.routine, to: "a.yaml", in: routines)
        try write(Self.routine, to: "b.yaml", in: routines)
        try write("title: Broken\nsteps:\n  - name: x\n    hodl: 3s\n", to: "c.yaml", in: routines)
        try write(Self.routine, to: "d.yaml", in: routines)
        try oldTrack.write(to: tracks.appendingPathComponent("a.wav"))
        try FileManager.default.createDirectory(at: tracks.appendingPathComponent("b.wav"), withIntermediateDirectories: true)
        try oldTrack.write(to: tracks.appendingPathComponent("c.wav"))
        let result = try runCadence(["render", "routines", "--out-dir", "tracks", "--jobs", "2", "--sample-rate", "8000"], in: folder)
        XCTAssertEqual(result.code, 73, "the first failure (b: a folder in the way) gives the exit code: \(result.stderr)")
        Faults.assertClearMessage(result, naming: "tracks/b.wav", "b")
        Faults.assertClearMessage(result, naming: "c.yaml", saying: "hodl", "c")
        let after = Faults.snapshot(tracks)
        XCTAssertNotEqual(after["a.wav"], oldTrack, "a.wav was rendered again")
        XCTAssertGreaterThan(after["a.wav"]?.count ?? 0, 1_000)
        XCTAssertEqual(after["b.wav/"], Data(), "b.wav is still the (empty) folder")
        XCTAssertEqual(after["c.wav"], oldTrack, "c.wav, whose routine is broken, is untouched")
        XCTAssertEqual(after["d.wav"], after["a.wav"], "d.wav is rendered (same routine as a)")
        XCTAssertEqual(RenderCLI.partialFiles(in: tracks), [])
    }

    /// A disk with room for one track: the others fail with 74 and keep their old bytes.
    func testADiskThatFillsDuringABatchKeepsEveryOldTrack() throws {
        try Faults.requireMount()
        let reference = try Faults.renderAudio(
            Self.routine, to: "reference.wav", in: folder, args: ["--sample-rate", "8000", "--channels", "1"])
        let pages = (try size(of: reference) + 4_095) / 4_096
        let disk = try mount("disk-batch", kibibytes: 4 * (pages + 3))
        let routines = folder.appendingPathComponent("batch")
        try FileManager.default.createDirectory(at: routines, withIntermediateDirectories: true)
        for name in ["a", "b", "c"] {
            try write(Self.routine.replacingOccurrences(of: "title: Faults", with: "title: \(name)"), to: "\(name).yaml", in: routines)
            try oldTrack.write(to: disk.appendingPathComponent("\(name).wav"))
        }
        let result = try runCadence(
            ["render", "batch", "--out-dir", "disk-batch", "--jobs", "1", "--sample-rate", "8000", "--channels", "1"],
            in: folder)
        // 74 for a disk that fills; 73 while a full disk makes `TrackWriter.init` fail (testADiskThatIsAlreadyFullExits74).
        XCTAssertTrue([73, 74].contains(result.code), result.stderr)
        let after = Faults.snapshot(disk)
        XCTAssertEqual(RenderCLI.partialFiles(in: disk), [])
        let rendered = ["a", "b", "c"].filter { after["\($0).wav"] != oldTrack }
        XCTAssertLessThanOrEqual(rendered.count, 1, "only one track fits: \(rendered)")
        for name in ["a", "b", "c"] where !rendered.contains(name) {
            XCTAssertEqual(after["\(name).wav"], oldTrack, "\(name).wav failed and must keep its old bytes")
            Faults.assertClearMessage(result, naming: "\(name).wav", name)
            XCTAssertTrue(result.stderr.lowercased().contains("no space left"), result.stderr)
        }
        XCTAssertTrue(Set(after.keys).isSubset(of: ["a.wav", "b.wav", "c.wav", ".cadence-manifest.json"]), "\(after.keys.sorted())")
    }
}
