import Foundation
import XCTest

/// A temporary folder for the files one test writes: `$TMPDIR/cadence-LABEL-UUID`, created empty.
///
/// `ScratchFolder(for: self)` removes it when the test ends (a teardown block, which XCTest runs
/// before the test's own `tearDown`). A test whose `tearDown` must act before the folder goes
/// (unmount what is mounted in it, make it writable again) makes it with `ScratchFolder()` and
/// calls `remove()` there itself.
public struct ScratchFolder: Sendable {
    public let url: URL

    public var path: String { url.path }

    /// Creates the folder; `remove()` removes it.
    public init(_ label: String = "tests") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("cadence-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Creates the folder and removes it when `test` ends.
    public init(for test: XCTestCase, _ label: String = "tests") throws {
        try self.init(label)
        let folder = self
        test.addTeardownBlock { folder.remove() }
    }

    /// `name` inside the folder.
    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Removes the folder and everything in it (nothing if it is gone already).
    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
