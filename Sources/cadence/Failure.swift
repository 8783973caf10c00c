import ArgumentParser
import CadenceKit
import Foundation

/// The exit codes of cli.md, and how each error of the engine maps to one.
enum ExitStatus {
    static let failure: Int32 = 1
    static let usage: Int32 = 64
    static let invalidRoutine: Int32 = 65
    static let missingInput: Int32 = 66
    static let cannotCreateOutput: Int32 = 73
    static let ioError: Int32 = 74
    static let interrupted: Int32 = 130

    static func code(for error: Error) -> Int32 {
        switch error {
        case is RoutineError: return invalidRoutine
        case is InputError: return missingInput
        case let error as RenderError: return error.exitCode
        case is AudioFileError: return missingInput
        case let error as ExitCode: return error.rawValue
        default: return failure
        }
    }
}

/// Writes to standard error.
enum StandardError {
    static func write(_ text: String) {
        writeRaw(text.hasSuffix("\n") ? text : text + "\n")
    }

    static func writeRaw(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// Prints an engine error to standard error and returns its exit code.
func report(_ error: Error) -> Int32 {
    StandardError.write("\(error)")
    return ExitStatus.code(for: error)
}
