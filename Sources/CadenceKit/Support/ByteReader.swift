/// Reads little-endian values from the front of a byte array (cache records); every read gives
/// nil past the end, so a damaged record is a miss, never a crash.
struct ByteReader {
    private let bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var remaining: Int { bytes.count - position }

    mutating func take(_ count: Int) -> [UInt8]? {
        guard count >= 0, count <= remaining else { return nil }
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    mutating func uint32() -> UInt32? { integer() }
    mutating func uint64() -> UInt64? { integer() }

    mutating func float64() -> Double? { uint64().map(Double.init(bitPattern:)) }

    /// `count` 32-bit floats, stored as this machine stores them (little-endian on x86-64 and arm64).
    mutating func floats(_ count: Int) -> [Float]? {
        guard count >= 0, count <= remaining / 4 else { return nil }
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBytes { target in
            bytes.withUnsafeBytes { source in
                target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[position..<(position + count * 4)]))
            }
        }
        position += count * 4
        return values
    }

    private mutating func integer<Value: FixedWidthInteger>() -> Value? {
        let size = MemoryLayout<Value>.size
        guard size <= remaining else { return nil }
        var value: Value = 0
        for index in 0..<size { value |= Value(bytes[position + index]) << (8 * index) }
        position += size
        return value
    }
}
