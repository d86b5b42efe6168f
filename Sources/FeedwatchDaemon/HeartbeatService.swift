import Foundation
import ServiceLifecycle
import Synchronization

/// STATUS= (and, on a shared store, this instance's heartbeat) every five seconds, and
/// WATCHDOG=1 when both engines show progress. The group's first service, so the last one
/// stopped: the watchdog is fed while the engines drain, and falls silent only after them.
struct HeartbeatService: Service {
    let daemon: Daemon
    let notify: SdNotify
    let evidence: Evidence
    let dispatchLoop: DispatchLoop
    var statusEvery: Duration = .seconds(5)

    /// What the engines report, read by the heartbeat.
    final class Evidence: Sendable {
        private struct State {
            var pollerProgressed = false
            var pollerStopped = false
            var stopping = false
        }
        private let state = Mutex(State())

        /// The poll engine's tick: `fetcherOK` is false while a fetch is stuck past its timeout.
        func pollerTicked(fetcherOK: Bool) { if fetcherOK { state.withLock { $0.pollerProgressed = true } } }
        /// The poll engine finished (graceful shutdown): no more ticks, and none owed.
        func pollerStopped() { state.withLock { $0.pollerStopped = true } }
        /// Graceful shutdown began: STATUS= now says so, and stays.
        func stopping() { state.withLock { $0.stopping = true } }
        var isStopping: Bool { state.withLock { $0.stopping } }

        /// Whether the poller moved since the last call.
        func takePollerProgress() -> Bool {
            state.withLock { s in
                defer { s.pollerProgressed = false }
                return s.pollerProgressed || s.pollerStopped
            }
        }
    }

    func run() async {
        let watchdogEvery = notify.watchdogInterval()
        // Often enough for either; never a busy loop, whatever WATCHDOG_USEC says.
        let step = max(min(watchdogEvery ?? statusEvery, statusEvery), .milliseconds(50))
        await cancelWhenGracefulShutdown {
            let clock = ContinuousClock()
            var lastStatus = clock.now, lastPing = clock.now - .seconds(3600)
            while !Task.isCancelled {
                do { try await clock.sleep(for: step) } catch { return }
                // Fed only when both halves move: a stuck fetcher or dispatcher gets the service restarted.
                if let every = watchdogEvery, clock.now - lastPing >= every, evidence.takePollerProgress(),
                   dispatchLoop.sinceLastRound < .seconds(120) {
                    notify.watchdog()
                    lastPing = clock.now
                }
                if clock.now - lastStatus >= statusEvery, !evidence.isStopping {
                    await daemon.publishStatus()
                    lastStatus = clock.now
                }
            }
        }
    }
}
