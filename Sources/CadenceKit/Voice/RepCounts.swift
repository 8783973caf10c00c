/// Whether and how the voice counts reps (`--voice-counts`).
public enum RepCounts: String, Hashable, Sendable, Codable, CaseIterable {
    /// No counts (the go sound starts every rep).
    case off
    /// "One", "Two" ... at the start of every rep of a step with more than one.
    case numbers
    /// "Last one" at the start of the last rep of a step with more than one.
    case last
}
