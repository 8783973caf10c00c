import Foundation
import Synchronization

/// A failed system call: what was being done, and errno.
struct SystemCallError: Error, Sendable, Equatable, CustomStringConvertible {
    var operation: SystemCall.Operation
    var code: Int32
    /// What was wrong when the call worked but what it read was not as expected (a file's layout).
    var detail: String?

    init(operation: SystemCall.Operation, code: Int32, detail: String? = nil) {
        self.operation = operation
        self.code = code
        self.detail = detail
    }

    /// errno's meaning in a few words (`no space left on the device`).
    var reason: String { detail ?? SystemError.describe(code) }
    var description: String { "\(operation.rawValue): \(reason)" }

    /// Whether the error means the disk is full or failing (an I/O error, exit 74), rather than
    /// that the file could not be made at all (exit 73).
    var isWriteFailure: Bool { [ENOSPC, EDQUOT, EFBIG, EIO].contains(code) }
}

/// The one place where the return codes of C system calls become Swift errors, as swift-system's
/// `valueOrErrno(retryOnInterrupt:)` does: a call that returns -1 throws its errno, and a call
/// interrupted by a signal (EINTR) is made again. Every file operation of Cadence goes through
/// `FileSystem`, which calls this; so does libsndfile's I/O (see `SndfileIO`).
///
/// Tests inject faults here: the environment variable `CADENCE_FAULTS` holds rules such as
/// `write:ENOSPC@40` (the 40th `write` and every later one fails with ENOSPC) or `read:EIO`
/// (every read fails), separated by commas. See `FaultInjection`.
enum SystemCall {
    enum Operation: String, CaseIterable, Sendable {
        case open, read, write, seek, stat, rename, unlink, link, mkdir, lock, chmod, close, list, truncate, spawn
    }

    /// Runs `call` until it does not fail with EINTR (when `retryOnInterrupt`); -1 throws errno.
    @discardableResult
    static func valueOrErrno<Value: FixedWidthInteger>(
        _ operation: Operation, retryOnInterrupt: Bool = true,
        _ call: () -> Value
    ) throws(SystemCallError) -> Value {
        while true {
            // An injected fault stands for the call failing with that errno, EINTR included.
            let code: Int32
            if let injected = FaultInjection.fault(for: operation) {
                code = injected
            } else {
                let result = call()
                if result != -1 { return result }
                code = errno
            }
            if code == EINTR, retryOnInterrupt { continue }
            throw SystemCallError(operation: operation, code: code)
        }
    }

    /// Runs `body`, a closure handed to a `rethrows` function (which forgets the error's type), and
    /// gives a `SystemCallError` thrown in it its type back.
    static func typed<Value>(_ operation: Operation, _ body: () throws -> Value) throws(SystemCallError) -> Value {
        do {
            return try body()
        } catch let error as SystemCallError {
            throw error
        } catch {
            throw SystemCallError(operation: operation, code: EIO)
        }
    }

    /// For calls that report failure with a null pointer (`opendir`).
    static func pointerOrErrno<Pointee>(_ operation: Operation, _ call: () -> Pointee?) throws(SystemCallError) -> Pointee {
        while true {
            if let code = FaultInjection.fault(for: operation) { throw SystemCallError(operation: operation, code: code) }
            if let result = call() { return result }
            let code = errno
            if code == EINTR { continue }
            throw SystemCallError(operation: operation, code: code)
        }
    }
}

/// Faults injected into `SystemCall` for tests, read once from `CADENCE_FAULTS`:
/// `OPERATION:ERRNO[@N]` rules separated by commas, ERRNO a name such as ENOSPC, EIO, EACCES or
/// EINTR (to prove calls are retried). A rule with `@N` lets the first N-1 calls of its operation
/// through and fails the Nth and every later one; `@=N` fails only the Nth. Tests of the library
/// set rules in-process with `set`.
enum FaultInjection {
    struct Rule: Sendable, Equatable {
        var operation: SystemCall.Operation
        var code: Int32
        var from: Int
        var once: Bool
    }

    private struct State {
        var rules: [Rule]
        var counts: [SystemCall.Operation: Int] = [:]
    }

    private static let state = Mutex(State(rules: parse(ProcessInfo.processInfo.environment["CADENCE_FAULTS"] ?? "")))
    private static let active = Atomic<Bool>(!(ProcessInfo.processInfo.environment["CADENCE_FAULTS"] ?? "").isEmpty)

    static let errnoNames: [String: Int32] = [
        "ENOSPC": ENOSPC, "EIO": EIO, "EACCES": EACCES, "EPERM": EPERM, "EROFS": EROFS, "EDQUOT": EDQUOT,
        "EFBIG": EFBIG, "EINTR": EINTR, "ENOENT": ENOENT, "EMFILE": EMFILE, "ENOMEM": ENOMEM, "EAGAIN": EAGAIN,
    ]

    static func parse(_ text: String) -> [Rule] {
        text.split(separator: ",").compactMap { item in
            let parts = item.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let operation = SystemCall.Operation(rawValue: parts[0]) else { return nil }
            var spec = Substring(parts[1])
            var from = 1, once = false
            if let at = spec.firstIndex(of: "@") {
                var count = spec[spec.index(after: at)...]
                if count.hasPrefix("=") {
                    once = true
                    count = count.dropFirst()
                }
                from = Int(count) ?? 1
                spec = spec[..<at]
            }
            guard let code = errnoNames[String(spec)] else { return nil }
            return Rule(operation: operation, code: code, from: from, once: once)
        }
    }

    /// Replaces the rules (tests of the library, in-process); an empty list turns injection off.
    static func set(_ rules: [Rule]) {
        state.withLock { $0 = State(rules: rules) }
        active.store(!rules.isEmpty, ordering: .relaxed)
    }

    /// The errno the next call of `operation` must fail with, if a rule says so.
    static func fault(for operation: SystemCall.Operation) -> Int32? {
        guard active.load(ordering: .relaxed) else { return nil }
        return state.withLock { state -> Int32? in
            guard state.rules.contains(where: { $0.operation == operation }) else { return nil }
            let count = state.counts[operation, default: 0] + 1
            state.counts[operation] = count
            for rule in state.rules where rule.operation == operation {
                if rule.once ? count == rule.from : count >= rule.from { return rule.code }
            }
            return nil
        }
    }
}

/// errno values as short messages, in one place.
enum SystemError {
    static func describe(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file or folder"
        case EACCES, EPERM: return "permission denied"
        case EISDIR: return "it is a folder"
        case ENOSPC: return "no space left on the device"
        case EDQUOT: return "disk quota exceeded"
        case EFBIG: return "the file is too large (file size limit)"
        case EROFS: return "read-only file system"
        case ENOTDIR: return "a part of the path is not a folder"
        case ENAMETOOLONG: return "the file name is too long"
        case EIO: return "input/output error"
        case ELOOP: return "too many symbolic links"
        case EMFILE, ENFILE: return "too many open files"
        case ENOMEM: return "not enough memory"
        case EXDEV: return "it is on another file system"
        case ENOTEMPTY: return "the folder is not empty"
        default: return String(cString: strerror(code))
        }
    }
}
