/// A small file (timeline, labels, page) made at the start of a command and put in place only when
/// the command's track is: see `OutputFile`. Dropped without a trace if never committed.
public final class PendingOutput {
    private let file: OutputFile

    /// Makes the file's unnamed temporary file now, so a destination that cannot be written is
    /// reported before any work.
    public init(_ path: String) throws(RenderError) {
        file = try OutputFile(destination: path)
    }

    public var path: String { file.destination }

    public func write(_ bytes: [UInt8]) throws(RenderError) { try file.write(bytes) }

    /// Puts the file in place; with `replacing: false`, fails when a file is there already.
    @discardableResult
    public func commit(replacing: Bool = true) throws(RenderError) -> FileStamp { try file.commit(replacing: replacing) }
}
