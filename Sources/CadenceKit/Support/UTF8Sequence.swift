/// Well-formed UTF-8, one sequence at a time: how routine files are screened (`TextScreening`) and
/// how path bytes are read (`PathBytes`).
enum UTF8Sequence {
    /// The length of the well-formed UTF-8 sequence starting at `index`, or 0 if it is malformed
    /// (overlong forms, surrogates and values past U+10FFFF are malformed).
    static func length(_ bytes: ArraySlice<UInt8>, at index: Int) -> Int {
        let first = bytes[index]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch first {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0:
            length = 3
            low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED:
            length = 3
            high = 0x9F
        case 0xF0:
            length = 4
            low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4:
            length = 4
            high = 0x8F
        default: return 0
        }
        guard index + length <= bytes.endIndex else { return 0 }
        guard (low...high).contains(bytes[index + 1]) else { return 0 }
        for offset in 2..<length where !(0x80...0xBF).contains(bytes[index + offset]) { return 0 }
        return length
    }

    /// The scalar value of the well-formed sequence of `length` bytes at `index`.
    static func value(_ bytes: ArraySlice<UInt8>, at index: Int, length: Int) -> UInt32 {
        let first = UInt32(bytes[index])
        switch length {
        case 1: return first
        case 2: return (first & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)
        case 3: return (first & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F)
        default:
            return (first & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12
                | UInt32(bytes[index + 2] & 0x3F) << 6 | UInt32(bytes[index + 3] & 0x3F)
        }
    }
}
