import Foundation

/// The title of an MP3 track as an ID3v2.4 tag with a UTF-8 `TIT2` frame. libsndfile hands the
/// title to LAME, which stores it as Latin-1 and so garbles anything else; this tag goes in front
/// of the encoded audio instead.
enum ID3Tag {
    static func titleTag(_ title: String) -> [UInt8] {
        var frameBody: [UInt8] = [3]   // text encoding 3: UTF-8
        frameBody.append(contentsOf: Array(title.utf8))
        var frame = Array("TIT2".utf8)
        frame.append(contentsOf: synchsafe(frameBody.count))
        frame.append(contentsOf: [0, 0])   // frame flags
        frame.append(contentsOf: frameBody)
        var tag = Array("ID3".utf8)
        tag.append(contentsOf: [4, 0, 0])   // version 2.4.0, no flags
        tag.append(contentsOf: synchsafe(frame.count))
        tag.append(contentsOf: frame)
        return tag
    }

    /// A size as four 7-bit bytes, as ID3v2.4 writes them.
    static func synchsafe(_ value: Int) -> [UInt8] {
        [UInt8((value >> 21) & 0x7F), UInt8((value >> 14) & 0x7F), UInt8((value >> 7) & 0x7F), UInt8(value & 0x7F)]
    }

    /// Writes the tag followed by every byte of `source` into `destination` (both open descriptors).
    static func write(title: String, followedBy source: Int32, into destination: Int32) throws(SystemCallError) {
        let tag = titleTag(title)
        try FileSystem.write(destination, tag, at: 0)
        var offset: Int64 = 0
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = try SystemCall.typed(.read) {
                try chunk.withUnsafeMutableBytes { buffer in try FileSystem.read(source, into: buffer.baseAddress!, count: buffer.count, at: offset) }
            }
            if count == 0 { break }
            try SystemCall.typed(.write) {
                try chunk.withUnsafeBytes { buffer in
                    try FileSystem.write(destination, UnsafeRawBufferPointer(rebasing: buffer[0..<count]), at: Int64(tag.count) + offset)
                }
            }
            offset += Int64(count)
        }
    }
}
