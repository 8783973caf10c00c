import Foundation

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
    /// errno when the failure came with a system error that explains it better than libsndfile's
    /// message (which can be as vague as "Unspecified internal error" when an encoder cannot write).
    public var systemError: Int32?

    public init(_ operation: Operation, path: String, message: String, systemError: Int32? = nil) {
        self.operation = operation
        self.path = path
        self.message = message
        self.systemError = systemError
    }

    /// What the system said, for the errors that mean the disk is full or failing.
    var systemReason: String? {
        guard let code = systemError, [ENOSPC, EFBIG, EDQUOT, EIO].contains(code) else { return nil }
        return SystemError.describe(code)
    }

    public var description: String { "\(path): error: \(operation.rawValue) audio file: \(message)" }
}

extension AudioFileError {
    /// libsndfile's message when `error` is an `AudioFileError`, else the error's own description.
    static func message(of error: Error) -> String {
        (error as? AudioFileError)?.message ?? "\(error)"
    }
}
