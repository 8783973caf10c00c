/// A failure of the audio file library (libsndfile) or of the file system under it: what was
/// being done, to which file, and the library's own message. Every libsndfile call that can fail
/// is checked in `Sndfile`, which is the only place that builds this error.
public struct AudioFileError: Error, Sendable, CustomStringConvertible {
    public enum Operation: String, Sendable {
        case open = "cannot open"
        case create = "cannot create"
        case read = "cannot read"
        case write = "cannot write"
        case finish = "cannot finish writing"
        case configure = "cannot configure"
    }

    public var operation: Operation
    public var path: String
    public var message: String

    public init(_ operation: Operation, path: String, message: String) {
        self.operation = operation
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): error: \(operation.rawValue) audio file: \(message)" }
}

extension AudioFileError {
    /// libsndfile's message when `error` is an `AudioFileError`, else the error's own description.
    static func message(of error: Error) -> String {
        (error as? AudioFileError)?.message ?? "\(error)"
    }
}
