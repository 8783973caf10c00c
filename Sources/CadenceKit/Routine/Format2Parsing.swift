import Yams

/// The steps of a `format: 2` file: the kinds of step format 2 adds (tempo, own pace, pause), the
/// new keys of every kind, circuits, variants by level, `only_at` and `progress`. Every problem is
/// reported at the value or key at fault, like the rest of `RoutineParser`.
extension RoutineParser {
    typealias Pair = (key: Node, value: Node)

    /// What kind of step a format 2 entry is, from the key that makes it so.
    enum StepKind2: Hashable {
        case hold, breath, tempo, ownPace, pause, circuit

        /// "a hold step (it has `hold`)": how messages name the step they are about.
        var described: String {
            switch self {
            case .hold: return "a hold step (it has `hold`)"
            case .breath: return "a breath step (it has `breaths` or `breathing`)"
            case .tempo: return "a tempo step (it has `tempo`)"
            case .ownPace: return "an own-pace step (it has `own_pace`)"
            case .pause: return "a pause (it has `pause`)"
            case .circuit: return "a circuit (it has `circuit`)"
            }
        }

        var plural: String {
            switch self {
            case .hold: return "hold steps"
            case .breath: return "breath steps"
            case .tempo: return "tempo steps"
            case .ownPace: return "own-pace steps"
            case .pause: return "pauses"
            case .circuit: return "circuits"
            }
        }

        var allowedKeys: [String] {
            switch self {
            case .hold: return RoutineKeys.commonStep2 + RoutineKeys.holdStep2
            case .tempo: return RoutineKeys.commonStep2 + RoutineKeys.tempoStep2
            case .breath: return RoutineKeys.commonStep2 + RoutineKeys.breathStep2
            case .ownPace: return RoutineKeys.ownPaceStep2
            case .pause: return RoutineKeys.pauseStep2
            case .circuit: return RoutineKeys.circuit2
            }
        }

        static let all: [StepKind2] = [.hold, .breath, .tempo, .ownPace, .pause, .circuit]

        /// The kind a key makes a step, if it is one of the keys that decide the kind.
        init?(kindKey: String) {
            switch kindKey {
            case "hold": self = .hold
            case "breaths", "breathing": self = .breath
            case "tempo": self = .tempo
            case "own_pace": self = .ownPace
            case "pause": self = .pause
            case "circuit": self = .circuit
            default: return nil
            }
        }
    }

    // MARK: The list of steps

    mutating func parseEntries(_ node: Node, defaults: DefaultValues) -> [RoutineEntry]? {
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
        var entries: [RoutineEntry] = []
        for stepNode in sequence {
            if let entry = parseEntry(stepNode, inCircuit: false, defaults: defaults) { entries.append(entry) }
        }
        return entries.count == sequence.count ? entries : nil
    }

    /// The kind keys of a step's mapping: each kind once, with the first key that makes it.
    private mutating func kindKeys(_ pairs: [Pair]) -> [(kind: StepKind2, key: Node)] {
        var found: [(kind: StepKind2, key: Node)] = []
        for pair in pairs {
            guard let name = keyName(pair.key, reporting: false), let kind = StepKind2(kindKey: name) else { continue }
            if !found.contains(where: { $0.kind == kind }) { found.append((kind, pair.key)) }
        }
        if found.isEmpty {
            // `reps_in_all` with breath keys and no `breaths` is a breath step too.
            let names = pairs.compactMap { keyName($0.key, reporting: false) }
            if let inAll = pairs.first(where: { keyName($0.key, reporting: false) == "reps_in_all" }),
                names.contains(where: { ["inhale", "exhale", "hold_in", "hold_out", "start_on", "closing_breath"].contains($0) })
            {
                found.append((.breath, inAll.key))
            }
        }
        return found
    }

    mutating func parseEntry(_ node: Node, inCircuit: Bool, defaults: DefaultValues) -> RoutineEntry? {
        guard let mapping = node.mapping else {
            report(
                node,
                "a step must be a mapping with a `name` and one of `hold`, `breaths`, `tempo`, `own_pace`, "
                    + "or else `pause` or `circuit`, not \(Self.describe(node))")
            return nil
        }
        let pairs = mapping.map { (key: $0.key, value: $0.value) }
        let kinds = kindKeys(pairs)
        guard let (kind, kindKey) = kinds.first else {
            if !reportUnknownStepKeys(pairs) {
                report(
                    node,
                    "a step needs one of `hold` (a held stretch), `breaths` (a movement paced by breathing), "
                        + "`tempo` (reps made of timed phases) or `own_pace` (a block at your own pace), or else is a `pause` or a `circuit`"
                )
            }
            return nil
        }
        if kinds.count > 1 {
            reportUnknownStepKeys(pairs)
            let later = kinds.dropFirst().map(\.key).max { Self.position(of: $0) < Self.position(of: $1) }!
            let found = kinds.map { "`\($0.key.scalar?.string ?? "")`" }.joined(separator: " and ")
            report(
                later,
                "a step has exactly one of `hold`, `breaths`/`breathing`, `tempo`, `own_pace`, `pause` and `circuit`; "
                    + "this one has " + found)
            return nil
        }
        if kind == .circuit {
            if inCircuit {
                report(
                    kindKey,
                    "a circuit cannot hold another circuit; put its steps in this one, or make it a circuit of its own after this one")
                return nil
            }
            return parseCircuit(node, pairs, defaults: defaults).map(RoutineEntry.circuit)
        }
        return parseStepWithVariants(node, pairs, kind: kind, defaults: defaults).map(RoutineEntry.step)
    }

    /// Reports the keys of a step that no kind of step allows; returns whether one of them looks
    /// like a misspelt kind key (then the missing kind is not reported as well).
    @discardableResult
    private mutating func reportUnknownStepKeys(_ pairs: [Pair]) -> Bool {
        let allowed = RoutineKeys.everyStepKey2
        var misspeltKind = false
        for (key, _) in pairs {
            guard let name = keyName(key, reporting: false), !allowed.contains(name) else { continue }
            if RoutineKeys.defaultsOnly.contains(name) {
                report(key, "`\(name)` can be set only in `defaults`, not in a step")
                continue
            }
            if let nearest = RoutineKeys.suggestion(for: name, among: allowed), StepKind2(kindKey: nearest) != nil {
                misspeltKind = true
            }
            reportUnknownKey(key, name, context: "in a step", allowed: allowed)
        }
        return misspeltKind
    }

    // MARK: Variants and levels

    private mutating func parseStepWithVariants(_ node: Node, _ pairs: [Pair], kind: StepKind2, defaults: DefaultValues) -> Step? {
        var base: [Pair] = []
        var variants: [(level: Level, key: Node, value: Node)] = []
        var onlyAt: Node?
        for pair in pairs {
            let name = keyName(pair.key, reporting: false)
            if let name, let level = Level(rawValue: name) {
                variants.append((level, pair.key, pair.value))
            } else if name == "only_at" {
                onlyAt = pair.value
            } else {
                base.append(pair)
            }
        }
        var step = parseStepBody(node, base, kind: kind, defaults: defaults)
        for variant in variants {
            guard let changes = variantPairs(variant.value, level: variant.level, kind: kind) else { continue }
            let changed = Set(changes.compactMap { keyName($0.key, reporting: false) })
            let merged = base.filter { !changed.contains(keyName($0.key, reporting: false) ?? "") } + changes
            if let parsed = parseStepBody(node, merged, kind: kind, defaults: defaults) {
                step?.extras.variants[variant.level] = parsed
            } else {
                step = nil
            }
        }
        if let onlyAt {
            let levels = levels(onlyAt)
            step?.extras.onlyAt = levels
            if levels == nil { step = nil }
        }
        return step
    }

    /// The keys a variant (`easy: {hold: 10s}`) changes, after checking they can change.
    private mutating func variantPairs(_ node: Node, level: Level, kind: StepKind2) -> [Pair]? {
        guard let mapping = node.mapping else {
            report(
                node,
                "`\(level.rawValue)` holds the keys that change at that level, as in `\(level.rawValue): {hold: 10s}`; "
                    + "not \(Self.describe(node))")
            return nil
        }
        var pairs: [Pair] = []
        var good = true
        for (key, value) in mapping {
            guard let name = keyName(key) else {
                good = false
                continue
            }
            if RoutineKeys.variantLevels.contains(name) || name == "only_at" {
                report(key, "`\(name)` cannot stand inside a variant; put it in the step itself")
                good = false
            } else if let other = StepKind2(kindKey: name), other != kind {
                report(key, "a variant keeps the kind of its step: this is \(kind.described), so `\(level.rawValue)` cannot have `\(name)`")
                good = false
            } else {
                pairs.append((key, value))
            }
        }
        return good ? pairs : nil
    }

    /// `only_at: hard` or `only_at: [normal, hard]`: the levels, in their order, or nil (reported).
    mutating func levels(_ node: Node) -> [Level]? {
        let items: [Node]
        if let sequence = node.sequence {
            items = Array(sequence)
            if items.isEmpty {
                report(
                    node,
                    "`only_at` lists the levels the step is done at, such as `only_at: hard` or `only_at: [normal, hard]`; the list is empty"
                )
                return nil
            }
        } else {
            items = [node]
        }
        var levels: [Level] = []
        var good = true
        for item in items {
            guard let scalar = item.scalar, let level = Level(rawValue: scalar.string) else {
                var message = "`only_at` takes the levels easy, normal and hard, not \(Self.describe(item))"
                if let text = item.scalar?.string, let near = Spelling.suggestion(for: text, among: RoutineKeys.levelNames) {
                    message += "; did you mean `\(near)`?"
                }
                report(item, message)
                good = false
                continue
            }
            if levels.contains(level) {
                report(item, "`only_at` names `\(level.rawValue)` twice")
                good = false
            }
            levels.append(level)
        }
        guard good else { return nil }
        return Level.allCases.filter(levels.contains)
    }

    // MARK: One step

    /// The step made of `pairs` (the step's own keys, or a variant's merged with them).
    private mutating func parseStepBody(_ node: Node, _ pairs: [Pair], kind: StepKind2, defaults: DefaultValues) -> Step? {
        let allowed = kind.allowedKeys
        var name: String?, say: String?, instructions: String?
        var sets = Ranged(1), sides = Sides.none, first = Side.left
        var transition: Ranged<Int64>?, fitsSpeech = false
        var switchTime = defaults.switchTime, setRest = defaults.setRest, countdown = defaults.countdown, halfway = defaults.halfway
        var hold: Ranged<Int64>?, rightHold: Ranged<Int64>?
        var reps: Ranged<Int>?, rightReps: Ranged<Int>?
        var inAll: Ranged<Int>?, inAllKey: Node?
        var perSideValue: Node?, countKey: Node?
        var rest = defaults.rest
        var inhale = defaults.inhale, exhale = defaults.exhale, holdIn = defaults.holdIn, holdOut = defaults.holdOut
        var pattern: String?
        var breathKeys: [(name: String, key: Node)] = []
        var startsOnExhale = false, closing: BreathDirection?
        var phases: [TempoPhase]?
        var ownPace: Ranged<Int64>?, pulse = defaults.pulse
        var pauseName: String?, time: Ranged<Int64>?
        var progress: Pair?
        let before = errorCount

        for (key, value) in pairs {
            guard let keyText = keyName(key) else { continue }
            guard allowed.contains(keyText) else {
                reportMisplacedKey(key, keyText, in: kind)
                continue
            }
            switch keyText {
            case "name": name = text(value, key: keyText)
            case "say": say = text(value, key: keyText)
            case "instructions": instructions = longText(value, key: keyText, limit: RoutineKeys.maximumInstructions)
            case "sets": count(value, keyText, .count(minimum: 1, maximum: 100)).map { sets = $0 }
            case "sides": choice(value, keyText, .choice(["none", "each", "alternate"])).map { sides = Sides(rawValue: $0)! }
            case "first": choice(value, keyText, .choice(["left", "right"])).map { first = Side(rawValue: $0)! }
            case "transition":
                // `fit`: the transition it would have, lengthened by the voice to fit what it says.
                if value.scalar?.string == "fit" { fitsSpeech = true } else { transition = duration(value, keyText, RoutineKeys.pause) }
            case "switch": duration(value, keyText, RoutineKeys.pause).map { switchTime = $0 }
            case "set_rest": duration(value, keyText, RoutineKeys.pause).map { setRest = $0 }
            case "countdown": count(value, keyText, .count(minimum: 0, maximum: 10)).map { countdown = $0 }
            case "halfway": boolean(value, keyText).map { halfway = $0 }
            case "hold":
                if let (left, right) = perSideDuration(value, keyText, RoutineKeys.holdLength) {
                    hold = left
                    rightHold = right
                    if right != nil { perSideValue = value }
                }
            case "reps", "breaths":
                countKey = key
                if let (left, right) = perSideCount(value, keyText, RoutineKeys.repCount) {
                    reps = left
                    rightReps = right
                    if right != nil { perSideValue = value }
                }
            case "reps_in_all":
                inAllKey = key
                inAll = count(value, keyText, RoutineKeys.inAllCount)
            case "rest": duration(value, keyText, RoutineKeys.pause).map { rest = $0 }
            case "inhale":
                breathKeys.append((keyText, key))
                duration(value, keyText, RoutineKeys.breathPhase).map { inhale = $0 }
            case "exhale":
                breathKeys.append((keyText, key))
                duration(value, keyText, RoutineKeys.breathPhase).map { exhale = $0 }
            case "hold_in":
                breathKeys.append((keyText, key))
                duration(value, keyText, RoutineKeys.breathHold).map { holdIn = $0 }
            case "hold_out":
                breathKeys.append((keyText, key))
                duration(value, keyText, RoutineKeys.breathHold).map { holdOut = $0 }
            case "breathing": pattern = word(value, keyText, among: RoutineKeys.breathingPatterns)
            case "start_on": word(value, keyText, among: ["inhale", "exhale"]).map { startsOnExhale = $0 == "exhale" }
            case "closing_breath": word(value, keyText, among: ["inhale", "exhale"]).map { closing = BreathDirection(rawValue: $0) }
            case "tempo": phases = tempo(value)
            case "own_pace": ownPace = duration(value, keyText, RoutineKeys.ownPaceLength)
            case "pulse": pulse = pulseDuration(value) ?? pulse
            case "pause": pauseName = text(value, key: keyText)
            case "time": time = duration(value, keyText, RoutineKeys.pauseLength)
            case "progress": progress = (key, value)
            default: break
            }
        }

        let names = Set(pairs.compactMap { keyName($0.key, reporting: false) })
        if kind != .pause, !names.contains("name") { report(node, "this step has no `name`; every step needs one") }
        if kind == .pause, !names.contains("time") { report(node, "a pause needs `time`, how long it lasts, such as `time: 15s`") }
        if let perSideValue, sides == .none {
            report(perSideValue, "values per side (`left:` and `right:`) need `sides: each` or `sides: alternate`")
        }
        if let inAllKey {
            if sides != .alternate {
                report(inAllKey, "`reps_in_all` counts the reps of both sides together, so it needs `sides: alternate`")
            }
            if let countKey {
                let countName = keyName(countKey, reporting: false) ?? "reps"
                report(inAllKey, "give `\(countName)` (per side) or `reps_in_all` (both sides together), not both")
            }
        }
        if kind == .breath, countKey == nil, inAllKey == nil {
            report(node, "a breath step needs `breaths` (the cycles on each side), or `reps_in_all` with `sides: alternate`")
        }
        if let pattern {
            for (keyText, key) in breathKeys {
                report(key, "`\(keyText)` is already given by `breathing: \(pattern)`; leave one of them out")
            }
        }
        guard errorCount == before else { return nil }

        var extras = StepExtras()
        extras.isFormat2 = true
        extras.instructions = instructions
        extras.rightHold = rightHold
        extras.rightReps = rightReps
        extras.countIsInAll = inAll != nil
        extras.startsOnExhale = startsOnExhale
        extras.closingBreath = closing
        extras.hasOwnTransition = transition != nil || kind == .pause
        extras.transitionFitsSpeech = fitsSpeech || (transition == nil && kind != .pause && defaults.transitionFitsSpeech)
        let count = inAll ?? reps ?? Ranged(1)
        let stepKind: Step.Kind
        switch kind {
        case .hold:
            guard let hold else { return nil }
            stepKind = .hold(hold: hold, reps: count, rest: rest)
        case .tempo:
            guard let phases else { return nil }
            stepKind = .tempo(phases: phases, reps: count, rest: rest)
        case .breath:
            if let pattern {
                Self.apply(
                    pattern, inhale: &inhale, exhale: &exhale, holdIn: &holdIn, holdOut: &holdOut,
                    secondInhale: &extras.secondInhale)
            }
            stepKind = .breath(breaths: count, inhale: inhale, exhale: exhale, holdIn: holdIn, holdOut: holdOut)
        case .ownPace:
            guard let ownPace else { return nil }
            stepKind = .ownPace(length: ownPace, pulse: pulse, reps: count, rest: rest)
        case .pause:
            guard let time else { return nil }
            stepKind = .pause(length: time)
        case .circuit:
            return nil
        }
        guard let stepName = name ?? pauseName else { return nil }
        var step = Step(
            name: stepName, say: say, kind: stepKind, sets: sets, sides: sides, first: first,
            transition: transition ?? (kind == .pause ? Ranged(0) : defaults.transition),
            switchTime: switchTime, setRest: setRest, countdown: countdown, halfway: halfway,
            position: Self.position(of: node))
        step.extras = extras
        if let progress {
            guard let values = progressValues(progress, of: step, kind: kind, countKey: countKey) else { return nil }
            step.extras.progress = values
        }
        return step
    }

    /// The values a breathing pattern gives (routine-format.md, "Breath steps in format 2").
    static func apply(
        _ pattern: String, inhale: inout Ranged<Int64>, exhale: inout Ranged<Int64>,
        holdIn: inout Ranged<Int64>, holdOut: inout Ranged<Int64>, secondInhale: inout Ranged<Int64>?
    ) {
        let s = RoutineKeys.second
        let values: (Int64, Int64, Int64, Int64)
        switch pattern {
        case "box": values = (4 * s, 4 * s, 4 * s, 4 * s)
        case "4-7-8": values = (4 * s, 7 * s, 8 * s, 0)
        case "coherent": values = (5_500_000, 0, 5_500_000, 0)
        default:
            values = (2 * s, 0, 6 * s, 0)
            secondInhale = Ranged(s)
        }
        inhale = Ranged(values.0)
        holdIn = Ranged(values.1)
        exhale = Ranged(values.2)
        holdOut = Ranged(values.3)
    }

    /// A key that this kind of step does not take: another kind's key, a key of `defaults`, or unknown.
    private mutating func reportMisplacedKey(_ key: Node, _ name: String, in kind: StepKind2) {
        if RoutineKeys.defaultsOnly.contains(name) {
            report(key, "`\(name)` can be set only in `defaults`, not in a step")
            return
        }
        if name == "name", kind == .pause {
            report(key, "a pause is named by its `pause` value (`pause: Get into position`); leave `name` out")
            return
        }
        let owners = StepKind2.all.filter { $0 != kind && $0.allowedKeys.contains(name) }
        if !owners.isEmpty {
            let list = owners.map(\.plural)
            let joined = list.count == 1 ? list[0] : list.dropLast().joined(separator: ", ") + " and " + list.last!
            report(key, "`\(name)` belongs to \(joined), and this is \(kind.described)")
            return
        }
        reportUnknownKey(key, name, context: kind == .circuit ? "in a circuit" : "in a step", allowed: kind.allowedKeys)
    }

    // MARK: Values of format 2

    /// A fixed word, with a did-you-mean for a near miss.
    mutating func word(_ node: Node, _ key: String, among options: [String]) -> String? {
        if let scalar = node.scalar, options.contains(scalar.string) { return scalar.string }
        var message = "`\(key)` must be one of " + options.joined(separator: ", ") + ", not \(Self.describe(node))"
        if let text = node.scalar?.string, let near = Spelling.suggestion(for: text, among: options) {
            message += "; did you mean `\(near)`?"
        }
        report(node, message)
        return nil
    }

    /// Text of up to `limit` characters that may span lines (`instructions`).
    mutating func longText(_ node: Node, key: String, limit: Int) -> String? {
        guard
            let value = textScalar(node, key: key, what: "text", empty: "give up to \(limit) characters of text, or leave the key out")
        else { return nil }
        if let control = value.unicodeScalars.first(where: { Self.isControl($0) && $0 != "\n" }) {
            report(node, "`\(key)` contains the control character U+\(Self.hex(control.value)); only line breaks are allowed")
            return nil
        }
        if value.count > limit {
            report(node, "`\(key)` is \(value.count) characters long; at most \(limit) are allowed")
            return nil
        }
        return value
    }

    /// `pulse`: 0 (no pulse) or 1 s to 1 min.
    private mutating func pulseDuration(_ node: Node) -> Ranged<Int64>? {
        guard let value = duration(node, "pulse", RoutineKeys.pulse) else { return nil }
        for end in [value.low, value.high] where end > 0 && end < RoutineKeys.shortestPulse {
            report(node, "`pulse` must be 0 (no pulse) or at least 1s, not \(DurationText.spoken(end))")
            return nil
        }
        return value
    }

    /// A duration, or `{left: A, right: B}` for a different value on each side.
    private mutating func perSideDuration(_ node: Node, _ key: String, _ type: RoutineKeys.ValueType)
        -> (Ranged<Int64>, Ranged<Int64>?)?
    {
        guard node.mapping != nil else { return duration(node, key, type).map { ($0, nil) } }
        guard let (left, right) = perSide(node, key) else { return nil }
        guard let leftValue = duration(left, key, type), let rightValue = duration(right, key, type) else { return nil }
        return (leftValue, rightValue)
    }

    private mutating func perSideCount(_ node: Node, _ key: String, _ type: RoutineKeys.ValueType) -> (Ranged<Int>, Ranged<Int>?)? {
        guard node.mapping != nil else { return count(node, key, type).map { ($0, nil) } }
        guard let (left, right) = perSide(node, key) else { return nil }
        guard let leftValue = count(left, key, type), let rightValue = count(right, key, type) else { return nil }
        return (leftValue, rightValue)
    }

    /// The `left` and `right` values of a per-side mapping.
    private mutating func perSide(_ node: Node, _ key: String) -> (Node, Node)? {
        guard let mapping = node.mapping else { return nil }
        var left: Node?, right: Node?
        var good = true
        for (sideKey, value) in mapping {
            guard let name = keyName(sideKey) else {
                good = false
                continue
            }
            switch name {
            case "left": left = value
            case "right": right = value
            default:
                var message = "`\(key)` per side takes `left` and `right`, not `\(Self.quoteForMessage(name))`"
                if let near = Spelling.suggestion(for: name, among: ["left", "right"]) { message += "; did you mean `\(near)`?" }
                report(sideKey, message)
                good = false
            }
        }
        guard good else { return nil }
        guard let left, let right else {
            report(node, "`\(key)` per side needs both `left:` and `right:`, as in `\(key): {left: 30s, right: 45s}`")
            return nil
        }
        return (left, right)
    }

    // MARK: Tempo

    /// `tempo: pull 2s, lower 2s`, or a list of `- lift: 3s` / `- {name: Lift your hips, time: 3s}`.
    private mutating func tempo(_ node: Node) -> [TempoPhase]? {
        var phases: [TempoPhase] = []
        var good = true
        if let scalar = node.scalar, !Self.isNull(node) {
            for part in TempoSyntax.parts(scalar.string) {
                switch part {
                case .failure(let failure):
                    report(at: Self.position(of: node, offset: failure.offset), "`tempo`: \(failure.message)")
                    good = false
                case .success(let part):
                    let wordsAt = Self.position(of: node, offset: part.wordsOffset)
                    let timeAt = Self.position(of: node, offset: part.timeOffset)
                    if let phase = tempoPhase(
                        words: part.words, label: TempoSyntax.label(part.words), wordsAt: wordsAt,
                        time: part.time, timeAt: timeAt)
                    {
                        phases.append(phase)
                    } else {
                        good = false
                    }
                }
            }
        } else if let sequence = node.sequence, !sequence.isEmpty {
            for item in sequence {
                if let phase = tempoItem(item) { phases.append(phase) } else { good = false }
            }
        } else {
            report(
                node,
                "`tempo` lists the phases of one rep, as in `tempo: pull 2s, lower 2s` or a list of `- lift: 3s`; "
                    + "not \(Self.describe(node))")
            return nil
        }
        guard good else { return nil }
        if phases.count > RoutineKeys.maximumPhases {
            report(node, "`tempo` has \(phases.count) phases; a rep may have at most \(RoutineKeys.maximumPhases)")
            return nil
        }
        return phases
    }

    /// One item of a tempo list: `- lift: 3s` or `- {name: Lift your hips, time: 3s}`.
    private mutating func tempoItem(_ node: Node) -> TempoPhase? {
        guard let mapping = node.mapping, !mapping.isEmpty else {
            report(
                node,
                "a phase of `tempo` is `- WORDS: TIME` (such as `- lift: 3s`) or `- {name: ..., time: ...}`, not \(Self.describe(node))")
            return nil
        }
        let pairs = mapping.map { (key: $0.key, value: $0.value) }
        let names = pairs.compactMap { keyName($0.key, reporting: false) }
        if names.contains("name") || names.contains("time") {
            var label: String?, timeNode: Node?, labelNode: Node?
            for (key, value) in pairs {
                guard let name = keyName(key) else { return nil }
                switch name {
                case "name":
                    label = text(value, key: "name")
                    labelNode = value
                case "time": timeNode = value
                default:
                    reportUnknownKey(key, name, context: "in a phase of `tempo`", allowed: ["name", "time"])
                    return nil
                }
            }
            guard let labelNode, let timeNode else {
                report(node, "a phase written as a mapping needs both `name` and `time`, as in `- {name: Lift your hips, time: 3s}`")
                return nil
            }
            guard let label, let time = timeNode.scalar?.string else {
                if timeNode.scalar == nil {
                    report(timeNode, "the `time` of a phase must be a duration such as 3s, not \(Self.describe(timeNode))")
                }
                return nil
            }
            return tempoPhase(
                words: label, label: label, wordsAt: Self.position(of: labelNode),
                time: time, timeAt: Self.position(of: timeNode))
        }
        guard pairs.count == 1, let (key, value) = pairs.first, let words = key.scalar?.string else {
            report(node, "a phase of `tempo` is one `WORDS: TIME` pair, such as `- lift: 3s`")
            return nil
        }
        guard let time = value.scalar?.string, !Self.isNull(value) else {
            report(value, "the phase `\(Self.quoteForMessage(words))` needs a time, such as `- \(Self.quoteForMessage(words)): 3s`")
            return nil
        }
        return tempoPhase(
            words: words, label: TempoSyntax.label(words), wordsAt: Self.position(of: key),
            time: time, timeAt: Self.position(of: value))
    }

    private mutating func tempoPhase(
        words: String, label: String, wordsAt: SourcePosition, time: String,
        timeAt: SourcePosition
    ) -> TempoPhase? {
        let kind: TempoPhase.Kind
        switch TempoSyntax.kind(of: words) {
        case .failure(let failure):
            report(at: wordsAt, "`tempo`: \(failure.message)")
            return nil
        case .success(let found): kind = found
        }
        if label.count > 200 {
            report(at: wordsAt, "`tempo`: a phase's name is \(label.count) characters long; at most 200 are allowed")
            return nil
        }
        let type: RoutineKeys.ValueType
        switch kind {
        case .inhale, .exhale: type = RoutineKeys.breathPhase
        case .hold: type = RoutineKeys.holdLength
        case .move: type = .duration(minimum: RoutineKeys.second / 10, maximum: 10 * RoutineKeys.minute)
        }
        guard let length = durationText(time, at: timeAt, "tempo` phase `\(Self.quoteForMessage(label))", type) else { return nil }
        return TempoPhase(label: label, kind: kind, length: length, position: wordsAt)
    }

    /// The position `offset` characters into a one-line scalar (after its opening quote, if any).
    static func position(of node: Node, offset: Int) -> SourcePosition {
        var position = position(of: node)
        guard let scalar = node.scalar, !scalar.string.contains("\n") else { return position }
        switch scalar.style {
        case .plain: position.column += offset
        case .singleQuoted, .doubleQuoted: position.column += offset + 1
        default: break
        }
        return position
    }

    // MARK: Progress

    /// `progress: {hold: 30s, reps: 10}`: the values on the last day, checked against the step.
    private mutating func progressValues(_ pair: Pair, of step: Step, kind: StepKind2, countKey: Node?) -> [String: ProgressValue]? {
        guard days != nil else {
            report(
                pair.key,
                "`progress` gives the values of the last day of a program; add `days:` (how many days it lasts) at the top of the file")
            return nil
        }
        guard let mapping = pair.value.mapping, !mapping.isEmpty else {
            report(
                pair.value, "`progress` holds the values on the last day, such as `progress: {hold: 30s}`; not \(Self.describe(pair.value))"
            )
            return nil
        }
        let countName =
            step.extras.countIsInAll
            ? "reps_in_all" : (countKey.flatMap { keyName($0, reporting: false) } ?? (kind == .breath ? "breaths" : "reps"))
        var allowed: [String]
        switch kind {
        case .hold: allowed = ["hold", countName, "sets", "rest"]
        case .tempo: allowed = [countName, "sets", "rest"]
        case .breath: allowed = [countName, "sets", "inhale", "exhale", "hold_in", "hold_out"]
        case .ownPace: allowed = ["own_pace", countName, "sets", "rest"]
        case .pause: allowed = ["time"]
        case .circuit: allowed = []
        }
        var values: [String: ProgressValue] = [:]
        var good = true
        for (key, value) in mapping {
            guard let name = keyName(key) else {
                good = false
                continue
            }
            guard allowed.contains(name) else {
                if ["reps", "breaths", "reps_in_all"].contains(name), allowed.contains(countName) {
                    report(key, "this step counts with `\(countName)`, so its progress is `\(countName)` too")
                } else if RoutineKeys.progressKeys.contains(name) {
                    report(key, "`\(name)` cannot progress in \(kind.described); keys that can: " + allowed.joined(separator: ", "))
                } else {
                    reportUnknownKey(key, name, context: "in `progress`", allowed: allowed)
                }
                good = false
                continue
            }
            switch name {
            case "hold":
                guard let (left, right) = perSideDuration(value, name, RoutineKeys.holdLength) else {
                    good = false
                    continue
                }
                if right != nil, step.extras.rightHold == nil {
                    report(value, "`hold` is one value in this step, so its progress is one value too")
                    good = false
                }
                values[name] = .duration(left, right: right)
            case "reps", "breaths":
                guard let (left, right) = perSideCount(value, name, RoutineKeys.repCount) else {
                    good = false
                    continue
                }
                if right != nil, step.extras.rightReps == nil {
                    report(value, "`\(name)` is one value in this step, so its progress is one value too")
                    good = false
                }
                values[name] = .count(left, right: right)
            case "reps_in_all":
                guard let last = count(value, name, RoutineKeys.inAllCount) else {
                    good = false
                    continue
                }
                values[name] = .count(last, right: nil)
            case "sets":
                guard let last = count(value, name, .count(minimum: 1, maximum: 100)) else {
                    good = false
                    continue
                }
                values[name] = .count(last, right: nil)
            case "rest":
                guard let last = duration(value, name, RoutineKeys.pause) else {
                    good = false
                    continue
                }
                values[name] = .duration(last, right: nil)
            case "inhale", "exhale":
                guard let last = duration(value, name, RoutineKeys.breathPhase) else {
                    good = false
                    continue
                }
                values[name] = .duration(last, right: nil)
            case "hold_in", "hold_out":
                guard let last = duration(value, name, RoutineKeys.breathHold) else {
                    good = false
                    continue
                }
                values[name] = .duration(last, right: nil)
            case "own_pace":
                guard let last = duration(value, name, RoutineKeys.ownPaceLength) else {
                    good = false
                    continue
                }
                values[name] = .duration(last, right: nil)
            case "time":
                guard let last = duration(value, name, RoutineKeys.pauseLength) else {
                    good = false
                    continue
                }
                values[name] = .duration(last, right: nil)
            default: break
            }
        }
        return good ? values : nil
    }

    // MARK: Circuits

    private mutating func parseCircuit(_ node: Node, _ pairs: [Pair], defaults: DefaultValues) -> Circuit? {
        var name: String?, rounds: Ranged<Int>?, roundRest: Ranged<Int64>?, steps: [Step]?
        var onlyAt: [Level]?, variants: [(Level, Node)] = [], progress: Node?, progressKey: Node?
        let before = errorCount
        var sawSteps = false
        for (key, value) in pairs {
            guard let keyText = keyName(key) else { continue }
            switch keyText {
            case "circuit": name = text(value, key: keyText)
            case "rounds": rounds = count(value, keyText, RoutineKeys.roundCount)
            case "round_rest": roundRest = duration(value, keyText, RoutineKeys.pause)
            case "steps":
                sawSteps = true
                steps = circuitSteps(value, defaults: defaults)
            case "only_at": onlyAt = levels(value)
            case "easy", "normal", "hard": variants.append((Level(rawValue: keyText)!, value))
            case "progress":
                progressKey = key
                progress = value
            default: reportMisplacedKey(key, keyText, in: .circuit)
            }
        }
        if rounds == nil, !Self.hasKey(node.mapping!, "rounds") {
            report(node, "a circuit needs `rounds`, how many times its steps are done, such as `rounds: 3`")
        }
        if !sawSteps { report(node, "a circuit needs `steps`, the list of steps done in each round") }
        guard errorCount == before, let name, let rounds, let steps else { return nil }
        var circuit = Circuit(
            name: name, rounds: rounds, roundRest: roundRest, steps: steps, onlyAt: onlyAt,
            position: Self.position(of: node))
        if let progress, let progressKey {
            guard let values = circuitProgress(progressKey, progress) else { return nil }
            circuit.progress = values
        }
        for (level, value) in variants {
            guard let mapping = value.mapping else {
                report(
                    value,
                    "`\(level.rawValue)` holds the keys that change at that level, as in `\(level.rawValue): {rounds: 2}`; not \(Self.describe(value))"
                )
                return nil
            }
            var variant = Circuit.CircuitVariant(rounds: rounds, roundRest: roundRest, progress: circuit.progress)
            for (key, value) in mapping {
                guard let keyText = keyName(key) else { return nil }
                switch keyText {
                case "rounds":
                    guard let value = count(value, keyText, RoutineKeys.roundCount) else { return nil }
                    variant.rounds = value
                case "round_rest":
                    guard let value = duration(value, keyText, RoutineKeys.pause) else { return nil }
                    variant.roundRest = value
                case "progress":
                    guard let values = circuitProgress(key, value) else { return nil }
                    variant.progress = values
                default:
                    report(
                        key,
                        "a circuit's `\(level.rawValue)` can change `rounds`, `round_rest` and `progress`; "
                            + "give other differences in the steps themselves, not `\(Self.quoteForMessage(keyText))`")
                    return nil
                }
            }
            circuit.variants[level] = variant
        }
        return circuit
    }

    private mutating func circuitProgress(_ key: Node, _ value: Node) -> [String: ProgressValue]? {
        guard days != nil else {
            report(
                key, "`progress` gives the values of the last day of a program; add `days:` (how many days it lasts) at the top of the file"
            )
            return nil
        }
        guard let mapping = value.mapping, !mapping.isEmpty else {
            report(value, "`progress` holds the values on the last day, such as `progress: {rounds: 4}`; not \(Self.describe(value))")
            return nil
        }
        var values: [String: ProgressValue] = [:]
        for (progressKey, progressValue) in mapping {
            guard let name = keyName(progressKey) else { return nil }
            guard name == "rounds" else {
                reportUnknownKey(progressKey, name, context: "in a circuit's `progress`", allowed: ["rounds"])
                return nil
            }
            guard let last = count(progressValue, name, RoutineKeys.roundCount) else { return nil }
            values[name] = .count(last, right: nil)
        }
        return values
    }

    private mutating func circuitSteps(_ node: Node, defaults: DefaultValues) -> [Step]? {
        guard let sequence = node.sequence, !sequence.isEmpty else {
            report(node, "a circuit's `steps` is a list of 1 to \(RoutineKeys.maximumCircuitSteps) steps, not \(Self.describe(node))")
            return nil
        }
        if sequence.count > RoutineKeys.maximumCircuitSteps {
            report(
                sequence[RoutineKeys.maximumCircuitSteps],
                "too many steps in one circuit: \(sequence.count); a circuit may have at most \(RoutineKeys.maximumCircuitSteps)")
            return nil
        }
        var steps: [Step] = []
        var good = true
        for item in sequence {
            if case .step(let step)? = parseEntry(item, inCircuit: true, defaults: defaults) { steps.append(step) } else { good = false }
        }
        return good ? steps : nil
    }
}
