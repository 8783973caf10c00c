/// What a run of `LibrarySite.build` did, for the command to report.
public struct SiteReport: Sendable {
    /// A routine left out of the site this time, and why.
    public struct Problem: Sendable {
        public var routine: String
        public var error: any CadenceError
        /// Whether the error was given already, as the outcome of one of its tracks.
        public var reported: Bool
    }

    /// The outcome of every track of `LibrarySite.items`, in that order.
    public var outcomes: [BatchOutcome] = []
    /// The routines left out, in the order of the routines.
    public var problems: [Problem] = []
    /// How many sessions the site lists.
    public var sessions = 0
    /// The site's own files (pages, chapters, index, feed...) written, and those already as they should be.
    public var written: [String] = []
    public var unchanged = 0
    /// Files of routines that are gone, removed.
    public var removed: [String] = []

    /// The error the command ends with: the first routine's that was left out, or nil.
    public var firstFailure: (any CadenceError)? { problems.first?.error }
}
