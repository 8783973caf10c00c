/// A session's chapters as the Podcasting 2.0 JSON chapters format gives them
/// (`application/json+chapters`, version 1.2.0): one chapter per step, starting where the step
/// starts, to the millisecond. The same chapters are in every track's own tags.
enum PodcastChapters {
    static let mimeType = "application/json+chapters"

    static func json(_ timeline: Timeline) -> String {
        var out = "{\n  \"version\": \"1.2.0\",\n  \"chapters\": [\n"
        out += timeline.steps.map { step in
            "    {\"startTime\": \(seconds(step.startTime)), \"title\": \(TimelineJSON.string(step.name))}"
        }.joined(separator: ",\n")
        return out + "\n  ]\n}\n"
    }

    /// Microseconds as seconds with at most three decimals (rounded to the millisecond): `40.5`.
    static func seconds(_ microseconds: Int64) -> String {
        DurationText.decimal((microseconds + 500) / 1_000, scale: 1_000)
    }
}
