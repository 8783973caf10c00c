import CadenceTestSupport
import Foundation
import XCTest
@testable import CadenceKit

/// Tags and chapters in every format (`TrackMetadata`): rendered tracks read back with ffprobe and
/// ffmpeg, the bytes of each container checked by parsers written here, and the byte layout of
/// the ID3v2, Vorbis comment, Ogg and FLAC pieces one by one.
final class TrackMetadataTests: XCTestCase {
    /// Steps that start between whole milliseconds (so chapter times are rounded), names with curly
    /// quotes, a dash, accents, a check mark and `=` (the separator of Vorbis comments).
    static let routine = """
        title: Évening stretch “Rücken” ✓
        defaults: {lead_in: 0.7s, transition: 0.350333s, tail: 0.4s, countdown: 0}
        steps:
          - name: Cat-cow
            breaths: 1
            inhale: 0.6s
            exhale: 0.6s
          - name: "Child’s pose — ü ✓"
            hold: 0.550771s
          - name: "Knee = chest, hold=long"
            hold: 0.3s
            sides: each
            switch: 0.150499s
          - name: A
            hold: 0.25s
          - name: Side bend (right hand down)
            transition: 1.003s
            hold: 0.4s
        """

    /// Every format at 44.1 and 48 kHz, but Opus, which takes 48 kHz only (of these two).
    static let cases: [(format: AudioFormat, rate: Int, channels: Int)] = [
        (.wav, 44_100, 2), (.wav, 48_000, 2), (.flac, 44_100, 2), (.flac, 48_000, 2),
        (.ogg, 44_100, 2), (.ogg, 48_000, 2), (.mp3, 44_100, 2), (.mp3, 48_000, 1),
        (.opus, 48_000, 2), (.opus, 48_000, 1),
    ]

    private var folder: URL!

    override func setUpWithError() throws {
        folder = try ScratchFolder(for: self, "render").url
    }

    private func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    // MARK: Rendered tracks, read back

    func testEveryFormatHasOneChapterPerStepTheTitleAndTheSameLengthAsReadByFFprobe() throws {
        try Probe.requireTools()
        for (format, rate, channels) in Self.cases {
            let label = "\(format.rawValue) \(rate) Hz \(channels) ch"
            let timeline = try RenderHarness.timeline(Self.routine, rate: rate)
            let options = RenderOptions(format: format, sampleRate: rate, channels: channels)
            let track = try RenderHarness.render(timeline, options: options, in: folder, name: "a-\(rate)-\(channels).\(format.rawValue)")
            let again = try RenderHarness.render(timeline, options: options, in: folder, name: "b-\(rate)-\(channels).\(format.rawValue)")
            XCTAssertTrue(try Probe.bytes(track) == Probe.bytes(again), "\(label): two renders differ")

            let json = try Probe.probe(track)
            let chapters = try XCTUnwrap(json["chapters"] as? [[String: Any]], label)
            XCTAssertEqual(chapters.count, timeline.steps.count, "\(label): one chapter per step")
            for (chapter, step) in zip(chapters, timeline.steps) {
                let start = try XCTUnwrap(Double(chapter["start_time"] as? String ?? ""), "\(label): chapter start")
                let expected = Double(step.start) / Double(rate)
                XCTAssertLessThanOrEqual(
                    abs(start - expected), 0.001 + 1e-9,
                    "\(label): '\(step.name)' starts at \(start) s, the step at \(expected) s")
                XCTAssertEqual((chapter["tags"] as? [String: Any])?["title"] as? String, step.name, label)
                if format == .mp3 {
                    let end = try XCTUnwrap(Double(chapter["end_time"] as? String ?? ""))
                    XCTAssertLessThanOrEqual(abs(end - Double(step.end) / Double(rate)), 0.001 + 1e-9, "\(label): '\(step.name)' end")
                }
            }
            XCTAssertEqual(Probe.tags(json)["title"], timeline.title, "\(label): title tag")

            // Lossy codecs add their encoder delay or padding to what ffprobe reports.
            let duration = try XCTUnwrap(Double((json["format"] as? [String: Any])?["duration"] as? String ?? ""), label)
            let tolerance = [.mp3, .opus].contains(format) ? 0.06 : 0.000_001
            XCTAssertEqual(duration, Double(timeline.totalSamples) / Double(rate), accuracy: tolerance, "\(label): duration")
            XCTAssertEqual(try Probe.decodingErrors(track), "", "\(label): ffmpeg must decode the whole track cleanly")

            let bytes = try Probe.bytes(track)
            switch format {
            case .ogg, .opus:
                try Probe.assertOggStream(bytes, codec: format, title: timeline.title, chapters: timeline.steps.count, label: label)
            case .mp3: try Probe.assertOneID3v2Tag(bytes, label: label)
            case .flac: try Probe.assertFLACBlocks(bytes, label: label)
            case .wav: break
            }
        }
    }

    /// The tags the renderer leaves out (artist, album, comment) arrive too, through the track writer.
    func testArtistAlbumAndCommentAreWrittenWhenSetAndLeftOutWhenNot() throws {
        try Probe.requireTools()
        let rate = 48_000
        let samples = Probe.signal(seconds: 3, rate: rate, channels: 2)
        for format in AudioFormat.allCases {
            for withTags in [true, false] {
                var metadata = TrackMetadata(
                    title: "Morning — “ü” ✓",
                    chapters: [
                        .init(start: 0, end: 48_000, title: "One = 1"),
                        .init(start: 48_000, end: 100_001, title: "Two ✓"),
                        .init(start: 100_001, end: 144_000, title: "Three"),
                    ], sampleRate: rate, totalFrames: 144_000)
                if withTags {
                    metadata.artist = "Cadence"
                    metadata.album = "Back care · Vol. 2"
                    metadata.comment = "Six minutes, every day; key=value stays whole."
                }
                let track = path("tags-\(withTags).\(format.rawValue)")
                let writer = try TrackWriter(
                    destination: track, format: format, bitDepth: .pcm16, sampleRate: rate, channels: 2,
                    metadata: metadata)
                try samples.withUnsafeBufferPointer { try writer.write($0, frameCount: 144_000, sourceChannels: 2, silent: false) }
                try writer.finish()

                let json = try Probe.probe(track)
                let tags = Probe.tags(json)
                let label = "\(format.rawValue), tags \(withTags ? "set" : "not set")"
                XCTAssertEqual(tags["title"], metadata.title, label)
                XCTAssertEqual((json["chapters"] as? [[String: Any]])?.count, 3, label)
                if format == .wav {
                    // WAV keeps libsndfile's LIST/INFO, which holds the title only.
                    continue
                }
                XCTAssertEqual(tags["artist"], metadata.artist, label)
                XCTAssertEqual(tags["album"], metadata.album, label)
                XCTAssertEqual(tags["comment"], metadata.comment, label)
            }
        }
    }

    /// What the writer does to a track changes nothing of its sound: ffmpeg decodes the tagged
    /// file to the very samples of the untagged one, reports the same duration, and the Ogg audio
    /// pages keep their granule positions.
    func testTaggingLeavesTheAudioTheDurationAndTheGranulePositionsAsTheyWere() throws {
        try Probe.requireTools()
        for (format, rate) in [(AudioFormat.flac, 44_100), (.ogg, 44_100), (.ogg, 48_000), (.opus, 48_000), (.mp3, 44_100), (.mp3, 48_000)]
        {
            let label = "\(format.rawValue) \(rate) Hz"
            let raw = path("raw-\(rate).\(format.rawValue)"), tagged = path("tagged-\(rate).\(format.rawValue)")
            let samples = Probe.signal(seconds: 4, rate: rate, channels: 2)
            try Probe.writeUntagged(samples, channels: 2, rate: rate, format: format, to: raw)
            let metadata = TrackMetadata(
                title: "Tagged ✓", artist: "Cadence",
                chapters: [
                    .init(start: 0, end: Int64(rate), title: "First"), .init(start: Int64(rate), end: Int64(4 * rate), title: "Second"),
                ], sampleRate: rate, totalFrames: Int64(4 * rate))
            try Probe.tag(raw, format: format, metadata: metadata, to: tagged)

            let before = try Probe.probe(raw), after = try Probe.probe(tagged)
            XCTAssertEqual(
                (after["format"] as? [String: Any])?["duration"] as? String,
                (before["format"] as? [String: Any])?["duration"] as? String, "\(label): duration")
            XCTAssertEqual(try Probe.decodedMD5(tagged), try Probe.decodedMD5(raw), "\(label): decoded audio")
            if format == .ogg || format == .opus {
                let granules = { (bytes: [UInt8]) in Probe.oggPages(bytes).filter { $0.granule != 0 }.map(\.granule) }
                XCTAssertEqual(granules(try Probe.bytes(tagged)), granules(try Probe.bytes(raw)), "\(label): granule positions")
            }
        }
    }

    /// The default encoder settings give the documented bit rates on a busy signal (not the 312 kbps
    /// Opus target Cadence once asked for), and `quality` moves them the right way.
    func testTheEncoderSettingsGiveTheirBitRates() throws {
        try Probe.requireTools()
        func bitRate(_ format: AudioFormat, rate: Int, channels: Int, quality: Double?) throws -> Double {
            let file = path("rate-\(format.rawValue)-\(channels)-\(quality.map { "\($0)" } ?? "default").\(format.rawValue)")
            try Probe.writeUntagged(
                Probe.signal(seconds: 8, rate: rate, channels: channels), channels: channels, rate: rate,
                format: format, to: file, quality: quality)
            let json = try Probe.probe(file)
            return try XCTUnwrap(Double((json["format"] as? [String: Any])?["bit_rate"] as? String ?? "")) / 1000
        }
        let opusStereo = try bitRate(.opus, rate: 48_000, channels: 2, quality: nil)
        let opusMono = try bitRate(.opus, rate: 48_000, channels: 1, quality: nil)
        XCTAssertEqual(opusStereo, 96, accuracy: 15, "Opus stereo aims at 96 kbps")
        XCTAssertEqual(opusMono, 64, accuracy: 10, "Opus mono aims at 64 kbps")
        for format in [AudioFormat.ogg, .mp3, .opus] {
            let rate = format == .opus ? 48_000 : 44_100
            let smallest = try bitRate(format, rate: rate, channels: 2, quality: 0)
            let standard = try bitRate(format, rate: rate, channels: 2, quality: nil)
            let best = try bitRate(format, rate: rate, channels: 2, quality: 1)
            XCTAssertLessThan(smallest, standard, "\(format.rawValue): quality 0 is smaller than the default")
            XCTAssertLessThan(standard, best, "\(format.rawValue): quality 1 is larger than the default")
        }
    }

    // MARK: Times

    func testChapterTimesAreMillisecondsRoundedHalfUp() {
        let at44 = TrackMetadata(title: "", chapters: [], sampleRate: 44_100, totalFrames: 0)
        XCTAssertEqual(at44.milliseconds(22_050), 500)
        XCTAssertEqual(at44.milliseconds(22), 0)  // 0.4989 ms
        XCTAssertEqual(at44.milliseconds(23), 1)  // 0.5215 ms
        XCTAssertEqual(at44.milliseconds(30_870), 700)
        let at8 = TrackMetadata(title: "", chapters: [], sampleRate: 8_000, totalFrames: 0)
        XCTAssertEqual(at8.milliseconds(4), 1, "exactly half a millisecond rounds up")
        XCTAssertEqual(at8.milliseconds(3), 0)
        XCTAssertEqual(TrackMetadata.clockTime(milliseconds: 0), "00:00:00.000")
        XCTAssertEqual(TrackMetadata.clockTime(milliseconds: 3_723_456), "01:02:03.456")
        XCTAssertEqual(TrackMetadata.clockTime(milliseconds: 100 * 3_600_000 + 5), "100:00:00.005")
    }

    // MARK: ID3v2 bytes

    func testSynchsafeSizesUseSevenBitsPerByte() {
        XCTAssertEqual(TrackMetadata.ID3.synchsafe(0), [0, 0, 0, 0])
        XCTAssertEqual(TrackMetadata.ID3.synchsafe(127), [0, 0, 0, 0x7F])
        XCTAssertEqual(TrackMetadata.ID3.synchsafe(128), [0, 0, 1, 0])
        XCTAssertEqual(TrackMetadata.ID3.synchsafe(300), [0, 0, 2, 0x2C])
        XCTAssertEqual(TrackMetadata.ID3.synchsafe((1 << 28) - 1), [0x7F, 0x7F, 0x7F, 0x7F])
    }

    func testTheID3TagHoldsTheTextFramesATableOfContentsAndAChapterPerStep() throws {
        let metadata = TrackMetadata(
            title: "Rücken ✓", artist: "Cadence", album: "Album", comment: "Note",
            chapters: [
                .init(start: 0, end: 22_050, title: "One"), .init(start: 22_050, end: 44_123, title: "Zwei ü"),
            ], sampleRate: 44_100, totalFrames: 44_123)
        let tag = TrackMetadata.ID3.tag(for: metadata)
        XCTAssertEqual(Array(tag[0..<6]), Array("ID3".utf8) + [4, 0, 0], "ID3v2.4.0, no flags")
        XCTAssertEqual(Probe.synchsafeValue(tag[6..<10]), tag.count - 10, "the tag size leaves out the 10-byte header")
        let frames = try Probe.id3Frames(Array(tag[10...]))
        XCTAssertEqual(frames.map(\.id), ["TIT2", "TPE1", "TALB", "COMM", "CTOC", "CHAP", "CHAP"])
        XCTAssertEqual(frames[0].body, [3] + Array("Rücken ✓".utf8), "UTF-8 (encoding 3)")
        XCTAssertEqual(frames[1].body, [3] + Array("Cadence".utf8))
        XCTAssertEqual(
            frames[3].body, [3] + Array("und".utf8) + [0] + Array("Note".utf8), "COMM: encoding, language, empty description, text")

        // CTOC: element ID, flags top-level (2) + ordered (1), count, children, then a TIT2.
        let toc = frames[4].body
        let tocHead = Array("toc".utf8) + [0, 0x03, 2] + Array("chp1".utf8) + [0] + Array("chp2".utf8) + [0]
        XCTAssertEqual(Array(toc.prefix(tocHead.count)), tocHead)
        XCTAssertEqual(try Probe.id3Frames(Array(toc[tocHead.count...])).map(\.id), ["TIT2"])

        // CHAP: element ID, start and end in ms (big-endian), offsets unused, an embedded TIT2.
        let second = frames[6].body
        var head = Array("chp2".utf8) + [0]
        head += [0, 0, 0x01, 0xF4]  // 500 ms
        head += [0, 0, 0x03, 0xE9]  // 44_123 samples = 1000.52 ms -> 1001
        head += [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        XCTAssertEqual(Array(second.prefix(head.count)), head)
        let title = try Probe.id3Frames(Array(second[head.count...]))
        XCTAssertEqual(title.map(\.id), ["TIT2"])
        XCTAssertEqual(title.first?.body, [3] + Array("Zwei ü".utf8))

        let bare = TrackMetadata.ID3.tag(for: TrackMetadata(title: "Only", chapters: [], sampleRate: 44_100, totalFrames: 10))
        XCTAssertEqual(try Probe.id3Frames(Array(bare[10...])).map(\.id), ["TIT2"], "no artist, album, comment or chapters")
    }

    /// FFmpeg reads the sizes inside a CHAP frame as plain integers, so a chapter title is cut to
    /// keep its TIT2 under 128 bytes, where plain and synchsafe sizes agree.
    func testALongChapterTitleIsCutAtACharacterToKeepItsFrameUnder128Bytes() throws {
        let long = String(repeating: "Dehnung ü✓ ", count: 30)
        let cut = TrackMetadata.ID3.chapterTitle(long)
        XCTAssertLessThanOrEqual(cut.count, 126)
        let text = try XCTUnwrap(String(bytes: cut, encoding: .utf8), "still valid UTF-8")
        XCTAssertTrue(text.hasSuffix("…"))
        XCTAssertTrue(long.hasPrefix(String(text.dropLast())))
        XCTAssertEqual(TrackMetadata.ID3.chapterTitle("Child’s pose — ü ✓"), Array("Child’s pose — ü ✓".utf8), "short titles stay whole")
        let frame = TrackMetadata.ID3.chapterFrame(number: 1, startMilliseconds: 0, endMilliseconds: 1, title: long)
        let embedded = Array(frame[(10 + 5 + 16)...])
        XCTAssertEqual(Array(embedded[0..<4]), Array("TIT2".utf8))
        XCTAssertLessThan(Probe.synchsafeValue(embedded[4..<8]), 128)
        XCTAssertEqual(
            embedded[4..<8].reduce(0) { $0 << 8 | Int($1) }, Probe.synchsafeValue(embedded[4..<8]),
            "the size reads the same plain and synchsafe")
    }

    func testMoreThan255ChaptersAreListedThroughSubTables() throws {
        let frames = try Probe.id3Frames(TrackMetadata.ID3.tablesOfContents(chapterCount: 300, title: "T"))
        XCTAssertEqual(frames.map(\.id), ["CTOC", "CTOC", "CTOC"])
        let top = frames[0].body
        XCTAssertEqual(Array(top.prefix(6)), Array("toc".utf8) + [0, 0x03, 2])
        XCTAssertEqual(Array(top[6..<16]), Array("toc1".utf8) + [0] + Array("toc2".utf8) + [0])
        XCTAssertEqual(Array(frames[1].body.prefix(7)), Array("toc1".utf8) + [0, 0x01, 255], "ordered, not top-level, 255 entries")
        XCTAssertEqual(Array(frames[2].body.prefix(7)), Array("toc2".utf8) + [0, 0x01, 45])
        XCTAssertEqual(Array(frames[2].body.suffix(7)), Array("chp300".utf8) + [0], "no title on the sub-tables")
    }

    /// An ID3v2 tag already at the front (LAME writes one when libsndfile gives it strings) is replaced.
    func testAnID3TagAlreadyInFrontIsReplacedSoTheFileHasOne() throws {
        let old =
            Array("ID3".utf8) + [4, 0, 0] + TrackMetadata.ID3.synchsafe(15) + TrackMetadata.ID3.textFrame("TIT2", Array("Old".utf8))
            + [UInt8](repeating: 0, count: 15 - 14)
        let audio: [UInt8] = [0xFF, 0xFB, 0x90, 0x64] + [UInt8](repeating: 0x55, count: 3000)
        let source = path("old.mp3"), tagged = path("new.mp3")
        try Data(old + audio).write(to: URL(fileURLWithPath: source))
        let metadata = TrackMetadata(title: "New", chapters: [], sampleRate: 44_100, totalFrames: 44_100)
        try Probe.tag(source, format: .mp3, metadata: metadata, to: tagged)
        XCTAssertEqual(try Probe.bytes(tagged), TrackMetadata.ID3.tag(for: metadata) + audio)
        XCTAssertEqual(TrackMetadata.ID3.existingTagLength(old), old.count)
        XCTAssertNil(TrackMetadata.ID3.existingTagLength(Array(audio.prefix(10))))
    }

    // MARK: Vorbis comments

    func testTheVorbisCommentPacketHoldsTheVendorTheTagsAndTheChapters() {
        let metadata = TrackMetadata(
            title: "T ✓", album: "A",
            chapters: [
                .init(start: 0, end: 10, title: "x = y"), .init(start: 66_150, end: 88_200, title: "ü"),
            ], sampleRate: 44_100, totalFrames: 88_200)
        XCTAssertEqual(
            metadata.vorbisComments,
            [
                "TITLE=T ✓", "ALBUM=A", "CHAPTER001=00:00:00.000", "CHAPTER001NAME=x = y",
                "CHAPTER002=00:00:01.500", "CHAPTER002NAME=ü",
            ])
        let vendor = Array("Xiph.Org libVorbis I 20200704 (Reducing Environment)".utf8)
        let packet = TrackMetadata.VorbisComments.vorbisPacket(vendor: vendor, comments: ["TITLE=T", "B=ü"])
        var expected: [UInt8] = [3] + Array("vorbis".utf8) + [UInt8(vendor.count), 0, 0, 0] + vendor + [2, 0, 0, 0]
        expected += [7, 0, 0, 0] + Array("TITLE=T".utf8) + [4, 0, 0, 0] + Array("B=ü".utf8) + [1]
        XCTAssertEqual(packet, expected, "type 3, vorbis, vendor, count, length-prefixed comments, framing bit")
        let opus = TrackMetadata.VorbisComments.opusPacket(vendor: Array("libopus 1.3.1".utf8), comments: [])
        XCTAssertEqual(opus, Array("OpusTags".utf8) + [13, 0, 0, 0] + Array("libopus 1.3.1".utf8) + [0, 0, 0, 0], "no framing bit")
        XCTAssertEqual(TrackMetadata.VorbisComments.vendor(in: Array(packet[7...])), vendor)
        XCTAssertNil(TrackMetadata.VorbisComments.vendor(in: [200, 0, 0, 0, 1, 2]), "a vendor length past the end")
    }

    func testChapterNumbersTakeMoreDigitsPast999() {
        let chapters = (0..<1000).map { TrackMetadata.Chapter(start: Int64($0) * 100, end: Int64($0 + 1) * 100, title: "s\($0)") }
        let comments = TrackMetadata(title: "t", chapters: chapters, sampleRate: 1000, totalFrames: 100_000).vorbisComments
        XCTAssertEqual(comments[1], "CHAPTER0001=00:00:00.000")
        XCTAssertEqual(comments.last, "CHAPTER1000NAME=s999")
        let few = TrackMetadata(title: "t", chapters: Array(chapters.prefix(999)), sampleRate: 1000, totalFrames: 100_000).vorbisComments
        XCTAssertEqual(few.last, "CHAPTER999NAME=s998")
    }

    // MARK: Ogg pages

    func testHeaderPacketsAreLaidOutOnPagesOf255SegmentsAtMost() {
        var sequence: UInt32 = 1
        let big = [UInt8](repeating: 7, count: 70_000), small = [UInt8](repeating: 9, count: 510)
        let pages = TrackMetadata.OggStream.pages(for: [big, small], beginningOfStream: false, from: &sequence)
        XCTAssertEqual(sequence, 3)
        XCTAssertEqual(pages.count, 2)
        XCTAssertEqual(Array(pages[0].lacing), [UInt8](repeating: 255, count: 255))
        XCTAssertEqual(pages[0].flags, 0)
        XCTAssertEqual(pages[0].granulePosition, UInt64.max, "no packet ends on the first page")
        // 70_000 - 65_025 = 4_975 bytes: 19 segments of 255 and one of 130; then 510 = 255 + 255 + 0.
        XCTAssertEqual(Array(pages[1].lacing), [UInt8](repeating: 255, count: 19) + [130, 255, 255, 0])
        XCTAssertEqual(pages[1].flags, TrackMetadata.OggPage.continuedPacket)
        XCTAssertEqual(pages[1].granulePosition, 0)
        for (index, page) in pages.enumerated() {
            let parsed = Probe.oggPages(page.bytes)
            XCTAssertEqual(parsed.count, 1)
            XCTAssertEqual(parsed.first?.sequence, UInt32(1 + index))
            XCTAssertEqual(parsed.first?.serial, 0x4361_6465)
            XCTAssertEqual(parsed.first?.checksumIsValid, true)
        }
        var first: UInt32 = 0
        let id = TrackMetadata.OggStream.pages(for: [[1, 2, 3]], beginningOfStream: true, from: &first)
        XCTAssertEqual(id.map(\.flags), [TrackMetadata.OggPage.beginningOfStream])
    }

    /// The Vorbis and Opus mappings start the first audio packet on a fresh page; a stream where it
    /// shares the last header page is not one libsndfile writes, and is refused rather than broken.
    func testAnOggStreamWhoseAudioSharesAHeaderPageIsRefused() throws {
        var identification = [1] + Array("vorbis".utf8)
        identification += [UInt8](repeating: 0, count: 23)
        let comment = TrackMetadata.VorbisComments.vorbisPacket(vendor: Array("v".utf8), comments: [])
        let setup = [5] + Array("vorbis".utf8) + [0, 0]
        var sequence: UInt32 = 0
        let pages =
            TrackMetadata.OggStream.pages(for: [identification], beginningOfStream: true, from: &sequence)
            + TrackMetadata.OggStream.pages(for: [comment, setup, [0, 1, 2]], beginningOfStream: false, from: &sequence)
        let source = path("shared.ogg")
        try Data(pages.flatMap(\.bytes)).write(to: URL(fileURLWithPath: source))
        let metadata = TrackMetadata(title: "t", chapters: [], sampleRate: 44_100, totalFrames: 1)
        XCTAssertThrowsError(try Probe.tag(source, format: .ogg, metadata: metadata, to: path("out.ogg")))
    }

    // MARK: FLAC blocks

    func testFLACBlockHeadersCarryTheLastFlagTypeAndLength() {
        XCTAssertEqual(TrackMetadata.FLACBlocks.header(type: 4, length: 0x01_2345, isLast: true), [0x84, 0x01, 0x23, 0x45])
        XCTAssertEqual(TrackMetadata.FLACBlocks.header(type: 0, length: 34, isLast: false), [0x00, 0x00, 0x00, 0x22])
    }

    /// STREAMINFO stays first, the new comments come second, other blocks keep their order,
    /// PADDING goes, and only the final block is flagged as last.
    func testTheFLACCommentBlockIsReplacedAndTheOtherBlocksKept() throws {
        func block(_ type: UInt8, _ body: [UInt8], last: Bool = false) -> [UInt8] {
            TrackMetadata.FLACBlocks.header(type: type, length: body.count, isLast: last) + body
        }
        let streamInfo = [UInt8](repeating: 0x11, count: 34), seekTable = [UInt8](repeating: 0x22, count: 18)
        let oldComments = TrackMetadata.VorbisComments.body(vendor: Array("reference libFLAC 1.4.2 20221022".utf8), comments: ["TITLE=old"])
        let frames: [UInt8] = [0xFF, 0xF8, 0x69, 0x08] + [UInt8](repeating: 0x33, count: 5000)
        let input =
            Array("fLaC".utf8) + block(0, streamInfo) + block(4, oldComments) + block(1, [UInt8](repeating: 0, count: 100))
            + block(3, seekTable, last: true) + frames
        let source = path("in.flac"), tagged = path("out.flac")
        try Data(input).write(to: URL(fileURLWithPath: source))
        let metadata = TrackMetadata(title: "New ✓", chapters: [.init(start: 0, end: 10, title: "c")], sampleRate: 44_100, totalFrames: 10)
        try Probe.tag(source, format: .flac, metadata: metadata, to: tagged)
        let newComments = TrackMetadata.VorbisComments.body(
            vendor: Array("reference libFLAC 1.4.2 20221022".utf8),
            comments: metadata.vorbisComments)
        XCTAssertEqual(
            try Probe.bytes(tagged),
            Array("fLaC".utf8) + block(0, streamInfo) + block(4, newComments) + block(3, seekTable, last: true) + frames)
    }
}

// MARK: - Helpers

/// Running ffprobe and ffmpeg, and reading the containers' bytes independently of the writer.
private enum Probe {
    static let ffprobe = "/usr/bin/ffprobe"

    static func requireTools() throws {
        try MusicHarness.require(ffprobe, for: "read tags and chapters back")
        try MusicHarness.require(MusicHarness.ffmpeg, for: "decode the tracks")
    }

    static func bytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

    /// `ffprobe -show_chapters -show_format -show_streams` as JSON.
    static func probe(_ path: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let result = try ProcessRunner.run(
            ffprobe,
            [
                "-v", "error", "-print_format", "json", "-show_chapters", "-show_format",
                "-show_streams", path,
            ], file: file, line: line)
        XCTAssertEqual(result.code, 0, "ffprobe \(path): \(result.stderr)", file: file, line: line)
        XCTAssertEqual(result.stderr, "", "ffprobe \(path)", file: file, line: line)
        return try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], file: file, line: line)
    }

    /// The tags of the container and its streams, keys in lower case (Ogg keeps them on the stream).
    static func tags(_ json: [String: Any]) -> [String: String] {
        var groups: [[String: Any]] = []
        if let format = json["format"] as? [String: Any], let tags = format["tags"] as? [String: Any] { groups.append(tags) }
        for stream in json["streams"] as? [[String: Any]] ?? [] {
            if let tags = stream["tags"] as? [String: Any] { groups.append(tags) }
        }
        var merged: [String: String] = [:]
        for group in groups {
            for (key, value) in group { merged[key.lowercased()] = merged[key.lowercased()] ?? (value as? String) }
        }
        return merged
    }

    /// What `ffmpeg -v error` says while decoding the whole file (nothing when it is sound).
    static func decodingErrors(_ path: String) throws -> String {
        let result = try ProcessRunner.run(MusicHarness.ffmpeg, ["-nostdin", "-v", "error", "-i", path, "-f", "null", "-"])
        return result.code == 0 ? result.stderr : "exit \(result.code): \(result.stderr)"
    }

    /// The MD5 of the decoded samples.
    static func decodedMD5(_ path: String) throws -> String {
        let result = try ProcessRunner.run(MusicHarness.ffmpeg, ["-nostdin", "-v", "error", "-i", path, "-f", "md5", "-"])
        XCTAssertEqual(result.code, 0, result.stderr)
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Chords, a bass line and noise bursts: something an encoder must spend bits on.
    static func signal(seconds: Int, rate: Int, channels: Int) -> [Float] {
        var noise: UInt32 = 12_345
        var samples: [Float] = []
        samples.reserveCapacity(seconds * rate * channels)
        for frame in 0..<(seconds * rate) {
            let t = Double(frame) / Double(rate)
            let beat = Int(t * 2)
            let root = [220.0, 246.9, 196.0, 174.6][beat / 4 % 4]
            var value = 0.0
            for (index, ratio) in [1.0, 1.26, 1.5, 2.0].enumerated() {
                value += 0.08 * sin(2 * .pi * root * ratio * t + Double(index)) * exp(-(t * 2 - Double(beat)) * 1.5)
            }
            value += 0.15 * sin(2 * .pi * root / 4 * t)
            noise = noise &* 1_664_525 &+ 1_013_904_223
            let burst = (t * 4).truncatingRemainder(dividingBy: 1) < 0.1 ? 0.08 : 0.01
            value += burst * (Double(noise >> 8) / Double(1 << 24) - 0.5)
            for channel in 0..<channels { samples.append(Float(value * (channel == 0 ? 1 : 0.9))) }
        }
        return samples
    }

    /// A track as libsndfile writes it, before `TrackMetadata` has touched it.
    static func writeUntagged(
        _ samples: [Float], channels: Int, rate: Int, format: AudioFormat, to path: String,
        quality: Double? = nil
    ) throws {
        let descriptor = open(path, O_CREAT | O_TRUNC | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw SystemCallError(operation: .open, code: errno, detail: "create \(path)") }
        defer { close(descriptor) }
        let file = try Sndfile.openForWriting(
            descriptor: descriptor, path: path, format: format, bitDepth: .pcm16, sampleRate: rate,
            channels: channels, largeWAV: false, title: "Untagged", quality: quality)
        try samples.withUnsafeBufferPointer { try file.write($0.baseAddress!, frameCount: samples.count / channels) }
        try file.close()
    }

    /// Runs the writer from the file at `source` into a new file at `destination`.
    static func tag(_ source: String, format: AudioFormat, metadata: TrackMetadata, to destination: String) throws {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw SystemCallError(operation: .open, code: errno, detail: "open \(source)") }
        defer { close(input) }
        let output = open(destination, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw SystemCallError(operation: .open, code: errno, detail: "create \(destination)") }
        defer { close(output) }
        try metadata.copyTrack(format, from: input, to: output)
    }

    // MARK: ID3v2

    static func synchsafeValue(_ bytes: ArraySlice<UInt8>) -> Int { bytes.reduce(0) { $0 << 7 | Int($1 & 0x7F) } }

    /// The frames of an ID3v2.4 frame list, which must end exactly at the end of `bytes`.
    static func id3Frames(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) throws -> [(id: String, body: [UInt8])] {
        var frames: [(id: String, body: [UInt8])] = []
        var at = 0
        while at < bytes.count {
            guard at + 10 <= bytes.count else {
                XCTFail("a frame header is cut at byte \(at)", file: file, line: line)
                break
            }
            XCTAssertTrue(bytes[(at + 4)..<(at + 8)].allSatisfy { $0 < 0x80 }, "synchsafe size", file: file, line: line)
            let size = synchsafeValue(bytes[(at + 4)..<(at + 8)])
            XCTAssertEqual(Array(bytes[(at + 8)..<(at + 10)]), [0, 0], "frame flags", file: file, line: line)
            guard at + 10 + size <= bytes.count else {
                XCTFail("a frame runs past the end", file: file, line: line)
                break
            }
            frames.append((String(decoding: bytes[at..<(at + 4)], as: UTF8.self), Array(bytes[(at + 10)..<(at + 10 + size)])))
            at += 10 + size
        }
        return frames
    }

    /// The file begins with one ID3v2.4 tag, whose frames parse, directly followed by an MPEG frame;
    /// there is no ID3v1 tag at the end and no ID3v2 footer.
    static func assertOneID3v2Tag(_ bytes: [UInt8], label: String, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(Array(bytes.prefix(6)), Array("ID3".utf8) + [4, 0, 0], label, file: file, line: line)
        let end = 10 + synchsafeValue(bytes[6..<10])
        let frames = try id3Frames(Array(bytes[10..<end]), file: file, line: line)
        XCTAssertEqual(frames.filter { $0.id == "TIT2" }.count, 1, label, file: file, line: line)
        XCTAssertEqual(frames.first { $0.id == "TIT2" }?.body.first, 3, "\(label): UTF-8 title", file: file, line: line)
        XCTAssertTrue(
            bytes[end] == 0xFF && bytes[end + 1] & 0xE0 == 0xE0, "\(label): an MPEG frame follows the tag", file: file, line: line)
        XCTAssertNotEqual(
            Array(bytes[(bytes.count - 128)..<(bytes.count - 125)]), Array("TAG".utf8), "\(label): no ID3v1 tag",
            file: file, line: line)
        XCTAssertNotEqual(
            Array(bytes[(bytes.count - 10)..<(bytes.count - 7)]), Array("3DI".utf8), "\(label): no ID3v2 footer",
            file: file, line: line)
    }

    // MARK: FLAC

    static func assertFLACBlocks(_ bytes: [UInt8], label: String, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(Array(bytes.prefix(4)), Array("fLaC".utf8), label, file: file, line: line)
        var at = 4
        var types: [UInt8] = []
        var lastFlags: [Bool] = []
        var vendor: [UInt8]?
        repeat {
            let type = bytes[at] & 0x7F
            let length = Int(bytes[at + 1]) << 16 | Int(bytes[at + 2]) << 8 | Int(bytes[at + 3])
            types.append(type)
            lastFlags.append(bytes[at] & 0x80 != 0)
            if type == 4 { vendor = TrackMetadata.VorbisComments.vendor(in: Array(bytes[(at + 4)..<(at + 4 + length)])) }
            at += 4 + length
        } while !(lastFlags.last ?? true)
        XCTAssertEqual(types.first, 0, "\(label): STREAMINFO first", file: file, line: line)
        XCTAssertEqual(types.filter { $0 == 4 }.count, 1, "\(label): one VORBIS_COMMENT", file: file, line: line)
        XCTAssertFalse(types.contains(1), "\(label): no PADDING", file: file, line: line)
        XCTAssertEqual(lastFlags.filter { $0 }.count, 1, "\(label): only the final block is flagged last", file: file, line: line)
        XCTAssertTrue(
            String(decoding: vendor ?? [], as: UTF8.self).hasPrefix("reference libFLAC"), "\(label): libFLAC's vendor kept",
            file: file, line: line)
        XCTAssertEqual(bytes[at], 0xFF, "\(label): the first frame follows the metadata", file: file, line: line)
    }

    // MARK: Ogg

    struct Page {
        var flags: UInt8
        var granule: UInt64
        var serial: UInt32
        var sequence: UInt32
        var lacing: [UInt8]
        var body: [UInt8]
        var checksumIsValid: Bool
    }

    /// Every page of `bytes`, which must be nothing but pages.
    static func oggPages(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> [Page] {
        func little(_ range: Range<Int>) -> UInt64 { range.reversed().reduce(0) { $0 << 8 | UInt64(bytes[$1]) } }
        var pages: [Page] = []
        var at = 0
        while at < bytes.count {
            guard at + 27 <= bytes.count, Array(bytes[at..<(at + 4)]) == Array("OggS".utf8), bytes[at + 4] == 0 else {
                XCTFail("no Ogg page at byte \(at)", file: file, line: line)
                break
            }
            let count = Int(bytes[at + 26])
            let lacing = Array(bytes[(at + 27)..<(at + 27 + count)])
            let length = 27 + count + lacing.reduce(0) { $0 + Int($1) }
            guard at + length <= bytes.count else {
                XCTFail("the page at byte \(at) runs past the end", file: file, line: line)
                break
            }
            var page = Array(bytes[at..<(at + length)])
            let stored = UInt32(little((at + 22)..<(at + 26)))
            page[22] = 0
            page[23] = 0
            page[24] = 0
            page[25] = 0
            pages.append(
                Page(
                    flags: bytes[at + 5], granule: little((at + 6)..<(at + 14)), serial: UInt32(little((at + 14)..<(at + 18))),
                    sequence: UInt32(little((at + 18)..<(at + 22))), lacing: lacing,
                    body: Array(page[(27 + count)...]), checksumIsValid: crc(page) == stored))
            at += length
        }
        return pages
    }

    /// Ogg's CRC-32 bit by bit (polynomial 0x04C11DB7, MSB first, no reflection, start 0, no final XOR).
    static func crc(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0
        for byte in bytes {
            crc ^= UInt32(byte) << 24
            for _ in 0..<8 { crc = crc & 0x8000_0000 != 0 ? (crc << 1) ^ 0x04C1_1DB7 : crc << 1 }
        }
        return crc
    }

    /// Checksums, serial and sequence numbers, flags, and the header layout of the Vorbis and
    /// Opus mappings; the comment header's vendor, title and chapter comments.
    static func assertOggStream(
        _ bytes: [UInt8], codec: AudioFormat, title: String, chapters: Int, label: String,
        file: StaticString = #filePath, line: UInt = #line
    ) throws {
        let pages = oggPages(bytes, file: file, line: line)
        XCTAssertGreaterThan(pages.count, 3, label, file: file, line: line)
        for (index, page) in pages.enumerated() {
            XCTAssertTrue(page.checksumIsValid, "\(label): page \(index) checksum", file: file, line: line)
            XCTAssertEqual(page.sequence, UInt32(index), "\(label): page sequence numbers run 0, 1, 2...", file: file, line: line)
            XCTAssertEqual(page.serial, 0x4361_6465, "\(label): page \(index) serial", file: file, line: line)
            XCTAssertEqual(page.flags & 0x02 != 0, index == 0, "\(label): page \(index): beginning of stream", file: file, line: line)
            XCTAssertEqual(
                page.flags & 0x04 != 0, index == pages.count - 1, "\(label): page \(index): end of stream", file: file, line: line)
        }
        // The identification header alone on page 0; the headers end where a page ends.
        XCTAssertEqual(pages[0].lacing.count, 1, "\(label): page 0 holds one packet", file: file, line: line)
        XCTAssertEqual(pages[1].flags & 0x01, 0, "\(label): the comment header starts page 1", file: file, line: line)
        var packets: [[UInt8]] = [], packet: [UInt8] = []
        var headerEnd = 0
        let headerCount = codec == .ogg ? 3 : 2
        for (index, page) in pages.enumerated() where packets.count < headerCount {
            var at = 0
            for (segment, length) in page.lacing.enumerated() {
                packet += page.body[at..<(at + Int(length))]
                at += Int(length)
                if length < 255 {
                    packets.append(packet)
                    packet = []
                    if packets.count == headerCount {
                        XCTAssertEqual(segment, page.lacing.count - 1, "\(label): audio starts on a new page", file: file, line: line)
                        headerEnd = index
                    }
                }
            }
        }
        XCTAssertEqual(pages[headerEnd + 1].flags & 0x01, 0, "\(label): the first audio page starts a packet", file: file, line: line)
        XCTAssertTrue(pages[...headerEnd].allSatisfy { $0.granule == 0 || $0.granule == UInt64.max }, label, file: file, line: line)
        let audioGranules = pages[(headerEnd + 1)...].map(\.granule).filter { $0 != UInt64.max }
        XCTAssertEqual(audioGranules, audioGranules.sorted(), "\(label): granule positions only grow", file: file, line: line)

        // The comment header: vendor kept, then TITLE and a CHAPTERnnn / CHAPTERnnnNAME pair per step.
        let comments = packets[1]
        let prefix = codec == .ogg ? [3] + Array("vorbis".utf8) : Array("OpusTags".utf8)
        XCTAssertEqual(Array(comments.prefix(prefix.count)), prefix, label, file: file, line: line)
        let vendor = String(decoding: TrackMetadata.VorbisComments.vendor(in: Array(comments[prefix.count...])) ?? [], as: UTF8.self)
        XCTAssertTrue(
            vendor.hasPrefix(codec == .ogg ? "Xiph.Org libVorbis" : "libopus"), "\(label): vendor '\(vendor)'",
            file: file, line: line)
        var at = prefix.count + 4 + vendor.utf8.count
        func le32() -> Int {
            defer { at += 4 }
            return (0..<4).reduce(0) { $0 | Int(comments[at + $1]) << (8 * $1) }
        }
        var list: [String] = []
        for _ in 0..<le32() {
            let length = le32()
            list.append(String(decoding: comments[at..<(at + length)], as: UTF8.self))
            at += length
        }
        XCTAssertEqual(list.first, "TITLE=" + title, label, file: file, line: line)
        XCTAssertEqual(list.filter { $0.hasPrefix("CHAPTER") }.count, 2 * chapters, label, file: file, line: line)
        XCTAssertEqual(
            comments.count, at + (codec == .ogg ? 1 : 0), "\(label): nothing after the comments but the framing bit",
            file: file, line: line)
        if codec == .ogg { XCTAssertEqual(comments.last, 1, "\(label): framing bit", file: file, line: line) }
    }
}
