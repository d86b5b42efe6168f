@testable import FeedwatchDaemon
import Foundation
import Testing

/// The lifecycle's edges: a stop that comes while the daemon is still starting, SIGINT, and
/// `stop()` before `run()`.
@Suite(.serialized)
struct DaemonLifecycleTests {
    /// Whether `pid` has a handler for `signal` (the trap is in place): SigCgt in /proc.
    static func catches(_ pid: Int32, _ signal: Int32) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") }),
              let mask = UInt64(line.dropFirst("SigCgt:".count).trimmingCharacters(in: .whitespaces), radix: 16)
        else { return false }
        return mask & (1 << UInt64(signal - 1)) != 0
    }

    /// Sends `signal` the moment the child traps it: polled from a thread of its own, off the pool.
    static func signalOnceTrapped(_ pid: Int32, _ signal: Int32, timeout: Duration = .seconds(10)) async -> Bool {
        await withCheckedContinuation { done in
            Thread.detachNewThread {
                let end = ContinuousClock.now + timeout
                while !catches(pid, signal) && ContinuousClock.now < end { usleep(200) }
                let trapped = catches(pid, signal)
                if trapped { kill(pid, signal) }
                done.resume(returning: trapped)
            }
        }
    }

    /// A daemon on one wire feed, with a notify socket; `body` stops it.
    func stopped(by body: (DaemonProcessTests.Child, DaemonNotifyTests.Listener, E2E) async -> Void) async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        try e2e.write("wire.rss", E2E.rss("Wire", [E2E.mali]))
        let config = try e2e.config(sources: [("Wire", "wire.rss")])
        let listener = try DaemonNotifyTests.Listener(path: e2e.dir + "/notify.sock")
        defer { listener.close() }
        let child = try DaemonProcessTests.Child(["run", "--config", config], environment: ["NOTIFY_SOCKET": listener.path])
        defer { if child.process.isRunning { child.signal(SIGKILL) } }
        await body(child, listener, e2e)
        #expect(await child.wait() == 0, "\(child.stderr)")
        #expect(child.stderr.contains("feedwatch stopped"))
        let all = listener.received
        let ready = all.firstIndex { $0.hasPrefix("READY=1") }, stopping = all.firstIndex { $0.hasPrefix("STOPPING=1") }
        #expect(ready != nil && stopping != nil && ready! < stopping!, "\(all)")
    }

    @Test(.enabled(if: E2E.hasBinary, "needs .build/debug/feedwatch (swift build --build-tests)"))
    func sigtermWhileStartingStopsGracefully() async throws {
        try await stopped { child, _, _ in
            // Trapped first thing, long before the config is read and the services run.
            #expect(await Self.signalOnceTrapped(child.process.processIdentifier, SIGTERM))
        }
    }

    @Test(.enabled(if: E2E.hasBinary, "needs .build/debug/feedwatch (swift build --build-tests)"))
    func sigintStopsGracefully() async throws {
        try await stopped { child, listener, e2e in
            #expect(await eventually { listener.received.contains { $0.hasPrefix("READY=1") } })
            #expect(await eventually { e2e.loggedAlerts().count == 1 })
            child.signal(SIGINT)
        }
    }

    /// A stop asked for before the group exists is kept: `run` starts, stops, and returns.
    @Test(.timeLimit(.minutes(1)))
    func stopBeforeRunReturns() async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        let daemon = try await e2e.daemon(try e2e.config(sources: [("Wire", "http://127.0.0.1:9/wire.rss")]))
        await daemon.stop()
        try await daemon.run()
    }

    /// The watchdog's evidence: a tick counts once, and only with the fetcher moving; a poll
    /// engine that has stopped (graceful shutdown) owes no ticks, so the drain keeps it fed.
    @Test func watchdogEvidence() {
        let e = HeartbeatService.Evidence()
        #expect(!e.takePollerProgress())
        e.pollerTicked(fetcherOK: false)
        #expect(!e.takePollerProgress(), "a fetch stuck past its timeout is no progress")
        e.pollerTicked(fetcherOK: true)
        #expect(e.takePollerProgress())
        #expect(!e.takePollerProgress(), "one tick feeds one ping")
        #expect(!e.isStopping)
        e.stopping()
        e.pollerStopped()
        #expect(e.isStopping)
        #expect(e.takePollerProgress() && e.takePollerProgress())
    }
}
