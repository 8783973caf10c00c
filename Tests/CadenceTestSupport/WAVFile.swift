import Foundation

/// WAV files made byte by byte for the tests: the canonical 44-byte header (RIFF, `fmt ` of 16
/// bytes, `data`) and interleaved samples, little-endian. Any rate and channel count the header
/// can hold is written as it is, sensible or not, and the header may claim more (or less) audio
/// than the file holds, for the tests of files that are cut short or lie.
public enum WAVFile {
    /// 16-bit PCM samples, interleaved.
    /// - Parameter claimedDataBytes: the size of the audio the header states (its RIFF size
    ///   follows), when it is not the size of `samples`: a file that ends early.
    public static func pcm16(_ samples: [Int16], channels: Int, rate: Int, claimedDataBytes: Int? = nil) -> Data {
        var data = header(
            format: 1, bytesPerSample: 2, channels: channels, rate: rate,
            dataBytes: claimedDataBytes ?? samples.count * 2, capacity: samples.count * 2)
        let littleEndian = samples.map(\.littleEndian)
        littleEndian.withUnsafeBufferPointer { data.append($0) }
        return data
    }

    /// Samples in -1...1, interleaved: 16-bit PCM (scaled by 32767, rounded, clipped) or 32-bit float.
    public static func bytes(_ interleaved: [Float], channels: Int, rate: Int, float: Bool = false) -> Data {
        guard float else {
            return pcm16(interleaved.map { Int16(max(-32768, min(32767, ($0 * 32767).rounded()))) }, channels: channels, rate: rate)
        }
        var data = header(
            format: 3, bytesPerSample: 4, channels: channels, rate: rate, dataBytes: interleaved.count * 4,
            capacity: interleaved.count * 4)
        let bits = interleaved.map(\.bitPattern.littleEndian)
        bits.withUnsafeBufferPointer { data.append($0) }
        return data
    }

    /// Writes `bytes(interleaved, ...)` to `url`.
    public static func write(_ interleaved: [Float], channels: Int, rate: Int, float: Bool = false, to url: URL) throws {
        try bytes(interleaved, channels: channels, rate: rate, float: float).write(to: url)
    }

    /// Whether `data` is a whole WAV file: a RIFF header whose size is the file's.
    public static func isWhole(_ data: Data) -> Bool {
        guard data.count >= 44, data.prefix(4) == Data("RIFF".utf8) else { return false }
        let size = data.subdata(in: 4..<8).withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self))) }
        return size + 8 == data.count
    }

    /// The 44 bytes before the samples: format 1 is PCM, 3 is IEEE float.
    private static func header(format: Int, bytesPerSample: Int, channels: Int, rate: Int, dataBytes: Int, capacity: Int) -> Data {
        var data = Data(capacity: 44 + capacity)
        func le16(_ value: Int) { withUnsafeBytes(of: UInt16(truncatingIfNeeded: value).littleEndian) { data.append(contentsOf: $0) } }
        func le32(_ value: Int) { withUnsafeBytes(of: UInt32(truncatingIfNeeded: value).littleEndian) { data.append(contentsOf: $0) } }
        data.append(contentsOf: Array("RIFF".utf8))
        le32(36 + dataBytes)
        data.append(contentsOf: Array("WAVEfmt ".utf8))
        le32(16)
        le16(format)
        le16(channels)
        le32(rate)
        le32(rate * channels * bytesPerSample)
        le16(channels * bytesPerSample)
        le16(8 * bytesPerSample)
        data.append(contentsOf: Array("data".utf8))
        le32(dataBytes)
        return data
    }
}
