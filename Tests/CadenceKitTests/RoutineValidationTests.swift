import Foundation
import XCTest
@testable import CadenceKit

/// Every kind of error of routine-format.md ("What is an error" and the tables), each with the
/// exact line and column a person would be sent to. Columns are 1-based and count characters.
final class RoutineValidationTests: XCTestCase {

    // MARK: A valid routine, for contrast

    func testAValidRoutineIsReadWithItsDefaults() throws {
        let routine = try parseRoutine(
            """
            title: Morning
            about: |
              Two lines
              of notes.
            defaults:
              transition: 8s
              rest: 2s
            steps:
              - name: Child's pose
                hold: 30s
              - name: Cat-cow
                say: Cat and cow
                breaths: 5
            """)
        XCTAssertEqual(routine.title, "Morning")
        XCTAssertEqual(routine.about, "Two lines\nof notes.\n")
        XCTAssertEqual(routine.steps.map(\.name), ["Child's pose", "Cat-cow"])
        XCTAssertEqual(routine.steps.map(\.spokenText), ["Child's pose", "Cat and cow"], "say defaults to name")
        // The first step's transition is lead_in (default 10 s), not defaults.transition.
        XCTAssertEqual(routine.steps[0].transition, Ranged(10_000_000))
        XCTAssertEqual(routine.steps[1].transition, Ranged(8_000_000))
        XCTAssertEqual(routine.steps[0].kind, .hold(hold: Ranged(30_000_000), reps: Ranged(1), rest: Ranged(2_000_000)))
        XCTAssertEqual(
            routine.steps[1].kind,
            .breath(
                breaths: Ranged(5), inhale: Ranged(4_000_000), exhale: Ranged(4_000_000),
                holdIn: Ranged(0), holdOut: Ranged(0)))
        XCTAssertEqual(routine.tail, Ranged(5_000_000))
    }

    func testTheMessageNamesFileLineAndColumnThenShowsTheLineAndACaret() {
        let yaml = """
            title: Morning
            steps:
              - name: Child's pose
                hold: 30x
            """
        do {
            _ = try RoutineLoader.parse(Array(yaml.utf8), path: "routines/morning.yaml")
            XCTFail("30x is not a duration")
        } catch {
            let lines = error.description.components(separatedBy: "\n")
            XCTAssertEqual(lines.count, 3, error.description)
            XCTAssertTrue(lines[0].hasPrefix("routines/morning.yaml:4:11: error: "), lines[0])
            XCTAssertTrue(lines[0].contains("30x"), lines[0])
            XCTAssertEqual(lines[1], "    hold: 30x")
            XCTAssertEqual(lines[2], "          ^", "the caret stands under column 11")
        }
    }

    // MARK: YAML that does not parse

    func testYAMLSyntaxErrorsPointAtTheFault() {
        // The value on line 4 is indented one space deeper than its sibling key.
        assertRejected(
            """
            title: x
            steps:
              - name: a
                 hold: 3s
            """, at: 4, 10, "YAML", "mapping values are not allowed")
        assertRejected(
            """
            title: x
            steps:
              - name: a: b
                hold: 3s
            """, at: 3, 12, "YAML")
    }

    /// The parser notices the missing quote only at the end of the file; the error is shown where the
    /// quote starts, which is where the fix goes.
    func testAnUnterminatedQuoteSaysWhereTheQuoteStarted() {
        assertRejected(
            "title: \"Morning\nsteps:\n  - name: a\n    hold: 3s\n",
            at: 1, 8, "YAML", "line 1, column 8")
    }

    // MARK: Keys

    func testAnUnknownKeyNamesTheClosestAllowedKeyAndListsThemAll() {
        let found = assertRejected(
            """
            title: x
            steps:
              - name: Child's pose
                hold: 30s
                halfwya: true
            """, at: 5, 5, "unknown key `halfwya`", "did you mean `halfway`", "Allowed keys:")
        let message = found.first?.message ?? ""
        for key in [
            "name", "say", "sets", "sides", "first", "transition", "switch", "set_rest", "countdown",
            "halfway", "hold", "reps", "rest",
        ] {
            XCTAssertTrue(message.contains(key), "allowed keys should include \(key): \(message)")
        }
    }

    func testATypoOfHoldIsReportedAsAnUnknownKeySuggestingHold() {
        // The typo the format names: `hodl` written for `hold`. The step then has neither `hold` nor
        // `breaths`, but the person must still be told about `hodl` and pointed at `hold`.
        assertRejected(
            """
            title: x
            steps:
              - name: Child's pose
                hodl: 30s
            """, at: 4, 5, "hodl", "`hold`")
    }

    func testATypoBesideHoldIsReportedAsAnUnknownKey() {
        assertRejected(
            """
            title: x
            steps:
              - name: Child's pose
                hold: 30s
                hodl: 30s
            """, at: 5, 5, "unknown key `hodl`", "did you mean `hold`")
    }

    func testUnknownKeysAtTheTopLevelAndInDefaults() {
        assertRejected(
            """
            title: x
            defaults:
              transtion: 5s
            steps:
              - name: a
                hold: 3s
            notes: hi
            """, at: 3, 3, "unknown key `transtion`", "did you mean `transition`")
        let found = assertRejected(
            """
            title: x
            steps:
              - name: a
                hold: 3s
            notes: hi
            """, at: 5, 1, "unknown key `notes`", "title, about, defaults, steps")
        XCTAssertEqual(found.count, 1)
    }

    func testAStepWithBothHoldAndBreaths() {
        assertRejected(
            """
            title: x
            steps:
              - name: a
                hold: 3s
                breaths: 3
            """, at: 5, 5, "not both")
    }

    func testAStepWithNeitherHoldNorBreaths() {
        assertRejected(
            """
            title: x
            steps:
              - name: a
                sides: each
            """, at: 3, 5, "exactly one of `hold`", "`breaths`")
    }

    func testKeysOfHoldStepsOnABreathStep() {
        let yaml = """
            title: x
            steps:
              - name: Cat-cow
                breaths: 5
                rest: 3s
                reps: 2
            """
        assertRejected(yaml, at: 5, 5, "`rest`", "hold steps")
        assertRejected(yaml, at: 6, 5, "`reps`", "hold steps")
    }

    func testKeysOfBreathStepsOnAHoldStep() {
        let yaml = """
            title: x
            steps:
              - name: Child's pose
                hold: 30s
                inhale: 3s
                hold_out: 1s
            """
        assertRejected(yaml, at: 5, 5, "`inhale`", "breath steps")
        assertRejected(yaml, at: 6, 5, "`hold_out`", "breath steps")
    }

    func testLeadInAndTailMayOnlyBeSetInDefaults() {
        let yaml = """
            title: x
            steps:
              - name: a
                hold: 3s
                lead_in: 3s
                tail: 1s
            """
        assertRejected(yaml, at: 5, 5, "`lead_in`", "only in `defaults`")
        assertRejected(yaml, at: 6, 5, "`tail`", "only in `defaults`")
    }

    func testStepKeysAreNotAllowedInDefaults() {
        assertRejected(
            """
            title: x
            defaults:
              hold: 3s
            steps:
              - name: a
                hold: 3s
            """, at: 3, 3, "`hold`", "defaults")
    }

    func testTitleStepsAndNameAreRequired() {
        assertRejected("steps:\n  - name: a\n    hold: 3s\n", at: 1, 1, "`title`")
        assertRejected("title: x\n", at: 1, 1, "`steps`")
        assertRejected("title: x\nsteps:\n  - hold: 3s\n", at: 3, 5, "`name`")
    }

    func testKeysThatHaveNoEffectAreAllowed() {
        // routine-format.md: first and switch with sides: none, rest with sides: alternate, set_rest with one set.
        assertAccepted(
            """
            title: x
            steps:
              - name: a
                hold: 3s
                first: right
                switch: 2s
                set_rest: 4s
              - name: b
                hold: 3s
                sides: alternate
                rest: 9s
            """)
    }

    // MARK: Wrong types

    func testValuesOfTheWrongTypeAreEachReportedWhereTheyStand() {
        let yaml = """
            title: x
            steps:
              - name: a
                hold: {seconds: 3}
                reps: "3"
                halfway: yes
                sides: both
                first: up
              - name: [a, b]
                breaths: 2.5
                inhale: [3s]
                countdown: 3.0
            """
        assertRejected(yaml, at: 4, 11, "`hold`", "a mapping")
        assertRejected(yaml, at: 5, 11, "`reps`", "without quotes")
        assertRejected(yaml, at: 6, 14, "`halfway`", "true or false")
        assertRejected(yaml, at: 7, 12, "`sides`", "none, each, alternate")
        assertRejected(yaml, at: 8, 12, "`first`", "left, right")
        assertRejected(yaml, at: 9, 11, "`name`", "a list")
        assertRejected(yaml, at: 10, 14, "`breaths`", "2.5")
        assertRejected(yaml, at: 11, 13, "`inhale`", "a list")
        assertRejected(yaml, at: 12, 16, "`countdown`", "3.0")
    }

    func testTextThatYAMLReadsAsAnotherTypeIsRejected() {
        assertRejected("title: 123\nsteps:\n  - name: a\n    hold: 3s\n", at: 1, 8, "`title`", "number", "quotes")
        assertRejected("title: true\nsteps:\n  - name: a\n    hold: 3s\n", at: 1, 8, "`title`", "boolean")
        assertRejected("title: x\nsteps:\n  - name: 1.5\n    hold: 3s\n", at: 3, 11, "`name`", "number")
        // Quoted, the same characters are text.
        assertAccepted("title: \"123\"\nsteps:\n  - name: '1.5'\n    hold: 3s\n")
    }

    func testBooleansAreTrueOrFalseOnly() {
        for value in ["yes", "on", "1", "\"true\"", "True!"] {
            assertRejected(
                "title: x\nsteps:\n  - name: a\n    hold: 3s\n    halfway: \(value)\n",
                at: 5, 14, "`halfway`", "true or false")
        }
        assertAccepted("title: x\nsteps:\n  - name: a\n    hold: 3s\n    halfway: false\n")
    }

    func testDefaultsAndStepsMustHaveTheirShapes() {
        assertRejected("title: x\ndefaults: 5s\nsteps:\n  - name: a\n    hold: 3s\n", at: 2, 11, "`defaults`", "mapping")
        assertRejected("title: x\nsteps:\n  name: a\n  hold: 3s\n", at: 3, 3, "`steps`", "list")
        assertRejected("title: x\nsteps:\n  - just a string\n", at: 3, 5, "a step must be a mapping")
    }

    // MARK: Values out of range, at both ends of every field

    private enum Place { case defaults, holdStep, breathStep }

    /// A routine with `key: value` in `defaults`, or in a hold or breath step; returns the text and
    /// where the value starts.
    private func routine(_ key: String, _ value: String, in place: Place) -> (yaml: String, line: Int, column: Int) {
        switch place {
        case .defaults:
            return (
                "title: x\ndefaults:\n  \(key): \(value)\nsteps:\n  - name: a\n    hold: 1s\n",
                3, "  \(key): ".count + 1
            )
        case .holdStep, .breathStep:
            let kindKey = place == .holdStep ? "hold: 1s" : "breaths: 2"
            let body = key == "hold" || key == "breaths" ? "" : "    \(kindKey)\n"
            return ("title: x\nsteps:\n  - name: a\n    \(key): \(value)\n" + body, 4, "    \(key): ".count + 1)
        }
    }

    private struct Bounds {
        var key: String
        var place: Place
        /// The extreme values that must be accepted.
        var accepted: [String]
        /// Values just outside, with a part of the message each must give.
        var rejected: [(String, String)]
    }

    private func check(_ bounds: [Bounds], file: StaticString = #filePath, line: UInt = #line) {
        for field in bounds {
            for value in field.accepted {
                let (yaml, _, _) = routine(field.key, value, in: field.place)
                assertAccepted(yaml, file: file, line: line)
            }
            for (value, fragment) in field.rejected {
                let (yaml, errorLine, column) = routine(field.key, value, in: field.place)
                assertRejected(yaml, at: errorLine, column, "`\(field.key)`", fragment, file: file, testLine: line)
            }
        }
    }

    /// A duration from 0 to `maximum`: non-zero values below 10 ms, negatives and anything past the maximum fail.
    private func pause(_ key: String, _ place: Place, maximum: String, justAbove: String) -> Bounds {
        Bounds(
            key: key, place: place, accepted: ["0", "0s", "10ms", "0.01", maximum],
            rejected: [("9.999ms", "10ms"), ("0.000001s", "10ms"), ("-1s", "negative"), (justAbove, "must be from 0")])
    }

    func testPausesRangeFromZeroToTenMinutes() {
        var fields: [Bounds] = []
        for key in ["lead_in", "transition", "rest", "switch", "set_rest"] {
            fields.append(pause(key, .defaults, maximum: "10m", justAbove: "10m0.000001s"))
        }
        for key in ["transition", "switch", "set_rest", "rest"] {
            fields.append(pause(key, .holdStep, maximum: "600s", justAbove: "600.000001"))
        }
        check(fields)
    }

    func testTailRangesFromZeroToOneMinute() {
        check([pause("tail", .defaults, maximum: "1m", justAbove: "60.000001s")])
    }

    func testHoldRangesFromATenthOfASecondToOneHour() {
        check([
            Bounds(
                key: "hold", place: .holdStep, accepted: ["0.1s", "100ms", "1h", "60m"],
                rejected: [
                    ("0.099999s", "must be from 100ms"), ("0", "must be from 100ms"),
                    ("1h0.000001s", "to 1h"), ("-1s", "negative"),
                ])
        ])
    }

    func testBreathPhasesRangeFromHalfASecondToOneMinute() {
        var fields: [Bounds] = []
        for key in ["inhale", "exhale"] {
            let rejected = [("0.499999s", "must be from 500ms"), ("0", "must be from 500ms"), ("60.000001s", "to 1m")]
            fields.append(Bounds(key: key, place: .defaults, accepted: ["0.5s", "60s"], rejected: rejected))
            fields.append(Bounds(key: key, place: .breathStep, accepted: ["500ms", "1m"], rejected: rejected))
        }
        for key in ["hold_in", "hold_out"] {
            fields.append(pause(key, .defaults, maximum: "60s", justAbove: "1m0.000001s"))
            fields.append(pause(key, .breathStep, maximum: "1m", justAbove: "60.000001"))
        }
        check(fields)
    }

    func testCountsRangeAsTheTablesSay() {
        check([
            Bounds(key: "countdown", place: .defaults, accepted: ["0", "10"], rejected: [("11", "from 0 to 10"), ("-1", "negative")]),
            Bounds(key: "countdown", place: .holdStep, accepted: ["0", "10"], rejected: [("11", "from 0 to 10")]),
            Bounds(key: "sets", place: .holdStep, accepted: ["1", "100"], rejected: [("0", "from 1 to 100"), ("101", "from 1 to 100")]),
            Bounds(
                key: "reps", place: .holdStep, accepted: ["1", "1000"], rejected: [("0", "from 1 to 1000"), ("1001", "from 1 to 1000")]),
            Bounds(
                key: "breaths", place: .breathStep, accepted: ["1", "1000"],
                rejected: [("0", "from 1 to 1000"), ("1001", "from 1 to 1000")]),
        ])
    }

    func testBothEndsOfARangeMustBeInTheFieldsRange() {
        check([
            Bounds(
                key: "hold", place: .holdStep, accepted: ["0.1-1s", "30m-1h"],
                rejected: [("0.05-1s", "100ms"), ("30m-2h", "1h")]),
            Bounds(key: "reps", place: .holdStep, accepted: ["1-1000"], rejected: [("0-3", "from 1"), ("999-1001", "1000")]),
            Bounds(key: "transition", place: .defaults, accepted: ["0-10m"], rejected: [("5ms-1s", "10ms")]),
        ])
    }

    func testARangeMustNotRunBackwards() {
        check([
            Bounds(key: "hold", place: .holdStep, accepted: ["20-20s"], rejected: [("30-20s", "larger")]),
            Bounds(key: "reps", place: .holdStep, accepted: ["3-3"], rejected: [("3-2", "larger")]),
            Bounds(key: "inhale", place: .breathStep, accepted: [], rejected: [("5s-4s", "larger")]),
        ])
    }

    // MARK: Text

    func testTextIsOneToTwoHundredCharacters() {
        let long = String(repeating: "a", count: 201)
        let longest = String(repeating: "é", count: 200)
        assertAccepted("title: \(longest)\nsteps:\n  - name: \(longest)\n    say: \(longest)\n    hold: 3s\n")
        assertRejected("title: \(long)\nsteps:\n  - name: a\n    hold: 3s\n", at: 1, 8, "`title`", "201", "200")
        assertRejected("title: x\nsteps:\n  - name: \(long)\n    hold: 3s\n", at: 3, 11, "`name`", "200")
        assertRejected("title: x\nsteps:\n  - name: a\n    say: \(long)\n    hold: 3s\n", at: 4, 10, "`say`", "200")
    }

    func testEmptyTextIsRejected() {
        assertRejected("title: \"\"\nsteps:\n  - name: a\n    hold: 3s\n", at: 1, 8, "`title`", "empty")
        assertRejected("title: x\nsteps:\n  - name: ''\n    hold: 3s\n", at: 3, 11, "`name`", "empty")
        // With no value at all, only the line is certain (the parser puts the missing value after the colon).
        let found = diagnostics(of: "title:\nsteps:\n  - name: a\n    hold: 3s\n")
        XCTAssertEqual(found.map(\.position.line), [1], describe(found))
        XCTAssertTrue(found.first?.message.contains("`title` is empty") ?? false, describe(found))
    }

    func testTitleNameAndSayAreOneLine() {
        assertRejected("title: x\nsteps:\n  - name: \"Cat\\ncow\"\n    hold: 3s\n", at: 3, 11, "`name`", "one line")
        assertRejected("title: x\nsteps:\n  - name: |\n      Cat\n      cow\n    hold: 3s\n", at: 3, 11, "`name`", "one line")
        assertRejected("title: >\n  Two\n\n  paragraphs\nsteps:\n  - name: a\n    hold: 3s\n", at: 1, 8, "`title`", "one line")
    }

    func testTextHasNoControlCharacters() {
        // Written as YAML escapes, so they pass the byte screening and reach the text check.
        assertRejected("title: \"Bell\\a\"\nsteps:\n  - name: a\n    hold: 3s\n", at: 1, 8, "`title`", "U+0007")
        assertRejected("title: x\nsteps:\n  - name: \"a\\tb\"\n    hold: 3s\n", at: 3, 11, "`name`", "U+0009")
        assertRejected("title: x\nsteps:\n  - name: a\n    say: \"\\e[31mred\"\n    hold: 3s\n", at: 4, 10, "`say`", "U+001B")
        assertRejected("title: \"next\\u0085line\"\nsteps:\n  - name: a\n    hold: 3s\n", at: 1, 8, "`title`", "U+0085")
        assertRejected("title: \"del\\x7f\"\nsteps:\n  - name: a\n    hold: 3s\n", at: 1, 8, "`title`", "U+007F")
    }

    func testAboutMayBeLongAndHaveNewlinesUpToTenThousandCharacters() throws {
        // A literal block of 2000 lines "word": 2000 x 4 letters + 2000 newlines = 10000 characters.
        let literal = "about: |\n" + String(repeating: "  word\n", count: 2_000)
        let routine = try parseRoutine("title: x\n\(literal)steps:\n  - name: a\n    hold: 3s\n")
        XCTAssertEqual(routine.about?.count, 10_000)
        assertAccepted("title: x\nabout: \"\(String(repeating: "a", count: 10_000))\"\nsteps:\n  - name: a\n    hold: 3s\n")
        assertRejected(
            "title: x\nabout: \"\(String(repeating: "a", count: 10_001))\"\nsteps:\n  - name: a\n    hold: 3s\n",
            at: 2, 8, "`about`", "10001", "10000")
    }

    // MARK: Duplicate keys

    func testADuplicateKeyIsReportedWhereItIsRepeated() {
        assertRejected("about: z\ntitle: x\ntitle: y\nsteps:\n  - name: a\n    hold: 3s\n", at: 3, 1, "duplicate key `title`")
        assertRejected("title: x\nsteps:\n  - name: a\n    hold: 3s\n    reps: 2\n    hold: 4s\n", at: 6, 5, "duplicate key `hold`")
        assertRejected(
            "title: x\ndefaults:\n  rest: 1s\n  tail: 2s\n  rest: 3s\nsteps:\n  - name: a\n    hold: 3s\n",
            at: 5, 3, "duplicate key `rest`")
    }

    func testADuplicateKeyInAFlowMappingIsReportedWhereItIsRepeated() {
        // `  - {name: a, hold: 3s, hold: 4s}`: the second `hold` starts at column 25.
        assertRejected("title: x\nsteps:\n  - {name: a, hold: 3s, hold: 4s}\n", at: 3, 25, "duplicate key `hold`")
    }

    // MARK: Session length

    func testASessionOfExactlyTwentyFourHoursIsAllowed() throws {
        // lead_in 10 s + 23 holds of 1 h (rest 0) + transition 10 s + 59 min 35 s + tail 5 s
        // = 23 h + (10 + 10 + 3575 + 5) s = 23 h + 3600 s = 24 h exactly.
        let yaml = """
            title: A long day
            defaults:
              rest: 0
            steps:
              - name: Hours
                hold: 1h
                reps: 23
              - name: The rest
                hold: 59m35s
            """
        let routine = try parseRoutine(yaml)
        XCTAssertEqual(Scheduler.sessionLength(of: routine, at: .normal), 86_400_000_000)
        let timeline = Scheduler.schedule(routine, sampleRate: 192_000)
        XCTAssertEqual(timeline.totalSamples, 86_400 * 192_000)
        // One microsecond more is too long; it is reported at the `steps` key.
        let over = yaml.replacingOccurrences(of: "59m35s", with: "59m35.000001s")
        assertRejected(over, at: 4, 1, "24 hours")
    }

    func testTheLengthLimitIsCheckedAtTheChosenLevel() throws {
        // lead_in 0, tail 0, rest 0: the session is `reps` hours: 20 h easy, 25 h normal ((20+30)/2), 30 h hard.
        let yaml = """
            title: Ranges
            defaults:
              lead_in: 0
              tail: 0
              rest: 0
            steps:
              - name: Hours
                hold: 1h
                reps: 20-30
            """
        XCTAssertNoThrow(try RoutineLoader.parse(Array(yaml.utf8), path: testPath, level: .easy))
        assertRejected(yaml, at: 6, 1, "24 hours", "level hard", level: .hard)
        assertRejected(yaml, at: 6, 1, "24 hours", "level normal", level: .normal)
    }

    // MARK: Anchors and aliases

    func testAnchorsAndAliasesAreRejected() {
        assertRejected("title: &t Morning\nsteps:\n  - name: *t\n    hold: 3s\n", at: 1, 8, "anchors and aliases")
        assertRejected("title: x\ndefaults: &d\n  rest: 2s\nsteps:\n  - name: a\n    hold: 3s\n", at: 2, 11, "anchors")
    }

    func testABillionLaughsDocumentIsRejectedQuicklyWithoutExpanding() {
        // Ten levels of ten aliases each: 10^10 strings if anything expanded it.
        var lines = ["title: x", "lol0: &l0 \"lol\""]
        for level in 1...10 {
            lines.append("lol\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]")
        }
        lines += ["steps:", "  - name: *l10", "    hold: 3s"]
        let started = Date()
        let found = assertRejected(lines.joined(separator: "\n"), at: 2, 7, "anchors and aliases")
        XCTAssertLessThan(Date().timeIntervalSince(started), 2, "must not expand the aliases")
        XCTAssertLessThanOrEqual(found.count, 20)
    }

    // MARK: Bytes: tabs, encoding, control characters

    func testTabsAreRejected() {
        assertRejected("title:\tx\nsteps:\n  - name: a\n    hold: 3s\n", at: 1, 7, "tab")
        assertRejected("title: x\nsteps:\n\t- name: a\n\t  hold: 3s\n", at: 3, 1, "tab")
    }

    func testInvalidUTF8IsRejectedAtTheByte() {
        // "  - name: a" then 0xFF: column 12. Each bad byte is reported.
        let bad = Array("title: x\nsteps:\n  - name: a".utf8) + [0xFF, 0xFE] + Array("\n    hold: 3s\n".utf8)
        assertRejected(bad, at: 3, 12, "UTF-8", "0xFF")
        assertRejected(bad, at: 3, 13, "UTF-8", "0xFE")
        // Overlong encodings of "/" and a UTF-16 surrogate are not UTF-8 either; "é" before counts as one column.
        assertRejected(Array("title: é".utf8) + [0xC0, 0xAF] + Array("\nsteps: []\n".utf8), at: 1, 9, "UTF-8")
        assertRejected(Array("title: x".utf8) + [0xE0, 0x80, 0xAF] + Array("\nsteps: []\n".utf8), at: 1, 9, "UTF-8")
        assertRejected(Array("title: x".utf8) + [0xED, 0xA0, 0x80] + Array("\nsteps: []\n".utf8), at: 1, 9, "UTF-8")
        // Past U+10FFFF.
        assertRejected(Array("title: x".utf8) + [0xF4, 0x90, 0x80, 0x80] + Array("\nsteps: []\n".utf8), at: 1, 9, "UTF-8")
        // A sequence cut short by the end of the file.
        assertRejected(Array("title: x\nsteps: []\n#".utf8) + [0xE2, 0x82], at: 3, 2, "UTF-8")
    }

    func testNULAndOtherControlBytesAreRejected() {
        assertRejected(
            Array("title: x\nsteps:\n  - name: a".utf8) + [0x00] + Array("\n    hold: 3s\n".utf8),
            at: 3, 12, "U+0000")
        assertRejected(Array("title: x".utf8) + [0x1B] + Array("\nsteps: []\n".utf8), at: 1, 9, "U+001B")
        assertRejected(Array("title: x".utf8) + [0x7F] + Array("\nsteps: []\n".utf8), at: 1, 9, "U+007F")
        assertRejected(Array("title: x".utf8) + [0xC2, 0x85] + Array("\nsteps: []\n".utf8), at: 1, 9, "U+0085")
        // A carriage return that does not end a line.
        assertRejected("title: x\rsteps:\n  - name: a\n    hold: 3s\n", at: 1, 9, "carriage return")
    }

    func testWindowsLineEndingsAndAByteOrderMarkAreFine() throws {
        let crlf = "title: x\r\nsteps:\r\n  - name: a\r\n    hold: 3s\r\n"
        let routine = try parseRoutine(crlf)
        XCTAssertEqual(routine.steps.first?.name, "a", "no carriage return left in the name")
        XCTAssertNoThrow(try RoutineLoader.parse([0xEF, 0xBB, 0xBF] + Array(crlf.utf8), path: testPath))
        assertRejected("title: x\r\nsteps:\r\n  - name: a\r\n    hold: 3x\r\n", at: 4, 11, "`hold`")
    }

    // MARK: The shape of the file

    func testAnEmptyFileIsRejected() {
        assertRejected([], at: 1, 1, "empty")
        assertRejected("# only a comment\n\n", at: 1, 1, "empty")
    }

    func testTheTopLevelMustBeAMapping() {
        assertRejected("- name: a\n  hold: 3s\n", at: 1, 1, "mapping", "a list")
        assertRejected("just words\n", at: 1, 1, "mapping")
    }

    func testStepsMustNotBeEmpty() {
        assertRejected("title: x\nsteps: []\n", at: 2, 8, "`steps` is empty")
        assertRejected("title: x\nsteps:\n", at: 2, 7, "`steps`")
    }

    private func routine(stepCount: Int) -> String {
        "title: Many\nsteps:\n" + (1...stepCount).map { "  - name: Step \($0)\n    hold: 1s\n" }.joined()
    }

    func testAtMostFiveHundredSteps() {
        assertAccepted(routine(stepCount: 500))
        // Step k starts on line 3 + 2(k-1): the 501st on line 1003, its mapping at column 5.
        let found = assertRejected(routine(stepCount: 501), at: 1003, 5, "501", "500")
        XCTAssertEqual(found.count, 1)
    }

    // MARK: How many errors one run reports

    func testOneRunReportsSeveralDifferentErrors() {
        let yaml = """
            title: 123
            defaults:
              rest: 11m
            steps:
              - name: a
                hold: 3s
                hodl: 3s
              - name: b
                breaths: 5
                reps: 2
              - name: c
                hold: 3s
                sides: both
            """
        let found = diagnostics(of: yaml)
        XCTAssertEqual(
            found.map(\.position),
            [
                SourcePosition(line: 1, column: 8), SourcePosition(line: 3, column: 9),
                SourcePosition(line: 7, column: 5), SourcePosition(line: 10, column: 5),
                SourcePosition(line: 13, column: 12),
            ], describe(found))
    }

    func testAtMostTwentyErrorsAreReportedAndTheyAreTheFirstTwenty() {
        // 25 steps, each with a hold of 0 (below 0.1 s): step k's hold is on line 4 + 2(k-1).
        let yaml = "title: x\nsteps:\n" + (1...25).map { "  - name: s\($0)\n    hold: 0s\n" }.joined()
        let found = diagnostics(of: yaml)
        XCTAssertEqual(found.count, 20, describe(found))
        XCTAssertEqual(found.map(\.position.line), (1...20).map { 4 + 2 * ($0 - 1) })
        XCTAssertTrue(found.allSatisfy { $0.position.column == 11 && $0.message.contains("`hold`") }, describe(found))
    }

    func testAtMostTwentyByteErrorsAreReported() {
        let yaml = "title: x\nsteps:\n" + String(repeating: "\t# tab\n", count: 25)
        let found = diagnostics(of: yaml)
        XCTAssertEqual(found.count, 20, describe(found))
        XCTAssertEqual(found.last?.position, SourcePosition(line: 22, column: 1))
    }
}
