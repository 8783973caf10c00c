/// Which value a range gives: `easy` the low end, `hard` the high end, `normal` the midpoint.
public enum Level: String, CaseIterable, Sendable, Codable {
    case easy, normal, hard
}

/// A duration or count as written: one exact value, or a range `A-B` from which a `Level` picks.
public struct Ranged<Value: BinaryInteger & Sendable>: Hashable, Sendable {
    public var low: Value
    public var high: Value

    public init(_ value: Value) {
        low = value
        high = value
    }

    public init(low: Value, high: Value) {
        self.low = low
        self.high = high
    }

    public var isRange: Bool { low != high }

    /// The value at `level`; the midpoint is (A+B)/2 rounded half up.
    public func value(at level: Level) -> Value {
        switch level {
        case .easy: return low
        case .hard: return high
        case .normal: return (low + high + 1) / 2
        }
    }
}
