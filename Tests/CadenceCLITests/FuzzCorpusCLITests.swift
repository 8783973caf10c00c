import CadenceTestSupport
import Foundation
import XCTest

/// The fuzz corpus (CadenceKitTests/Fixtures/fuzz-corpus) through the built `cadence`: `check` of
/// every file ends in time with 0 (the `valid-*` files) or 65 and well-formed reports, and a batch
/// `render` of the whole corpus, on worker threads, renders the valid routines and nothing else.
final class FuzzCorpusCLITests: XCTestCase {
    static let corpus = Paths.packageRoot.appendingPathComponent("Tests/CadenceKitTests/Fixtures/fuzz-corpus")
    /// Some corpus files are known to be slow (see docs/robustness.md); none may hang.
    static let deadline: TimeInterval = 15

    private func corpusFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    func testCheckOfEveryCorpusFileEndsWithZeroOr65AndWellFormedReports() throws {
        let files = try corpusFiles()
        XCTAssertGreaterThanOrEqual(files.count, 24)
        let cadence = try RenderCLI.cadencePath()
        var outcomes: [String] = []
        for name in files {
            let started = Date()
            let result = try ProcessRunner.run(cadence, ["check", name], in: Self.corpus, timeout: Self.deadline)
            let seconds = Date().timeIntervalSince(started)
            outcomes.append("\(name): \(result.code) in \(String(format: "%.2f", seconds)) s")
            if name.hasPrefix("valid-") {
                XCTAssertEqual(result.code, 0, "\(name): \(result.stderr.prefix(500))")
                XCTAssertTrue(result.stdout.hasPrefix("OK  \(name)  "), "\(name): \(result.stdout)")
                continue
            }
            XCTAssertEqual(result.code, 65, "\(name): \(result.stderr.prefix(500))")
            XCTAssertEqual(result.stdout, "", name)
            if let problem = ReportShape.check(result.stderr, path: name) {
                XCTFail("\(name): \(problem)")
            }
        }
        print("corpus via cadence check:\n  " + outcomes.joined(separator: "\n  "))
    }

    func testABatchRenderOfTheCorpusRendersOnlyTheValidRoutines() throws {
        let folder = try ScratchFolder(for: self).url
        let routines = folder.appendingPathComponent("corpus"), out = folder.appendingPathComponent("out")
        for url in [routines, out] { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }
        // Everything but the 24-hour routine (a valid routine, but a day of audio) and the inputs known to be slow.
        let files = try corpusFiles().filter { $0 != "valid-exactly-24h.yaml" && !$0.hasPrefix("hang-") }
        for name in files {
            try FileManager.default.copyItem(at: Self.corpus.appendingPathComponent(name), to: routines.appendingPathComponent(name))
        }
        let result = try ProcessRunner.run(
            try RenderCLI.cadencePath(),
            [
                "render", "corpus", "--out-dir", "out", "--jobs", "2",
                "--sample-rate", "8000", "--channels", "1", "-q",
            ],
            in: folder, timeout: 60)
        XCTAssertEqual(result.code, 65, result.stderr.prefix(1_000).description)
        let expected = files.filter { $0.hasPrefix("valid-") }.map { ($0 as NSString).deletingPathExtension + ".wav" }.sorted()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out.path).filter { !$0.hasPrefix(".") }.sorted(), expected)
        XCTAssertEqual(RenderCLI.partialFiles(in: out), [])
    }
}
