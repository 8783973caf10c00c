/// A fast 64-bit digest of a whole file's bytes, for recognizing content seen before (the key of a
/// cache record; not for security). It mixes four 64-bit lanes of 32 bytes per step, so it reads
/// about as fast as the page cache serves the file, far faster than a byte-at-a-time hash.
enum FileDigest {
    /// The digest of `path`'s bytes as 16 hex digits, read in 1 MB pieces; `shouldStop` is looked at
    /// between pieces. The file must be a regular file.
    static func of(_ path: String, kind: String, shouldStop: () -> Bool = { false }) throws -> String {
        let (descriptor, _) = try InputFile.openRegular(path, kind: kind)
        defer { FileSystem.closeQuietly(descriptor) }
        var state = State()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var filled = 0
        while true {
            if shouldStop() { throw RenderError.interrupted(path: "", signal: StopSignal.signal) }
            let count: Int
            do {
                count = try chunk.withUnsafeMutableBytes {
                    try FileSystem.read(descriptor, into: $0.baseAddress! + filled, count: $0.count - filled)
                }
            } catch let error as SystemCallError {
                throw InputError(path: path, reason: "cannot read this \(kind): \(error.reason)")
            }
            filled += count
            if count == 0 || filled == chunk.count {
                chunk.withUnsafeBytes { state.add(UnsafeRawBufferPointer(rebasing: $0[0..<filled])) }
                filled = 0
            }
            if count == 0 { break }
        }
        return state.hex
    }

    /// The digest of `bytes` (as `of` gives for a file holding them).
    static func of(_ bytes: [UInt8]) -> String {
        var state = State()
        bytes.withUnsafeBytes { state.add($0) }
        return state.hex
    }

    /// Pieces must be whole multiples of 32 bytes except the last.
    private struct State {
        private var lanes: (UInt64, UInt64, UInt64, UInt64) = (
            0x9E37_79B9_7F4A_7C15, 0xC2B2_AE3D_27D4_EB4F,
            0x1656_67B1_9E37_79F9, 0x85EB_CA77_C2B2_AE63
        )
        private var length: UInt64 = 0
        private var tail: [UInt8] = []

        private static let prime: UInt64 = 0x9E37_79B9_7F4A_7C15

        @inline(__always)
        private static func mix(_ lane: UInt64, _ word: UInt64) -> UInt64 {
            let value = (lane ^ word) &* prime
            return value ^ (value >> 29)
        }

        mutating func add(_ bytes: UnsafeRawBufferPointer) {
            precondition(tail.isEmpty, "only the last piece may be shorter than a multiple of 32 bytes")
            let whole = bytes.count / 32 * 32
            var (a, b, c, d) = lanes
            var offset = 0
            while offset < whole {
                a = Self.mix(a, bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                b = Self.mix(b, bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
                c = Self.mix(c, bytes.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self))
                d = Self.mix(d, bytes.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self))
                offset += 32
            }
            lanes = (a, b, c, d)
            tail = Array(bytes[whole...])
            length += UInt64(bytes.count)
        }

        var hex: String {
            var (a, b, c, d) = lanes
            var padded = tail + [UInt8](repeating: 0, count: 32 - tail.count)
            if !tail.isEmpty {
                padded.withUnsafeBytes { bytes in
                    a = Self.mix(a, bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
                    b = Self.mix(b, bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                    c = Self.mix(c, bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
                    d = Self.mix(d, bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
                }
            }
            padded = []
            var value = Self.mix(Self.mix(Self.mix(Self.mix(length, a), b), c), d)
            value = Self.mix(value, length)
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
    }
}
