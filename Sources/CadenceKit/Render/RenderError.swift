/// Why a track could not be rendered, with the exit code of cli.md it maps to.
public enum RenderError: Error, Sendable, CustomStringConvertible {
    case notImplemented

    public var exitCode: Int32 {
        switch self {
        case .notImplemented: return 1
        }
    }

    public var description: String {
        switch self {
        case .notImplemented: return "error: rendering is not available yet"
        }
    }
}
