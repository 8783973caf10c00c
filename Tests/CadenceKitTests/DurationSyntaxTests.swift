import XCTest
@testable import CadenceKit

/// Durations, counts and ranges as routine-format.md defines them ("Values"), read from the text
/// exactly, in whole microseconds.
final class DurationSyntaxTests: XCTestCase {
    private let second: Int64 = 1_000_000
    private let minute: Int64 = 60_000_000
    private let hour: Int64 = 3_600_000_000

    /// The exact value of a single duration, in microseconds.
    private func microseconds(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Int64? {
        do {
            let value = try DurationSyntax.durationOrRange(text)
            XCTAssertFalse(value.isRange, "'\(text)' is not a range", file: file, line: line)
            return value.low
        } catch {
            XCTFail("'\(text)' was rejected: \(error)", file: file, line: line)
            return nil
        }
    }

    private func range(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Ranged<Int64>? {
        do {
            return try DurationSyntax.durationOrRange(text)
        } catch {
            XCTFail("'\(text)' was rejected: \(error)", file: file, line: line)
            return nil
        }
    }

    private func assertRejectedDuration(
        _ text: String, _ fragment: String = "",
        file: StaticString = #filePath, line: UInt = #line
    ) {
        do {
            let value = try DurationSyntax.durationOrRange(text)
            XCTFail("'\(text)' should be rejected, but reads as \(value.low)...\(value.high) µs", file: file, line: line)
        } catch let failure as DurationSyntax.Failure {
            if !fragment.isEmpty {
                XCTAssertTrue(
                    failure.message.contains(fragment),
                    "message for '\(text)': \(failure.message), expected to mention \(fragment)", file: file, line: line)
            }
        } catch {
            XCTFail("unexpected error type \(error)", file: file, line: line)
        }
    }

    // MARK: Units

    func testEveryUnit() {
        XCTAssertEqual(microseconds("1h"), hour)
        XCTAssertEqual(microseconds("2m"), 2 * minute)
        XCTAssertEqual(microseconds("2min"), 2 * minute)
        XCTAssertEqual(microseconds("30s"), 30 * second)
        XCTAssertEqual(microseconds("30sec"), 30 * second)
        XCTAssertEqual(microseconds("500ms"), 500_000)
        XCTAssertEqual(microseconds("1.5s"), 1_500_000)
        XCTAssertEqual(microseconds("0.25h"), 15 * minute)
        XCTAssertEqual(microseconds("1.5m"), 90 * second)
    }

    func testSeveralParts() {
        XCTAssertEqual(microseconds("1m30s"), 90 * second)
        XCTAssertEqual(microseconds("1 min 30 s"), 90 * second)
        XCTAssertEqual(microseconds("1m90s"), 150 * second, "a part may exceed the next unit up")
        XCTAssertEqual(microseconds("1h2m3s4ms"), hour + 2 * minute + 3 * second + 4_000)
        XCTAssertEqual(microseconds("1 h 1 min 1 sec 1 ms"), hour + minute + second + 1_000)
        XCTAssertEqual(microseconds("3 s 500 ms"), 3_500_000)
    }

    func testSpacesAroundAreAllowed() {
        XCTAssertEqual(microseconds(" 30s "), 30 * second)
        XCTAssertEqual(microseconds("30 s"), 30 * second)
        XCTAssertEqual(microseconds("   1m   30s  "), 90 * second)
    }

    func testBareNumbersAreSeconds() {
        XCTAssertEqual(microseconds("30"), 30 * second)
        XCTAssertEqual(microseconds("2.5"), 2_500_000)
        XCTAssertEqual(microseconds("0"), 0)
        XCTAssertEqual(microseconds("007"), 7 * second, "leading zeros are still decimal")
    }

    // MARK: Exactness

    func testDurationsAreExactToTheMicrosecond() {
        // Through a Double, 1.005 * 1e6 is 1004999.9999999999: the text must be read exactly.
        XCTAssertEqual(microseconds("1.005"), 1_005_000)
        XCTAssertEqual(microseconds("1.005s"), 1_005_000)
        XCTAssertEqual(microseconds("0.000001s"), 1)
        XCTAssertEqual(microseconds("1.5ms"), 1_500)
        XCTAssertEqual(microseconds("0.001ms"), 1)
        XCTAssertEqual(microseconds("1.333333s"), 1_333_333)
        XCTAssertEqual(microseconds("1.0000010s"), 1_000_001, "trailing zeros do not make it finer")
        XCTAssertEqual(microseconds("0.0000005h"), 1_800, "a fraction of an hour that is a whole number of µs")
    }

    func testAnythingFinerThanAMicrosecondIsAnError() {
        assertRejectedDuration("0.0000001s", "microsecond")
        assertRejectedDuration("0.0001ms", "microsecond")
        assertRejectedDuration("1.0000005", "microsecond")
        assertRejectedDuration("0.000000001h", "microsecond")  // 3.6 µs
    }

    // MARK: Rejections

    func testMalformedNumbersAreRejected() {
        for text in [".5", "5.", "1e3", "+5", "0x10", "1:30", "1,5s", "1_000s", "five", "5 5s", "1.2.3s"] {
            assertRejectedDuration(text)
        }
        assertRejectedDuration(".5", "0.5")
        assertRejectedDuration("+5", "sign")
    }

    func testUnitsMustGoFromLargerToSmallerOnceEach() {
        assertRejectedDuration("30s 1m", "larger to smaller")
        assertRejectedDuration("1m1m", "twice")
        assertRejectedDuration("1m 1min", "twice")
        assertRejectedDuration("5 s s")
        assertRejectedDuration("1m30", "unit")
    }

    func testUnitsAreLowerCaseAndKnown() {
        assertRejectedDuration("30S", "lower case")
        assertRejectedDuration("1H", "lower case")
        assertRejectedDuration("2 MIN", "lower case")
        assertRejectedDuration("10msec", "unknown unit")
        assertRejectedDuration("2d", "unknown unit")
        assertRejectedDuration("2 secs")
    }

    func testNegativeAndEmptyAreRejected() {
        assertRejectedDuration("-5s", "negative")
        assertRejectedDuration("-5", "negative")
        assertRejectedDuration("", "empty")
        assertRejectedDuration("   ", "empty")
    }

    // MARK: Ranges

    func testRangeWithABareFirstNumberTakesTheUnitOfTheSecond() {
        XCTAssertEqual(range("20-30s"), Ranged(low: 20 * second, high: 30 * second))
        XCTAssertEqual(range("1-2m"), Ranged(low: minute, high: 2 * minute))
        // "takes the unit of B's last part": the last part of 1m30s is seconds.
        XCTAssertEqual(range("1-1m30s"), Ranged(low: second, high: 90 * second))
        XCTAssertEqual(range("4-5 min"), Ranged(low: 4 * minute, high: 5 * minute))
        XCTAssertEqual(range("500-750ms"), Ranged(low: 500_000, high: 750_000))
        XCTAssertEqual(range("1.5-2h"), Ranged(low: hour + 30 * minute, high: 2 * hour))
    }

    func testRangeForms() {
        XCTAssertEqual(range("5 - 10 s"), Ranged(low: 5 * second, high: 10 * second))
        XCTAssertEqual(range("15s-20s"), Ranged(low: 15 * second, high: 20 * second))
        XCTAssertEqual(range("1m-1m30s"), Ranged(low: minute, high: 90 * second))
        XCTAssertEqual(range("20-30"), Ranged(low: 20 * second, high: 30 * second), "both bare: seconds")
        XCTAssertEqual(range("30s-30s"), Ranged(30 * second), "A == B is allowed")
        XCTAssertEqual(range("1.000001-1.000002s"), Ranged(low: 1_000_001, high: 1_000_002))
    }

    func testBadRangesAreRejected() {
        assertRejectedDuration("30-20s", "larger")
        assertRejectedDuration("2m-90s", "larger")
        assertRejectedDuration("1-2-3")
        assertRejectedDuration("1--2")
        assertRejectedDuration("30-", "empty")
        assertRejectedDuration("20-30S", "lower case")
        assertRejectedDuration("20-0.0000001s", "microsecond")
    }

    // MARK: Counts

    func testCountRanges() throws {
        XCTAssertEqual(try DurationSyntax.countRange("6-8"), Ranged(low: 6, high: 8))
        XCTAssertEqual(try DurationSyntax.countRange("2-3"), Ranged(low: 2, high: 3))
        XCTAssertEqual(try DurationSyntax.countRange("2 - 3"), Ranged(low: 2, high: 3))
        XCTAssertEqual(try DurationSyntax.countRange("5-5"), Ranged(5))
        XCTAssertEqual(try DurationSyntax.count("10", whole: "10"), 10)
    }

    func testBadCountsAreRejected() {
        XCTAssertThrowsError(try DurationSyntax.countRange("8-6"))
        XCTAssertThrowsError(try DurationSyntax.countRange("1-2-3"))
        XCTAssertThrowsError(try DurationSyntax.countRange("2.5-3"))
        XCTAssertThrowsError(try DurationSyntax.countRange("2s-3s"))
        XCTAssertThrowsError(try DurationSyntax.countRange("-3"))
        XCTAssertThrowsError(try DurationSyntax.count("2.5", whole: "2.5"))
        XCTAssertThrowsError(try DurationSyntax.count("1e2", whole: "1e2"))
        XCTAssertThrowsError(try DurationSyntax.count("+3", whole: "+3"))
        XCTAssertThrowsError(try DurationSyntax.count("", whole: ""))
    }

    // MARK: Levels

    func testLevelPicksFromACountRange() throws {
        let twoToThree = try DurationSyntax.countRange("2-3")
        XCTAssertEqual(twoToThree.value(at: .easy), 2)
        XCTAssertEqual(twoToThree.value(at: .hard), 3)
        XCTAssertEqual(twoToThree.value(at: .normal), 3, "(2+3)/2 = 2.5, rounded half up")
        let sixToEight = try DurationSyntax.countRange("6-8")
        XCTAssertEqual(sixToEight.value(at: .easy), 6)
        XCTAssertEqual(sixToEight.value(at: .normal), 7)
        XCTAssertEqual(sixToEight.value(at: .hard), 8)
    }

    func testLevelPicksFromADurationRangeInMicroseconds() throws {
        // (1000001 + 1000002) / 2 = 1000001.5 µs, rounded half up.
        let odd = try XCTUnwrap(range("1.000001-1.000002s"))
        XCTAssertEqual(odd.value(at: .easy), 1_000_001)
        XCTAssertEqual(odd.value(at: .normal), 1_000_002)
        XCTAssertEqual(odd.value(at: .hard), 1_000_002)
        let wide = try XCTUnwrap(range("20-30s"))
        XCTAssertEqual(wide.value(at: .normal), 25 * second)
        let minutes = try XCTUnwrap(range("4-5 min"))
        XCTAssertEqual(minutes.value(at: .normal), 4 * minute + 30 * second)
    }

    func testASingleValueIsTheSameAtEveryLevel() throws {
        let single = try XCTUnwrap(range("30s"))
        for level in Level.allCases { XCTAssertEqual(single.value(at: level), 30 * second) }
    }
}
