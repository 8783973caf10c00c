import CadenceTestSupport
import Foundation
import XCTest
@testable import CadenceKit

/// `cadence render` as a user runs it (cli.md): every format decodes with ffmpeg at the timeline's
/// exact length with the routine's title; WAV markers show as chapters; `--timeline` and
/// `--labels` files; the same bytes on every run; `sounds export` matches the repository's Sounds/.
final class RenderCommandTests: XCTestCase {
    static let routine = """
        title: Evening stretch - render test
        defaults: {lead_in: 1.25s, transition: 0.75s, tail: 1.5s, countdown: 1}
        steps:
          - name: Cat-cow
            breaths: 1
            inhale: 1s
            exhale: 1s
          - name: Child’s pose
            hold: 2s
            halfway: true
          - name: Side bend
            hold: 0.5s
            sides: each
            switch: 0.123s
        """
    static let title = "Evening stretch - render test"

    private var folder: URL!

    override func setUpWithError() throws {
        folder = try ScratchFolder(for: self).url
        try write(Self.routine, to: "routine.yaml", in: folder)
    }

    @discardableResult
    private func render(_ args: [String], file: StaticString = #filePath, line: UInt = #line) throws -> CommandResult {
        let result = try runCadence(["render", "routine.yaml"] + args, in: folder, file: file, line: line)
        XCTAssertEqual(result.code, 0, "cadence render \(args.joined(separator: " ")): \(result.stderr)", file: file, line: line)
        return result
    }

    // MARK: Formats

    func testEveryFormatDecodesWithFFmpegAtTheTimelinesLengthAndCarriesTheTitle() throws {
        try RenderCLI.requireFFmpeg()
        let cases: [(ext: String, codec: String, rate: Int)] = [
            ("wav", "pcm_s16le", 44_100), ("flac", "flac", 44_100), ("ogg", "vorbis", 44_100),
            ("opus", "opus", 48_000), ("mp3", "mp3", 44_100),
        ]
        var references: [Int: [Float]] = [:]
        for rate in Set(cases.map(\.rate)) {
            try render(["-o", "reference-\(rate).wav", "--sample-rate", "\(rate)", "--channels", "1"])
            references[rate] = try RenderCLI.readChannel(folder.appendingPathComponent("reference-\(rate).wav")).samples
        }
        for (ext, codec, rate) in cases {
            let track = folder.appendingPathComponent("track.\(ext)")
            // The format comes from the extension.
            try render(["-o", track.lastPathComponent, "--sample-rate", "\(rate)"])
            let timeline = try RenderCLI.timeline(Self.routine, rate: rate)
            let streams =
                try RenderCLI.probe(track, ["-show_entries", "stream=codec_name,sample_rate,channels"])["streams"] as? [[String: Any]]
            let stream = try XCTUnwrap(streams?.first, ext)
            XCTAssertEqual(stream["codec_name"] as? String, codec, ext)
            XCTAssertEqual(stream["sample_rate"] as? String, "\(rate)", ext)
            XCTAssertEqual(stream["channels"] as? Int, 2, "\(ext): stereo by default")
            XCTAssertEqual(try RenderCLI.title(of: track), Self.title, "\(ext): title metadata")

            let decoded = try RenderCLI.decode(track)
            XCTAssertEqual(decoded.count, Int(timeline.totalSamples), "\(ext): ffmpeg must decode exactly total_samples frames")
            let reference = try XCTUnwrap(references[rate])
            guard decoded.count == reference.count else { continue }
            // The decoded sound is the WAV's, in time: high correlation with no shift.
            var dot = 0.0, energyA = 0.0, energyB = 0.0
            for index in decoded.indices {
                dot += Double(decoded[index]) * Double(reference[index])
                energyA += Double(decoded[index]) * Double(decoded[index])
                energyB += Double(reference[index]) * Double(reference[index])
            }
            let correlation = dot / (energyA * energyB).squareRoot()
            // Codec noise leaves it above 0.9999; a shift of a single sample brings it under 0.995.
            XCTAssertGreaterThan(correlation, 0.998, "\(ext): decoded audio does not match the WAV render in time (\(correlation))")
            // And silent where the WAV is silent (away from sound edges, where a codec may ring a little).
            let margin = rate / 20
            var run = 0
            for index in reference.indices {
                if reference[index] == 0 {
                    run += 1
                    continue
                }
                if run >= 4 * margin {
                    let quiet = decoded[index - run + margin..<index - margin]
                    XCTAssertLessThan(
                        quiet.reduce(0) { max($0, abs($1)) }, 0.01,
                        "\(ext): not silent between samples \(index - run) and \(index)")
                }
                run = 0
            }
        }
    }

    /// The title is UTF-8 text (routine-format.md); every format must carry it as written.
    func testANonASCIITitleIsKeptInEveryFormat() throws {
        try RenderCLI.requireFFmpeg()
        let title = "Abend-Dehnung “Rücken” — 5 min"
        try write(Self.routine.replacingOccurrences(of: "title: \(Self.title)", with: "title: \(title)"), to: "utf8.yaml", in: folder)
        for (ext, rate) in [("wav", 8_000), ("flac", 8_000), ("ogg", 8_000), ("opus", 8_000), ("mp3", 8_000)] {
            let result = try runCadence(["render", "utf8.yaml", "-o", "utf8.\(ext)", "--sample-rate", "\(rate)"], in: folder)
            XCTAssertEqual(result.code, 0, result.stderr)
            XCTAssertEqual(try RenderCLI.title(of: folder.appendingPathComponent("utf8.\(ext)")), title, "\(ext): title metadata")
        }
    }

    func testWAVBitDepthsAndFLACDepthsAreWhatWasAskedFor() throws {
        try RenderCLI.requireFFmpeg()
        let cases: [([String], String, String, String)] = [
            ([], "wav", "pcm_s16le", "16"),
            (["--bit-depth", "16"], "wav", "pcm_s16le", "16"),
            (["--bit-depth", "24"], "wav", "pcm_s24le", "24"),
            (["--bit-depth", "float"], "wav", "pcm_f32le", "32"),
            (["--bit-depth", "24"], "flac", "flac", "24"),
        ]
        for (options, ext, codec, bits) in cases {
            let track = folder.appendingPathComponent("depth.\(ext)")
            try? FileManager.default.removeItem(at: track)
            try render(["-o", track.lastPathComponent, "--sample-rate", "8000"] + options)
            let stream = try XCTUnwrap(
                (try RenderCLI.probe(track, ["-show_entries", "stream=codec_name,bits_per_sample,bits_per_raw_sample"])["streams"]
                    as? [[String: Any]])?.first)
            XCTAssertEqual(stream["codec_name"] as? String, codec, "\(options)")
            let reported = [stream["bits_per_sample"], stream["bits_per_raw_sample"]].compactMap { value -> String? in
                if let text = value as? String { return text }
                if let number = value as? Int { return String(number) }
                return nil
            }
            XCTAssertTrue(reported.contains(bits), "\(ext) \(options): ffprobe reports \(reported) bits")
        }
    }

    func testTheFormatComesFromTheOptionThenTheExtensionElseWAV() throws {
        try render(["-o", "plain", "--sample-rate", "8000"])
        XCTAssertEqual(Array(try RenderCLI.bytes(folder.appendingPathComponent("plain")).prefix(4)), Array("RIFF".utf8))
        try render(["-o", "chosen", "--format", "flac", "--sample-rate", "8000"])
        XCTAssertEqual(Array(try RenderCLI.bytes(folder.appendingPathComponent("chosen")).prefix(4)), Array("fLaC".utf8))
        try render(["-o", "agreed.FLAC", "--format", "flac", "--sample-rate", "8000"])
        XCTAssertEqual(Array(try RenderCLI.bytes(folder.appendingPathComponent("agreed.FLAC")).prefix(4)), Array("fLaC".utf8))
        try render(["-o", "by-extension.ogg", "--sample-rate", "8000"])
        XCTAssertEqual(Array(try RenderCLI.bytes(folder.appendingPathComponent("by-extension.ogg")).prefix(4)), Array("OggS".utf8))
        // No -o: ./<routine base name>.<ext>.
        try render(["--format", "flac", "--sample-rate", "8000"])
        XCTAssertEqual(Array(try RenderCLI.bytes(folder.appendingPathComponent("routine.flac")).prefix(4)), Array("fLaC".utf8))
    }

    // MARK: Same bytes

    func testTwoRunsWriteTheSameBytes() throws {
        for (ext, rate) in [("wav", 44_100), ("ogg", 44_100), ("mp3", 44_100), ("flac", 44_100), ("opus", 48_000)] {
            try render(["-o", "first.\(ext)", "--sample-rate", "\(rate)"])
            try render(["-o", "second.\(ext)", "--sample-rate", "\(rate)"])
            let first = try RenderCLI.bytes(folder.appendingPathComponent("first.\(ext)"))
            let second = try RenderCLI.bytes(folder.appendingPathComponent("second.\(ext)"))
            XCTAssertGreaterThan(first.count, 1_000, ext)
            XCTAssertTrue(first == second, "\(ext): two runs wrote different bytes (\(first.count) and \(second.count) bytes)")
        }
    }

    // MARK: Markers, labels, timeline

    func testWAVMarkersShowAsChaptersInFFprobe() throws {
        try RenderCLI.requireFFmpeg()
        for rate in [44_100, 8_000] {
            let track = folder.appendingPathComponent("chapters-\(rate).wav")
            try render(["-o", track.lastPathComponent, "--sample-rate", "\(rate)"])
            let timeline = try RenderCLI.timeline(Self.routine, rate: rate)
            let chapters = try XCTUnwrap(try RenderCLI.probe(track, ["-show_chapters"])["chapters"] as? [[String: Any]])
            XCTAssertEqual(chapters.count, timeline.steps.count, "one chapter per step at \(rate) Hz")
            for (chapter, step) in zip(chapters, timeline.steps) {
                let tags = chapter["tags"] as? [String: Any]
                XCTAssertEqual(tags?["title"] as? String, step.name)
                // start is in the chapter's time base; the WAV demuxer uses 1/rate, so it is the sample.
                XCTAssertEqual(chapter["time_base"] as? String, "1/\(rate)")
                XCTAssertEqual((chapter["start"] as? NSNumber)?.int64Value, step.start, "chapter '\(step.name)' at \(rate) Hz")
            }
        }
    }

    func testLabelsFileIsAnAudacityLabelTrackWithSixDecimals() throws {
        try render(["-o", "track.wav", "--sample-rate", "48000", "--labels", "labels.txt"])
        // Worked out from the routine: Cat-cow from 0 to 1.25 + 1 + 1 = 3.25 s; Child's pose from
        // 3.25 to 3.25 + 0.75 + 2 = 6 s; Side bend from 6 to 6 + 0.75 + 0.5 + 0.123 + 0.5 = 7.873 s.
        // At 48000 Hz each of these is a whole sample, so there is nothing to round.
        let expected =
            "0.000000\t3.250000\tCat-cow\n"
            + "3.250000\t6.000000\tChild’s pose\n"
            + "6.000000\t7.873000\tSide bend\n"
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("labels.txt"), encoding: .utf8), expected)
        let timeline = try RenderCLI.timeline(Self.routine, rate: 48_000)
        XCTAssertEqual(timeline.steps.map(\.end), [156_000, 288_000, 377_904])
    }

    func testTimelineFileIsTheTimelineOfTheTrack() throws {
        for rate in [8_000, 96_000] {
            try render(["-o", "track-\(rate).wav", "--sample-rate", "\(rate)", "--channels", "1", "--timeline", "timeline-\(rate).json"])
            let written = try jsonObject(try String(contentsOf: folder.appendingPathComponent("timeline-\(rate).json"), encoding: .utf8))
            let planned = try runCadence(["plan", "routine.yaml", "--json", "--sample-rate", "\(rate)"], in: folder)
            XCTAssertEqual(planned.code, 0, planned.stderr)
            XCTAssertEqual(
                NSDictionary(dictionary: written), NSDictionary(dictionary: try jsonObject(planned.stdout)),
                "--timeline writes the timeline `plan --json` prints for the same options")
            XCTAssertEqual(written["format"] as? String, "cadence-timeline/1")
            XCTAssertEqual(written["sample_rate"] as? Int, rate)
            XCTAssertEqual(written["title"] as? String, Self.title)
            let track = try RenderCLI.readChannel(folder.appendingPathComponent("track-\(rate).wav"))
            XCTAssertEqual(track.samples.count, written["total_samples"] as? Int, "the track is total_samples frames long")
            XCTAssertEqual(track.rate, rate)
            XCTAssertEqual(track.channels, 1)
            // Every cue of the file starts a sound on its sample when silence comes before it.
            for cue in written["cues"] as? [[String: Any]] ?? [] {
                guard let sample = cue["sample"] as? Int, sample < track.samples.count, sample >= rate / 100 else { continue }
                if track.samples[(sample - rate / 500)..<sample].allSatisfy({ $0 == 0 }) {
                    XCTAssertNotEqual(track.samples[sample], 0, "\(cue["type"] ?? "?") at \(sample)")
                }
            }
        }
    }

    func testWithNoRoutineTheBuiltInDailyRoutineIsRenderedToItsName() throws {
        let empty = folder.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let result = try runCadence(["render", "--sample-rate", "8000", "--channels", "1", "-q"], in: empty)
        XCTAssertEqual(result.code, 0, result.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: empty.path), ["daily-lower-back.wav"])
        let routine = try String(contentsOf: Paths.routines.appendingPathComponent("daily-lower-back.yaml"), encoding: .utf8)
        let timeline = try RenderCLI.timeline(routine, rate: 8_000)
        let track = try RenderCLI.readChannel(empty.appendingPathComponent("daily-lower-back.wav"))
        XCTAssertEqual(track.samples.count, Int(timeline.totalSamples), "the track of Routines/daily-lower-back.yaml")
        let go = try XCTUnwrap(timeline.cues.first { $0.type == .go })
        XCTAssertNotEqual(track.samples[Int(go.sample)], 0)
    }

    func testNoProgressOutputWhenStandardErrorIsNotATerminal() throws {
        let result = try render(["-o", "track.wav", "--sample-rate", "8000"])
        XCTAssertEqual(
            result.stderr, "wrote track.wav  0:09  8 kHz stereo WAV\n",
            "the progress bar is drawn only on a terminal; what was written is said")
        let quiet = try render(["-o", "track.wav", "--sample-rate", "8000", "-q"])
        XCTAssertEqual(quiet.stderr, "", "-q: nothing on standard error")
    }

    // MARK: Sound packs

    func testSoundsExportWritesTheRepositorysSoundsFolderByteForByte() throws {
        let exported = folder.appendingPathComponent("exported")
        let result = try runCadence(["sounds", "export", exported.path], in: folder)
        XCTAssertEqual(result.code, 0, result.stderr)
        let names = try FileManager.default.contentsOfDirectory(atPath: exported.path).sorted()
        XCTAssertEqual(
            names,
            [
                "announce.wav", "countdown-last.wav", "countdown.wav", "finish.wav", "go.wav", "halfway.wav",
                "phase.wav", "pulse.wav", "stop.wav", "switch.wav",
            ])
        let repository = Paths.packageRoot.appendingPathComponent("Sounds")
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: repository.path, isDirectory: &isFolder), isFolder.boolValue else {
            return XCTFail("the repository has no Sounds/ folder: generate it with `cadence sounds export Sounds`")
        }
        // Notes (a README) may sit beside the sounds; the sounds themselves must be exactly the pack.
        let kept = try FileManager.default.contentsOfDirectory(atPath: repository.path)
            .filter { AudioFormat(pathExtension: ($0 as NSString).pathExtension) != nil }.sorted()
        XCTAssertEqual(kept, names, "Sounds/ must hold exactly the sounds of the default pack")
        for name in names {
            XCTAssertTrue(
                try Data(contentsOf: exported.appendingPathComponent(name)) == Data(contentsOf: repository.appendingPathComponent(name)),
                "Sounds/\(name) differs from what `cadence sounds export` writes")
        }
        // The exported pack is a valid --sounds folder.
        try render(["-o", "with-pack.wav", "--sample-rate", "8000", "--sounds", exported.path])
    }

    func testASoundsFolderWithOneFileChangesThatSoundOnly() throws {
        // A 16-bit stereo 11025 Hz go.wav: resampled and mixed down; other sounds fall back to the built-in ones.
        let pack = folder.appendingPathComponent("pack")
        try FileManager.default.createDirectory(at: pack, withIntermediateDirectories: true)
        let tone = (0..<2_205).map { Int16(12_000 * sin(2 * Double.pi * 250 * Double($0) / 11_025)) }
        let stereo = tone.flatMap { [$0, $0] }
        try WAVFile.pcm16(stereo, channels: 2, rate: 11_025).write(to: pack.appendingPathComponent("go.wav"))

        try render(["-o", "default.wav", "--sample-rate", "8000", "--channels", "1"])
        try render(["-o", "packed.wav", "--sample-rate", "8000", "--channels", "1", "--sounds", "pack"])
        let plain = try RenderCLI.readChannel(folder.appendingPathComponent("default.wav")).samples
        let packed = try RenderCLI.readChannel(folder.appendingPathComponent("packed.wav")).samples
        let timeline = try RenderCLI.timeline(Self.routine, rate: 8_000)
        XCTAssertEqual(packed.count, Int(timeline.totalSamples))
        // The first announce plays alone (lead-in): the same samples; the first go sounds different.
        let announce = try XCTUnwrap(timeline.cues.first { $0.type == .announce })
        let go = try XCTUnwrap(timeline.cues.first { $0.type == .go })
        XCTAssertTrue(plain[Int(announce.sample)..<Int(go.sample)] == packed[Int(announce.sample)..<Int(go.sample)])
        XCTAssertFalse(plain[Int(go.sample)..<Int(go.sample) + 800] == packed[Int(go.sample)..<Int(go.sample) + 800])
        XCTAssertNotEqual(packed[Int(go.sample)], 0)
    }
}
