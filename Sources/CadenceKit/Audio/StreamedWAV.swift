/// A WAV written to a pipe cannot have its sizes filled in once the samples are out: festival
/// leaves them 0 (which reads as no sound) and espeak-ng writes nearly 2 GB. `withSizes` gives the
/// RIFF and data chunk the sizes of the bytes actually received, so every sample is read and
/// nothing more.
enum StreamedWAV {
    /// `bytes` with its RIFF and `data` sizes set from its length; other bytes are left as they are.
    static func withSizes(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= 12, bytes[0..<4].elementsEqual("RIFF".utf8), bytes[8..<12].elementsEqual("WAVE".utf8) else {
            return bytes
        }
        var fixed = bytes
        var offset = 12
        while offset + 8 <= fixed.count {
            let size = Int(fixed[offset + 4]) | Int(fixed[offset + 5]) << 8 | Int(fixed[offset + 6]) << 16 | Int(fixed[offset + 7]) << 24
            if fixed[offset..<offset + 4].elementsEqual("data".utf8) {
                store(UInt32(fixed.count - offset - 8), in: &fixed, at: offset + 4)
                store(UInt32(fixed.count - 8), in: &fixed, at: 4)
                return fixed
            }
            offset += 8 + size + (size & 1)
        }
        return bytes
    }

    private static func store(_ value: UInt32, in bytes: inout [UInt8], at offset: Int) {
        for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
    }
}
