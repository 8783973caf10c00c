import Foundation

/// libsndfile gives each Ogg stream a serial number seeded from the clock, so two renders of the
/// same routine would differ. This rewrites the serial number of every page to a fixed value and
/// recomputes each page's checksum, in place, page by page.
enum OggSerialNumbers {
    static let fixedSerial: UInt32 = 0x4361_6465 // "Cade"

    static func normalize(descriptor: Int32) throws(SystemCallError) {
        let size = try FileSystem.seek(descriptor, 0, SEEK_END)
        var offset: Int64 = 0
        var header = [UInt8](repeating: 0, count: 27)
        while offset + 27 <= size {
            try FileSystem.readExactly(descriptor, &header, at: offset)
            guard header[0] == 0x4F, header[1] == 0x67, header[2] == 0x67, header[3] == 0x53 else {
                throw SystemCallError(operation: .read, code: EINVAL)
            }
            let segmentCount = Int(header[26])
            var segments = [UInt8](repeating: 0, count: segmentCount)
            try FileSystem.readExactly(descriptor, &segments, at: offset + 27)
            let bodyLength = segments.reduce(0) { $0 + Int($1) }
            var page = [UInt8](repeating: 0, count: 27 + segmentCount + bodyLength)
            try FileSystem.readExactly(descriptor, &page, at: offset)
            var serial = fixedSerial
            for index in 14..<18 {
                page[index] = UInt8(truncatingIfNeeded: serial)
                serial >>= 8
            }
            for index in 22..<26 { page[index] = 0 }
            var crc = checksum(page)
            for index in 22..<26 {
                page[index] = UInt8(truncatingIfNeeded: crc)
                crc >>= 8
            }
            try FileSystem.write(descriptor, Array(page[14..<26]), at: offset + 14)
            offset += Int64(page.count)
        }
    }

    /// Ogg's CRC-32: polynomial 0x04C11DB7, no reflection, initial value 0.
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0
        for byte in bytes {
            crc = (crc << 8) ^ table[Int(((crc >> 24) ^ UInt32(byte)) & 0xFF)]
        }
        return crc
    }

    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index) << 24
        for _ in 0..<8 { value = value & 0x8000_0000 != 0 ? (value << 1) ^ 0x04C1_1DB7 : value << 1 }
        return value
    }
}
