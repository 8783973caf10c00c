import CadenceTestSupport
import Foundation
import XCTest

// Helpers shared by the CLI test files: where things are, and running the built `cadence` binary
// (through CadenceTestSupport's `ProcessRunner`).

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
                FileManager.default.isExecutableFile(atPath: candidate.path)
            {
                return candidate
            }
        }
        return nil
    }()

    static func example(_ file: String) -> URL { examples.appendingPathComponent(file) }
}

/// Runs `cadence` with `args` in `directory` (the examples folder unless given), feeding it `stdin`
/// (from a regular file, empty unless given), and waits for it (at most 60 s).
/// - Parameter environment: variables set for this run on top of the test's own environment.
func runCadence(
    _ args: [String], stdin: String? = nil, in directory: URL = Paths.examples, environment: [String: String] = [:],
    file: StaticString = #filePath, line: UInt = #line
) throws -> CommandResult {
    let executable = try XCTUnwrap(
        Paths.cadence, "the cadence binary was not found next to the test bundle",
        file: file, line: line)
    return try ProcessRunner.run(
        executable.path, args, in: directory, stdin: .bytes(Data((stdin ?? "").utf8)),
        environment: environment, name: "cadence", file: file, line: line)
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
