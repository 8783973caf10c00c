/// The time marks under the timeline picture: a round spacing that gives at most `maximumCount`
/// intervals over the session, each mark labelled `m:ss`.
enum TimelineTicks {
    static let spacings: [Int64] = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1_200, 1_800, 3_600, 7_200, 10_800, 21_600]
        .map { $0 * 1_000_000 }

    /// The times (microseconds) of the marks from 0 to `total`, both ends included when round.
    static func marks(total: Int64, maximumCount: Int64 = 8) -> [Int64] {
        let spacing = spacings.first { total / $0 <= maximumCount } ?? spacings.last!
        return Array(stride(from: 0, through: total, by: Int(spacing))).map { Int64($0) }
    }

    static func label(_ microseconds: Int64) -> String { DurationText.short(microseconds) }
}
