import Foundation

/// The voice's part of a session: the timeline with every `transition: fit` lengthened until what
/// is said in it fits, and the lines that still do not fit where they may go (docs/timeline.md,
/// "Where the voice speaks"), as warnings that name the step's place in the routine file.
public struct SpokenGuide: Sendable {
    public let timeline: Timeline
    /// Microseconds added to the transition before a step (by its index in the session) by `transition: fit`.
    public let lengthenedTransitions: [Int: Int64]
    let layout: SpeechLayout?
    private let positions: [SourcePosition]

    /// The timeline of `routine` as `Scheduler.schedule` makes it and, with a voice in `resources`,
    /// its lines synthesized (from the phrase cache where they are kept) and placed.
    public static func make(
        for routine: Routine, day: Int = 1, resources: RenderResources,
        shouldStop: () -> Bool = { false }
    ) throws -> SpokenGuide {
        func stop() throws {
            if shouldStop() { throw RenderError.interrupted(path: "", signal: StopSignal.signal) }
        }
        return try make(for: routine, day: day, sampleRate: resources.options.sampleRate, level: resources.options.level) { timeline in
            try layout(of: timeline, resources: resources, stop: stop)
        }
    }

    /// The guide with `layout` placing the lines over each timeline tried (nil: no voice).
    static func make(
        for routine: Routine, day: Int, sampleRate: Int, level: Level,
        layout makeLayout: (Timeline) throws -> SpeechLayout?
    ) throws -> SpokenGuide {
        let session = routine.session(level: level, day: day)
        var timeline = Scheduler.schedule(routine, sampleRate: sampleRate, level: level, day: day)
        var layout = try makeLayout(timeline)
        var lengthened: [Int: Int64] = [:]
        let fitting = Set(session.indices.filter { session[$0].extras.transitionFitsSpeech })
        // Each round adds what was missing; a longer transition can change what is said in it (a
        // transition that was 0 makes "Next: NAME" of a name), so it is checked again.
        for _ in 0..<4 where !fitting.isEmpty {
            guard let current = layout else { break }
            var more: [Int: Int64] = [:]
            for shortfall in current.shortfalls
            where fitting.contains(shortfall.line.step)
                && (shortfall.line.kind == .announcement || shortfall.line.kind == .instructions)
            {
                more[shortfall.line.step, default: 0] += microseconds(shortfall.missing, rate: sampleRate)
            }
            guard !more.isEmpty else { break }
            for (step, missing) in more {
                // Rounded up to 100 ms, with the margin kept around every line.
                let margin = Int64(SpeechLayout.margin * 1_000_000)
                lengthened[step, default: 0] += (missing + margin + 99_999) / 100_000 * 100_000
            }
            timeline = Scheduler.schedule(routine, sampleRate: sampleRate, level: level, day: day, lengthenedTransitions: lengthened)
            layout = try makeLayout(timeline)
        }
        return SpokenGuide(timeline: timeline, lengthenedTransitions: lengthened, layout: layout, positions: session.map(\.position))
    }

    /// The lines of the voice over `timeline`, placed; nil without a voice.
    static func layout(of timeline: Timeline, resources: RenderResources, stop: () throws -> Void) throws -> SpeechLayout? {
        guard let synthesizer = resources.speech, let voice = resources.options.voice else { return nil }
        let mix = resources.options.mix
        let lines = VoiceScript.lines(for: timeline, voice: voice, mix: mix)
        return try SpeechLayout(
            timeline: timeline, lines: lines,
            phrase: { text in
                try stop()
                return try synthesizer.phrase(text, shouldStop: { (try? stop()) == nil })
            }, sounds: CueMixer.soundSource(bank: resources.bank, mix: mix))
    }

    private static func microseconds(_ samples: Int64, rate: Int) -> Int64 {
        (samples * 1_000_000 + Int64(rate) - 1) / Int64(rate)
    }

    /// One line per lengthened transition: "transition before step 3 "Bridge" lengthened by 2.4 s to fit its speech".
    public var lengthenedTransitionNotes: [String] {
        lengthenedTransitions.sorted { $0.key < $1.key }.map { step, added in
            "transition before step \(step + 1) \"\(timeline.steps[step].name)\" lengthened by \(Self.seconds(added)) s to fit its speech (transition: fit)"
        }
    }

    /// The lines that do not fit, one warning per step and kind of line, each starting
    /// `PATH:LINE:COLUMN: warning:` at the step's place in the routine file.
    public func warnings(path: String) -> [String] {
        guard let layout else { return [] }
        struct Group: Hashable {
            var step: Int
            var kind: SpokenLine.Kind
        }
        var groups: [Group: [SpeechLayout.Shortfall]] = [:]
        var order: [Group] = []
        for shortfall in layout.shortfalls {
            let group = Group(step: shortfall.line.step, kind: shortfall.line.kind)
            if groups[group] == nil { order.append(group) }
            groups[group, default: []].append(shortfall)
        }
        let rate = Double(timeline.sampleRate)
        return order.map { group in
            let all = groups[group]!
            let worst = all.max { $0.missing < $1.missing }!
            let name = timeline.steps.indices.contains(group.step) ? timeline.steps[group.step].name : "?"
            let position = positions.indices.contains(group.step) ? positions[group.step] : SourcePosition(line: 1, column: 1)
            let length = Self.seconds(Int64(Double(worst.length) / rate * 1_000_000))
            let room = Self.seconds(Int64(Double(worst.room) / rate * 1_000_000))
            let missing = Self.seconds(Int64((Double(worst.missing) / rate * 1_000_000).rounded(.up)))
            let times = all.count > 1 ? " (\(all.count) times)" : ""
            let text = Self.quoted(worst.line.text)
            let said: String
            switch group.kind {
            case .announcement:
                said =
                    "its announcement \(text) takes \(length) s, and \(room) s are clear before the next sound; it is said anyway, "
                    + "over that sound (\(missing) s missing: lengthen its transition, or write `transition: fit`)"
            case .instructions:
                said =
                    "its instructions take \(length) s, and \(room) s are clear in its transition; they are left out "
                    + "(\(missing) s missing: lengthen its transition, or write `transition: fit`)"
            case .switchSides:
                said =
                    "\(text) takes \(length) s, and \(room) s are clear after the switch chime; it is left out\(times) "
                    + "(\(missing) s missing: lengthen its `switch`)"
            case .rest:
                said = "\(text) takes \(length) s, and \(room) s are clear in its rest; it is left out\(times) (\(missing) s missing)"
            case .count:
                said =
                    "the count \(text) takes \(length) s, and \(room) s are clear at the start of its rep; the go sound plays "
                    + "instead\(times) (\(missing) s missing)"
            case .halfway:
                said =
                    "\(text) takes \(length) s, and \(room) s are clear after the halfway taps; it is left out\(times) (\(missing) s missing)"
            case .phase:
                said =
                    "the phase name \(text) takes \(length) s, and \(room) s are clear in its phase; it is left out\(times) "
                    + "(\(missing) s missing)"
            case .countdown:
                said =
                    "the spoken countdown \(text) takes \(length) s, and \(room) s are clear before the next sound; the beep plays "
                    + "instead\(times) (\(missing) s missing)"
            case .signal:
                said =
                    "\(text) takes \(length) s, and \(room) s are clear before the next sound; it is left out\(times) (\(missing) s missing)"
            }
            return "\(PathBytes.display(path)):\(position.line):\(position.column): warning: step \(group.step + 1) \"\(name)\": \(said)"
        }
    }

    private static func quoted(_ text: String) -> String {
        let short = text.count > 40 ? String(text.prefix(37)) + "..." : text
        return "\"" + short + "\""
    }

    /// Microseconds as seconds with one decimal ("2.4").
    static func seconds(_ microseconds: Int64) -> String {
        let tenths = (microseconds + 50_000) / 100_000
        return "\(tenths / 10).\(tenths % 10)"
    }
}
