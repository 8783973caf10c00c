/// What every error of the engine says: the exit code it ends the command with, the file it is
/// about (if any) and a message for a person. Printed, it reads `FILE: error: MESSAGE`, or
/// `error: MESSAGE` when no file is involved (or the name given was empty); a routine's errors add
/// line and column.
public protocol CadenceError: Error, Sendable, CustomStringConvertible {
    var exitStatus: ExitStatus { get }
    /// The file or folder the error is about.
    var path: String? { get }
    /// What went wrong, without the `error:` prefix.
    var message: String { get }
}

extension CadenceError {
    public var description: String {
        guard let path, !path.isEmpty else { return "error: \(message)" }
        return "\(PathBytes.display(path)): error: \(message)"
    }
}

/// The exit codes of the `cadence` command (the BSD sysexits values where one fits).
public struct ExitStatus: Hashable, Sendable, CustomStringConvertible {
    public let code: Int32

    public init(_ code: Int32) { self.code = code }

    public static let success = ExitStatus(0)
    /// Any failure the others do not name (a speech program that is missing or fails).
    public static let failure = ExitStatus(1)
    /// A bad command line: unknown option, values that cannot work together (EX_USAGE).
    public static let usage = ExitStatus(64)
    /// A routine file that breaks the format's rules (EX_DATAERR).
    public static let invalidRoutine = ExitStatus(65)
    /// An input (routine, music, sound) that is missing, unreadable or not a regular file (EX_NOINPUT).
    public static let missingInput = ExitStatus(66)
    /// An output that cannot be created (EX_CANTCREAT).
    public static let cannotCreateOutput = ExitStatus(73)
    /// Writing failed part way: disk full, I/O error (EX_IOERR).
    public static let ioError = ExitStatus(74)
    /// Stopped by Ctrl-C (SIGINT): 128 + 2.
    public static let interrupted = ExitStatus(130)

    /// Stopped by `signal`: 128 plus its number, as a shell reports it (129 SIGHUP, 130 SIGINT, 143 SIGTERM).
    public static func stopped(by signal: Int32) -> ExitStatus { ExitStatus(128 + signal) }

    public var description: String { String(code) }
}

/// The exit status for any error: its own when it is a `CadenceError`, else 1.
public func exitStatus(for error: Error) -> ExitStatus {
    (error as? CadenceError)?.exitStatus ?? .failure
}
