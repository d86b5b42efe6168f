import FeedwatchDaemon
import FeedwatchModel
@testable import FeedwatchPostgres
import FeedwatchStore
import FeedwatchTestSupport
import Foundation
import Testing

/// `store: {url: postgresql://…}` end to end: the daemon's whole pass (poll, seen, dedup, alert,
/// outbox, delivery) on the shared store, and two instances on one database alerting once.
/// Needs `FEEDWATCH_TEST_PG_URL` (scripts/pg), required under CI=true.
@Suite(.serialized, .enabled(if: PGTestURL.enabled, PGTestURL.skipNote))
struct PostgresEndToEndTests {
    func storeLine(_ url: String) -> String { "store: {url: \"\(url)\"}\n" }

    @Test func runOnceOnPostgreSQLAlertsAndCountsCopies() async throws {
        let url = try PGTestURL.fresh()
        let e2e = try E2E()
        defer { e2e.cleanup() }
        let feeds = try LoopbackHTTPServer { req in
            switch req.path {
            case "/wire.rss": return .ok(E2E.rss("Wire", [E2E.mali, E2E.weather]))
            case "/other.rss": return .ok(E2E.rss("Other", [E2E.maliCopy]))
            default: return .status(404)
            }
        }
        defer { feeds.stop() }
        let first = try e2e.config(sources: [("Wire", feeds.baseURL + "/wire.rss")], extra: storeLine(url))
        let (p1, r1) = try await e2e.daemon(first).runOnce()
        #expect(p1.alerts == 1)
        #expect(r1.delivered == 1)
        let both = try e2e.config(sources: [("Wire", feeds.baseURL + "/wire.rss"), ("Other", feeds.baseURL + "/other.rss")],
                                  extra: storeLine(url))
        let d2 = try await e2e.daemon(both)
        if E2E.hasBinary {
            // `status` reads the shared store: the first instance retired, the second is starting.
            let (code, out) = try await PGTestURL.run(["status", "--config", both, "--json"])
            #expect(code == 0)
            let status = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
            #expect(status["alerts"] as? Int == 1)
            #expect((status["database"] as? String)?.hasPrefix("postgresql://") == true)
            let instances = try #require(status["instances"] as? [[String: Any]])
            #expect(instances.count == 1)
            #expect(instances.first?["sources_held"] as? Int == 0)
        }
        let (p2, _) = await d2.runOnce()
        #expect(p2.alerts == 0)
        #expect(p2.copies == 1)
        let logged = e2e.loggedAlerts()
        #expect(logged.count == 1)
        let alert = try #require(logged.first)
        #expect(d2.stateStore is PostgresStore)
        #expect(try d2.stateStore.alert(id: alert.id)?.outlets == ["Wire", "Other"])
        #expect(try d2.stateStore.sourceState(url: feeds.baseURL + "/other.rss")?.lastSuccess != nil)
        #expect(try d2.stateStore.outboxCounts().delivered == 1)
        // Nothing went to SQLite, and both instances retired at the end of their pass.
        #expect(!FileManager.default.fileExists(atPath: e2e.dir + "/state/feedwatch.db"))
        #expect(try PostgresStore(url: url).instances().isEmpty)
    }

    /// `run --once` renews its leases while a fetch runs: a fetch slower than the lease is not
    /// taken over by another instance (which would poll the source twice and drop this result).
    @Test func runOnceRenewsItsLeasesWhileAFetchRuns() async throws {
        let url = try PGTestURL.fresh()
        let e2e = try E2E()
        defer { e2e.cleanup() }
        let feeds = try LoopbackHTTPServer { req in
            guard req.path == "/wire.rss" else { return .status(404) }
            Thread.sleep(forTimeInterval: 8)        // longer than the 5 s lease
            return .ok(E2E.rss("Wire", [E2E.mali]))
        }
        defer { feeds.stop() }
        let config = try e2e.write("feedwatch.yaml", """
            watchlist: watchlist.yaml
            state_dir: state
            sources:
              - {name: Wire, url: "\(feeds.baseURL)/wire.rss"}
            sinks:
              - {type: file, path: alerts.jsonl}
            limits: {timeout: 20s, connect_timeout: 1s}
            store: {url: "\(url)", lease: 5s}

            """)
        let daemon = try await e2e.daemon(config)
        let intruder = try PostgresStore(url: url, instanceID: "intruder")
        let run = Task { await daemon.runOnce() }
        // Once the daemon holds the source, another instance keeps trying to claim it, past the lease.
        let held = await eventually {
            ((try? intruder.connection.queryOne("SELECT count(*) FROM sources WHERE lease_owner IS NOT NULL") { $0.int(0) }) ?? 0) == 1
        }
        #expect(held)
        var taken: [String] = []
        let until = Date().addingTimeInterval(7)
        while Date() < until && taken.isEmpty {
            taken = try intruder.claimDueSources(limit: 10, lease: 60).map(\.url)
            try await Task.sleep(for: .milliseconds(250))
        }
        let (p, r) = await run.value
        #expect(taken.isEmpty, "another instance took the source over in the middle of its fetch")
        #expect(p.alerts == 1)
        #expect(r.delivered == 1)
    }

    @Test func twoInstancesAtOnceAlertOnce() async throws {
        let url = try PGTestURL.fresh()
        let e2e = try E2E()
        defer { e2e.cleanup() }
        let feeds = try LoopbackHTTPServer { req in
            req.path == "/wire.rss" ? .ok(E2E.rss("Wire", [E2E.mali, E2E.weather])) : .status(404)
        }
        defer { feeds.stop() }
        let config = try e2e.config(sources: [("Wire", feeds.baseURL + "/wire.rss")], extra: storeLine(url))
        let a = try await e2e.daemon(config)
        let b = try await e2e.daemon(config)
        async let ra = a.runOnce()
        async let rb = b.runOnce()
        let (pa, da) = await ra
        let (pb, db) = await rb
        // Both fetched the feed; the seen marks gave its entries to one of them, which alerted.
        #expect(pa.alerts + pb.alerts == 1)
        #expect(da.delivered + db.delivered == 1)
        #expect(e2e.loggedAlerts().count == 1)
        #expect(try a.stateStore.alertCount() == 1)
    }

    /// Two instances, each listing one outlet of the same story, fetch at the same moment (the
    /// server answers neither before both asked): the dedup lock serialises their decisions, so
    /// the second finds the first's story and adds its outlet; one alert, two outlets.
    @Test func twoOutletsOfOneStoryFetchedAtOnceByTwoInstancesAlertOnce() async throws {
        let url = try PGTestURL.fresh()
        let e2e = try E2E()
        defer { e2e.cleanup() }
        let arrived = Barrier(parties: 2)
        let feeds = try LoopbackHTTPServer { req in
            arrived.arriveAndWait(timeout: 10)
            switch req.path {
            case "/wire.rss": return .ok(E2E.rss("Wire", [E2E.mali]))
            case "/other.rss": return .ok(E2E.rss("Other", [E2E.maliCopy]))
            default: return .status(404)
            }
        }
        defer { feeds.stop() }
        let a = try await e2e.daemon(try e2e.config(sources: [("Wire", feeds.baseURL + "/wire.rss")], extra: storeLine(url)))
        let b = try await e2e.daemon(try e2e.config(sources: [("Other", feeds.baseURL + "/other.rss")], extra: storeLine(url)))
        // Running, not `--once`: an instance whose first claim found the other's source leased
        // claims again a moment later.
        async let ra: Void = a.run()
        async let rb: Void = b.run()
        let polled = await eventually(.seconds(20)) {
            ((try? a.stateStore.allSourceStates()) ?? []).filter { $0.lastSuccess != nil }.count == 2
        }
        await a.stop()
        await b.stop()
        _ = try await (ra, rb)
        #expect(polled)
        #expect(arrived.metAll, "both fetches were in flight together")
        #expect(try a.stateStore.counter("alerts.raised") == 1)
        #expect(try a.stateStore.counter("copies") == 1)
        #expect(try a.stateStore.alertCount() == 1)
        let alert = try #require(try a.stateStore.recentAlerts(limit: 5).first)
        #expect(Set(alert.outlets) == ["Wire", "Other"])
        #expect(e2e.loggedAlerts().count == 1)
    }

    @Test func unreachableDatabaseStopsTheStartWithOneLine() async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        let config = try e2e.config(sources: [("Wire", "http://127.0.0.1:9/wire.rss")],
                                    extra: storeLine("postgresql://feedwatch@127.0.0.1:1/feedwatch"))
        guard E2E.hasBinary else {
            await #expect(throws: StoreError.self) { _ = try await e2e.daemon(config) }
            return
        }
        let (status, stderr) = try await PGTestURL.run(["run", "--once", "--config", config], stderr: true)
        #expect(status == 1)
        let lines = stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("run: store: postgresql://feedwatch@127.0.0.1:1/feedwatch: cannot connect: ") == true)
    }
}

/// The test database (see FeedwatchPostgresTests' TestDatabase, which this mirrors).
enum PGTestURL {
    static let url = ProcessInfo.processInfo.environment["FEEDWATCH_TEST_PG_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let enabled = url != nil || ProcessInfo.processInfo.environment["CI"] == "true"
    static let skipNote: Comment = "FEEDWATCH_TEST_PG_URL is not set: run `scripts/pg run swift test --filter Postgres`"

    struct Missing: Error, CustomStringConvertible {
        var description: String { "CI=true but FEEDWATCH_TEST_PG_URL is not set: the PostgreSQL tests must run in CI" }
    }

    /// A URL whose connections use a fresh, empty schema.
    static func fresh() throws -> String {
        guard let url else { throw Missing() }
        let schema = "e_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try PGConnection(url: url, password: nil, location: url).exec("CREATE SCHEMA \(schema)")
        return url + (url.contains("?") ? "&" : "?") + "options=-csearch_path%3D\(schema)"
    }

    /// Runs the built `feedwatch ARGS` to its end: its exit status and its stdout (or stderr).
    static func run(_ args: [String], stderr: Bool = false) async throws -> (Int32, String) {
        try await offPool {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: E2E.binary)
            p.arguments = args
            p.environment = ProcessInfo.processInfo.environment.merging(["NO_COLOR": "1"]) { _, b in b }
            let pipe = Pipe()
            if stderr {
                p.standardError = pipe
                p.standardOutput = FileHandle.nullDevice
            } else {
                p.standardOutput = pipe
            }
            try p.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            p.waitUntilExit()
            return (p.terminationStatus, String(decoding: data, as: UTF8.self))
        }
    }

    static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread { continuation.resume(with: Result { try body() }) }
        }
    }
}

/// Holds each arriving thread until `parties` have arrived (or `timeout` seconds pass).
final class Barrier: @unchecked Sendable {
    private let condition = NSCondition()
    private let parties: Int
    private var arrived = 0

    init(parties: Int) { self.parties = parties }

    var metAll: Bool { condition.withLock { arrived >= parties } }

    func arriveAndWait(timeout: TimeInterval) {
        condition.lock()
        defer { condition.unlock() }
        arrived += 1
        condition.broadcast()
        let end = Date().addingTimeInterval(timeout)
        while arrived < parties, condition.wait(until: end) {}
    }
}
