import Foundation

// The input generators of the routine fuzz suite (RoutineFuzzTests.swift): a seeded PRNG and three
// families of inputs, all deterministic for a given seed and case number.
//
//  (a) arbitrary bytes: random lengths and alphabets, NUL, invalid UTF-8, huge lines, deep `[[[[`
//      and `{{{{` nesting, long runs of `- `, `&a`/`*a` chains, tabs, CR...
//  (b) mutations of valid routines (Routines/*.yaml, the spec's examples, the valid corpus files):
//      byte flips, deletions, duplicated and swapped lines, values swapped between keys, random
//      keys inserted, values replaced by edge values of the grammar below.
//  (c) a grammar of plausible routines, whose values come from the edge values of the format
//      (0, 10ms, 9.999ms, 24h, 0.0000001s, 1e3, ranges A>B, huge numbers...).

/// SplitMix64 (Steele, Lea and Flood): tiny, fast, and the same sequence on every platform and
/// Swift version. The helpers below draw from it directly instead of `Int.random(in:using:)`,
/// whose algorithm the standard library does not promise to keep.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0..<bound (bound > 0), without modulo bias worth mentioning at these sizes.
    mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A number in range.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `percent`/100.
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }

    /// A length that is usually small and sometimes large: 0...16, ...256, ...4096 or ...`maximum`.
    mutating func length(maximum: Int = 65_536) -> Int {
        switch below(100) {
        case 0..<25: return int(0...16)
        case 25..<75: return int(0...256)
        case 75..<96: return int(0...4_096)
        default: return int(0...maximum)
        }
    }

    /// The seed of case `index` of a run seeded with `seed`: each case can be replayed on its own.
    static func caseSeed(_ seed: UInt64, _ index: Int) -> UInt64 {
        var mixer = SplitMix64(seed: seed ^ (UInt64(index) &* 0xD6E8_FEB8_6659_FD93))
        return mixer.next()
    }
}

enum FuzzGrammar {
    // MARK: Keys

    static let topKeys = ["title", "about", "defaults", "steps"]
    static let defaultsKeys = [
        "lead_in", "transition", "rest", "switch", "set_rest", "inhale", "exhale",
        "hold_in", "hold_out", "countdown", "halfway", "tail",
    ]
    static let stepKeys = [
        "name", "say", "sets", "sides", "first", "transition", "switch", "set_rest",
        "countdown", "halfway", "hold", "reps", "rest", "breaths", "inhale", "exhale",
        "hold_in", "hold_out",
    ]
    static let wrongKeys = [
        "hodl", "Hold", "breath", "rep", "set", "side", "lead-in", "leadIn", "tail ", " name",
        "holds", "x", "", "\"\"", "''", "title", "steps", "defaults", "about", "1", "true", "null",
        "~", "-", "?", "é", "名前", "🙂", String(repeating: "k", count: 300), "hold_in_", "transitions",
    ]

    // MARK: Values

    static let numbers = [
        "0", "1", "2", "3", "5", "8", "10", "15", "20", "30", "45", "59", "60", "61", "90", "100",
        "120", "599", "600", "601", "1000", "3599", "3600", "3601", "86399", "86400", "86401",
        "999999999", "1000000000", "99999999999999999999", "0.5", "0.1", "0.09", "0.01", "0.0099",
        "0.010", "2.5", "1.005", "9.999", "0.000001", "0.0000001", "1.0000000", "0.000001000",
        "00030", "0000000000000000000001", "1.0", "5.", ".5", "1e3", "1E3", "+5", "-5", "0x10",
        "0o17", "1:30", "1_000", "1,5", "١٢", "½", "3.14159265358979",
    ]
    static let units = ["h", "m", "min", "s", "sec", "ms", "", "", "S", "Ms", "us", "µs", "hr", "mins", "x", "d"]
    static let durations = [
        "0", "0s", "10ms", "9.999ms", "9ms", "10.000ms", "0.01s", "0.0099s", "0.1s", "0.099s", "0.5s",
        "0.499999s", "1s", "3s", "30s", "1.5s", "500ms", "2m", "1m30s", "1 min 30 s", "1h", "1.5h",
        "24h", "23h59m59.999999s", "24h0.000001s", "25h", "60m", "59m35s", "10m", "10m0.000001s",
        "600s", "601s", "1m90s", "30s 1m", "1m1m", "1h1m1s1ms", "1 h 1 m 1 s 1 ms", "  5s  ", "0.0000001s",
        "1e3", "1e3s", "1000000000h", "999999999h", "9223372036854775807", "-1s", "5 s", "5sec",
        "5secs", "5S", "1H", "1:30", ".5s", "5.s", "+5s", "0x10s", "s", "m", "1m s", "1 1s", "∞",
        "NaN", "1m30", "1h30", "30", "2.5", "1.005",
    ]
    static let counts = [
        "0", "1", "2", "3", "5", "10", "11", "99", "100", "101", "500", "999", "1000", "1001", "999999999",
        "1000000000", "12345678901234567890", "00010", "-1", "+1", "1.0", "2.5", "1e3", "0x10", "\"3\"",
        "'3'", "3 ", "6-8", "8-6", "1-1000", "1000-1001", "0-1", "2 - 3", "1-", "-", "1--2", "1-2-3",
        "a-b", "true", "null", "~", "[]", "{}", "[1, 2]",
    ]
    static let booleans = ["true", "false", "True", "FALSE", "yes", "no", "on", "1", "0", "\"true\"", "null", "~", "[]"]
    static let texts = [
        "Hold", "Child's pose", "Cat-cow warm-up", "Side bend", "\"Quoted: name\"", "'single # quoted'",
        "Étirement du dos", "背中のストレッチ", "Stretch 🙂", "a", "A name with: a colon",
        "name # not a comment?", "\"\"", "''", "~", "null", "123", "1.5", "true", "-", "- item",
        "[a, b]", "{a: b}", "\"line\\nbreak\"", "\"tab\\there\"", "\"esc\\e[31m\"", "\"nul\\0\"",
        "\"sep\\u2028sep\"", "\"bell\\a\"", "|\n      block\n      text", ">\n      folded\n      text",
        "\"" + String(repeating: "x", count: 200) + "\"", "\"" + String(repeating: "x", count: 201) + "\"",
        String(repeating: "é", count: 200), String(repeating: "名", count: 201), "!!str 5", "!custom x",
        "&anchor Name", "*alias", "'unterminated", "\"unterminated", "\"\\x41\\u00e9\"",
    ]

    /// A duration value: from the list, or composed from a number and unit parts, or a range.
    static func duration(_ random: inout SplitMix64) -> String {
        switch random.below(10) {
        case 0..<4: return random.pick(durations)
        case 4..<7:
            var text = random.pick(numbers) + random.pick(units)
            if random.chance(30) { text += (random.chance(50) ? " " : "") + random.pick(numbers) + random.pick(units) }
            return text
        default:
            return range(random.pick(durations), random.pick(durations), &random)
        }
    }

    static func count(_ random: inout SplitMix64) -> String {
        random.chance(75) ? random.pick(counts) : range(random.pick(counts), random.pick(counts), &random)
    }

    static func range(_ low: String, _ high: String, _ random: inout SplitMix64) -> String {
        random.pick(["\(low)-\(high)", "\(low) - \(high)", "\(low)- \(high)", "\(low) -\(high)", "\(low)-\(low)", "\(high)-\(low)"])
    }

    /// Values inside every field's range, so that about half the grammar's routines are accepted
    /// and reach the scheduler.
    static let validPauses = [
        "0", "0s", "10ms", "0.5s", "1s", "2.5s", "5s", "8s", "30s", "1m", "1m30s", "10m", "1-2s",
        "0-10ms", "5 - 10 s", "20-30s", "1.333333s", "9m59.999999s",
    ]
    static let validHolds = [
        "0.1s", "1s", "2s", "3", "15s", "30s", "45s", "1m", "1m30s", "1 min 30 s", "2m", "5m", "1h",
        "0.1s-0.2s", "15-20s", "20-30s", "1-2m", "4-5 min", "59m59.999999s",
    ]
    static let validPhases = ["0.5s", "1s", "2.5s", "3s", "4s", "5", "6s", "60s", "1m", "3-4s", "0.5-1s"]
    static let validBreathHolds = ["0", "10ms", "1s", "2s", "4s", "60s", "0-2s"]
    static let validCounts = ["1", "2", "3", "4", "5", "6", "8", "10", "1-2", "2-3", "6-8", "5 - 10"]

    static func validValue(for key: String, _ random: inout SplitMix64) -> String? {
        switch key {
        case "lead_in", "transition", "rest", "switch", "set_rest": return random.pick(validPauses)
        case "tail": return random.pick(["0", "3s", "5s", "10ms", "1m", "2-4s"])
        case "hold": return random.pick(validHolds)
        case "inhale", "exhale": return random.pick(validPhases)
        case "hold_in", "hold_out": return random.pick(validBreathHolds)
        case "countdown": return random.pick(["0", "1", "2", "3", "5", "10", "0-3"])
        case "sets", "reps", "breaths": return random.pick(validCounts)
        default: return nil
        }
    }

    /// A value that suits `key`: mostly inside its range, often an edge value of the grammar,
    /// sometimes one that suits another key or none.
    static func value(for key: String, _ random: inout SplitMix64) -> String {
        if random.chance(8) { return random.pick(durations + counts + booleans + texts + ["", "[]", "{}", "- a"]) }
        if random.chance(60), let valid = validValue(for: key, &random) { return valid }
        switch key {
        case "title", "name", "say", "about": return random.chance(50) ? "Some text" : random.pick(texts)
        case "sides": return random.pick(["none", "each", "alternate", "both", "Each", "left", "\"each\"", "null"])
        case "first": return random.pick(["left", "right", "Left", "none", "up", "\"right\""])
        case "halfway": return random.pick(booleans)
        case "sets", "reps", "breaths", "countdown": return count(&random)
        default: return duration(&random)
        }
    }

    // MARK: Routines

    /// A plausible routine: mostly valid keys and value shapes, with edge values, in block or flow style.
    static func routine(_ random: inout SplitMix64) -> [UInt8] {
        var lines: [String] = []
        if random.chance(10) { lines.append("# a routine made by the fuzz grammar") }
        if random.chance(3) { lines.append("%YAML 1.2") }
        if random.chance(5) { lines.append("---") }
        if !random.chance(5) { lines.append("title: " + (random.chance(85) ? "Fuzzed routine" : random.pick(texts))) }
        if random.chance(20) { lines.append("about: " + random.pick(texts)) }
        if random.chance(50) {
            lines.append("defaults:" + (random.chance(3) ? " {}" : ""))
            for _ in 0..<random.int(0...5) {
                let key = random.chance(90) ? random.pick(defaultsKeys) : random.pick(wrongKeys + stepKeys)
                lines.append("  \(key): \(value(for: key, &random))")
            }
        }
        if random.chance(3) { lines.append("extra: " + random.pick(texts)) }
        lines.append("steps:" + (random.chance(2) ? " []" : ""))
        let stepCount: Int
        switch random.below(100) {
        case 0..<2: stepCount = 0
        case 2..<80: stepCount = random.int(1...4)
        case 80..<97: stepCount = random.int(5...40)
        default: stepCount = random.pick([499, 500, 501])
        }
        for index in 0..<stepCount {
            lines += step(index: index, &random, plain: stepCount > 40)
        }
        if random.chance(3) { lines.append("...") }
        var text = lines.joined(separator: "\n") + (random.chance(90) ? "\n" : "")
        if random.chance(5) { text = text.replacingOccurrences(of: "\n", with: "\r\n") }
        var bytes = Array(text.utf8)
        if random.chance(3) { bytes.insert(contentsOf: [0xEF, 0xBB, 0xBF], at: 0) }
        return bytes
    }

    /// One step, in block style (`- name: ...`) or flow style (`- {name: ..., hold: ...}`).
    static func step(index: Int, _ random: inout SplitMix64, plain: Bool) -> [String] {
        if plain {
            // Many steps: keep each one small and mostly valid, so the limits are what is tested.
            return ["  - name: Step \(index)", "    hold: " + (random.chance(95) ? "1s" : duration(&random))]
        }
        var pairs: [(String, String)] = [("name", random.chance(80) ? "Step \(index)" : random.pick(texts))]
        switch random.below(20) {
        case 0: break  // neither hold nor breaths
        case 1: pairs += [("hold", duration(&random)), ("breaths", count(&random))]
        case 2..<11: pairs.append(("hold", duration(&random)))
        default: pairs.append(("breaths", count(&random)))
        }
        for _ in 0..<random.int(0...4) {
            let key = random.chance(90) ? random.pick(stepKeys) : random.pick(wrongKeys + defaultsKeys)
            pairs.append((key, value(for: key, &random)))
        }
        if random.chance(5) { pairs.shuffle(&random) }
        if random.chance(15) {
            let body = pairs.map { "\($0.0): \($0.1.contains("\n") ? "x" : $0.1)" }.joined(separator: ", ")
            return ["  - {\(body)}"]
        }
        let indent = random.chance(95) ? "    " : random.pick(["  ", "     ", "   ", "\t"])
        var lines = ["  - \(pairs[0].0): \(pairs[0].1)"]
        for (key, value) in pairs.dropFirst() { lines.append("\(indent)\(key): \(value)") }
        return lines
    }

    // MARK: Arbitrary bytes

    /// Tokens that mean something to YAML or to the screening, for the token-soup generator and insertions.
    static let tokens: [[UInt8]] = {
        let text = [
            "-", "- ", ":", ": ", " ", "  ", "\n", "\r\n", "\r", "\t", "[", "]", "{", "}", ",", "#", "&a ", "*a",
            "&b ", "*b", "!", "!!str ", "!!binary ", "!<tag:x> ", "? ", "|", ">", "|-", ">+", "%YAML 1.2\n",
            "%TAG ! tag:x:\n", "---", "...", "'", "\"", "\\", "\\n", "\\e", "\\0", "\\u2028", "@", "`", "%",
            "title", "steps", "name", "hold", "breaths", "defaults", "reps", "sides", "each", "alternate",
            "1s", "30s", "1m30s", "10ms", "24h", "6-8", "20-30s", "0", "1e3", "true", "null", "~", "é", "🙂",
            "\u{2028}", "\u{2029}", "\u{85}", "\u{FEFF}", "\u{0}", "\u{1B}", "\u{7F}", "\u{FFFD}",
        ]
        var tokens = text.map { Array($0.utf8) }
        tokens += [
            [0xFF], [0xFE], [0xC0, 0x80], [0xC3], [0xE2, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
            [0x80], [0xBF], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x00, 0x00],
        ]
        return tokens
    }()

    /// The families of `arbitraryBytes`, by its first draw (for labels).
    static let byteFamilies = [
        "random", "random", "random", "ascii", "ascii", "ascii", "tokens", "tokens", "tokens",
        "nesting", "dashes", "aliases", "huge-line", "many-lines", "bad-utf8", "valid-prefix",
    ]

    /// Inputs of the families that make large inputs are kept to tens of KiB but for a few percent of
    /// them, so 20,000 cases run in about a minute in a debug build; RoutineLimitsTests reads files of
    /// the full 1 MiB on purpose.
    private static func large(_ random: inout SplitMix64, _ typical: [Int], rare: [Int]) -> Int {
        random.chance(4) ? random.pick(rare) : random.pick(typical)
    }

    static func arbitraryBytes(_ random: inout SplitMix64) -> [UInt8] {
        switch random.below(byteFamilies.count) {
        case 0..<3:
            // Uniform random bytes.
            return (0..<random.length()).map { _ in random.byte() }
        case 3..<6:
            // Printable ASCII with line breaks: most of it reaches the YAML parser.
            let alphabet = Array(" \n\n-:[]{},#&*!|>'\"?%@`abcdefghijklmnopqrstuvwxyz0123456789.".utf8)
            return (0..<random.length()).map { _ in random.pick(alphabet) }
        case 6..<9:
            // Token soup.
            var bytes: [UInt8] = []
            let target = random.length(maximum: 16_384)
            while bytes.count < target { bytes += random.pick(tokens) }
            return bytes
        case 9:
            // Deep nesting: flow sequences or mappings, closed or not, around the parser's limit of 1000.
            let depth = large(&random, [10, 100, 999, 1000, 1001, 5000, random.int(1...5_000)], rare: [20_000, 100_000])
            let open = random.pick(["[", "{", "{a: ", "[{a: ", "- [", "? ["])
            let close = open.contains("{") ? "}" : "]"
            let closed = random.chance(60)
            // Closed mappings whose keys nest (`{{{...}}}`, `? [? [...`) cost time quadratic in
            // their depth (Yams hashes every key: see RoutineLimitsTests); the loop keeps them
            // shallow so its time is steady, and the limits suite measures the deep ones.
            let keyNesting = open == "{" || open == "? ["
            let levels = closed && keyNesting && depth < 2_000 ? min(depth, 300) : depth
            var text =
                (random.chance(50) ? "title: x\nsteps: " : "")
                + String(repeating: open, count: levels)
            if closed { text += "1" + String(repeating: close, count: random.chance(80) ? levels : levels / 2) }
            return Array(text.utf8)
        case 10:
            // Long runs of `- ` on one line, or nested block sequences, one level per line.
            let count = large(&random, [100, 999, 1001, 2_000, random.int(1...5_000)], rare: [30_000, 100_000])
            if random.chance(50) {
                return Array(("title: x\nsteps:\n  " + String(repeating: "- ", count: count) + "x\n").utf8)
            }
            var text = "steps:\n"
            // Block nesting costs depth²/2 bytes: a few hundred levels (the one-line runs above go past 1000).
            for depth in 0..<min(count, 300) { text += String(repeating: " ", count: depth) + "-\n" }
            return Array(text.utf8)
        case 11:
            // Anchor and alias chains (small fan-out: the expansions stay in the thousands).
            var lines = ["title: x", "a0: &a0 " + random.pick(["x", "[x, x]", "{k: v}", "1s"])]
            let levels = random.int(1...6)
            for level in 1...levels {
                let fanOut = random.int(1...4)
                lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: fanOut).joined(separator: ", ") + "]")
            }
            switch random.below(5) {
            case 0: lines.append("? *a\(random.int(0...min(levels, 3)))\n: v")
            case 1: lines.append("*undefined: 1")
            case 2: lines.append("steps: *a\(levels)")
            case 3: lines.append("steps:\n  - name: *a0\n    hold: 3s")
            default: lines.append("steps:\n  - &s {name: a, hold: 3s}\n  - *s")
            }
            return Array(lines.joined(separator: "\n").utf8)
        case 12:
            // A huge line: a key, a value or a comment of up to 1 MiB (and sometimes just over).
            let size = large(
                &random, [100, 1_000, 4_096, 20_000, random.int(1...30_000)],
                rare: [200_000, (1 << 20) - 40, (1 << 20) + 1])
            let filler = random.pick(["a", "1", " ", "é", "[", "- ", "#", "\u{2028}"])
            let body = String(repeating: filler, count: max(1, size / filler.utf8.count))
            return Array(
                random.pick([
                    "title: \(body)\nsteps: []\n", "\(body): 1\n", "# \(body)\n", "title: x\nsteps:\n  - name: a\n    hold: \"\(body)\"\n",
                ]).utf8)
        case 13:
            // Many short lines, blank or nearly so, with CR, tabs and NUL sprinkled in.
            let count = large(&random, [10, 1_000, 5_000, random.int(1...10_000)], rare: [20_000, 50_000])
            let line = random.pick(["\n", "\r\n", "\r", "-\n", ":\n", " \n", "\t\n", "\0\n", "#\n", "a:\n"])
            return Array(String(repeating: line, count: count).utf8)
        case 14:
            // Invalid or unusual UTF-8 around a valid routine.
            var bytes = Array("title: x\nsteps:\n  - name: a\n    hold: 3s\n".utf8)
            for _ in 0..<random.int(1...6) {
                let bad = random.pick(tokens.filter { $0.contains(where: { $0 >= 0x80 || $0 < 0x20 }) })
                bytes.insert(contentsOf: bad, at: random.int(0...bytes.count))
            }
            if random.chance(30) { bytes.append(random.pick([0xC3, 0xE2, 0xF0])) }  // truncated at the very end
            return bytes
        default:
            // A valid prefix followed by random bytes.
            return Array("title: x\nsteps:\n  - name: a\n    hold: ".utf8) + (0..<random.length(maximum: 4_096)).map { _ in random.byte() }
        }
    }

    // MARK: Mutations

    /// Applies one to four random mutations to `seed`.
    static func mutate(_ seed: [UInt8], others: [[UInt8]], _ random: inout SplitMix64) -> [UInt8] {
        var bytes = seed
        for _ in 0..<random.int(1...4) {
            bytes = mutateOnce(bytes, others: others, &random)
        }
        return bytes
    }

    private static func splitLines(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
    }

    private static func joinLines(_ lines: [[UInt8]]) -> [UInt8] {
        Array(lines.joined(separator: [0x0A]))
    }

    /// The index of `: ` in a `key: value` line, if it has one.
    private static func keySeparator(_ line: [UInt8]) -> Int? {
        guard line.count >= 2 else { return nil }
        for index in 0..<(line.count - 1) where line[index] == 0x3A && line[index + 1] == 0x20 { return index }
        return nil
    }

    private static func mutateOnce(_ input: [UInt8], others: [[UInt8]], _ random: inout SplitMix64) -> [UInt8] {
        var bytes = input
        switch random.below(16) {
        case 0 where !bytes.isEmpty:
            // Flip bits of one to a few bytes.
            for _ in 0..<random.int(1...4) {
                let index = random.below(bytes.count)
                bytes[index] ^= UInt8(1) << UInt8(random.below(8))
            }
        case 1 where !bytes.isEmpty:
            // Set a byte to anything.
            bytes[random.below(bytes.count)] = random.byte()
        case 2 where !bytes.isEmpty:
            // Delete a range.
            let start = random.below(bytes.count)
            let count = min(bytes.count - start, random.chance(70) ? random.int(1...8) : random.int(1...512))
            bytes.removeSubrange(start..<(start + count))
        case 3:
            // Insert a token.
            bytes.insert(contentsOf: random.pick(tokens), at: random.int(0...bytes.count))
        case 4:
            // Duplicate a line, sometimes many times.
            var lines = splitLines(bytes)
            let index = random.below(lines.count)
            let copies = random.chance(80) ? 1 : random.pick([10, 100, 600])
            lines.insert(contentsOf: Array(repeating: lines[index], count: copies), at: index)
            bytes = joinLines(lines)
        case 5:
            // Delete a line.
            var lines = splitLines(bytes)
            if lines.count > 1 { lines.remove(at: random.below(lines.count)) }
            bytes = joinLines(lines)
        case 6:
            // Swap two lines.
            var lines = splitLines(bytes)
            lines.swapAt(random.below(lines.count), random.below(lines.count))
            bytes = joinLines(lines)
        case 7:
            // Swap the values of two `key: value` lines.
            var lines = splitLines(bytes)
            let keyed = lines.indices.filter { keySeparator(lines[$0]) != nil }
            if keyed.count >= 2 {
                let a = random.pick(keyed), b = random.pick(keyed)
                let sa = keySeparator(lines[a])!, sb = keySeparator(lines[b])!
                let va = Array(lines[a][(sa + 2)...]), vb = Array(lines[b][(sb + 2)...])
                lines[a] = Array(lines[a][..<(sa + 2)]) + vb
                lines[b] = Array(lines[b][..<(sb + 2)]) + va
            }
            bytes = joinLines(lines)
        case 8, 9:
            // Replace the value of a `key: value` line with a value from the grammar (for that key or not).
            var lines = splitLines(bytes)
            let keyed = lines.indices.filter { keySeparator(lines[$0]) != nil }
            if let index = keyed.isEmpty ? nil : random.pick(keyed) {
                let separator = keySeparator(lines[index])!
                let key = String(decoding: lines[index][..<separator], as: UTF8.self)
                    .trimmingCharacters(in: CharacterSet(charactersIn: " -"))
                lines[index] = Array(lines[index][..<(separator + 2)]) + Array(value(for: key, &random).utf8)
            }
            bytes = joinLines(lines)
        case 10:
            // Insert a random key line at a random indentation.
            var lines = splitLines(bytes)
            let key = random.pick(stepKeys + defaultsKeys + topKeys + wrongKeys)
            let indent = random.pick(["", "  ", "    ", "  - ", "      ", " "])
            lines.insert(Array("\(indent)\(key): \(value(for: key, &random))".utf8), at: random.int(0...lines.count))
            bytes = joinLines(lines)
        case 11:
            // Change the indentation of a line.
            var lines = splitLines(bytes)
            let index = random.below(lines.count)
            let stripped = Array(lines[index].drop(while: { $0 == 0x20 }))
            lines[index] = Array(repeating: 0x20, count: random.int(0...8)) + stripped
            bytes = joinLines(lines)
        case 12 where !bytes.isEmpty:
            // Truncate.
            bytes.removeSubrange(random.below(bytes.count)...)
        case 13 where !others.isEmpty:
            // Splice: the start of this input and the end of another.
            let other = random.pick(others)
            let cut = random.int(0...bytes.count), otherCut = random.int(0...other.count)
            bytes = Array(bytes[..<cut]) + Array(other[otherCut...])
        case 14:
            // Repeat the steps (everything from `steps:` on) many times: many steps, duplicate keys.
            let text = String(decoding: bytes, as: UTF8.self)
            if let range = text.range(of: "\nsteps:\n") {
                let body = String(text[range.upperBound...])
                let times = random.pick([2, 10, 50])
                bytes = Array(
                    (String(text[..<range.upperBound]) + String(repeating: body.hasSuffix("\n") ? body : body + "\n", count: times)).utf8)
            }
        default:
            // Turn a block mapping line into flow style or back, or quote a value.
            var lines = splitLines(bytes)
            let keyed = lines.indices.filter { keySeparator(lines[$0]) != nil }
            if let index = keyed.isEmpty ? nil : random.pick(keyed) {
                let separator = keySeparator(lines[index])!
                let value = Array(lines[index][(separator + 2)...])
                let quote: [UInt8] = random.pick([[0x22], [0x27], Array("[".utf8), Array("{".utf8)])
                let close: [UInt8] = quote == [0x5B] ? [0x5D] : (quote == [0x7B] ? [0x7D] : quote)
                lines[index] = Array(lines[index][..<(separator + 2)]) + quote + value + (random.chance(85) ? close : [])
            }
            bytes = joinLines(lines)
        }
        // Keep mutated inputs within 64 KiB (the seeds are a few KiB): large inputs are the byte families' business.
        if bytes.count > 64 << 10 { bytes.removeSubrange((64 << 10)...) }
        return bytes
    }
}

extension Array {
    /// Fisher-Yates with the fuzz PRNG (not the system one), so a case is the same on every run.
    mutating func shuffle(_ random: inout SplitMix64) {
        guard count > 1 else { return }
        for index in stride(from: count - 1, to: 0, by: -1) {
            swapAt(index, random.below(index + 1))
        }
    }
}
