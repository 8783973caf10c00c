import Foundation
import XCTest

// Helpers shared by the CLI test files: where things are, and running the built `cadence` binary.

enum Paths {
    /// The package root, found from this file: Tests/CadenceCLITests/CLISupport.swift.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    /// The spec's worked examples, as copied for the CadenceKit tests.
    static let examples = packageRoot.appendingPathComponent("Tests/CadenceKitTests/Fixtures/examples")
    static let routines = packageRoot.appendingPathComponent("Routines")
    static let exampleNames = ["basic", "breathing", "ranges", "sides"]

    /// The `cadence` executable of this build. SwiftPM puts it in the products folder, the one that
    /// holds the test bundle (on Linux, `Bundle.main` is that folder; on macOS, the bundle is inside it).
    static let cadence: URL? = {
        var folders: [URL] = [Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent()]
        for bundle in Bundle.allBundles where bundle.bundleURL.pathExtension == "xctest" {
            folders.append(bundle.bundleURL.deletingLastPathComponent())
        }
        folders.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for folder in folders {
            let candidate = folder.appendingPathComponent("cadence")
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isFolder), !isFolder.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        return nil
    }()

    static func example(_ file: String) -> URL { examples.appendingPathComponent(file) }
}

struct CommandResult {
    var code: Int32
    var stdout: String
    var stderr: String

    var stdoutLines: [String] { lines(stdout) }
    var stderrLines: [String] { lines(stderr) }

    private func lines(_ text: String) -> [String] {
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}

/// Runs `cadence` with `args` in `directory` (the examples folder unless given), feeding it `stdin`,
/// and waits for it (at most 60 s). Output is collected through files, so a large output cannot block.
/// - Parameter environment: variables set for this run on top of the test's own environment.
func runCadence(_ args: [String], stdin: String? = nil, in directory: URL = Paths.examples, environment: [String: String] = [:],
                file: StaticString = #filePath, line: UInt = #line) throws -> CommandResult {
    let executable = try XCTUnwrap(Paths.cadence, "the cadence binary was not found next to the test bundle",
                                   file: file, line: line)
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("cadence-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
    let inURL = scratch.appendingPathComponent("stdin")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: inURL.path, contents: Data((stdin ?? "").utf8))

    let process = Process()
    process.executableURL = executable
    process.arguments = args
    process.currentDirectoryURL = directory
    if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
    let input = try FileHandle(forReadingFrom: inURL)
    defer { try? out.close(); try? err.close(); try? input.close() }
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    let deadline = Date().addingTimeInterval(60)
    while process.isRunning && Date() < deadline { usleep(5_000) }
    if process.isRunning {
        process.terminate()
        process.waitUntilExit()
        XCTFail("cadence \(args.joined(separator: " ")) did not finish within 60 s", file: file, line: line)
    }
    process.waitUntilExit()
    return CommandResult(code: process.terminationStatus,
                         stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                         stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
}

/// A fresh folder for files a test writes; removed by `removeScratchFolder`.
func makeScratchFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cadence-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
}

func write(_ text: String, to name: String, in folder: URL) throws {
    try Data(text.utf8).write(to: folder.appendingPathComponent(name))
}

func jsonObject(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return try XCTUnwrap(object as? [String: Any], "expected one JSON object", file: file, line: line)
}

func fixture(_ name: String, rate: Int) throws -> [String: Any] {
    try jsonObject(String(decoding: try Data(contentsOf: Paths.example("\(name).\(rate).timeline.json")), as: UTF8.self))
}

/// `M:SS`, rounded to the nearest second, of a length in samples: how `check` shows a session's length.
func minutesAndSeconds(samples: Int, rate: Int) -> String {
    let seconds = (samples + rate / 2) / rate
    return "\(seconds / 60):" + (seconds % 60 < 10 ? "0" : "") + "\(seconds % 60)"
}
