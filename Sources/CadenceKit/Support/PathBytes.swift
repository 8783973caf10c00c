/// File names on Linux are bytes, not text: `café.yaml` may be stored in Latin-1 as `caf\xE9.yaml`.
/// Cadence carries every path as a `String` and keeps its bytes exact by a reversible encoding:
/// each well-formed UTF-8 sequence is its character, and every other byte b is the private-use
/// scalar U+10FF00 + b (b is 0x00 or 0x80...0xFF). The four bytes of a real character U+10FF00 or
/// U+10FF80...U+10FFFF (which no one uses in a file name) are escaped byte by byte too, so the
/// mapping is one-to-one both ways.
///
/// Every system call takes its path through `withCString`, so the bytes that reach the kernel are
/// the bytes that came from the command line or a folder listing; messages show a path through
/// `display`, which writes undecodable bytes as `\xE9`.
public enum PathBytes {
    /// The first scalar that stands for a raw byte (U+10FF80 stands for 0x80).
    private static let escapeBase: UInt32 = 0x10_FF00

    /// The scalars that stand for a byte: U+10FF00 (the byte 0, which is never part of a sequence)
    /// and U+10FF80...U+10FFFF.
    private static func isEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value == escapeBase || scalar.value >= escapeBase + 0x80
    }

    /// The path string for a NUL-terminated C string (an argument, a folder entry).
    public static func string(fromCString pointer: UnsafePointer<CChar>) -> String {
        var length = 0
        while pointer[length] != 0 { length += 1 }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
            string(fromBytes: UnsafeBufferPointer(start: $0, count: length))
        }
    }

    /// The path string for raw bytes.
    public static func string<Bytes: Collection>(fromBytes bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let array = Array(bytes)[...]
        var out = String.UnicodeScalarView()
        var index = 0
        while index < array.count {
            // The byte 0 is never part of a sequence: it is always escaped.
            let length = array[index] == 0 ? 0 : UTF8Sequence.length(array, at: index)
            if length > 0, let scalar = Unicode.Scalar(UTF8Sequence.value(array, at: index, length: length)), !isEscape(scalar) {
                out.append(scalar)
                index += length
            } else {
                out.append(Unicode.Scalar(escapeBase + UInt32(array[index]))!)
                index += 1
            }
        }
        return String(out)
    }

    /// The exact bytes `path` stands for (without a terminating NUL).
    public static func bytes(_ path: String) -> [UInt8] {
        guard path.unicodeScalars.contains(where: isEscape) else { return Array(path.utf8) }
        var out: [UInt8] = []
        out.reserveCapacity(path.utf8.count)
        for scalar in path.unicodeScalars {
            if isEscape(scalar) {
                out.append(UInt8(scalar.value - escapeBase))
            } else {
                out.append(contentsOf: Array(String(scalar).utf8))
            }
        }
        return out
    }

    /// What tells two paths apart: their bytes. Swift compares strings by canonical equivalence
    /// (`café` with U+00E9 equals `cafe` + U+0301), but on Linux those name two files; wherever
    /// paths are keys or compared, use this.
    public static func key(_ path: String) -> [UInt8] { bytes(path) }

    /// Calls `body` with `path` as a NUL-terminated C string of its exact bytes.
    public static func withCString<Result>(_ path: String, _ body: (UnsafePointer<CChar>) throws -> Result) rethrows -> Result {
        guard path.unicodeScalars.contains(where: isEscape) else { return try path.withCString(body) }
        var raw = bytes(path)
        raw.append(0)
        return try raw.withUnsafeBufferPointer { buffer in
            try buffer.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
        }
    }

    /// `path` for a message: undecodable bytes as `\xE9`, control characters as `\u{1B}`, so a file
    /// name can never write escape sequences to the terminal.
    public static func display(_ path: String) -> String {
        var out = ""
        for scalar in path.unicodeScalars {
            if isEscape(scalar) {
                let byte = String(scalar.value - escapeBase, radix: 16, uppercase: true)
                out += "\\x" + (byte.count == 1 ? "0" : "") + byte
            } else if scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value)
                || scalar == "\u{2028}" || scalar == "\u{2029}"
            {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
