/// Choosing a day of a routine's program (`--day`) on the command line.
extension Routine {
    /// The day to schedule: `day`, checked against the routine's `days`, or 1 when none is asked for.
    /// Asking for a day of a routine without `days:`, or one outside 1...days, is a command-line error.
    public func checkedDay(_ day: Int?, path: String) throws(RenderError) -> Int {
        guard let day else { return 1 }
        guard let days else {
            throw .invalidOptions("\(PathBytes.display(path)) has no `days:` program, so --day does not apply to it")
        }
        guard (1...days).contains(day) else {
            throw .invalidOptions("--day must be from 1 to \(days) for \(PathBytes.display(path)), not \(day)")
        }
        return day
    }

    /// The file name of the track for `day` of a `days`-day program: `BASE-day07.EXT`, the day
    /// padded to as many digits as `days` has (at least two), so the files sort in day order.
    public static func dayTrackName(base: String, day: Int, of days: Int, fileExtension: String) -> String {
        let width = max(2, String(days).count)
        let digits = String(day)
        return base + "-day" + String(repeating: "0", count: max(0, width - digits.count)) + digits + "." + fileExtension
    }
}
