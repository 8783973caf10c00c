/// Why a track could not be rendered, with the exit code of cli.md it maps to.
public enum RenderError: Error, Sendable, CustomStringConvertible {
    /// The options cannot work together (exit 64).
    case invalidOptions(String)
    /// The destination cannot be created: no such folder, no permission, a folder in the way (exit 73).
    case cannotCreateOutput(path: String, reason: String)
    /// Writing failed part way: disk full, I/O error (exit 74).
    case writeFailed(path: String, reason: String)
    /// Ctrl-C or a termination signal arrived (exit 130).
    case interrupted(path: String)
    /// A program Cadence runs (espeak-ng) is missing or failed (exit 1).
    case missingTool(String)

    public var exitCode: Int32 {
        switch self {
        case .invalidOptions: return 64
        case .cannotCreateOutput: return 73
        case .writeFailed: return 74
        case .interrupted: return 130
        case .missingTool: return 1
        }
    }

    public var description: String {
        switch self {
        case .invalidOptions(let message):
            return "error: \(message)"
        case let .cannotCreateOutput(path, reason):
            return "\(path): error: cannot create the file: \(reason)"
        case let .writeFailed(path, reason):
            return "\(path): error: writing the track failed: \(reason); nothing was written there"
        case .interrupted(let path):
            return "\(path): interrupted; nothing was written there"
        case .missingTool(let message):
            return "error: \(message)"
        }
    }
}
