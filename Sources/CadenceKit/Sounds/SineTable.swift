import Foundation

/// A sine lookup with linear interpolation: fast, and the same numbers on every machine.
struct SineTable {
    static let size = 8192
    private static let shared: [Float] = (0...size).map { Float(sin(2 * Double.pi * Double($0) / Double(size))) }

    /// The table, one entry past a full cycle for interpolation. Callers hold it for a whole block.
    static func withTable<Result>(_ body: (SineTable) -> Result) -> Result {
        shared.withUnsafeBufferPointer { body(SineTable(values: $0.baseAddress!)) }
    }

    let values: UnsafePointer<Float>

    /// The raised-cosine fade 0.5·(1 − cos(π·position/length)), clamped to 0...1, from the table.
    @inline(__always)
    func raisedCosine(_ position: Double, _ length: Double) -> Double {
        if position >= length { return 1 }
        if position <= 0 { return 0 }
        // cos(πx) = sin(2π(x/2 + 1/4))
        let cosine = Double(lookup((position / length * 0.5 + 0.25) * Double(Self.size)))
        return 0.5 * (1 - cosine)
    }

    /// The sine at a position measured in table entries (0 up to 8 tables' length).
    @inline(__always)
    func lookup(_ position: Double) -> Float {
        let whole = Int(position)
        let fraction = Float(position - Double(whole))
        let index = whole & (Self.size - 1)
        return values[index] + (values[index + 1] - values[index]) * fraction
    }
}

/// Raised-cosine gain curves for click-free edges.
enum Fade {
    /// Gain rising from 0 to 1 as `position` goes from 0 to `length` (in samples): 0.5·(1 − cos(π·p/L)).
    @inline(__always)
    static func raisedCosine(_ position: Double, _ length: Double) -> Double {
        if position >= length { return 1 }
        if position <= 0 { return 0 }
        return 0.5 * (1 - cos(Double.pi * position / length))
    }
}
