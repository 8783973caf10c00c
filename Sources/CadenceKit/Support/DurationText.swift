/// Ways of writing a duration in microseconds for people.
public enum DurationText {
    /// A compact duration as a routine file would write it: `30s`, `1m30s`, `2.5s`, `500ms`, `1h5m`.
    public static func spoken(_ microseconds: Int64) -> String {
        if microseconds == 0 { return "0s" }
        var rest = microseconds
        var text = ""
        let hours = rest / 3_600_000_000
        rest %= 3_600_000_000
        let minutes = rest / 60_000_000
        rest %= 60_000_000
        if hours > 0 { text += "\(hours)h" }
        if minutes > 0 { text += "\(minutes)m" }
        if rest > 0 {
            if rest < 1_000_000, text.isEmpty, rest % 1_000 == 0 {
                text += "\(rest / 1_000)ms"
            } else {
                text += decimal(rest, scale: 1_000_000) + "s"
            }
        }
        return text
    }

    /// `M:SS.mmm` (minutes unbounded), rounded down to the millisecond, as in `cadence plan`.
    public static func clock(_ microseconds: Int64) -> String {
        let milliseconds = microseconds / 1_000
        let minutes = milliseconds / 60_000
        let seconds = (milliseconds / 1_000) % 60
        let fraction = milliseconds % 1_000
        return "\(minutes):" + pad(seconds, 2) + "." + pad(fraction, 3)
    }

    /// `M:SS` (minutes unbounded), rounded to the nearest second, as in `cadence check`.
    public static func short(_ microseconds: Int64) -> String {
        let seconds = (microseconds + 500_000) / 1_000_000
        return "\(seconds / 60):" + pad(seconds % 60, 2)
    }

    static func decimal(_ value: Int64, scale: Int64) -> String {
        let whole = value / scale
        let fraction = value % scale
        guard fraction > 0 else { return "\(whole)" }
        var digits = String(fraction)
        digits = String(repeating: "0", count: String(scale).count - 1 - digits.count) + digits
        while digits.hasSuffix("0") { digits.removeLast() }
        return "\(whole).\(digits)"
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
