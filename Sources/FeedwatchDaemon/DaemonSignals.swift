import Foundation
import ServiceLifecycle
import UnixSignals

/// The signals `feedwatch run` answers: SIGTERM and SIGINT stop it gracefully (the service
/// group's shutdown signals), SIGHUP reloads, SIGUSR1 reopens the log files.
///
/// `trap()` is the first thing `run` does. On Linux the library's signal sequence leaves the
/// dispositions alone (it sets SIG_IGN only on Darwin), and the group registers its own handlers
/// only once it runs, after the config, the watchlist and the store are loaded. So `trap()` sets
/// SIG_IGN, then traps all four at once: a signal that arrives while the daemon is still starting
/// is neither the default "terminate" nor lost, but buffered until the control service reads it.
public struct DaemonSignals: Sendable {
    /// Graceful shutdown, for the `ServiceGroup`.
    static let shutdown: [UnixSignal] = [.sigterm, .sigint]
    /// Handled by the control service while the daemon runs.
    static let control: [UnixSignal] = [.sighup, .sigusr1]

    let received: UnixSignalsSequence

    public static func trap() async -> DaemonSignals {
        // Webhooks, SMTP and the notify socket may write to a closed peer; curl sets this too.
        signal(SIGPIPE, SIG_IGN)
        for s in shutdown + control { signal(s.rawValue, SIG_IGN) }
        return DaemonSignals(received: await UnixSignalsSequence(trapping: shutdown + control))
    }
}
