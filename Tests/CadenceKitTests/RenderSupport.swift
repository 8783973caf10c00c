import CadenceTestSupport
import Foundation
import XCTest
@testable import CadenceKit

// Helpers for the rendering tests: schedule a routine written in the test, render it through
// `TrackRenderer` into a scratch folder, read the track back through libsndfile (`Sndfile`), and
// look at it sample by sample. Everything lives in `RenderHarness` so nothing clashes with the
// helpers of the other CadenceKit test files.

enum RenderHarness {
    /// -1 dBFS as a linear amplitude: no sample of a track may be louder than this.
    static let minusOneDBFS: Float = Float(pow(10.0, -1.0 / 20.0))  // 0.8913

    /// 2 ms in samples, rounded up: the silence that must come before a sound for its onset to be checked.
    static func twoMilliseconds(_ rate: Int) -> Int { (rate * 2 + 999) / 1000 }

    /// Parses and schedules `yaml`, failing the test when the routine is rejected.
    static func timeline(
        _ yaml: String, rate: Int, level: Level = .normal,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> Timeline {
        do {
            let routine = try RoutineLoader.parse(Array(yaml.utf8), path: "render-test.yaml", level: level)
            return Scheduler.schedule(routine, sampleRate: rate, level: level)
        } catch {
            XCTFail("routine rejected:\n\(error)", file: file, line: line)
            throw error
        }
    }

    /// A scratch folder the caller removes. Only the Voice*, Speech* and PhraseCache* tests still
    /// use it; everything else takes `ScratchFolder(for: self)`, which removes itself.
    static func makeFolder() throws -> URL { try ScratchFolder("render").url }

    /// A decoded track: frames, interleaved float samples as libsndfile reads them (PCM scaled by 1/2^15 or 1/2^23).
    struct Track {
        var sampleRate: Int
        var channels: Int
        var frames: Int
        var interleaved: [Float]

        /// One channel's samples.
        func channel(_ index: Int) -> [Float] {
            var out = [Float](repeating: 0, count: frames)
            interleaved.withUnsafeBufferPointer { all in
                for frame in 0..<frames { out[frame] = all[frame * channels + index] }
            }
            return out
        }
    }

    static func read(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> Track {
        let sound = try Sndfile.openForReading(path: path, kind: "track")
        var samples = [Float](repeating: 0, count: Int(sound.frames) * sound.channels)
        let count = try samples.withUnsafeMutableBufferPointer { buffer in
            try sound.read(into: buffer.baseAddress!, frameCount: Int(sound.frames))
        }
        XCTAssertEqual(
            count, Int(sound.frames), "\(path): libsndfile read fewer frames than the header announces",
            file: file, line: line)
        return Track(
            sampleRate: sound.sampleRate, channels: sound.channels, frames: count,
            interleaved: Array(samples.prefix(count * sound.channels)))
    }

    /// Renders `timeline` with `options` into `folder/name` and returns the path.
    @discardableResult
    static func render(_ timeline: Timeline, options: RenderOptions, in folder: URL, name: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try TrackRenderer.render(timeline, to: path, options: options)
        return path
    }

    /// Renders and reads back a WAV track; also checks the frame count and that stereo channels are equal.
    static func renderWAV(
        _ timeline: Timeline, options: RenderOptions, in folder: URL,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> (track: Track, mono: [Float], path: String) {
        var options = options
        options.format = .wav
        let path = try render(
            timeline, options: options, in: folder,
            name: "track-\(options.sampleRate)-\(options.channels)-\(options.bitDepth.rawValue)-\(UUID().uuidString.prefix(6)).wav")
        let track = try read(path, file: file, line: line)
        XCTAssertEqual(track.sampleRate, options.sampleRate, file: file, line: line)
        XCTAssertEqual(track.channels, options.channels, file: file, line: line)
        XCTAssertEqual(
            Int64(track.frames), timeline.totalSamples,
            "the track must be exactly total_samples frames long", file: file, line: line)
        let mono = track.channel(0)
        if track.channels == 2 {
            let right = track.channel(1)
            let differing = zip(mono, right).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            XCTAssertNil(differing, "stereo: left and right differ first at frame \(differing ?? -1)", file: file, line: line)
        }
        return (track, mono, path)
    }

    // MARK: What plays where

    /// How many samples the sound of `cue` lasts with the bank of this render (breath tones: the cue's length).
    static func soundLength(of cue: Cue, bank: SoundBank) -> Int {
        switch cue.type {
        case .inhale, .exhale, .breathHold: return Int(cue.length ?? 0)
        default:
            guard let sound = CueSound.forCue(cue) else { return 0 }
            return bank.samples(for: sound).count
        }
    }

    /// For each sample, whether some cue's sound plays there (optionally leaving out one cue).
    static func coverage(_ timeline: Timeline, bank: SoundBank, excluding excluded: Int? = nil) -> [Bool] {
        let total = Int(timeline.totalSamples)
        var covered = [Bool](repeating: false, count: total)
        for (index, cue) in timeline.cues.enumerated() where index != excluded && cue.sample < timeline.totalSamples {
            let start = Int(cue.sample)
            let end = min(total, start + soundLength(of: cue, bank: bank))
            if start < end { for sample in start..<end { covered[sample] = true } }
        }
        return covered
    }

    static func bank(for options: RenderOptions) throws -> SoundBank {
        try SoundBank(
            sampleRate: options.sampleRate, gainDecibels: options.gainDecibels,
            pack: options.soundsFolder.map { try SoundPackFolder(folder: $0) })
    }

    // MARK: The user-visible timing rules

    /// Checks the rules of timeline.md "Rendering" on a mono signal:
    /// - every cue whose preceding 2 ms are digital silence has a non-zero sample exactly at its index;
    /// - every non-zero sample that follows 2 ms or more of silence (or the start) is at a cue's sample;
    /// - where no cue sound plays, every sample is exactly 0.
    /// Returns how many onsets were checked.
    @discardableResult
    static func assertCueTiming(
        _ samples: [Float], timeline: Timeline, bank: SoundBank, label: String,
        file: StaticString = #filePath, line: UInt = #line
    ) -> Int {
        let rate = timeline.sampleRate
        let gap = twoMilliseconds(rate)
        let total = Int(timeline.totalSamples)
        XCTAssertEqual(samples.count, total, label, file: file, line: line)
        guard samples.count == total else { return 0 }
        var failures = 0
        func fail(_ message: String) {
            failures += 1
            if failures <= 8 { XCTFail("\(label): \(message)", file: file, line: line) }
        }

        // Onsets exactly on cues.
        var checked = 0
        for cue in timeline.cues where cue.sample < timeline.totalSamples {
            let at = Int(cue.sample)
            let before = samples[max(0, at - gap)..<at]
            guard before.allSatisfy({ $0 == 0 }) else { continue }
            checked += 1
            if samples[at] == 0 {
                let firstSound = samples[at...].firstIndex { $0 != 0 }
                fail(
                    "\(cue.type.rawValue) cue at sample \(at) (step \(cue.step)): the sample at the cue is 0 after 2 ms of silence; "
                        + "the sound begins at \(firstSound.map(String.init) ?? "never") instead")
            }
        }

        // Nothing starts anywhere but on a cue.
        let cueSamples = Set(timeline.cues.map { Int($0.sample) })
        var silentRun = gap  // the start of the track counts as silence
        for index in 0..<total {
            if samples[index] == 0 {
                silentRun += 1
            } else {
                if silentRun >= gap, !cueSamples.contains(index) {
                    let nearest = cueSamples.min { abs($0 - index) < abs($1 - index) } ?? -1
                    fail("sound starts at sample \(index) after \(silentRun) silent samples, but no cue is there (nearest cue: \(nearest))")
                }
                silentRun = 0
            }
        }

        // Digital silence where no sound plays.
        let covered = coverage(timeline, bank: bank)
        for index in 0..<total where !covered[index] && samples[index] != 0 {
            fail("sample \(index) is \(samples[index]) although no cue sound plays there")
            break
        }
        if failures > 8 { XCTFail("\(label): \(failures - 8) more timing failures", file: file, line: line) }
        return checked
    }

    // MARK: Signal measurements

    static func peak(_ samples: [Float]) -> Float { samples.reduce(0) { max($0, abs($1)) } }

    /// Sign changes per second over `range`, ignoring exact zeros: twice the dominant frequency of a tone.
    static func zeroCrossingRate(_ samples: [Float], _ range: Range<Int>, rate: Int) -> Double {
        var crossings = 0
        var lastSign: Float = 0
        for index in range where samples[index] != 0 {
            let sign: Float = samples[index] > 0 ? 1 : -1
            if lastSign != 0, sign != lastSign { crossings += 1 }
            lastSign = sign
        }
        return Double(crossings) * Double(rate) / Double(range.count)
    }

    // MARK: WAV bytes

    struct Chunk {
        var id: String
        /// Offset of the chunk's data (after its 8-byte header).
        var offset: Int
        var size: Int
    }

    static func uint16(_ bytes: [UInt8], _ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
    static func uint32(_ bytes: [UInt8], _ at: Int) -> Int {
        Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
    }

    /// The top-level chunks of a RIFF/WAVE file; fails the test if the chunk walk does not end exactly at the file's end.
    static func chunks(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> [Chunk] {
        guard bytes.count >= 12, String(decoding: bytes[0..<4], as: UTF8.self) == "RIFF",
            String(decoding: bytes[8..<12], as: UTF8.self) == "WAVE"
        else {
            XCTFail("not a RIFF/WAVE file", file: file, line: line)
            return []
        }
        var found: [Chunk] = []
        var at = 12
        while at + 8 <= bytes.count {
            let id = String(decoding: bytes[at..<at + 4], as: UTF8.self)
            let size = uint32(bytes, at + 4)
            found.append(Chunk(id: id, offset: at + 8, size: size))
            at += 8 + size + (size % 2)
        }
        XCTAssertEqual(
            at, bytes.count, "the chunks (\(found.map(\.id))) do not end exactly at the end of the file",
            file: file, line: line)
        return found
    }

    /// The fmt chunk's fields; WAVE_FORMAT_EXTENSIBLE is resolved to its sub-format.
    struct Format: Equatable {
        var formatTag: Int
        var channels: Int
        var sampleRate: Int
        var bitsPerSample: Int
        var blockAlign: Int
    }

    static func format(_ bytes: [UInt8], _ chunks: [Chunk]) -> Format? {
        guard let fmt = chunks.first(where: { $0.id == "fmt " }), fmt.size >= 16 else { return nil }
        let at = fmt.offset
        var tag = uint16(bytes, at)
        if tag == 0xFFFE, fmt.size >= 40 { tag = uint16(bytes, at + 24) }
        return Format(
            formatTag: tag, channels: uint16(bytes, at + 2), sampleRate: uint32(bytes, at + 4),
            bitsPerSample: uint16(bytes, at + 14), blockAlign: uint16(bytes, at + 12))
    }

    struct Marker: Equatable, CustomStringConvertible {
        var sample: Int
        var name: String
        var description: String { "\(sample) '\(name)'" }
    }

    /// The markers of the `cue ` chunk, named by the `labl` entries of the `LIST`/`adtl` chunk, in cue-point order.
    static func markers(_ bytes: [UInt8], _ chunks: [Chunk], file: StaticString = #filePath, line: UInt = #line) -> [Marker] {
        guard let cue = chunks.first(where: { $0.id == "cue " }) else {
            XCTFail("no `cue ` chunk", file: file, line: line)
            return []
        }
        let count = uint32(bytes, cue.offset)
        XCTAssertEqual(cue.size, 4 + 24 * count, "`cue ` chunk size", file: file, line: line)
        var points: [(id: Int, sample: Int)] = []
        for index in 0..<count {
            let at = cue.offset + 4 + 24 * index
            let id = uint32(bytes, at)
            let position = uint32(bytes, at + 4)
            let chunkID = String(decoding: bytes[at + 8..<at + 12], as: UTF8.self)
            let sampleOffset = uint32(bytes, at + 20)
            XCTAssertEqual(chunkID, "data", "cue point \(id) must point into the data chunk", file: file, line: line)
            XCTAssertEqual(uint32(bytes, at + 12), 0, "cue point \(id): chunk start", file: file, line: line)
            XCTAssertEqual(uint32(bytes, at + 16), 0, "cue point \(id): block start", file: file, line: line)
            XCTAssertEqual(position, sampleOffset, "cue point \(id): position and sample offset", file: file, line: line)
            points.append((id, sampleOffset))
        }
        var names: [Int: String] = [:]
        for list in chunks where list.id == "LIST" && String(decoding: bytes[list.offset..<list.offset + 4], as: UTF8.self) == "adtl" {
            var at = list.offset + 4
            let end = list.offset + list.size
            while at + 8 <= end {
                let id = String(decoding: bytes[at..<at + 4], as: UTF8.self)
                let size = uint32(bytes, at + 4)
                if id == "labl" {
                    let cueID = uint32(bytes, at + 8)
                    var text = Array(bytes[at + 12..<at + 8 + size])
                    XCTAssertEqual(text.last, 0, "labl \(cueID) must end with a NUL", file: file, line: line)
                    while text.last == 0 { text.removeLast() }
                    names[cueID] = String(decoding: text, as: UTF8.self)
                }
                at += 8 + size + (size % 2)
            }
            XCTAssertEqual(at, end, "the adtl sub-chunks must fill the LIST chunk exactly", file: file, line: line)
        }
        return points.map { Marker(sample: $0.sample, name: names[$0.id] ?? "<no labl for cue \($0.id)>") }
    }
}
