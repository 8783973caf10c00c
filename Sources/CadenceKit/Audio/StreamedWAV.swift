/// A WAV written to a pipe cannot have its sizes filled in once the samples are out. espeak-ng
/// writes sizes of nearly 2 GB. Festival's text2wave writes sizes of 0 and, at the end, seeks back
/// to write the real header, which on a pipe lands after the samples instead: 44 bytes that would
/// be read as a click. `withSizes` drops such a trailing header and gives the RIFF and data chunk
/// the sizes of the samples received, so every sample is read and nothing more.
enum StreamedWAV {
    /// The size of a plain PCM WAV header (RIFF, WAVE, a 16-byte fmt chunk, the data chunk's head).
    static let headerSize = 44

    /// `bytes` with its RIFF and `data` sizes set from its length, less a header repeated at its end.
    static func withSizes(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WAVE".utf8) else {
            return bytes
        }
        var fixed = bytes
        if fixed.count >= 2 * headerSize {
            let tail = fixed[(fixed.count - headerSize)...]
            // A repeated header is dropped only when its data size is that of the samples before it.
            if isHeader(tail), number(in: fixed, at: fixed.count - headerSize + 40) == fixed.count - 2 * headerSize {
                fixed.removeLast(headerSize)
            }
        }
        var offset = 12
        while offset + 8 <= fixed.count {
            let size = number(in: fixed, at: offset + 4)
            if fixed[offset..<offset + 4].elementsEqual("data".utf8) {
                store(UInt32(fixed.count - offset - 8), in: &fixed, at: offset + 4)
                store(UInt32(fixed.count - 8), in: &fixed, at: 4)
                return fixed
            }
            offset += 8 + size + (size & 1)
        }
        return bytes
    }

    /// Whether `bytes` starts with a 44-byte PCM header: RIFF, WAVE, a fmt chunk of 16 bytes, data.
    private static func isHeader(_ bytes: ArraySlice<UInt8>) -> Bool {
        let start = bytes.startIndex
        return bytes.count >= headerSize && bytes[start..<start + 4].elementsEqual("RIFF".utf8)
            && bytes[start + 8..<start + 20].elementsEqual("WAVEfmt \u{10}\0\0\0".utf8)
            && bytes[start + 36..<start + 40].elementsEqual("data".utf8)
    }

    private static func number(in bytes: [UInt8], at offset: Int) -> Int {
        Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
    }

    private static func store(_ value: UInt32, in bytes: inout [UInt8], at offset: Int) {
        for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
    }
}
