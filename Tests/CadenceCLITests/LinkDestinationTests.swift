import Foundation
import XCTest

/// A link at the destination (`-o track.wav` where track.wav is a symbolic link): the track is
/// written through to the regular file it points to, the link stays a link, and that file keeps
/// its mode; a link to a device (`/dev/null`) or to nothing is refused (exit 73) and left alone.
final class LinkDestinationTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("cadence-links-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("title: Links\nsteps:\n  - {name: A, hold: 1s}\n".utf8).write(to: folder.appendingPathComponent("r.yaml"))
    }

    override func tearDownWithError() throws {
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    private func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    func testALinkToATrackIsWrittenThroughAndStaysALink() throws {
        try Data("old".utf8).write(to: URL(fileURLWithPath: path("real.wav")))
        XCTAssertEqual(chmod(path("real.wav"), 0o600), 0)
        try FileManager.default.createSymbolicLink(atPath: path("link.wav"), withDestinationPath: "real.wav")
        let result = try runCadence(["render", "r.yaml", "-o", "link.wav", "--sample-rate", "8000", "-q"], in: folder)
        XCTAssertEqual(result.code, 0, result.stderr)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: path("link.wav")), "real.wav", "still a link")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path("real.wav")))
        XCTAssertEqual(bytes.prefix(4), Data("RIFF".utf8), "the track is in the file the link points to")
        var status = stat()
        XCTAssertEqual(stat(path("real.wav"), &status), 0)
        XCTAssertEqual(status.st_mode & 0o777, 0o600, "the mode of the file replaced is kept")
    }

    func testALinkToADeviceOrToNothingIsRefused() throws {
        try FileManager.default.createSymbolicLink(atPath: path("null.wav"), withDestinationPath: "/dev/null")
        try FileManager.default.createSymbolicLink(atPath: path("dangling.wav"), withDestinationPath: "missing/none.wav")
        for (name, reason) in [("null.wav", "it is a link to"), ("dangling.wav", "it is a link to nothing")] {
            let result = try runCadence(["render", "r.yaml", "-o", name, "--sample-rate", "8000", "-q"], in: folder)
            XCTAssertEqual(result.code, 73, "\(name): \(result.stderr)")
            XCTAssertTrue(result.stderr.contains(reason), "\(name): \(result.stderr)")
            XCTAssertNotNil(try? FileManager.default.destinationOfSymbolicLink(atPath: path(name)), "\(name): the link is left alone")
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        XCTAssertEqual(leftovers, ["dangling.wav", "null.wav", "r.yaml"], "nothing else is made")
    }
}
