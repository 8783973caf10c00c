/// What the player's guide shows for a step besides its name: what the voice says (the step's
/// announcement, less the round that the first step of a circuit's round names, since the page
/// shows the round itself) and, in format 2, the step's instructions. A step whose announcement is
/// its name alone says nothing more.
///
/// The page's script works the same out from the timeline data as the audio plays; this gives the
/// first step's text, so the page reads right before the script runs, and tells whether the page
/// needs a guide at all.
enum PlayerGuide {
    /// What the voice says at step `index`, or nil when that is only the step's name.
    static func say(_ timeline: Timeline, step index: Int) -> String? {
        let step = timeline.steps[index]
        guard var text = timeline.cues.first(where: { $0.type == .announce && $0.step == index })?.text else { return nil }
        if let circuit = step.circuit {
            let round = "Round \(circuit.round) of \(circuit.rounds). "
            if text.hasPrefix(round) { text.removeFirst(round.count) }
        }
        return text.isEmpty || text == step.name ? nil : text
    }

    /// The step's instructions, when it has any.
    static func instructions(_ timeline: Timeline, step index: Int) -> String? {
        timeline.steps[index].instructions.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether any step has something to show.
    static func isNeeded(_ timeline: Timeline) -> Bool {
        timeline.steps.indices.contains { say(timeline, step: $0) != nil || instructions(timeline, step: $0) != nil }
    }

    /// The guide's section, showing the first step's text (hidden when it has none).
    static func html(_ timeline: Timeline) -> String {
        let say = timeline.steps.isEmpty ? nil : self.say(timeline, step: 0)
        let instructions = timeline.steps.isEmpty ? nil : self.instructions(timeline, step: 0)
        let hidden = say == nil && instructions == nil ? " hidden" : ""
        return "<section class=\"guide\" id=\"guide\" aria-label=\"How to do it\"\(hidden)><h3>How to do it</h3>"
            + "<p class=\"say\" id=\"say\">\(MarkupText.escape(say ?? ""))</p>"
            + "<p class=\"instructions\" id=\"instructions\">\(MarkupText.escape(instructions ?? ""))</p></section>\n"
    }
}
