/// Reads durations, counts and ranges from the text of a YAML scalar, exactly as written:
/// no floating point anywhere, every duration an integer number of microseconds.
///
/// Grammar (see routine-format.md): a bare NUMBER is seconds; otherwise one or more
/// `NUMBER UNIT` parts, larger units first, each unit at most once. NUMBER is digits
/// with an optional `.digits` fraction. Units: h, m/min, s/sec, ms.
enum DurationSyntax {
    /// A rejected value: the message says what is wrong, for a person.
    struct Failure: Error, Equatable {
        var message: String
        init(_ message: String) { self.message = message }
    }

    enum Unit: Int, Comparable {
        case millisecond = 0
        case second
        case minute
        case hour

        var microseconds: Int64 {
            switch self {
            case .millisecond: return 1_000
            case .second: return 1_000_000
            case .minute: return 60_000_000
            case .hour: return 3_600_000_000
            }
        }

        init?(name: Substring) {
            switch name {
            case "h": self = .hour
            case "m", "min": self = .minute
            case "s", "sec": self = .second
            case "ms": self = .millisecond
            default: return nil
            }
        }

        static func < (lhs: Unit, rhs: Unit) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Numbers with more digits than this are refused as too large rather than risking overflow.
    private static let maximumIntegerDigits = 9
    private static let maximumFractionDigits = 9

    /// A parsed duration: its value and the unit of its last part (nil for a bare number).
    struct Parsed {
        var microseconds: Int64
        var lastUnit: Unit?
    }

    // MARK: Durations

    /// Parses one duration (not a range).
    static func duration(_ text: Substring) throws -> Parsed {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty else { throw Failure("empty duration; write a time such as 30s, 1m30s or 500ms") }
        if trimmed.first == "-" { throw Failure("negative durations are not allowed") }
        var rest = trimmed[...]
        var total: Int64 = 0
        var previousUnit: Unit?
        var sawPart = false
        while !rest.isEmpty {
            let number = try readNumber(&rest, in: trimmed)
            rest = rest.drop(while: { $0 == " " })
            let unitName = rest.prefix(while: { $0.isLetter })
            if unitName.isEmpty {
                guard rest.isEmpty else { throw unexpected(rest, in: trimmed) }
                // A bare number is seconds, but only when it stands alone.
                guard !sawPart else {
                    throw Failure("'\(shown(trimmed))': every part after the first needs a unit (h, m, min, s, sec or ms)")
                }
                return Parsed(microseconds: try number.microseconds(per: .second, in: trimmed), lastUnit: nil)
            }
            guard let unit = Unit(name: unitName) else {
                if Unit(name: Substring(unitName.lowercased())) != nil {
                    throw Failure("unit '\(shown(unitName))' in '\(shown(trimmed))' must be lower case")
                }
                throw Failure("unknown unit '\(shown(unitName))' in '\(shown(trimmed))'; units are h, m or min, s or sec, and ms")
            }
            if let previousUnit, unit >= previousUnit {
                throw Failure(
                    unit == previousUnit
                        ? "unit '\(shown(unitName))' appears twice in '\(shown(trimmed))'"
                        : "in '\(shown(trimmed))' the parts must go from larger to smaller units (for example 1m30s, not 30s1m)")
            }
            rest = rest.dropFirst(unitName.count).drop(while: { $0 == " " })
            let (sum, overflow) = total.addingReportingOverflow(try number.microseconds(per: unit, in: trimmed))
            guard !overflow else { throw Failure("'\(shown(trimmed))' is too long") }
            total = sum
            previousUnit = unit
            sawPart = true
        }
        return Parsed(microseconds: total, lastUnit: previousUnit)
    }

    /// Parses a duration or a range of durations `A-B`. In a range, a bare-number A takes the unit
    /// of B's last part (`20-30s` is 20 s to 30 s).
    static func durationOrRange(_ text: String) throws -> Ranged<Int64> {
        let trimmed = text.trimmingSpaces
        if trimmed.first == "-" { throw Failure("negative durations are not allowed") }
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            return Ranged(try duration(trimmed[...]).microseconds)
        case 2:
            let high = try duration(parts[1])
            let lowText = parts[0].trimmingSpaces
            var low = try duration(lowText[...])
            if low.lastUnit == nil, let unit = high.lastUnit {
                let number = try readWholeNumber(lowText, in: trimmed)
                low = Parsed(microseconds: try number.microseconds(per: unit, in: trimmed), lastUnit: unit)
            }
            guard low.microseconds <= high.microseconds else {
                throw Failure("in the range '\(shown(trimmed))' the first value must not be larger than the second")
            }
            return Ranged(low: low.microseconds, high: high.microseconds)
        default:
            throw Failure("'\(shown(trimmed))' is not a duration or a range; a range is two durations joined by one '-', as in 20-30s")
        }
    }

    // MARK: Counts

    /// Parses a count written as a range `A-B` of decimal integers.
    static func countRange(_ text: String) throws -> Ranged<Int> {
        let trimmed = text.trimmingSpaces
        if trimmed.first == "-" { throw Failure("negative counts are not allowed") }
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw Failure("expected a whole number (such as 10) or a range (such as 6-8), found '\(shown(trimmed))'")
        }
        let low = try count(parts[0].trimmingSpaces, whole: trimmed)
        let high = try count(parts[1].trimmingSpaces, whole: trimmed)
        guard low <= high else {
            throw Failure("in the range '\(shown(trimmed))' the first value must not be larger than the second")
        }
        return Ranged(low: low, high: high)
    }

    static func count(_ text: Substring, whole: Substring) throws -> Int {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw Failure("expected a whole number (such as 10) or a range (such as 6-8), found '\(shown(whole))'")
        }
        let digits = text.drop(while: { $0 == "0" })
        guard digits.count <= 9, let value = Int(text) else { throw Failure("'\(shown(text))' is too large") }
        return value
    }

    // MARK: Numbers

    /// A decimal number as written: its digits without the point and how many were after it.
    struct DecimalNumber {
        var digits: Int64
        var fractionDigits: Int

        /// The exact value in microseconds, or a failure if it is finer than a microsecond.
        func microseconds(per unit: Unit, in text: Substring) throws -> Int64 {
            var scale: Int64 = 1
            for _ in 0..<fractionDigits { scale *= 10 }
            let (product, overflow) = digits.multipliedReportingOverflow(by: unit.microseconds)
            guard !overflow else { throw Failure("'\(text)' is too long") }
            guard product % scale == 0 else {
                throw Failure("'\(text)' is finer than a microsecond; durations are exact to 1 µs (0.000001s)")
            }
            return product / scale
        }
    }

    private static func readWholeNumber(_ text: Substring, in whole: Substring) throws -> DecimalNumber {
        var rest = text
        let number = try readNumber(&rest, in: whole)
        guard rest.isEmpty else { throw unexpected(rest, in: whole) }
        return number
    }

    private static func readNumber(_ rest: inout Substring, in whole: Substring) throws -> DecimalNumber {
        let integer = rest.prefix(while: { $0.isASCII && $0.isNumber })
        guard !integer.isEmpty else {
            if rest.first == "." {
                throw Failure("'\(shown(whole))': a number needs a digit before its point (write 0.5, not .5)")
            }
            if rest.first == "+" { throw Failure("'\(shown(whole))': write numbers without a sign") }
            throw unexpected(rest, in: whole)
        }
        rest = rest.dropFirst(integer.count)
        var fraction: Substring = ""
        if rest.first == "." {
            rest = rest.dropFirst()
            fraction = rest.prefix(while: { $0.isASCII && $0.isNumber })
            guard !fraction.isEmpty else {
                throw Failure("'\(shown(whole))': a number needs a digit after its point (write 5 or 5.0, not 5.)")
            }
            rest = rest.dropFirst(fraction.count)
        }
        if let next = rest.first, next == "e" || next == "E" || next == "x" || next == ":" || next == "." || next == "_" || next == "," {
            throw Failure("'\(shown(whole))' is not a duration; write plain decimal numbers with units, such as 90s or 1m30s")
        }
        let significant = integer.drop(while: { $0 == "0" })
        guard significant.count <= maximumIntegerDigits else { throw Failure("'\(shown(whole))' is too long") }
        // Trailing zeros of the fraction do not change the value.
        var fractionText = fraction
        while fractionText.last == "0" { fractionText.removeLast() }
        guard fractionText.count <= maximumFractionDigits else {
            throw Failure("'\(shown(whole))' is finer than a microsecond; durations are exact to 1 µs (0.000001s)")
        }
        let digits = Int64(String(significant) + String(fractionText)) ?? 0
        return DecimalNumber(digits: digits, fractionDigits: fractionText.count)
    }

    private static func unexpected(_ rest: Substring, in whole: Substring) -> Failure {
        Failure("'\(shown(whole))' is not a duration; write a time such as 30, 30s, 1m30s, 1 min 30 s or 500ms")
    }
}

/// A value as quoted in a message: at most 40 characters, control characters escaped.
func shown<Text: StringProtocol>(_ text: Text) -> String {
    RoutineParser.quoteForMessage(String(text))
}

extension StringProtocol where SubSequence == Substring {
    /// The text without spaces at either end (only the ASCII space: other white space is an error).
    var trimmingSpaces: Substring {
        let start = firstIndex(where: { $0 != " " }) ?? endIndex
        let end = lastIndex(where: { $0 != " " }).map { index(after: $0) } ?? start
        return self[start..<end]
    }
}
