/// Reads the phases of a `tempo`: which kind each phase is from its words, and where each phase
/// and its time stand in a one-line `tempo: pull 2s, lower 2s`.
enum TempoSyntax {
    /// One comma-separated part of a tempo string: its words and its time, with their offsets in
    /// characters from the start of the string (for error positions).
    struct Part {
        var words: String
        var wordsOffset: Int
        var time: String
        var timeOffset: Int
    }

    /// Splits `text` at commas into phases, each words followed by a time. The time starts at the
    /// first word that begins with a digit, so phase words contain no digits.
    static func parts(_ text: String) -> [Result<Part, PhaseFailure>] {
        var results: [Result<Part, PhaseFailure>] = []
        var offset = 0
        for piece in text.split(separator: ",", omittingEmptySubsequences: false) {
            defer { offset += piece.count + 1 }
            let leading = piece.prefix(while: { $0 == " " }).count
            let body = piece.trimmingSpaces
            guard !body.isEmpty else {
                results.append(
                    .failure(
                        PhaseFailure(
                            offset: offset,
                            message: "an empty phase between commas; write each phase as words and a time, as in `pull 2s, lower 2s`")))
                continue
            }
            let tokens = body.split(separator: " ", omittingEmptySubsequences: true)
            guard let timeToken = tokens.firstIndex(where: { $0.first?.isASCII == true && $0.first?.isNumber == true }) else {
                results.append(
                    .failure(
                        PhaseFailure(
                            offset: offset + leading,
                            message: "the phase '\(shown(body))' has no time; write its words and then a time, as in `pull 2s`")))
                continue
            }
            guard timeToken > 0 else {
                results.append(
                    .failure(
                        PhaseFailure(
                            offset: offset + leading,
                            message: "the phase '\(shown(body))' has no name; write what to do before the time, as in `pull 2s`")))
                continue
            }
            let timeStart = tokens[timeToken].startIndex
            let words = body[body.startIndex..<timeStart].trimmingSpaces
            let time = body[timeStart...]
            let timeOffset = offset + leading + body.distance(from: body.startIndex, to: timeStart)
            results.append(
                .success(
                    Part(
                        words: String(words), wordsOffset: offset + leading,
                        time: String(time), timeOffset: timeOffset)))
        }
        return results
    }

    struct PhaseFailure: Error {
        var offset: Int
        var message: String
    }

    /// The kind of a phase named `words`: `breathe in`/`inhale` start an inhale, `breathe out`/
    /// `exhale` an exhale, `hold` a hold, anything else is a movement. Words that look like a typo
    /// of one of those are refused, so "inhail 4s" does not quietly become a silent movement.
    static func kind(of words: String) -> Result<TempoPhase.Kind, DurationSyntax.Failure> {
        let list = words.lowercased().split(separator: " ").map(String.init)
        guard let first = list.first else { return .failure(.init("a phase needs a name, as in `pull 2s`")) }
        let second = list.count > 1 ? list[1] : nil
        switch first {
        case "inhale": return .success(.inhale)
        case "exhale": return .success(.exhale)
        case "hold": return .success(.hold)
        case "breathe":
            if second == "in" { return .success(.inhale) }
            if second == "out" { return .success(.exhale) }
            return .failure(.init("'\(shown(words))': a breath phase says `breathe in` or `breathe out` (or `inhale`, `exhale`)"))
        default: break
        }
        if second == "in" || second == "out", Spelling.editDistance(first, "breathe") <= 2 {
            return .failure(.init("'\(shown(words))' looks like a typo; did you mean `breathe \(second!)`?"))
        }
        for word in ["inhale", "exhale"] where first.count >= 4 && Spelling.editDistance(first, word) <= 2 {
            return .failure(
                .init(
                    "'\(shown(first))' looks like a typo; did you mean `\(word)`? A phase named so would be a movement with no breath tone")
            )
        }
        if first.hasPrefix("h"), Spelling.editDistance(first, "hold") == 1 {
            return .failure(.init("'\(shown(first))' looks like a typo; did you mean `hold`?"))
        }
        return .success(.move)
    }

    /// How plans and the player show a phase written as words: single spaces, first letter capital.
    static func label(_ words: String) -> String {
        let joined = words.split(separator: " ").joined(separator: " ")
        guard let first = joined.first else { return joined }
        return first.uppercased() + joined.dropFirst()
    }
}
