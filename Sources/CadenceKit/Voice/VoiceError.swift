/// Why spoken announcements could not be made.
public enum VoiceError: CadenceError, Equatable {
    /// The speech program asked for is not installed (exit 1); the message says how to install it.
    case engineMissing(engine: String, install: String)
    /// No engine was named and none is installed (exit 1).
    case noEngine
    /// The speech program failed or gave nothing usable (exit 1).
    case engineFailed(engine: String, reason: String)
    /// The voice asked for does not exist (exit 64).
    case unknownVoice(engine: String, name: String, reason: String)

    public var exitStatus: ExitStatus {
        if case .unknownVoice = self { return .usage }
        return .failure
    }

    public var path: String? { nil }

    public var message: String {
        switch self {
        case let .engineMissing(engine, install):
            return "--voice needs the \(engine) program, which is not installed; install it with `\(install)`"
                + (install.contains("apt-get") ? " (scripts/bootstrap does this)" : "")
        case .noEngine:
            return "--voice needs a speech program, and neither festival nor espeak-ng is installed; install one with "
                + "`\(SpeechEngine.festival.installCommand)` (the more natural voice) or "
                + "`\(SpeechEngine.espeak.installCommand)` (scripts/bootstrap installs both)"
        case let .engineFailed(engine, reason):
            return "\(engine) failed: \(reason)"
        case let .unknownVoice(engine, name, reason):
            let listing = engine == SpeechEngine.espeak.displayName ? " (`espeak-ng --voices` lists them)" : ""
            return "\(engine) has no voice '\(PathBytes.display(name))'\(listing)" + (reason.isEmpty ? "" : ": \(reason)")
        }
    }
}
