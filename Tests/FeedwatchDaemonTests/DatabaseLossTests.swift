import FeedwatchModel
@testable import FeedwatchPostgres
import FeedwatchStore
import FeedwatchTestSupport
import Foundation
import Synchronization
import Testing

/// The shared database stops under a running `feedwatch run` and comes back: the instance says
/// so once in its log and in its sd_notify STATUS, claims no work meanwhile and keeps running;
/// once the database answers it claims again, and the story published during the outage is
/// alerted once. Stops and starts the test server (`FEEDWATCH_TEST_PG_CTL`, from scripts/pg).
@Suite(.serialized, .enabled(if: PGTestServer.ctl != nil && PGTestURL.enabled && E2E.hasBinary,
                             "needs scripts/pg (FEEDWATCH_TEST_PG_CTL) and .build/debug/feedwatch"))
struct DatabaseLossTests {
    static var ctl: String? { PGTestServer.ctl }

    /// Runs `ctl verb` with posix_spawn and waitpid: Foundation's Process sometimes never saw
    /// this short-lived child exit while another child (the daemon) ran.
    static func server(_ verb: String) async throws -> Int32 {
        try await PGTestURL.offPool {
            var pid = pid_t()
            let args = [ctl ?? "/bin/false", verb]
            var argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
            defer { for p in argv { free(p) } }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            let rc = posix_spawn(&pid, args[0], &actions, nil, &argv, environ)
            guard rc == 0 else { throw POSIXError(POSIXErrorCode(rawValue: rc) ?? .EIO) }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            return (status >> 8) & 0xff
        }
    }

    @Test func aLostDatabaseStopsClaimsAndTheInstanceResumesWhenItReturns() async throws {
        let url = try PGTestURL.fresh()
        let e2e = try E2E()
        defer { e2e.cleanup() }
        let items = Mutex([E2E.weather])
        let polls = Mutex(0)
        let feeds = try LoopbackHTTPServer { req in
            guard req.path == "/wire.rss" else { return .status(404) }
            polls.withLock { $0 += 1 }
            return .ok(E2E.rss("Wire", items.withLock { $0 }))
        }
        defer { feeds.stop() }
        let config = try e2e.config(sources: [("Wire", feeds.baseURL + "/wire.rss")],
                                    extra: "schedule: {default_interval: 1s, min_interval: 1s, jitter: 0}\n"
                                        + "store: {url: \"\(url)\", lease: 5s}\n")
        let listener = try DaemonNotifyTests.Listener(path: e2e.dir + "/notify.sock")
        defer { listener.close() }
        let child = try DaemonProcessTests.Child(["run", "--config", config], environment: ["NOTIFY_SOCKET": listener.path])
        var restarted = false
        defer {
            if child.process.isRunning { child.signal(SIGKILL) }
            if !restarted { Task { _ = try? await Self.server("start") } }
        }
        #expect(await eventually { polls.withLock { $0 } >= 2 }, "\(child.stderr)")

        #expect(try await Self.server("stop") == 0)
        #expect(await eventually(.seconds(15)) { child.stderr.contains("the shared database failed; claiming no work") },
                "\(child.stderr)")
        #expect(await eventually(.seconds(15)) {
            listener.received.contains { $0.hasPrefix("STATUS=shared database unreachable, claiming no work") }
        })
        // Claiming nothing, it fetches nothing: a poll needs a claim.
        try await Task.sleep(for: .seconds(1))
        let pollsWhileDown = polls.withLock { $0 }
        items.withLock { $0 = [E2E.mali, E2E.weather] }
        try await Task.sleep(for: .seconds(3))
        #expect(polls.withLock { $0 } == pollsWhileDown)
        #expect(child.process.isRunning)
        // Said once, not at every attempt.
        #expect(child.stderr.components(separatedBy: "the shared database failed").count == 2)
        #expect(child.stderr.components(separatedBy: "outbox claim failed").count <= 2)

        #expect(try await Self.server("start") == 0)
        restarted = true
        #expect(await eventually(.seconds(20)) { child.stderr.contains("the shared database answers again") }, "\(child.stderr)")
        let store = try PostgresStore(url: url, migrate: false)
        #expect(await eventually(.seconds(20)) { ((try? store.alertCount()) ?? 0) == 1 }, "\(child.stderr)")
        #expect(await eventually(.seconds(10)) { ((try? store.outboxCounts().delivered) ?? 0) == 1 })
        let statusBack = await eventually(.seconds(15)) {
            listener.received.last { $0.hasPrefix("STATUS=") }.map { !$0.contains("unreachable") } ?? false
        }
        #expect(statusBack)
        child.signal(SIGTERM)
        #expect(await child.wait() == 0)
        #expect(e2e.loggedAlerts().map(\.title) == [E2E.mali.title])
    }
}

/// The script that stops and starts the test server (scripts/pg).
enum PGTestServer {
    static let ctl = ProcessInfo.processInfo.environment["FEEDWATCH_TEST_PG_CTL"].flatMap { $0.isEmpty ? nil : $0 }
}
