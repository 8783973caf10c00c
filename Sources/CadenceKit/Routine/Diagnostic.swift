/// One problem found in a routine file, at a position, with a message for a person.
public struct Diagnostic: Hashable, Sendable {
    public var position: SourcePosition
    public var message: String

    public init(_ position: SourcePosition, _ message: String) {
        self.position = position
        self.message = message
    }
}
