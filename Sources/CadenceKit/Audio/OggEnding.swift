import Foundation

/// Whether an Ogg file (Vorbis, Opus) ends as a whole stream does: with a complete last page that
/// carries the end-of-stream flag. libsndfile cannot tell the length of a cut Ogg file and just
/// stops reading where the data stops, so this is how a truncated one is noticed.
enum OggEnding {
    /// nil when the file is not Ogg; otherwise whether its last page is complete and ends the stream.
    static func endsCleanly(path: String) -> Bool? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let magic = try? handle.read(upToCount: 4), magic == Data("OggS".utf8) else { return nil }
        guard let size = try? handle.seekToEnd() else { return false }
        // A page is at most 27 + 255 + 255 * 255 bytes.
        let tailLength = min(size, 70_000)
        guard (try? handle.seek(toOffset: size - tailLength)) != nil,
              let tail = try? handle.read(upToCount: Int(tailLength)) else { return false }
        let bytes = [UInt8](tail)
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
