/// Why a track or a file beside it could not be made.
public enum RenderError: CadenceError, Equatable {
    /// The options cannot work together (exit 64).
    case invalidOptions(String)
    /// The destination cannot be created: no such folder, no permission, a folder in the way (exit 73).
    case cannotCreateOutput(path: String, reason: String)
    /// Writing failed part way: disk full, I/O error (exit 74).
    case writeFailed(path: String, reason: String)
    /// A signal asked Cadence to stop (exit 128 + the signal's number).
    case interrupted(path: String, signal: Int32)
    /// The session is too large for the memory this process may use (exit 1).
    case outOfMemory(String)

    public var exitStatus: ExitStatus {
        switch self {
        case .invalidOptions: return .usage
        case .cannotCreateOutput: return .cannotCreateOutput
        case .writeFailed: return .ioError
        case .interrupted(_, let signal): return .stopped(by: signal)
        case .outOfMemory: return .failure
        }
    }

    public var path: String? {
        switch self {
        case .invalidOptions, .outOfMemory: return nil
        case .cannotCreateOutput(let path, _), .writeFailed(let path, _), .interrupted(let path, _):
            return path.isEmpty ? nil : path
        }
    }

    public var message: String {
        switch self {
        case .invalidOptions(let message), .outOfMemory(let message):
            return message
        case .cannotCreateOutput(_, let reason):
            return "cannot create the file: \(reason)"
        case .writeFailed(_, let reason):
            return "writing failed: \(reason); nothing was written there"
        case .interrupted(let path, let signal):
            let what = StopSignal.name(of: signal)
            return path.isEmpty ? "interrupted by \(what)" : "interrupted by \(what); nothing was written there"
        }
    }
}
