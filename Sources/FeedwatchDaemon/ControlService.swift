import Foundation
import ServiceLifecycle
import UnixSignals

/// The daemon's side of its supervisor's conversation, as the group's last service (so the
/// first one stopped): READY=1 once it listens, SIGHUP reload and SIGUSR1 log reopening while
/// it runs, and STOPPING=1 as the first step of a graceful shutdown.
struct ControlService: Service {
    let daemon: Daemon
    let notify: SdNotify
    /// Nil in-process (tests), where `Daemon.stop()` is the only way to stop.
    let signals: DaemonSignals?
    let heartbeat: HeartbeatService.Evidence

    func run() async {
        _ = notify.ready(status: await daemon.statusLine())
        if let signals {
            // Ends at this service's graceful shutdown; a reload under way finishes first.
            for await signal in signals.received.cancelOnGracefulShutdown() {
                switch signal {
                case .sighup: await daemon.reload()
                case .sigusr1: await daemon.reopenLogs(reason: "SIGUSR1")
                // The group stops on these itself; one that came while the daemon was still
                // starting, before the group listened, is only seen here.
                default: await daemon.stop()
                }
            }
        } else {
            try? await gracefulShutdown()
        }
        heartbeat.stopping()
        daemon.logger.info("stopping")
        _ = notify.stopping(status: "stopping: finishing in-flight work")
    }
}
