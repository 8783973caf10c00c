import Foundation

/// A sine lookup with linear interpolation: fast, and the same numbers on every machine.
enum SineTable {
    static let size = 8192
    static let values: [Float] = (0...size).map { Float(sin(2 * Double.pi * Double($0) / Double(size))) }

    /// sin(2π·cycles), for a phase measured in cycles (any real number).
    @inline(__always)
    static func sine(cycles: Double) -> Float {
        let wrapped = cycles - cycles.rounded(.down)
        let position = wrapped * Double(size)
        let index = Int(position)
        let fraction = Float(position - Double(index))
        return values.withUnsafeBufferPointer { table in
            table[index] + (table[index + 1] - table[index]) * fraction
        }
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
