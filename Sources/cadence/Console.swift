import ArgumentParser
import CadenceKit
import Foundation

/// The terminal: standard output for what a command produces, standard error for messages. Writes
/// that fail (a closed pipe: SIGPIPE is ignored) are dropped rather than ending the process.
enum Console {
    static func out(_ text: String) { write(text, to: STDOUT_FILENO) }

    /// A message on standard error, ending with a line break.
    static func message(_ text: String) { write(text.hasSuffix("\n") ? text : text + "\n", to: STDERR_FILENO) }

    static func raw(_ text: String) { write(text, to: STDERR_FILENO) }

    static var errorIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    private static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { buffer in
            var done = 0
            while done < buffer.count {
                let count = Glibc.write(descriptor, buffer.baseAddress! + done, buffer.count - done)
                if count < 0, errno == EINTR { continue }
                if count <= 0 { return }
                done += count
            }
        }
    }

    /// Prints an error (one `error:` prefix) and returns the exit code it ends the command with.
    @discardableResult
    static func report(_ error: Error) -> Int32 {
        switch error {
        case let error as CadenceError:
            message(error.description)
            return error.exitStatus.code
        case let code as ExitCode:
            return code.rawValue
        default:
            // swift-argument-parser's own errors and help: help goes to standard output.
            let code = Cadence.exitCode(for: error)
            var text = Cadence.fullMessage(for: error)
            if code == .success {
                if !text.isEmpty { out(text.hasSuffix("\n") ? text : text + "\n") }
                return 0
            }
            if text.hasPrefix("Error: ") { text = "error: " + text.dropFirst("Error: ".count) }
            message(text)
            return code.rawValue
        }
    }
}
