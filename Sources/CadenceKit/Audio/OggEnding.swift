/// Whether an Ogg file (Vorbis, Opus) ends as a whole stream does: with a complete last page that
/// carries the end-of-stream flag. libsndfile cannot tell the length of a cut Ogg file and just
/// stops reading where the data stops, so this is how a truncated one is noticed.
enum OggEnding {
    /// nil when the file open at `descriptor` is not Ogg; otherwise whether its last page is
    /// complete and ends the stream.
    static func endsCleanly(descriptor: Int32) -> Bool? {
        var magic = [UInt8](repeating: 0, count: 4)
        guard (try? FileSystem.readExactly(descriptor, &magic, at: 0)) != nil, magic == Array("OggS".utf8) else { return nil }
        guard let size = try? FileSystem.status(of: descriptor).st_size else { return false }
        // A page is at most 27 + 255 + 255 * 255 bytes.
        let tailLength = min(Int64(size), 70_000)
        var bytes = [UInt8](repeating: 0, count: Int(tailLength))
        guard (try? FileSystem.readExactly(descriptor, &bytes, at: Int64(size) - tailLength)) != nil else { return false }
        var start = bytes.count - 27
        while start >= 0 {
            if bytes[start] == 0x4F, bytes[start + 1] == 0x67, bytes[start + 2] == 0x67, bytes[start + 3] == 0x53 {
                let segments = Int(bytes[start + 26])
                guard start + 27 + segments <= bytes.count else { return false }
                let body = bytes[(start + 27)..<(start + 27 + segments)].reduce(0) { $0 + Int($1) }
                let complete = start + 27 + segments + body == bytes.count
                let endOfStream = bytes[start + 5] & 0x04 != 0
                return complete && endOfStream
            }
            start -= 1
        }
        return false
    }
}
