import Foundation
import Synchronization

/// Runs a helper program (the speech synthesizers) as a child process, in one place: its input is
/// written and its output and error output are read while it runs (so a program that prints
/// megabytes cannot stall on a full pipe), the error output is kept only as a short tail, the
/// output only up to a limit, and the program is killed when it runs too long or a stop signal
/// arrives. Nothing is written to disk.
enum Subprocess {
    struct Result {
        /// The exit code, or 128 + the signal that ended it.
        var status: Int32
        var output: [UInt8]
        /// The last few hundred bytes of the error output, as text.
        var errorTail: String
    }

    enum Failure: Error, Equatable {
        case cannotStart(String)
        case timedOut
        case stopped
        case outputTooLarge
    }

    private static let spawning = Mutex(())

    /// The most of a program's error output that is kept (its end).
    static let errorTailLength = 400

    static func run(
        _ program: String, _ arguments: [String], input: [UInt8], timeout: Double, outputLimit: Int,
        shouldStop: () -> Bool
    ) throws(Failure) -> Result {
        var inputPipe: [Int32] = [-1, -1], outputPipe: [Int32] = [-1, -1], errorPipe: [Int32] = [-1, -1]
        var pid: pid_t = 0
        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        // Pipes are made close-on-exec and the child started under one lock, so a child started by
        // another thread of a batch never inherits this one's pipes (which would hold them open).
        let spawned: Int32 = spawning.withLock { _ in
            guard pipe(&inputPipe) == 0, pipe(&outputPipe) == 0, pipe(&errorPipe) == 0 else { return errno }
            for fd in inputPipe + outputPipe + errorPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_adddup2(&actions, inputPipe[0], 0)
            posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 1)
            posix_spawn_file_actions_adddup2(&actions, errorPipe[1], 2)
            // posix_spawn returns its error instead of setting errno; a fault injected for `spawn`
            // (CADENCE_FAULTS=spawn:EAGAIN) stands for it.
            if let injected = FaultInjection.fault(for: .spawn) { return injected }
            return posix_spawn(&pid, program, &actions, nil, argv, environ)
        }
        FileSystem.closeQuietly(inputPipe[0])
        FileSystem.closeQuietly(outputPipe[1])
        FileSystem.closeQuietly(errorPipe[1])
        guard spawned == 0 else {
            FileSystem.closeQuietly(inputPipe[1])
            FileSystem.closeQuietly(outputPipe[0])
            FileSystem.closeQuietly(errorPipe[0])
            throw .cannotStart(SystemError.describe(spawned))
        }
        for fd in [inputPipe[1], outputPipe[0], errorPipe[0]] { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }

        var writeEnd = input.isEmpty ? -1 : inputPipe[1]
        if writeEnd < 0 { FileSystem.closeQuietly(inputPipe[1]) }
        var readEnds = [outputPipe[0], errorPipe[0]]
        var written = 0
        var output: [UInt8] = []
        var errors: [UInt8] = []
        var failure: Failure?
        let deadline = Date().addingTimeInterval(timeout)
        var chunk = [UInt8](repeating: 0, count: 65_536)

        while !readEnds.isEmpty || writeEnd >= 0, failure == nil {
            // A stop signal ends every helper program, whatever the caller asks.
            if shouldStop() || StopSignal.isRequested {
                failure = .stopped
                break
            }
            if Date() > deadline {
                failure = .timedOut
                break
            }
            var fds = readEnds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            if writeEnd >= 0 { fds.append(pollfd(fd: writeEnd, events: Int16(POLLOUT), revents: 0)) }
            let ready = poll(&fds, nfds_t(fds.count), 100)
            if ready < 0, errno != EINTR {
                failure = .cannotStart(SystemError.describe(errno))
                break
            }
            guard ready > 0 else { continue }
            for entry in fds where entry.revents != 0 {
                if entry.fd == writeEnd {
                    let count = input.withUnsafeBytes { Glibc.write(writeEnd, $0.baseAddress! + written, input.count - written) }
                    if count > 0 { written += count }
                    if written >= input.count || (count < 0 && errno != EAGAIN && errno != EINTR) {
                        FileSystem.closeQuietly(writeEnd)
                        writeEnd = -1
                    }
                    continue
                }
                let count = chunk.withUnsafeMutableBytes { Glibc.read(entry.fd, $0.baseAddress!, $0.count) }
                if count > 0 {
                    if entry.fd == outputPipe[0] {
                        output.append(contentsOf: chunk[0..<count])
                        if output.count > outputLimit { failure = .outputTooLarge }
                    } else {
                        errors.append(contentsOf: chunk[0..<count])
                        if errors.count > 4 * errorTailLength { errors.removeFirst(errors.count - errorTailLength) }
                    }
                } else if count == 0 || (errno != EAGAIN && errno != EINTR) {
                    FileSystem.closeQuietly(entry.fd)
                    readEnds.removeAll { $0 == entry.fd }
                }
            }
        }
        if writeEnd >= 0 { FileSystem.closeQuietly(writeEnd) }
        for fd in readEnds { FileSystem.closeQuietly(fd) }
        // The pipes are closed, but the program may still run (it can close its output and go on):
        // its end is awaited within the same deadline, and a stop still ends it.
        var status: Int32 = 0
        var ended = false
        while failure == nil {
            let result = waitpid(pid, &status, WNOHANG)
            if result == pid || (result < 0 && errno != EINTR) {
                ended = true
                break
            }
            if shouldStop() { failure = .stopped } else if Date() > deadline { failure = .timedOut } else { usleep(5_000) }
        }
        if !ended {
            kill(pid, SIGKILL)
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
        }
        // A stop that came while it ran is a stop, however the program ended: a terminal's Ctrl-C
        // (or SIGHUP) reaches the whole process group, so the program dies of it too.
        if failure == nil, shouldStop() { failure = .stopped }
        if let failure { throw failure }
        let code = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        let tail = String(decoding: errors.suffix(errorTailLength), as: UTF8.self)
        let oneLine = tail.trimmingCharacters(in: .whitespacesAndNewlines).split(whereSeparator: \.isNewline).joined(separator: " / ")
        return Result(status: code, output: output, errorTail: RoutineParser.escapingControls(oneLine))
    }

    /// The full path of `name` found in PATH, or nil.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") {
            let candidate = String(folder) + "/" + name
            if access(candidate, X_OK) == 0, let status = try? FileSystem.status(of: candidate), status.isRegularFile { return candidate }
        }
        return nil
    }
}
