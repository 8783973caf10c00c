/// Where each spoken line goes in the track (docs/timeline.md, "Where the voice speaks"): never over
/// another cue's sound or another line, never later than its cue (announcements may start earlier
/// inside their transition; the lines that follow a sound start when it has played), and never
/// moving the timeline. A line that cannot fit is left out (its cue's sound plays as without a
/// voice) and reported, except a step's announcement, which is said on its cue anyway.
struct SpeechLayout: Sendable {
    /// A cue, for the sounds that a placed line replaces or cuts short.
    struct CueKey: Hashable, Sendable {
        var type: CueType
        var sample: Int64
        var step: Int

        init(_ cue: Cue) {
            type = cue.type
            sample = cue.sample
            step = cue.step
        }
    }

    struct Placed: Sendable {
        var start: Int64
        var samples: [Float]
        var line: SpokenLine
    }

    /// A line that does not fit where it may go: how long it is and how much room there is (samples).
    struct Shortfall: Sendable {
        var line: SpokenLine
        var length: Int64
        var room: Int64
        /// Whether it was left out (else it is said anyway, overlapping: announcements).
        var isLeftOut: Bool

        var missing: Int64 { max(0, length - room) }
    }

    /// The lines placed, in order of their start.
    private(set) var placed: [Placed] = []
    /// The cue sounds that lines replace.
    private(set) var replaced: Set<CueKey> = []
    /// Cue sounds whose ringing tail a line cuts: they end (faded) after this many samples.
    private(set) var cutLengths: [CueKey: Int] = [:]
    private(set) var shortfalls: [Shortfall] = []

    /// Space kept clear before and after every line (100 ms).
    static let margin = 0.1
    /// A sound that began at least this long (150 ms) before an announcement may have its ringing
    /// tail cut by it: its attack has been heard.
    static let heardAttack = 0.15

    private struct Obstacle {
        var start: Int64
        var end: Int64
        var key: CueKey?
        /// A tone whose tail an announcement may cut (not speech, not a breath tone).
        var isCuttable: Bool
        /// A breath tone or held-breath hum, which a word on its cue may be said over.
        var isBreath = false
        var isRemoved = false
    }

    private var obstacles: [Obstacle] = []
    private var longestObstacle: Int64 = 0
    private let margin: Int64
    private let heardAttack: Int64

    /// - Parameters:
    ///   - phrase: the samples of a text spoken, or nil when it has nothing to say; asked for each
    ///     line's text, and for its shorter form only where that is needed.
    ///   - sounds: the cue sounds without the voice (`CueMixer.soundSource` with no speech).
    init(timeline: Timeline, lines: [SpokenLine], phrase: (String) throws -> [Float]?, sounds: (Cue) -> [CueMixer.Source]) rethrows {
        margin = Int64(Self.margin * Double(timeline.sampleRate))
        heardAttack = Int64(Self.heardAttack * Double(timeline.sampleRate))
        var phrases: [String: [Float]] = [:]
        for text in Set(lines.map(\.text)).sorted() {
            if let samples = try phrase(text) { phrases[text] = samples }
        }
        let spokenAnnouncements = Set(lines.filter { $0.kind == .announcement && phrases[$0.text] != nil }.map { CueKey($0.cue) })
        for cue in timeline.cues where cue.sample < timeline.totalSamples {
            let key = CueKey(cue)
            if cue.type == .announce, spokenAnnouncements.contains(key) { continue }
            for sound in sounds(cue) {
                let length = Int64(sound.length)
                guard length > 0 else { continue }
                let breath = cue.type == .inhale || cue.type == .exhale || cue.type == .breathHold
                obstacles.append(
                    Obstacle(
                        start: cue.sample, end: min(timeline.totalSamples, cue.sample + length), key: key,
                        isCuttable: !breath, isBreath: breath))
                longestObstacle = max(longestObstacle, length)
            }
        }
        obstacles.sort { $0.start < $1.start }
        for line in lines {
            guard let samples = phrases[line.text] else { continue }
            let total = timeline.totalSamples
            if let start = start(for: line, length: Int64(samples.count), total: total) {
                commit(line, samples: samples, at: start)
            } else if let shorter = line.shorter, let brief = try phrases[shorter] ?? phrase(shorter),
                let start = start(for: line, length: Int64(brief.count), total: total)
            {
                // The shorter way to say it, where the whole line does not fit.
                var line = line
                line.text = shorter
                commit(line, samples: brief, at: start)
            } else {
                miss(line, samples: samples, total: total)
            }
        }
        placed.sort { $0.start < $1.start }
    }

    /// Where `line` can start, `length` samples long, clear of every sound and line; nil where it cannot.
    private func start(for line: SpokenLine, length: Int64, total: Int64) -> Int64? {
        let cue = line.cue.sample
        switch line.placement {
        case .onCue:
            // A word on its cue ("Go" as a breath begins, "One") may be said over a breath's soft tone.
            let clear = blocking(cue, cue + length, ignoring: CueKey(line.cue), cutting: false, overBreath: true).isEmpty
            return clear && cue + length <= total ? cue : nil
        case .byCue(let earliest):
            var start = cue
            while start >= earliest {
                let blockers = blocking(start, start + length, ignoring: nil, cutting: true)
                if blockers.isEmpty, start + length <= total { return start }
                start = (blockers.map(\.start).min() ?? total) - margin - length
            }
            return nil
        case .afterCue(let latest):
            var start = cue
            while start + length <= min(latest, total) {
                let blockers = blocking(start, start + length, ignoring: nil, cutting: false)
                if blockers.isEmpty { return start }
                start = blockers.map(\.end).max()! + margin
            }
            return nil
        }
    }

    private mutating func commit(_ line: SpokenLine, samples: [Float], at start: Int64) {
        let own = CueKey(line.cue)
        if case .byCue = line.placement { cutTails(at: start) }
        accept(line, samples: samples, at: start)
        if line.replacesCueSound {
            replaced.insert(own)
            for index in obstacles.indices where obstacles[index].key == own { obstacles[index].isRemoved = true }
        }
    }

    /// A line that does not fit: reported, and left out unless it is essential, which is said anyway
    /// (on its cue, or once the sounds on its cue have played).
    private mutating func miss(_ line: SpokenLine, samples: [Float], total: Int64) {
        let length = Int64(samples.count)
        let cue = line.cue.sample
        let room: Int64
        switch line.placement {
        case .onCue:
            let next = blocking(cue, cue + length, ignoring: CueKey(line.cue), cutting: false, overBreath: true).map(\.start).min() ?? total
            room = max(0, next - margin - cue)
        case .byCue(let earliest):
            room = roomBefore(cue, earliest: earliest, total: total)
        case .afterCue(let latest):
            room = longestGap(from: cue, to: min(latest, total))
        }
        shortfalls.append(Shortfall(line: line, length: length, room: max(0, room), isLeftOut: !line.isEssential))
        guard line.isEssential else { return }
        var start = cue
        if case .afterCue = line.placement {
            let atCue = blocking(cue, cue + 1, ignoring: CueKey(line.cue), cutting: false)
            start = (atCue.map(\.end).max().map { $0 + margin }) ?? cue
        }
        commit(line, samples: samples, at: min(start, max(cue, total - length)))
    }

    private mutating func accept(_ line: SpokenLine, samples: [Float], at start: Int64) {
        placed.append(Placed(start: start, samples: samples, line: line))
        let obstacle = Obstacle(start: start, end: start + Int64(samples.count), key: nil, isCuttable: false)
        let index = insertionIndex(start)
        obstacles.insert(obstacle, at: index)
        longestObstacle = max(longestObstacle, Int64(samples.count))
    }

    /// Cuts the tones still ringing at `start` that began long enough before it.
    private mutating func cutTails(at start: Int64) {
        var index = insertionIndex(start - longestObstacle)
        while index < obstacles.count, obstacles[index].start < start {
            let obstacle = obstacles[index]
            // (One that began less than `heardAttack` before plays on: its attack is not cut.)
            if !obstacle.isRemoved, obstacle.isCuttable, obstacle.end > start, obstacle.start <= start - heardAttack,
                let key = obstacle.key
            {
                cutLengths[key] = Int(start - obstacle.start)
                obstacles[index].end = start
            }
            index += 1
        }
    }

    /// The sounds and lines in the way of a line from `start` to `end` (with the margin around it).
    private func blocking(_ start: Int64, _ end: Int64, ignoring own: CueKey?, cutting: Bool, overBreath: Bool = false) -> [Obstacle] {
        var found: [Obstacle] = []
        var index = insertionIndex(start - margin - longestObstacle)
        while index < obstacles.count, obstacles[index].start < end + margin {
            let obstacle = obstacles[index]
            index += 1
            guard !obstacle.isRemoved, obstacle.end + margin > start else { continue }
            if let own, obstacle.key == own { continue }
            if overBreath, obstacle.isBreath { continue }
            if cutting, obstacle.isCuttable, obstacle.start <= start - heardAttack { continue }
            found.append(obstacle)
        }
        return found
    }

    /// The longest clear stretch an announcement could have: between the sounds before its cue
    /// (from `earliest`) and the first sound at or after it.
    private func roomBefore(_ cue: Int64, earliest: Int64, total: Int64) -> Int64 {
        let after =
            blocking(cue, cue + 1, ignoring: nil, cutting: true).map(\.start).min()
            ?? obstacles.first(where: { !$0.isRemoved && $0.start >= cue })?.start ?? total
        return longestGap(from: earliest, to: after, cutting: true)
    }

    /// The longest stretch from `low` to `high` clear of sounds and lines (with the margin); with
    /// `cutting`, a tone's tail counts as clear once its attack has been heard.
    private func longestGap(from low: Int64, to high: Int64, cutting: Bool = false) -> Int64 {
        var best: Int64 = 0
        var cursor = low
        var index = insertionIndex(low - longestObstacle)
        while index < obstacles.count, obstacles[index].start < high {
            let obstacle = obstacles[index]
            index += 1
            guard !obstacle.isRemoved, obstacle.end > low else { continue }
            best = max(best, obstacle.start - margin - cursor)
            let clear = cutting && obstacle.isCuttable ? min(obstacle.end + margin, obstacle.start + heardAttack) : obstacle.end + margin
            cursor = max(cursor, clear)
        }
        return max(best, high - margin - cursor)
    }

    private func insertionIndex(_ sample: Int64) -> Int {
        var low = 0, high = obstacles.count
        while low < high {
            let middle = (low + high) / 2
            if obstacles[middle].start < sample { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
