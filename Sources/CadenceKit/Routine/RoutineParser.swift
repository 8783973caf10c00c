import Yams

/// Turns the YAML tree of a routine file into a `Routine`, collecting every problem it finds
/// (as many as it can, up to the report limit) instead of stopping at the first.
struct RoutineParser {
    private(set) var diagnostics: [Diagnostic] = []
    /// Problems found past the report limit: counted, not described.
    private(set) var notShown = 0
    /// 1 or 2: which format the file is written in (its `format` key).
    var format = 1
    /// Format 2: the program's `days`, when the file has them.
    var days: Int?
    /// Every problem found so far.
    var errorCount: Int { diagnostics.count + notShown }

    mutating func report(_ node: Node?, _ message: @autoclosure () -> String) {
        report(at: Self.position(of: node), message())
    }

    var isFull: Bool { diagnostics.count >= RoutineError.maximumReported }

    mutating func report(at position: SourcePosition, _ message: @autoclosure () -> String) {
        // Past the report limit a problem is only counted, so a file of 100,000 bad keys stays fast.
        guard !isFull else {
            notShown += 1
            return
        }
        let diagnostic = Diagnostic(position, message())
        if !diagnostics.contains(diagnostic) { diagnostics.append(diagnostic) }
    }

    static func position(of node: Node?) -> SourcePosition {
        guard let mark = node?.mark else { return SourcePosition(line: 1, column: 1) }
        return SourcePosition(line: mark.line, column: mark.column)
    }

    // MARK: The document

    mutating func parse(_ root: Node?) -> Routine? {
        guard let root, !Self.isNull(root) else {
            report(at: SourcePosition(line: 1, column: 1), "the file is empty; a routine needs at least `title` and `steps`")
            return nil
        }
        guard let mapping = root.mapping else {
            report(root, "a routine must be a mapping with `title` and `steps` keys, not \(Self.describe(root))")
            return nil
        }
        var title: String?
        var about: String?
        var defaults = DefaultValues()
        var stepNodes: (key: Node, value: Node)?
        if let formatPair = mapping.first(where: { keyName($0.key, reporting: false) == "format" }) {
            format = formatNumber(formatPair.value)
        }
        for (key, value) in mapping {
            guard let name = keyName(key) else { continue }
            switch name {
            case "format": break
            case "title": title = text(value, key: name)
            case "about": about = aboutText(value)
            case "days" where format == 2:
                // After a problem with `days`, steps are still read as a program (no second message).
                if let scalar = value.scalar, scalar.string.contains("-") {
                    report(value, "`days` is one whole number, the length of the program in days, not a range")
                    days = 2
                } else {
                    days = count(value, name, RoutineKeys.dayCount)?.low ?? 2
                }
            case "defaults": parseDefaults(value, into: &defaults)
            case "steps": stepNodes = (key, value)
            default:
                reportUnknownKey(
                    key, name, context: "at the top level", allowed: format == 2 ? RoutineKeys.topLevel2 : RoutineKeys.topLevel)
            }
        }
        // A key misspelt from `title` or `steps` (`titel:`) is reported alone, as its typo.
        let misspelt = Set(
            mapping.compactMap { keyName($0.key, reporting: false) }
                .filter { !RoutineKeys.topLevel2.contains($0) }
                .compactMap { RoutineKeys.suggestion(for: $0, among: ["title", "steps"]) })
        if !Self.hasKey(mapping, "title"), !misspelt.contains("title") { report(root, "missing `title`: every routine needs a title") }
        guard let stepNodes else {
            if !misspelt.contains("steps") { report(root, "missing `steps`: a routine needs a list of 1 to 500 steps") }
            return nil
        }
        if format == 2 {
            let entries = parseEntries(stepNodes.value, defaults: defaults)
            guard let title, let entries, diagnostics.isEmpty else { return nil }
            var routine = Routine(
                title: title, about: about, leadIn: defaults.leadIn, tail: defaults.tail,
                steps: entries.flatMap { entry -> [Step] in
                    switch entry {
                    case .step(let step): return [step]
                    case .circuit(let circuit): return circuit.steps
                    }
                }, stepsPosition: Self.position(of: stepNodes.key))
            routine.format = 2
            routine.days = days
            routine.entries = entries
            return routine
        }
        let steps = parseSteps(stepNodes.value, defaults: defaults)
        guard let title, let steps, diagnostics.isEmpty else { return nil }
        return Routine(
            title: title, about: about, leadIn: defaults.leadIn, tail: defaults.tail,
            steps: steps, stepsPosition: Self.position(of: stepNodes.key))
    }

    /// `format: 1` or `format: 2`; anything else is reported, and the file is read as format 2.
    private mutating func formatNumber(_ node: Node) -> Int {
        if let scalar = node.scalar, scalar.style == .plain, scalar.string == "1" || scalar.string == "2" {
            return Int(scalar.string)!
        }
        report(node, "`format` must be 1 or 2 (written without quotes), not \(Self.describe(node))")
        return 2
    }

    // MARK: Defaults

    /// The values steps inherit, as the format's table gives them unless `defaults` overrides them.
    struct DefaultValues {
        var leadIn = Ranged<Int64>(10 * RoutineKeys.second)
        var transition = Ranged<Int64>(10 * RoutineKeys.second)
        var rest = Ranged<Int64>(5 * RoutineKeys.second)
        var switchTime = Ranged<Int64>(5 * RoutineKeys.second)
        var setRest = Ranged<Int64>(10 * RoutineKeys.second)
        var inhale = Ranged<Int64>(4 * RoutineKeys.second)
        var exhale = Ranged<Int64>(4 * RoutineKeys.second)
        var holdIn = Ranged<Int64>(0)
        var holdOut = Ranged<Int64>(0)
        var countdown = Ranged<Int>(3)
        var halfway = false
        var tail = Ranged<Int64>(5 * RoutineKeys.second)
        /// Format 2: the own-pace pulse.
        var pulse = Ranged<Int64>(5 * RoutineKeys.second)
        /// Format 2: `transition: fit` in `defaults`, for every step that sets no transition of its own.
        var transitionFitsSpeech = false
    }

    mutating func parseDefaults(_ node: Node, into defaults: inout DefaultValues) {
        if Self.isNull(node) { return }
        guard let mapping = node.mapping else {
            report(node, "`defaults` must be a mapping of keys to values, not \(Self.describe(node))")
            return
        }
        for (key, value) in mapping {
            guard let name = keyName(key) else { continue }
            let order = format == 2 ? RoutineKeys.defaultsOrder2 : RoutineKeys.defaultsOrder
            guard let type = (format == 2 ? RoutineKeys.defaults2 : RoutineKeys.defaults)[name] else {
                if RoutineKeys.holdStep[name] != nil || RoutineKeys.breathStep[name] != nil
                    || RoutineKeys.commonStep[name] != nil || (format == 2 && RoutineKeys.everyStepKey2.contains(name))
                {
                    report(
                        key,
                        "`\(name)` cannot be set in `defaults`, only in a step; keys allowed in `defaults`: "
                            + order.joined(separator: ", "))
                } else {
                    reportUnknownKey(key, name, context: "in `defaults`", allowed: order)
                }
                continue
            }
            switch name {
            case "lead_in": duration(value, name, type).map { defaults.leadIn = $0 }
            case "transition" where format == 2 && value.scalar?.string == "fit": defaults.transitionFitsSpeech = true
            case "transition": duration(value, name, type).map { defaults.transition = $0 }
            case "rest": duration(value, name, type).map { defaults.rest = $0 }
            case "switch": duration(value, name, type).map { defaults.switchTime = $0 }
            case "set_rest": duration(value, name, type).map { defaults.setRest = $0 }
            case "inhale": duration(value, name, type).map { defaults.inhale = $0 }
            case "exhale": duration(value, name, type).map { defaults.exhale = $0 }
            case "hold_in": duration(value, name, type).map { defaults.holdIn = $0 }
            case "hold_out": duration(value, name, type).map { defaults.holdOut = $0 }
            case "tail": duration(value, name, type).map { defaults.tail = $0 }
            case "countdown": count(value, name, type).map { defaults.countdown = $0 }
            case "halfway": boolean(value, name).map { defaults.halfway = $0 }
            case "pulse":
                if let pulse = duration(value, name, type) {
                    if let short = [pulse.low, pulse.high].first(where: { $0 > 0 && $0 < RoutineKeys.shortestPulse }) {
                        report(value, "`pulse` must be 0 (no pulse) or at least 1s, not \(DurationText.spoken(short))")
                    } else {
                        defaults.pulse = pulse
                    }
                }
            default: break
            }
        }
    }

    // MARK: Steps

    static let maximumSteps = 500

    mutating func parseSteps(_ node: Node, defaults: DefaultValues) -> [Step]? {
        guard let sequence = node.sequence else {
            report(node, "`steps` must be a list of steps (each starting with `- name:`), not \(Self.describe(node))")
            return nil
        }
        guard !sequence.isEmpty else {
            report(node, "`steps` is empty; a routine needs 1 to 500 steps")
            return nil
        }
        if sequence.count > Self.maximumSteps {
            report(sequence[Self.maximumSteps], "too many steps: \(sequence.count); a routine may have at most 500")
            return nil
        }
        var steps: [Step] = []
        for (index, stepNode) in sequence.enumerated() {
            if let step = parseStep(stepNode, isFirst: index == 0, defaults: defaults) { steps.append(step) }
        }
        return steps.count == sequence.count ? steps : nil
    }

    mutating func parseStep(_ node: Node, isFirst: Bool, defaults: DefaultValues) -> Step? {
        guard let mapping = node.mapping else {
            report(node, "a step must be a mapping with a `name` and `hold` or `breaths`, not \(Self.describe(node))")
            return nil
        }
        let holdKey = mapping.first { keyName($0.key, reporting: false) == "hold" }?.key
        let breathsKey = mapping.first { keyName($0.key, reporting: false) == "breaths" }?.key
        let isBreath: Bool
        switch (holdKey, breathsKey) {
        case (nil, nil):
            // Name the step's unknown keys first: a misspelt `hodl` is the likely cause, and then it
            // is the only problem reported.
            if !reportUnknownKeys(in: mapping) {
                report(node, "a step needs exactly one of `hold` (a held stretch) or `breaths` (a movement paced by breathing)")
            }
            return nil
        case (.some, .some(let second)):
            reportUnknownKeys(in: mapping)
            let later = Self.position(of: second) > Self.position(of: holdKey) ? second : holdKey
            report(later, "a step has either `hold` or `breaths`, not both")
            return nil
        case (nil, .some): isBreath = true
        case (.some, nil): isBreath = false
        }
        let kindKeys = isBreath ? RoutineKeys.breathStep : RoutineKeys.holdStep
        let otherKeys = isBreath ? RoutineKeys.holdStep : RoutineKeys.breathStep
        let allowed = RoutineKeys.commonStepOrder + (isBreath ? RoutineKeys.breathStepOrder : RoutineKeys.holdStepOrder)

        var name: String?
        var say: String?
        var sets = Ranged(1)
        var sides = Sides.none
        var first = Side.left
        var transition = isFirst ? defaults.leadIn : defaults.transition
        var switchTime = defaults.switchTime
        var setRest = defaults.setRest
        var countdown = defaults.countdown
        var halfway = defaults.halfway
        var hold: Ranged<Int64>?, reps = Ranged(1), rest = defaults.rest
        var breaths: Ranged<Int>?, inhale = defaults.inhale, exhale = defaults.exhale
        var holdIn = defaults.holdIn, holdOut = defaults.holdOut
        let errorsBefore = errorCount

        for (key, value) in mapping {
            guard let keyText = keyName(key) else { continue }
            guard let type = RoutineKeys.commonStep[keyText] ?? kindKeys[keyText] else {
                if RoutineKeys.defaultsOnly.contains(keyText) {
                    report(key, "`\(keyText)` can be set only in `defaults`, not in a step")
                } else if otherKeys[keyText] != nil {
                    report(
                        key,
                        isBreath
                            ? "`\(keyText)` belongs to hold steps, and this is a breath step (it has `breaths`)"
                            : "`\(keyText)` belongs to breath steps, and this is a hold step (it has `hold`)")
                } else {
                    reportUnknownKey(key, keyText, context: "in a step", allowed: allowed)
                }
                continue
            }
            switch keyText {
            case "name": name = text(value, key: keyText)
            case "say": say = text(value, key: keyText)
            case "sets": count(value, keyText, type).map { sets = $0 }
            case "sides": choice(value, keyText, type).map { sides = Sides(rawValue: $0)! }
            case "first": choice(value, keyText, type).map { first = Side(rawValue: $0)! }
            case "transition": duration(value, keyText, type).map { transition = $0 }
            case "switch": duration(value, keyText, type).map { switchTime = $0 }
            case "set_rest": duration(value, keyText, type).map { setRest = $0 }
            case "countdown": count(value, keyText, type).map { countdown = $0 }
            case "halfway": boolean(value, keyText).map { halfway = $0 }
            case "hold": hold = duration(value, keyText, type)
            case "reps": count(value, keyText, type).map { reps = $0 }
            case "rest": duration(value, keyText, type).map { rest = $0 }
            case "breaths": breaths = count(value, keyText, type)
            case "inhale": duration(value, keyText, type).map { inhale = $0 }
            case "exhale": duration(value, keyText, type).map { exhale = $0 }
            case "hold_in": duration(value, keyText, type).map { holdIn = $0 }
            case "hold_out": duration(value, keyText, type).map { holdOut = $0 }
            default: break
            }
        }
        if !Self.hasKey(mapping, "name") { report(node, "this step has no `name`; every step needs one") }
        guard errorCount == errorsBefore, let name else { return nil }
        let kind: Step.Kind
        if isBreath {
            guard let breaths else { return nil }
            kind = .breath(breaths: breaths, inhale: inhale, exhale: exhale, holdIn: holdIn, holdOut: holdOut)
        } else {
            guard let hold else { return nil }
            kind = .hold(hold: hold, reps: reps, rest: rest)
        }
        return Step(
            name: name, say: say, kind: kind, sets: sets, sides: sides, first: first,
            transition: transition, switchTime: switchTime, setRest: setRest, countdown: countdown,
            halfway: halfway, position: Self.position(of: node))
    }

    // MARK: Keys

    /// Reports the keys of a step that no kind of step allows; returns whether one of them looks
    /// like a misspelt `hold` or `breaths`.
    @discardableResult
    mutating func reportUnknownKeys(in mapping: Node.Mapping) -> Bool {
        let allowed = RoutineKeys.commonStepOrder + RoutineKeys.holdStepOrder + RoutineKeys.breathStepOrder
        var misspeltKind = false
        for (key, _) in mapping {
            guard let name = keyName(key, reporting: false), !allowed.contains(name) else { continue }
            if RoutineKeys.defaultsOnly.contains(name) {
                report(key, "`\(name)` can be set only in `defaults`, not in a step")
            } else {
                if let nearest = RoutineKeys.suggestion(for: name, among: allowed), nearest == "hold" || nearest == "breaths" {
                    misspeltKind = true
                }
                // A format 2 kind of step in a version 1 file: its message says what to add, and is enough.
                if ["tempo", "own_pace", "pause", "circuit", "breathing", "reps_in_all"].contains(name) { misspeltKind = true }
                reportUnknownKey(key, name, context: "in a step", allowed: allowed)
            }
        }
        return misspeltKind
    }

    /// Where a key may stand, for a message: "breath steps", "hold steps", "`defaults`", "the top level".
    static func placeOf(_ key: String) -> String {
        var places: [String] = []
        if RoutineKeys.breathStepOrder.contains(key) { places.append("breath steps") }
        if RoutineKeys.holdStepOrder.contains(key) { places.append("hold steps") }
        if RoutineKeys.defaultsOrder.contains(key) { places.append("`defaults`") }
        if RoutineKeys.topLevel2.contains(key) { places.append("the top level") }
        return places.isEmpty ? "another place" : places.joined(separator: " and ")
    }

    /// The text of a mapping key, or nil (with a report) when the key is not a plain string.
    mutating func keyName(_ key: Node, reporting: Bool = true) -> String? {
        guard let scalar = key.scalar else {
            if reporting { report(key, "a key must be a plain name such as `hold`, not \(Self.describe(key))") }
            return nil
        }
        return scalar.string
    }

    mutating func reportUnknownKey(_ key: Node, _ name: String, context: String, allowed: [String]) {
        guard !isFull else {
            notShown += 1
            return
        }
        if format == 1, RoutineKeys.format2Only.contains(name) {
            report(key, "`\(name)` is a format 2 key; add `format: 2` at the top of the file")
            return
        }
        var message = "unknown key `\(Self.quoteForMessage(name))` \(context)"
        let everyKey = Array(
            Set(
                allowed + RoutineKeys.topLevel + RoutineKeys.defaultsOrder + RoutineKeys.commonStepOrder
                    + RoutineKeys.holdStepOrder + RoutineKeys.breathStepOrder)
        ).sorted()
        let nearest = RoutineKeys.suggestion(for: name, among: allowed)
        if let anywhere = RoutineKeys.suggestion(for: name, among: everyKey), !allowed.contains(anywhere),
            nearest.map({ RoutineKeys.editDistance(name, anywhere) < RoutineKeys.editDistance(name, $0) }) ?? true
        {
            // `inhal` in a hold step: closest to a key of another place (a breath step's `inhale`).
            message += "; did you mean `\(anywhere)`? It belongs to \(Self.placeOf(anywhere)), not here."
        } else if let nearest {
            message += "; did you mean `\(nearest)`?"
        } else {
            message += "."
        }
        // `{tempo: lift 1s, hold 2s}` splits the tempo at its commas into keys such as `hold 2s`.
        if format == 2, name.contains(" "), name.contains(where: { $0.isASCII && $0.isNumber }) {
            message += "; a `tempo` written inside `{ }` needs quotes around it, as in `{tempo: \"lift 1s, lower 1s\"}`."
        }
        message += " Allowed keys: " + allowed.joined(separator: ", ")
        report(key, message)
    }

    // MARK: Values

    /// The string of a text value, or nil (reported) when it is not a scalar (`what` says what it
    /// must be), reads as another YAML type unquoted, or is empty (`empty` says what to give).
    mutating func textScalar(_ node: Node, key: String, what: String, empty: String) -> String? {
        guard let scalar = node.scalar else {
            report(node, "`\(key)` must be \(what), not \(Self.describe(node))")
            return nil
        }
        if scalar.style == .plain, let kind = Self.plainNonString(scalar.string) {
            report(
                node,
                kind == "null"
                    ? "`\(key)` is empty; \(empty)"
                    : "`\(key)` must be text, but `\(Self.quoteForMessage(scalar.string))` reads as a \(kind) in YAML; put it in quotes")
            return nil
        }
        if scalar.string.isEmpty {
            report(node, "`\(key)` is empty; \(empty)")
            return nil
        }
        return scalar.string
    }

    mutating func text(_ node: Node, key: String) -> String? {
        guard let value = textScalar(node, key: key, what: "one line of text", empty: "it needs 1 to 200 characters of text") else {
            return nil
        }
        if value.contains(where: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            report(node, "`\(key)` must be one line of text")
            return nil
        }
        if let control = value.unicodeScalars.first(where: Self.isControl) {
            report(node, "`\(key)` contains the control character U+\(Self.hex(control.value)); text may not contain control characters")
            return nil
        }
        let length = value.count
        if length > 200 {
            report(node, "`\(key)` is \(length) characters long; at most 200 are allowed")
            return nil
        }
        return value
    }

    private static let maximumAboutLength = 10_000

    mutating func aboutText(_ node: Node) -> String? {
        if Self.isNull(node) { return nil }
        guard let scalar = node.scalar else {
            report(node, "`about` must be text, not \(Self.describe(node))")
            return nil
        }
        if scalar.style == .plain, let kind = Self.plainNonString(scalar.string) {
            report(node, "`about` must be text, but `\(Self.quoteForMessage(scalar.string))` reads as a \(kind) in YAML; put it in quotes")
            return nil
        }
        let value = scalar.string
        if let control = value.unicodeScalars.first(where: { Self.isControl($0) && $0 != "\n" }) {
            report(node, "`about` contains the control character U+\(Self.hex(control.value)); only line breaks are allowed")
            return nil
        }
        if value.count > Self.maximumAboutLength {
            report(node, "`about` is \(value.count) characters long; at most 10000 are allowed")
            return nil
        }
        return value
    }

    mutating func duration(_ node: Node, _ key: String, _ type: RoutineKeys.ValueType) -> Ranged<Int64>? {
        guard case .duration = type else { return nil }
        guard let scalar = node.scalar, !Self.isNull(node) else {
            report(
                node,
                Self.isNull(node)
                    ? "`\(key)` has no value; give a duration such as 30s"
                    : "`\(key)` must be a duration such as 30s, 1m30s or 20-30s, not \(Self.describe(node))")
            return nil
        }
        return durationText(scalar.string, at: Self.position(of: node), key, type)
    }

    /// A duration or range read from `text`, problems reported at `position`.
    mutating func durationText(_ text: String, at position: SourcePosition, _ key: String, _ type: RoutineKeys.ValueType) -> Ranged<Int64>?
    {
        guard case let .duration(minimum, maximum) = type else { return nil }
        let value: Ranged<Int64>
        do {
            value = try DurationSyntax.durationOrRange(text)
        } catch {
            report(at: position, "`\(key)`: \(Self.message(of: error))")
            return nil
        }
        for end in Set([value.low, value.high]).sorted() {
            if end < minimum || end > maximum {
                report(at: position, "`\(key)` must be \(Self.rangeText(minimum, maximum)), not \(DurationText.spoken(end))")
                return nil
            }
            if minimum == 0, end > 0, end < RoutineKeys.shortestNonZero {
                report(at: position, "`\(key)` of \(DurationText.spoken(end)) is too short: a duration must be 0 or at least 10ms")
                return nil
            }
        }
        return value
    }

    mutating func count(_ node: Node, _ key: String, _ type: RoutineKeys.ValueType) -> Ranged<Int>? {
        guard case let .count(minimum, maximum) = type else { return nil }
        guard let scalar = node.scalar, !Self.isNull(node) else {
            report(
                node,
                Self.isNull(node)
                    ? "`\(key)` has no value; give a whole number from \(minimum) to \(maximum)"
                    : "`\(key)` must be a whole number or a range such as 6-8, not \(Self.describe(node))")
            return nil
        }
        let text = scalar.string
        let value: Ranged<Int>
        do {
            if text.contains("-") {
                value = try DurationSyntax.countRange(text)
            } else if scalar.style == .plain {
                value = Ranged(try DurationSyntax.count(text[...], whole: text[...]))
            } else {
                report(node, "`\(key)` must be a whole number written without quotes, such as 10")
                return nil
            }
        } catch {
            report(node, "`\(key)`: \(Self.message(of: error))")
            return nil
        }
        for end in Set([value.low, value.high]).sorted() where end < minimum || end > maximum {
            report(node, "`\(key)` must be from \(minimum) to \(maximum), not \(end)")
            return nil
        }
        return value
    }

    mutating func boolean(_ node: Node, _ key: String) -> Bool? {
        if let scalar = node.scalar, scalar.style == .plain {
            if scalar.string == "true" { return true }
            if scalar.string == "false" { return false }
        }
        report(node, "`\(key)` must be true or false, not \(Self.describe(node))")
        return nil
    }

    mutating func choice(_ node: Node, _ key: String, _ type: RoutineKeys.ValueType) -> String? {
        guard case let .choice(options) = type else { return nil }
        if let scalar = node.scalar, options.contains(scalar.string) { return scalar.string }
        report(node, "`\(key)` must be one of " + options.joined(separator: ", ") + ", not \(Self.describe(node))")
        return nil
    }

    // MARK: Helpers

    static func hasKey(_ mapping: Node.Mapping, _ name: String) -> Bool {
        mapping.contains { $0.key.scalar?.string == name }
    }

    static func message(of error: Error) -> String {
        (error as? DurationSyntax.Failure)?.message ?? "\(error)"
    }

    static func rangeText(_ minimum: Int64, _ maximum: Int64) -> String {
        minimum == 0
            ? "from 0 to \(DurationText.spoken(maximum))"
            : "from \(DurationText.spoken(minimum)) to \(DurationText.spoken(maximum))"
    }

    static func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar, scalar.style == .plain else { return false }
        return plainNonString(scalar.string) == "null"
    }

    /// What a plain scalar is when YAML 1.2's core schema reads it as something other than a string.
    static func plainNonString(_ text: String) -> String? {
        switch text {
        case "", "~", "null", "Null", "NULL": return "null"
        case "true", "True", "TRUE", "false", "False", "FALSE": return "boolean"
        case ".inf", ".Inf", ".INF", "-.inf", "-.Inf", "-.INF", "+.inf", "+.Inf", "+.INF", ".nan", ".NaN", ".NAN":
            return "number"
        default: break
        }
        var body = Substring(text)
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        if body.hasPrefix("0x"), body.count > 2, body.dropFirst(2).allSatisfy(\.isHexDigit) { return "number" }
        if body.hasPrefix("0o"), body.count > 2, body.dropFirst(2).allSatisfy({ ("0"..."7").contains($0) }) { return "number" }
        // [0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)? or \.[0-9]+(...)?
        var rest = body
        let integer = rest.prefix(while: { $0.isASCII && $0.isNumber })
        rest = rest.dropFirst(integer.count)
        var fraction: Substring = ""
        if rest.first == "." {
            rest = rest.dropFirst()
            fraction = rest.prefix(while: { $0.isASCII && $0.isNumber })
            rest = rest.dropFirst(fraction.count)
        }
        guard !integer.isEmpty || !fraction.isEmpty else { return nil }
        if rest.first == "e" || rest.first == "E" {
            rest = rest.dropFirst()
            if rest.first == "-" || rest.first == "+" { rest = rest.dropFirst() }
            let exponent = rest.prefix(while: { $0.isASCII && $0.isNumber })
            guard !exponent.isEmpty else { return nil }
            rest = rest.dropFirst(exponent.count)
        }
        return rest.isEmpty ? "number" : nil
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value)
    }

    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// Keys and values shown in messages are cut short so a hostile file cannot flood the terminal,
    /// and control characters are shown as escapes (`\u{1B}`) so they cannot reach it raw.
    static func quoteForMessage(_ text: String) -> String {
        let short = text.unicodeScalars.count > 40 ? String(String.UnicodeScalarView(text.unicodeScalars.prefix(40))) + "…" : text
        return escapingControls(short)
    }

    static func escapingControls(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0) || $0 == "\u{2028}" || $0 == "\u{2029}" }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isControl(scalar) || scalar == "\u{2028}" || scalar == "\u{2029}" {
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            if scalar.style == .plain, isNull(node) { return "an empty value" }
            return "`\(quoteForMessage(scalar.string))`"
        }
    }
}
