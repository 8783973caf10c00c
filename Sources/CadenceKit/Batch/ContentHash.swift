/// A 64-bit FNV-1a hash of bytes, for telling whether an input changed (not for security).
struct ContentHash {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var hash = value
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        value = hash
    }

    mutating func add(_ text: String) {
        var copy = text
        copy.withUTF8 { add(UnsafeRawBufferPointer($0)) }
        add([0])
    }

    mutating func add(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { add($0) }
    }

    var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The hash of a whole input file's bytes, read in 1 MB pieces. The file must be a regular file
    /// (a pipe or a device such as /dev/zero is refused, never read forever); `shouldStop` is
    /// looked at between pieces.
    static func ofFile(_ path: String, kind: String, shouldStop: () -> Bool) throws -> String {
        let (descriptor, _) = try InputFile.openRegular(path, kind: kind)
        defer { FileSystem.closeQuietly(descriptor) }
        var hash = ContentHash()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            if shouldStop() { throw RenderError.interrupted(path: "", signal: StopSignal.signal) }
            let count: Int
            do {
                count = try chunk.withUnsafeMutableBytes { try FileSystem.read(descriptor, into: $0.baseAddress!, count: $0.count) }
            } catch let error as SystemCallError {
                throw InputError(path: path, reason: "cannot read this \(kind): \(error.reason)")
            }
            if count == 0 { break }
            chunk.withUnsafeBytes { hash.add(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
        return hash.hex
    }
}
