import Foundation

/// Ctrl-C and termination requests, noticed between blocks so a render can stop cleanly
/// (removing its partial file) instead of dying mid-write.
enum Interrupts {
    nonisolated(unsafe) private static var requested: sig_atomic_t = 0

    static func install() {
        signal(SIGINT) { _ in Interrupts.requested = 1 }
        signal(SIGTERM) { _ in Interrupts.requested = 1 }
        // Past a file size limit, let write() fail with EFBIG (reported, exit 74) instead of dying.
        signal(SIGXFSZ, SIG_IGN)
    }

    static var wasRequested: Bool { requested != 0 }
}
