import Foundation

/// The tags and chapters of a track (one chapter per step), and the small writer that puts them
/// into a finished track file. libsndfile writes a title at most, for MP3 only in Latin-1, and no
/// chapters at all; this writer adds what players and `ffprobe -show_chapters` read:
///
/// - WAV and RF64: a `cue ` chunk with one point per chapter and a `LIST`/`adtl` chunk with a
///   `labl` name for each. The `LIST`/`INFO` title libsndfile writes stays.
/// - MP3: an ID3v2.4 tag in front of the audio with `TIT2` (UTF-8), `TPE1`, `TALB` and `COMM` when
///   set, a `CTOC` table of contents and one `CHAP` frame per chapter. A tag already at the front
///   is replaced, so the file holds exactly one.
/// - Ogg Vorbis and Ogg Opus: the comment header rebuilt with `TITLE`, `ARTIST`, `ALBUM`, `COMMENT`
///   and a `CHAPTERnnn` / `CHAPTERnnnNAME` pair per chapter (the vendor string kept), the header
///   packets laid out on pages again, and every page given the fixed serial number, a consecutive
///   sequence number and a new checksum. Granule positions do not change.
/// - FLAC: the `VORBIS_COMMENT` block replaced by one with the same comments as Ogg.
///
/// How the file is changed: WAV in place (`appendWAVChunks(to:)` appends to the open file). Every
/// other format grows or shrinks at the front, so `copyTrack(_:from:to:)` reads the finished track
/// from one descriptor and writes the tagged track, from byte 0, into a second, empty one; the
/// caller then renames the second file over the first. Both read and write in blocks of 1 MiB, so
/// memory stays at a few MiB however long the track is.
///
/// Nothing here depends on the clock or the machine: the same audio and metadata give the same bytes.
struct TrackMetadata {
    /// The routine's title.
    var title: String
    /// Written only when set.
    var artist: String?
    var album: String?
    var comment: String?
    /// One per step, in order.
    var chapters: [Chapter]
    /// Turns sample positions into times.
    var sampleRate: Int
    /// The track's length: no chapter of an MP3 ends after it.
    var totalFrames: Int64

    /// A stretch of the track, in samples, and its name. Only MP3 stores where a chapter ends; in
    /// the other formats a chapter lasts until the next one starts, or the track ends.
    struct Chapter {
        var start: Int64
        var end: Int64
        var title: String
    }

    /// Every Ogg page gets this serial number ("Cade"): libsndfile seeds its own from the clock,
    /// which would make two renders of the same routine differ.
    static let oggSerialNumber: UInt32 = 0x4361_6465

    /// `sample` in milliseconds, rounded half up, in integers.
    func milliseconds(_ sample: Int64) -> Int64 {
        let rate = Int64(sampleRate)
        return (sample * 2000 + rate) / (2 * rate)
    }

    /// The comments Ogg and FLAC carry, `KEY=value`, in this order: the tags that are set, then
    /// each chapter's start (`HH:MM:SS.mmm`) and name. Chapter numbers have three digits, or more
    /// when there are more than 999 chapters.
    var vorbisComments: [String] {
        var list = ["TITLE=" + title]
        if let artist { list.append("ARTIST=" + artist) }
        if let album { list.append("ALBUM=" + album) }
        if let comment { list.append("COMMENT=" + comment) }
        let digits = max(3, String(chapters.count).count)
        for (index, chapter) in chapters.enumerated() {
            let key = "CHAPTER" + DurationText.pad(Int64(index + 1), digits)
            list.append(key + "=" + Self.clockTime(milliseconds: milliseconds(chapter.start)))
            list.append(key + "NAME=" + chapter.title)
        }
        return list
    }

    /// `HH:MM:SS.mmm` (hours take more digits past 99).
    static func clockTime(milliseconds: Int64) -> String {
        let hours = milliseconds / 3_600_000
        let minutes = milliseconds / 60_000 % 60
        let seconds = milliseconds / 1000 % 60
        return DurationText.pad(hours, 2) + ":" + DurationText.pad(minutes, 2) + ":" + DurationText.pad(seconds, 2)
            + "." + DurationText.pad(milliseconds % 1000, 3)
    }

    // MARK: Writing

    /// Appends the chapter markers to the finished WAV or RF64 file open at `descriptor` (read and
    /// write) and corrects its RIFF size. Without chapters the file is left as it is.
    func appendWAVChunks(to descriptor: Int32) throws(SystemCallError) {
        try WAVMarkers.append(chapters, to: descriptor)
    }

    /// Reads the finished track of `format` (not WAV) from `source` and writes it with these tags
    /// and chapters into `destination`, an empty file open for writing, from byte 0. `source` is
    /// read with `pread` only, so its file offset does not matter and is not moved.
    func copyTrack(_ format: AudioFormat, from source: Int32, to destination: Int32) throws(SystemCallError) {
        var reader = BlockReader(source)
        var writer = BlockWriter(destination)
        switch format {
        case .mp3: try ID3.copy(self, from: &reader, to: &writer)
        case .ogg, .opus: try OggStream.copy(self, from: &reader, to: &writer)
        case .flac: try FLACBlocks.copy(self, from: &reader, to: &writer)
        case .wav: preconditionFailure("WAV tracks are tagged in place: use appendWAVChunks(to:)")
        }
        try reader.copyRemainder(to: &writer)
        try writer.flush()
    }

    /// The error for a file whose layout is not what the encoder writes.
    fileprivate static func layoutError(_ what: String) -> SystemCallError {
        SystemCallError(operation: .read, code: EINVAL, detail: "unexpected layout: \(what)")
    }
}

// MARK: - WAV

extension TrackMetadata {
    /// The `cue ` and `LIST`/`adtl` chunks of a WAV file: a cue point at each chapter's first
    /// sample and a `labl` with its name. Audio editors show them as markers, ffprobe as chapters.
    enum WAVMarkers {
        /// The two chunks as bytes (each padded to an even length).
        static func chunks(for chapters: [Chapter]) -> [UInt8] {
            var cue: [UInt8] = Array("cue ".utf8)
            cue.appendLittleEndian(UInt32(4 + 24 * chapters.count))
            cue.appendLittleEndian(UInt32(chapters.count))
            for (index, chapter) in chapters.enumerated() {
                let position = UInt32(clamping: chapter.start)
                cue.appendLittleEndian(UInt32(index + 1))  // identifier
                cue.appendLittleEndian(position)  // position (play order)
                cue.append(contentsOf: Array("data".utf8))
                cue.appendLittleEndian(UInt32(0))  // chunk start
                cue.appendLittleEndian(UInt32(0))  // block start
                cue.appendLittleEndian(position)  // sample offset
            }
            var list: [UInt8] = Array("adtl".utf8)
            for (index, chapter) in chapters.enumerated() {
                var text = Array(chapter.title.utf8)
                text.append(0)
                list.append(contentsOf: Array("labl".utf8))
                list.appendLittleEndian(UInt32(4 + text.count))
                list.appendLittleEndian(UInt32(index + 1))
                list.append(contentsOf: text)
                if text.count % 2 == 1 { list.append(0) }
            }
            var bytes = cue
            bytes.append(contentsOf: Array("LIST".utf8))
            bytes.appendLittleEndian(UInt32(list.count))
            bytes.append(contentsOf: list)
            return bytes
        }

        static func append(_ chapters: [Chapter], to descriptor: Int32) throws(SystemCallError) {
            guard !chapters.isEmpty else { return }
            var size = try FileSystem.seek(descriptor, 0, SEEK_END)
            var bytes: [UInt8] = []
            if size % 2 == 1 { bytes.append(0) }
            bytes.append(contentsOf: chunks(for: chapters))
            try FileSystem.write(descriptor, bytes, at: size)
            size += Int64(bytes.count)
            var header = [UInt8](repeating: 0, count: 4)
            try FileSystem.readExactly(descriptor, &header, at: 0)
            var riffSize: [UInt8] = []
            if header == Array("RF64".utf8) {
                // RF64 keeps the real RIFF size in its ds64 chunk, at byte 20.
                riffSize.appendLittleEndian(UInt64(size - 8))
                try FileSystem.write(descriptor, riffSize, at: 20)
            } else {
                riffSize.appendLittleEndian(UInt32(clamping: size - 8))
                try FileSystem.write(descriptor, riffSize, at: 4)
            }
        }
    }
}

// MARK: - MP3

extension TrackMetadata {
    /// An ID3v2.4 tag: text frames, a table of contents and chapters (the ID3v2 Chapter Frame
    /// Addendum). Every size is synchsafe (7 bits per byte); there is no padding, footer or
    /// unsynchronisation.
    ///
    /// FFmpeg's reader (5.1, and its later source as far as checked) takes the sizes of the frames
    /// inside a `CHAP` frame as plain 32-bit numbers, not synchsafe ones; the two agree below 128
    /// only. So a chapter's title is cut,
    /// at a character and with an ellipsis, to the 126 bytes of UTF-8 that keep its `TIT2` under
    /// 128 bytes: every reader then finds the same, valid frame.
    enum ID3 {
        /// The longest chapter title, in bytes of UTF-8, inside a `CHAP` frame.
        static let maximumChapterTitleBytes = 126
        /// The most child entries one `CTOC` frame can list (its count is one byte).
        static let maximumTableEntries = 255

        static func tag(for metadata: TrackMetadata) -> [UInt8] {
            var frames = textFrame("TIT2", Array(metadata.title.utf8))
            if let artist = metadata.artist { frames += textFrame("TPE1", Array(artist.utf8)) }
            if let album = metadata.album { frames += textFrame("TALB", Array(album.utf8)) }
            if let comment = metadata.comment { frames += commentFrame(comment) }
            if !metadata.chapters.isEmpty {
                frames += tablesOfContents(chapterCount: metadata.chapters.count, title: metadata.title)
                let end = metadata.milliseconds(metadata.totalFrames)
                for (index, chapter) in metadata.chapters.enumerated() {
                    frames += chapterFrame(
                        number: index + 1, startMilliseconds: metadata.milliseconds(chapter.start),
                        endMilliseconds: min(end, metadata.milliseconds(chapter.end)), title: chapter.title)
                }
            }
            var tag = Array("ID3".utf8)
            tag += [4, 0, 0]  // version 2.4.0, no flags
            tag += synchsafe(frames.count)
            tag += frames
            return tag
        }

        /// A size as four 7-bit bytes, most significant first.
        static func synchsafe(_ value: Int) -> [UInt8] {
            precondition(value >= 0 && value < 1 << 28, "an ID3v2 size must fit in 28 bits")
            return [UInt8((value >> 21) & 0x7F), UInt8((value >> 14) & 0x7F), UInt8((value >> 7) & 0x7F), UInt8(value & 0x7F)]
        }

        /// A frame: its four-letter ID, the synchsafe size of `body`, no flags, then `body`.
        static func frame(_ id: String, _ body: [UInt8]) -> [UInt8] {
            Array(id.utf8) + synchsafe(body.count) + [0, 0] + body
        }

        /// A text frame in UTF-8 (text encoding 3).
        static func textFrame(_ id: String, _ utf8: [UInt8]) -> [UInt8] {
            frame(id, [3] + utf8)
        }

        /// `COMM` in UTF-8, language "und" (undetermined), empty description.
        static func commentFrame(_ text: String) -> [UInt8] {
            frame("COMM", [3] + Array("und".utf8) + [0] + Array(text.utf8))
        }

        /// `CHAP`: element ID `chpN`, start and end in milliseconds, byte offsets unused
        /// (0xFFFFFFFF), and the title as an embedded `TIT2`.
        static func chapterFrame(number: Int, startMilliseconds: Int64, endMilliseconds: Int64, title: String) -> [UInt8] {
            var body = Array("chp\(number)".utf8) + [0]
            body.appendBigEndian(UInt32(clamping: startMilliseconds))
            body.appendBigEndian(UInt32(clamping: endMilliseconds))
            body += [UInt8](repeating: 0xFF, count: 8)
            body += textFrame("TIT2", chapterTitle(title))
            return frame("CHAP", body)
        }

        /// The `CTOC` frames: one top-level, ordered table `toc` listing `chp1`..., with the track's
        /// title. Past 255 chapters the top-level table lists ordered sub-tables `toc1`, `toc2`...
        /// of 255 chapters each, since a table's entry count is one byte.
        static func tablesOfContents(chapterCount: Int, title: String) -> [UInt8] {
            let chapterIDs = (1...chapterCount).map { "chp\($0)" }
            if chapterCount <= maximumTableEntries {
                return tableOfContents(id: "toc", topLevel: true, children: chapterIDs, title: title)
            }
            let groups = stride(from: 0, to: chapterCount, by: maximumTableEntries).map {
                Array(chapterIDs[$0..<min(chapterCount, $0 + maximumTableEntries)])
            }
            var frames = tableOfContents(id: "toc", topLevel: true, children: groups.indices.map { "toc\($0 + 1)" }, title: title)
            for (index, group) in groups.enumerated() {
                frames += tableOfContents(id: "toc\(index + 1)", topLevel: false, children: group, title: nil)
            }
            return frames
        }

        /// One `CTOC`: element ID, flags (bit 1 top-level, bit 0 ordered), entry count, the
        /// children's element IDs, then an optional `TIT2`.
        static func tableOfContents(id: String, topLevel: Bool, children: [String], title: String?) -> [UInt8] {
            precondition(children.count <= maximumTableEntries)
            var body = Array(id.utf8) + [0]
            body.append(topLevel ? 0x03 : 0x01)
            body.append(UInt8(children.count))
            for child in children { body += Array(child.utf8) + [0] }
            if let title { body += textFrame("TIT2", Array(title.utf8)) }
            return frame("CTOC", body)
        }

        /// `title` as UTF-8, cut at a character boundary (ending in "…") when longer than
        /// `maximumChapterTitleBytes`.
        static func chapterTitle(_ title: String) -> [UInt8] {
            let whole = Array(title.utf8)
            guard whole.count > maximumChapterTitleBytes else { return whole }
            let ellipsis = Array("…".utf8)
            var kept: [UInt8] = []
            for character in title {
                let bytes = Array(String(character).utf8)
                if kept.count + bytes.count + ellipsis.count > maximumChapterTitleBytes { break }
                kept += bytes
            }
            return kept + ellipsis
        }

        /// The length of the ID3v2 tag that `header` (the file's first 10 bytes) begins, footer
        /// included, or nil when the file does not begin with one.
        static func existingTagLength(_ header: [UInt8]) -> Int? {
            guard header.count >= 10, header[0] == 0x49, header[1] == 0x44, header[2] == 0x33,
                header[3] != 0xFF, header[4] != 0xFF, header[6..<10].allSatisfy({ $0 < 0x80 })
            else { return nil }
            let size = header[6..<10].reduce(0) { $0 << 7 | Int($1) }
            let footer = header[3] == 4 && header[5] & 0x10 != 0 ? 10 : 0
            return 10 + size + footer
        }

        /// Writes the tag, then the MP3 (without any tag it began with: libsndfile has LAME write
        /// one only when given strings, which the track writer does not do for MP3).
        fileprivate static func copy(
            _ metadata: TrackMetadata, from reader: inout BlockReader,
            to writer: inout BlockWriter
        ) throws(SystemCallError) {
            writer.write(tag(for: metadata))
            let start = try reader.read(upTo: 10)
            if let length = existingTagLength(start) {
                try reader.skip(length - start.count)
            } else {
                writer.write(start)
            }
        }
    }
}

// MARK: - Ogg Vorbis and Ogg Opus

extension TrackMetadata {
    /// Vorbis comments: the body of the Vorbis and Opus comment headers and of FLAC's
    /// `VORBIS_COMMENT` block. Lengths and counts are 32-bit little-endian.
    enum VorbisComments {
        /// Vendor length, vendor, comment count, then each comment's length and bytes.
        static func body(vendor: [UInt8], comments: [String]) -> [UInt8] {
            var bytes: [UInt8] = []
            bytes.appendLittleEndian(UInt32(vendor.count))
            bytes += vendor
            bytes.appendLittleEndian(UInt32(comments.count))
            for comment in comments {
                let text = Array(comment.utf8)
                bytes.appendLittleEndian(UInt32(text.count))
                bytes += text
            }
            return bytes
        }

        /// The vendor string at the start of `body`, or nil when the lengths do not fit.
        static func vendor<Bytes: RandomAccessCollection>(in body: Bytes) -> [UInt8]? where Bytes.Element == UInt8, Bytes.Index == Int {
            guard body.count >= 4 else { return nil }
            let start = body.startIndex
            let length = (0..<4).reduce(0) { $0 | Int(body[start + $1]) << (8 * $1) }
            guard length <= body.count - 4 else { return nil }
            return Array(body[(start + 4)..<(start + 4 + length)])
        }

        /// The Vorbis comment header packet: type 3, "vorbis", the comments, the framing bit.
        static func vorbisPacket(vendor: [UInt8], comments: [String]) -> [UInt8] {
            [3] + Array("vorbis".utf8) + body(vendor: vendor, comments: comments) + [1]
        }

        /// The Opus comment header packet: "OpusTags", then the comments (no padding).
        static func opusPacket(vendor: [UInt8], comments: [String]) -> [UInt8] {
            Array("OpusTags".utf8) + body(vendor: vendor, comments: comments)
        }
    }

    /// One Ogg page as bytes: the 27-byte header, the lacing values, the body.
    struct OggPage {
        var bytes: [UInt8]

        static let headerLength = 27
        static let continuedPacket: UInt8 = 0x01
        static let beginningOfStream: UInt8 = 0x02
        /// The granule position of a page on which no packet ends.
        static let noGranule = UInt64.max

        var flags: UInt8 { bytes[5] }
        var granulePosition: UInt64 { (0..<8).reduce(0) { $0 | UInt64(bytes[6 + $1]) << (8 * UInt64($1)) } }
        var serialNumber: UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[14 + $1]) << (8 * UInt32($1)) } }
        var lacing: ArraySlice<UInt8> { bytes[Self.headerLength..<(Self.headerLength + Int(bytes[26]))] }
        var bodyStart: Int { Self.headerLength + Int(bytes[26]) }

        init(bytes: [UInt8]) {
            self.bytes = bytes
        }

        /// A new page; its sequence number and checksum are set by `stamp`.
        init(flags: UInt8, granulePosition: UInt64, lacing: [UInt8], body: [UInt8]) {
            precondition(lacing.count <= 255)
            bytes = Array("OggS".utf8) + [0, flags]
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: granulePosition >> UInt64(shift))) }
            bytes += [UInt8](repeating: 0, count: 12)  // serial number, sequence number, checksum
            bytes.append(UInt8(lacing.count))
            bytes += lacing
            bytes += body
        }

        /// Sets the serial and sequence numbers and recomputes the checksum.
        mutating func stamp(serialNumber: UInt32, sequenceNumber: UInt32) {
            for index in 0..<4 {
                bytes[14 + index] = UInt8(truncatingIfNeeded: serialNumber >> (8 * UInt32(index)))
                bytes[18 + index] = UInt8(truncatingIfNeeded: sequenceNumber >> (8 * UInt32(index)))
                bytes[22 + index] = 0
            }
            let crc = Self.checksum(bytes)
            for index in 0..<4 { bytes[22 + index] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(index))) }
        }

        /// Ogg's CRC-32: polynomial 0x04C11DB7, no reflection, initial value 0, no final XOR.
        static func checksum(_ bytes: [UInt8]) -> UInt32 {
            var crc: UInt32 = 0
            bytes.withUnsafeBufferPointer { buffer in
                table.withUnsafeBufferPointer { table in
                    for byte in buffer { crc = (crc << 8) ^ table[Int(((crc >> 24) ^ UInt32(byte)) & 0xFF)] }
                }
            }
            return crc
        }

        private static let table: [UInt32] = (0..<256).map { index in
            var value = UInt32(index) << 24
            for _ in 0..<8 { value = value & 0x8000_0000 != 0 ? (value << 1) ^ 0x04C1_1DB7 : value << 1 }
            return value
        }

        /// Reads the next page, or returns nil at the end of the file.
        fileprivate static func read(from reader: inout BlockReader) throws(SystemCallError) -> OggPage? {
            let offset = reader.offset
            var bytes = try reader.read(upTo: headerLength)
            if bytes.isEmpty { return nil }
            guard bytes.count == headerLength, bytes[0..<4].elementsEqual("OggS".utf8), bytes[4] == 0 else {
                throw TrackMetadata.layoutError("Ogg page at byte \(offset)")
            }
            let lacing = try reader.read(exactly: Int(bytes[26]))
            bytes += lacing
            bytes += try reader.read(exactly: lacing.reduce(0) { $0 + Int($1) })
            return OggPage(bytes: bytes)
        }
    }

    /// Rewrites an Ogg Vorbis or Ogg Opus stream (one logical stream, as libsndfile writes it):
    /// new header pages with the new comment header, then every other page as it was but with
    /// the fixed serial number, the next sequence number and a new checksum.
    ///
    /// Both mappings put the identification header alone on the first page and start the first
    /// audio packet on a fresh page; the Vorbis comment and setup headers may share pages. So the
    /// header packets are gathered from the pages they arrive on (they must end where a page ends)
    /// and laid out again: the identification header on page 0, the rest on as few pages as they
    /// fill (255 lacing values each), the last of them ending with the last header.
    enum OggStream {
        enum Codec {
            case vorbis, opus

            init?(identificationHeader packet: [UInt8]) {
                if packet.starts(with: [1] + Array("vorbis".utf8)) {
                    self = .vorbis
                } else if packet.starts(with: Array("OpusHead".utf8)) {
                    self = .opus
                } else {
                    return nil
                }
            }

            /// Vorbis: identification, comment, setup. Opus: identification, comment.
            var headerCount: Int { self == .vorbis ? 3 : 2 }

            /// Where the comments begin in the comment header packet.
            var commentsOffset: Int { self == .vorbis ? 7 : 8 }

            func isCommentHeader(_ packet: [UInt8]) -> Bool {
                switch self {
                case .vorbis: return packet.starts(with: [3] + Array("vorbis".utf8))
                case .opus: return packet.starts(with: Array("OpusTags".utf8))
                }
            }

            func commentHeader(vendor: [UInt8], comments: [String]) -> [UInt8] {
                switch self {
                case .vorbis: return VorbisComments.vorbisPacket(vendor: vendor, comments: comments)
                case .opus: return VorbisComments.opusPacket(vendor: vendor, comments: comments)
                }
            }
        }

        /// Lays `packets` out on pages from `sequenceNumber` on, the last page ending with the last
        /// packet. Header packets have granule position 0; a page on which none ends has none.
        static func pages(for packets: [[UInt8]], beginningOfStream: Bool, from sequenceNumber: inout UInt32) -> [OggPage] {
            // Each packet is 255-byte segments and a last one of 0 to 254 bytes.
            var segments: [(bytes: ArraySlice<UInt8>, endsPacket: Bool)] = []
            for packet in packets {
                var start = 0
                while packet.count - start >= 255 {
                    segments.append((packet[start..<start + 255], false))
                    start += 255
                }
                segments.append((packet[start...], true))
            }
            var pages: [OggPage] = []
            var first = 0
            var continued = false
            while first < segments.count {
                let onPage = segments[first..<min(segments.count, first + 255)]
                var flags: UInt8 = continued ? OggPage.continuedPacket : 0
                if beginningOfStream && pages.isEmpty { flags |= OggPage.beginningOfStream }
                let granule = onPage.contains { $0.endsPacket } ? 0 : OggPage.noGranule
                var page = OggPage(
                    flags: flags, granulePosition: granule, lacing: onPage.map { UInt8($0.bytes.count) },
                    body: onPage.flatMap { $0.bytes })
                page.stamp(serialNumber: TrackMetadata.oggSerialNumber, sequenceNumber: sequenceNumber)
                sequenceNumber &+= 1
                pages.append(page)
                continued = !(onPage.last?.endsPacket ?? true)
                first += onPage.count
            }
            return pages
        }

        fileprivate static func copy(
            _ metadata: TrackMetadata, from reader: inout BlockReader,
            to writer: inout BlockWriter
        ) throws(SystemCallError) {
            // Gather the header packets.
            var packets: [[UInt8]] = []
            var packet: [UInt8] = []
            var codec: Codec?
            var serialNumber: UInt32?
            while codec.map({ packets.count < $0.headerCount }) ?? true {
                guard let page = try OggPage.read(from: &reader) else {
                    throw TrackMetadata.layoutError("Ogg stream: the file ends inside the header packets")
                }
                if serialNumber == nil { serialNumber = page.serialNumber }
                guard page.serialNumber == serialNumber else {
                    throw TrackMetadata.layoutError("Ogg stream: more than one logical stream")
                }
                var at = page.bodyStart
                for length in page.lacing {
                    if let codec, packets.count == codec.headerCount {
                        // The last header ended before the end of this page: audio shares it.
                        throw TrackMetadata.layoutError("Ogg stream: the first audio packet does not start a page")
                    }
                    packet += page.bytes[at..<at + Int(length)]
                    at += Int(length)
                    if length < 255 {
                        packets.append(packet)
                        packet = []
                        if codec == nil {
                            guard let found = Codec(identificationHeader: packets[0]) else {
                                throw TrackMetadata.layoutError("Ogg stream: neither Vorbis nor Opus")
                            }
                            codec = found
                        }
                    }
                }
            }
            guard let codec, packets.count == codec.headerCount, packet.isEmpty, codec.isCommentHeader(packets[1]),
                let vendor = VorbisComments.vendor(in: packets[1][codec.commentsOffset...])
            else {
                throw TrackMetadata.layoutError("Ogg stream: no valid comment header")
            }
            packets[1] = codec.commentHeader(vendor: vendor, comments: metadata.vorbisComments)

            var sequenceNumber: UInt32 = 0
            for page in pages(for: [packets[0]], beginningOfStream: true, from: &sequenceNumber)
                + pages(for: Array(packets[1...]), beginningOfStream: false, from: &sequenceNumber)
            {
                writer.write(page.bytes)
            }
            // The audio pages, renumbered.
            while var page = try OggPage.read(from: &reader) {
                guard page.serialNumber == serialNumber else {
                    throw TrackMetadata.layoutError("Ogg stream: more than one logical stream")
                }
                page.stamp(serialNumber: TrackMetadata.oggSerialNumber, sequenceNumber: sequenceNumber)
                sequenceNumber &+= 1
                try writer.write(page.bytes, flushingAt: BlockWriter.blockSize)
            }
        }
    }
}

// MARK: - FLAC

extension TrackMetadata {
    /// FLAC's metadata blocks. Each begins with a 4-byte header: a bit that marks the last block,
    /// 7 bits of type, 24 bits of length.
    enum FLACBlocks {
        static let streamInfo: UInt8 = 0
        static let padding: UInt8 = 1
        static let vorbisComment: UInt8 = 4
        /// The vendor string when the file has no comment block to take libFLAC's from.
        static let fallbackVendor = "Cadence"

        static func header(type: UInt8, length: Int, isLast: Bool) -> [UInt8] {
            precondition(length < 1 << 24, "a FLAC metadata block holds at most 16 MiB")
            return [(isLast ? 0x80 : 0) | type, UInt8(length >> 16), UInt8((length >> 8) & 0xFF), UInt8(length & 0xFF)]
        }

        /// Writes `fLaC`, the STREAMINFO block, the new VORBIS_COMMENT block, then the other blocks
        /// libFLAC wrote (seek table, say) in their order, the last one flagged as last. The old
        /// comment block is replaced and any PADDING dropped: the file is rewritten anyway, and
        /// padding would only be room for editing in place.
        fileprivate static func copy(
            _ metadata: TrackMetadata, from reader: inout BlockReader,
            to writer: inout BlockWriter
        ) throws(SystemCallError) {
            guard try reader.read(upTo: 4).elementsEqual("fLaC".utf8) else {
                throw TrackMetadata.layoutError("FLAC stream: no fLaC marker")
            }
            var blocks: [(type: UInt8, body: [UInt8])] = []
            var isLast = false
            while !isLast {
                let header = try reader.read(exactly: 4)
                isLast = header[0] & 0x80 != 0
                let length = Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
                blocks.append((header[0] & 0x7F, try reader.read(exactly: length)))
            }
            guard blocks.first?.type == streamInfo else {
                throw TrackMetadata.layoutError("FLAC stream: the first metadata block is not STREAMINFO")
            }
            let vendor =
                blocks.first { $0.type == vorbisComment }.flatMap { VorbisComments.vendor(in: $0.body) }
                ?? Array(fallbackVendor.utf8)
            var kept = blocks.filter { $0.type != vorbisComment && $0.type != padding }
            kept.insert((vorbisComment, VorbisComments.body(vendor: vendor, comments: metadata.vorbisComments)), at: 1)
            writer.write(Array("fLaC".utf8))
            for (index, block) in kept.enumerated() {
                writer.write(header(type: block.type, length: block.body.count, isLast: index == kept.count - 1))
                writer.write(block.body)
            }
        }
    }
}

// MARK: - Reading and writing in blocks

/// Reads a descriptor from byte 0 on, with `pread`, through a buffer of at least one block.
private struct BlockReader {
    let descriptor: Int32
    /// The file offset of the next byte `read` returns.
    private(set) var offset: off_t = 0
    private var buffer: [UInt8] = []
    private var next = 0
    private var atEnd = false

    init(_ descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// The next `count` bytes, or fewer (possibly none) if the file ends first.
    mutating func read(upTo count: Int) throws(SystemCallError) -> [UInt8] {
        try fill(count)
        let taken = min(count, buffer.count - next)
        let bytes = Array(buffer[next..<next + taken])
        next += taken
        offset += off_t(taken)
        return bytes
    }

    /// The next `count` bytes; the file ending first is an error.
    mutating func read(exactly count: Int) throws(SystemCallError) -> [UInt8] {
        let bytes = try read(upTo: count)
        guard bytes.count == count else { throw TrackMetadata.layoutError("the file ends at byte \(offset), inside a header") }
        return bytes
    }

    mutating func skip(_ count: Int) throws(SystemCallError) {
        var left = count
        while left > 0 {
            let skipped = try read(upTo: min(left, BlockWriter.blockSize)).count
            guard skipped > 0 else { throw TrackMetadata.layoutError("the file ends at byte \(offset), inside a tag") }
            left -= skipped
        }
    }

    /// Copies every byte not read yet to `writer`, a block at a time.
    mutating func copyRemainder(to writer: inout BlockWriter) throws(SystemCallError) {
        while true {
            let block = try read(upTo: BlockWriter.blockSize)
            if block.isEmpty { return }
            try writer.write(block, flushingAt: BlockWriter.blockSize)
        }
    }

    /// Makes `count` bytes available from `next`, unless the file ends first.
    private mutating func fill(_ count: Int) throws(SystemCallError) {
        guard buffer.count - next < count, !atEnd else { return }
        buffer.removeSubrange(0..<next)
        next = 0
        let wanted = max(count, BlockWriter.blockSize)
        var chunk = [UInt8](repeating: 0, count: BlockWriter.blockSize)
        while buffer.count < wanted {
            let fileOffset = offset + off_t(buffer.count)
            let got = try SystemCall.typed(.read) {
                try chunk.withUnsafeMutableBytes {
                    try FileSystem.read(descriptor, into: $0.baseAddress!, count: $0.count, at: Int64(fileOffset))
                }
            }
            if got == 0 {
                atEnd = true
                return
            }
            buffer += chunk[0..<got]
        }
    }
}

/// Writes a descriptor from byte 0 on, with `pwrite`, gathering small writes into blocks.
private struct BlockWriter {
    static let blockSize = 1 << 20

    let descriptor: Int32
    private var offset: off_t = 0
    private var pending: [UInt8] = []

    init(_ descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Adds `bytes` to what is pending (headers and tags: small, flushed later).
    mutating func write(_ bytes: [UInt8]) {
        pending += bytes
    }

    /// Adds `bytes` and writes out what is pending once it reaches `threshold` bytes.
    mutating func write(_ bytes: [UInt8], flushingAt threshold: Int) throws(SystemCallError) {
        pending += bytes
        if pending.count >= threshold { try flush() }
    }

    mutating func flush() throws(SystemCallError) {
        guard !pending.isEmpty else { return }
        try FileSystem.write(descriptor, pending, at: Int64(offset))
        offset += off_t(pending.count)
        pending.removeAll(keepingCapacity: true)
    }
}

extension Array where Element == UInt8 {
    mutating func appendLittleEndian(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func appendLittleEndian(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func appendBigEndian(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) { append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }
}
