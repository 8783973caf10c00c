import Foundation
import XCTest

// The one way the tests run a program (the built `cadence`, ffmpeg, sox, a shell, python3, this
// test bundle again): `ProcessRunner.run` to completion, or `RunningProcess` in the background.
// Output goes to files, never pipes, so a program that writes a lot cannot block.

/// What a program did: its exit status and everything it wrote.
public struct CommandResult: Sendable {
    /// The exit status. For a program ended by a signal it did not handle, the signal's number
    /// (as Foundation reports it), or 128 + that number when the run asked for a shell's status.
    public var code: Int32
    public var stdoutBytes: Data
    public var stderrBytes: Data
    /// Whether the program was ended by a signal it did not handle.
    public var endedBySignal: Bool
    /// The signal the runner sent it (an `Interruption`, or the end of its time), if any.
    public var sentSignal: Int32?
    /// Whether it ran past its time and was stopped (the test has failed then).
    public var timedOut: Bool
    /// How long it ran, in seconds.
    public var seconds: TimeInterval

    public init(
        code: Int32, stdout: Data, stderr: Data, endedBySignal: Bool = false, sentSignal: Int32? = nil,
        timedOut: Bool = false, seconds: TimeInterval = 0
    ) {
        self.code = code
        stdoutBytes = stdout
        stderrBytes = stderr
        self.endedBySignal = endedBySignal
        self.sentSignal = sentSignal
        self.timedOut = timedOut
        self.seconds = seconds
    }

    /// Standard output as text (invalid UTF-8 replaced).
    public var stdout: String { String(decoding: stdoutBytes, as: UTF8.self) }
    /// Standard error as text (invalid UTF-8 replaced).
    public var stderr: String { String(decoding: stderrBytes, as: UTF8.self) }

    /// The lines of standard output, without the empty one after a final line feed.
    public var stdoutLines: [String] { Self.lines(stdout) }
    public var stderrLines: [String] { Self.lines(stderr) }

    private static func lines(_ text: String) -> [String] {
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}

/// What a program reads on standard input.
public enum StandardInput: Sendable {
    /// /dev/null.
    case nullDevice
    /// These bytes, from a regular file (so a program that refuses a pipe or a device still reads them).
    case bytes(Data)
}

/// A signal sent to a program while `ProcessRunner.run` waits for it, when the program has got
/// somewhere (`when`) or after a delay (`after`).
public struct Interruption {
    public var signal: Int32
    /// Asked every 2 ms while the program runs, with its process id and the seconds since it
    /// started; true sends the signal.
    public var when: (_ pid: Int32, _ elapsed: TimeInterval) -> Bool
    /// How long the program goes on once `when` holds, before the signal is sent.
    public var settle: TimeInterval
    /// How long `when` is asked for at the most.
    public var waitAtMost: TimeInterval
    /// Whether the signal is sent, if the program still runs, when `when` never held in `waitAtMost`.
    public var sendAnyway: Bool
    /// How long the program has to stop once signalled; past that it is killed and the test fails.
    public var stopWithin: TimeInterval

    public init(
        signal: Int32, settle: TimeInterval = 0, waitAtMost: TimeInterval = 30, sendAnyway: Bool = false,
        stopWithin: TimeInterval = 30, when: @escaping (_ pid: Int32, _ elapsed: TimeInterval) -> Bool
    ) {
        self.signal = signal
        self.when = when
        self.settle = settle
        self.waitAtMost = waitAtMost
        self.sendAnyway = sendAnyway
        self.stopWithin = stopWithin
    }

    /// `signal`, `seconds` after the start.
    public static func after(_ seconds: TimeInterval, _ signal: Int32) -> Interruption {
        Interruption(signal: signal, sendAnyway: true) { _, elapsed in elapsed >= seconds }
    }
}

public enum ProcessRunner {
    /// Runs `executable` with `arguments` and waits for it.
    /// - Parameters:
    ///   - directory: its working directory (this process's when nil).
    ///   - environment: variables set on top of this process's environment.
    ///   - timeout: past this, it is sent `timeoutSignal` and the test fails (not used with `interruption`).
    ///   - interruption: a signal to send it while it runs; then it must stop within the interruption's time.
    ///   - mergeOutput: standard error goes to standard output's file (`stderrBytes` is empty).
    ///   - signalsAsShellStatus: a program ended by signal N has status 128 + N in `code`, as a shell says.
    ///   - name: what a failure message calls the program (its path when nil).
    public static func run(
        _ executable: String, _ arguments: [String], in directory: URL? = nil,
        stdin: StandardInput = .nullDevice, environment: [String: String] = [:],
        timeout: TimeInterval = 60, timeoutSignal: Int32 = SIGTERM, interruption: Interruption? = nil,
        mergeOutput: Bool = false, signalsAsShellStatus: Bool = false, name: String? = nil,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> CommandResult {
        let process = try RunningProcess(
            executable, arguments, in: directory, stdin: stdin, environment: environment,
            mergeOutput: mergeOutput)
        let name = name ?? executable
        var sent: Int32?
        var timedOut = false
        if let interruption {
            var due = false
            let deadline = process.started.addingTimeInterval(interruption.waitAtMost)
            while process.isRunning, Date() < deadline {
                if interruption.when(process.pid, Date().timeIntervalSince(process.started)) {
                    due = true
                    break
                }
                usleep(2_000)
            }
            if due, interruption.settle > 0 { usleep(useconds_t(interruption.settle * 1_000_000)) }
            if due || interruption.sendAnyway, process.isRunning {
                process.send(interruption.signal)
                sent = interruption.signal
            }
            if !process.waitForExit(timeout: interruption.stopWithin) {
                process.send(SIGTERM)
                process.waitUntilExit()
                timedOut = true
                XCTFail(
                    "\(name) did not stop within \(Int(interruption.stopWithin)) s of signal \(interruption.signal)",
                    file: file, line: line)
            }
        } else if !process.waitForExit(timeout: timeout) {
            process.send(timeoutSignal)
            sent = timeoutSignal
            process.waitUntilExit()
            timedOut = true
            XCTFail("\(name) \(arguments.joined(separator: " ")) did not finish within \(Int(timeout)) s", file: file, line: line)
        }
        return process.result(signalsAsShellStatus: signalsAsShellStatus, sentSignal: sent, timedOut: timedOut)
    }
}

/// A program started in the background, its output going to files that can be read while it
/// runs. `stop()` (also run when it is released) ends it if it still runs.
public final class RunningProcess {
    private let process = Process()
    private let scratch: ScratchFolder
    private let stdoutFile: URL
    private let stderrFile: URL
    private var handles: [FileHandle] = []
    /// When it was started.
    public let started: Date

    /// Starts `executable` with `arguments`; the parameters are those of `ProcessRunner.run`.
    public init(
        _ executable: String, _ arguments: [String], in directory: URL? = nil, stdin: StandardInput = .nullDevice,
        environment: [String: String] = [:], mergeOutput: Bool = false
    ) throws {
        scratch = try ScratchFolder("process")
        stdoutFile = scratch.file("stdout")
        stderrFile = scratch.file("stderr")
        _ = FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        let out = try FileHandle(forWritingTo: stdoutFile)
        handles.append(out)
        let err = mergeOutput ? out : try FileHandle(forWritingTo: stderrFile)
        if !mergeOutput { handles.append(err) }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        process.standardOutput = out
        process.standardError = err
        switch stdin {
        case .nullDevice:
            process.standardInput = FileHandle.nullDevice
        case .bytes(let bytes):
            let inFile = scratch.file("stdin")
            _ = FileManager.default.createFile(atPath: inFile.path, contents: bytes)
            let input = try FileHandle(forReadingFrom: inFile)
            handles.append(input)
            process.standardInput = input
        }
        started = Date()
        do {
            try process.run()
        } catch {
            close()
            throw error
        }
    }

    deinit {
        stop()
        close()
    }

    public var pid: Int32 { process.processIdentifier }

    public var isRunning: Bool { process.isRunning }

    /// Everything written to standard output so far.
    public var stdoutBytes: Data { (try? Data(contentsOf: stdoutFile)) ?? Data() }
    public var stderrBytes: Data { (try? Data(contentsOf: stderrFile)) ?? Data() }
    public var stdout: String { String(decoding: stdoutBytes, as: UTF8.self) }
    public var stderr: String { String(decoding: stderrBytes, as: UTF8.self) }

    /// Sends `signal` (SIGINT for Ctrl-C) to the program.
    public func send(_ signal: Int32) {
        kill(process.processIdentifier, signal)
    }

    /// Waits at most `timeout` seconds for the program to end; returns whether it did.
    @discardableResult
    public func waitForExit(timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(2_000) }
        guard !process.isRunning else { return false }
        process.waitUntilExit()
        return true
    }

    /// Waits for the program to end, however long it takes.
    public func waitUntilExit() { process.waitUntilExit() }

    /// The exit status once it has ended: 128 + N for signal N with `signalsAsShellStatus`.
    public func status(signalsAsShellStatus: Bool = false) -> Int32 {
        let endedBySignal = process.terminationReason == .uncaughtSignal
        return signalsAsShellStatus && endedBySignal ? 128 + process.terminationStatus : process.terminationStatus
    }

    /// What it did, once it has ended.
    public func result(signalsAsShellStatus: Bool = false, sentSignal: Int32? = nil, timedOut: Bool = false) -> CommandResult {
        CommandResult(
            code: status(signalsAsShellStatus: signalsAsShellStatus), stdout: stdoutBytes, stderr: stderrBytes,
            endedBySignal: process.terminationReason == .uncaughtSignal, sentSignal: sentSignal, timedOut: timedOut,
            seconds: Date().timeIntervalSince(started))
    }

    /// Ends the program if it still runs: SIGTERM, then SIGKILL after `grace` seconds.
    public func stop(grace: TimeInterval = 5) {
        guard process.isRunning else { return }
        process.terminate()
        if !waitForExit(timeout: grace) { send(SIGKILL) }
        process.waitUntilExit()
    }

    private func close() {
        for handle in handles { try? handle.close() }
        handles = []
        scratch.remove()
    }
}
