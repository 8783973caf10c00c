import Foundation
import Synchronization

/// The signals that ask Cadence to stop: Ctrl-C (SIGINT), SIGTERM and SIGHUP (a closed terminal).
/// The first one is only noted; renders look at `isRequested` between blocks and while waiting,
/// stop cleanly and leave nothing behind. A second one ends the process at once (an unfinished
/// track is an unnamed file, which the kernel removes with the process). SIGPIPE is ignored, so a
/// closed pipe on standard error (`cadence render dir 2>&1 | head -1`) is a failed write, not
/// death; so is SIGXFSZ, so a file size limit is a reported write error (exit 74).
public enum StopSignal {
    private static let received = Atomic<Int32>(0)

    /// Installs the handlers; call once, early in `main`.
    public static func install() {
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                if StopSignal.received.exchange(number, ordering: .relaxed) != 0 { _exit(128 + number) }
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, nil)
        }
        Glibc.signal(SIGPIPE, SIG_IGN)
        Glibc.signal(SIGXFSZ, SIG_IGN)
    }

    /// Whether a stop signal has arrived.
    public static var isRequested: Bool { received.load(ordering: .relaxed) != 0 }

    /// The signal that arrived (SIGINT when none did: a stop asked for by a caller of the library).
    public static var signal: Int32 {
        let value = received.load(ordering: .relaxed)
        return value == 0 ? SIGINT : value
    }

    /// For tests: forget a signal that was noted.
    static func reset() { received.store(0, ordering: .relaxed) }

    /// How a message names a signal.
    public static func name(of signal: Int32) -> String {
        switch signal {
        case SIGINT: return "Ctrl-C (SIGINT)"
        case SIGTERM: return "SIGTERM"
        case SIGHUP: return "SIGHUP (the terminal was closed)"
        default: return "signal \(signal)"
        }
    }
}
