import FeedwatchModel
@testable import FeedwatchPostgres
import FeedwatchStore
import Foundation
import Testing

func alert(_ id: String, story: String? = nil, source: String = "outlet-a", at: Date = Date(timeIntervalSince1970: 1_800_000_000)) -> Alert {
    Alert(id: id, topic: "sahel", score: 2.5, matched: ["Mali"], story: story ?? "story-\(id)", title: "Title \(id)",
          link: "https://\(source).example/\(id)", source: source, outlets: [source], published: at, fetched: at,
          alerted: at, reports: [Alert.Report(outlet: source, link: "https://\(source).example/\(id)", title: "Title \(id)")], reportCount: 1)
}

/// The PostgreSQL store alone: schema, the Store operations, errors.
@Suite(.enabled(if: TestDatabase.enabled, TestDatabase.skipNote))
struct PostgresStoreTests {
    @Test func migratesOnceAndRecordsTheVersion() throws {
        let url = try TestDatabase.fresh()
        let first = try PostgresStore(url: url)
        #expect(try first.schemaVersionFound() == PostgresStore.schemaVersion)
        // A second instance on the migrated database changes nothing.
        let second = try PostgresStore(url: url)
        #expect(try second.schemaVersionFound() == PostgresStore.schemaVersion)
        #expect(try first.connection.queryOne("SELECT count(*) FROM schema_version") { $0.int(0) } == 1)
    }

    @Test func instancesStartingTogetherMigrateOnce() async throws {
        let url = try TestDatabase.fresh()
        let versions = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<4 {
                group.addTask { try await TestDatabase.offPool { try PostgresStore(url: url).schemaVersionFound() } }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(versions == Array(repeating: PostgresStore.schemaVersion, count: 4))
    }

    @Test func refusesASchemaFromTheFuture() throws {
        let url = try TestDatabase.fresh()
        let store = try PostgresStore(url: url)
        try store.connection.run("UPDATE schema_version SET version = 99")
        #expect {
            try PostgresStore(url: url)
        } throws: { error in
            "\(error)".contains("schema version 99 is newer than this feedwatch understands")
        }
    }

    @Test func unreachableDatabaseIsOneClearLine() throws {
        // Port 1 on loopback: nothing listens, the connection is refused at once.
        let started = Date()
        do {
            _ = try PostgresStore(url: "postgresql://feedwatch:pw@127.0.0.1:1/feedwatch", connectTimeout: 2)
            Issue.record("connected to port 1")
        } catch let error as StoreError {
            let line = error.description
            #expect(!line.contains("\n"))
            #expect(line.hasPrefix("store: postgresql://feedwatch:***@127.0.0.1:1/feedwatch: cannot connect:"))
            #expect(line.contains("127.0.0.1"))
            #expect(!line.contains(":pw@"))
        }
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func sourcesSeenAndCountersRoundTrip() throws {
        let store = try PostgresStore(url: try TestDatabase.fresh())
        let t = Date(timeIntervalSince1970: 1_800_000_123.25)
        let s = SourceState(url: "https://a.example/feed", currentURL: "https://b.example/feed", etag: "\"x\"",
                            lastModified: "Tue, 01 Dec 2026 10:00:00 GMT", lastSuccess: t, lastAttempt: t,
                            consecutiveFailures: 2, lastError: "HTTP 503", nextPollAt: t.addingTimeInterval(300),
                            gone: true, strikes: 1, quarantinedAt: t, quarantineDigest: "abc")
        try store.saveSourceState(s)
        #expect(try store.sourceState(url: s.url) == s)
        var changed = s
        changed.etag = nil
        changed.gone = false
        try store.saveSourceState(changed)
        #expect(try store.allSourceStates() == [changed])
        #expect(try store.releaseQuarantine(url: s.url))
        #expect(try store.sourceState(url: s.url)?.quarantinedAt == nil)

        #expect(try store.markSeen(sourceURL: s.url, entryIDs: ["1", "2", "2", "with \"quote\" and \\"], at: t)
                == ["1", "2", "with \"quote\" and \\"])
        #expect(try store.markSeen(sourceURL: s.url, entryIDs: ["2", "3"], at: t) == ["3"])
        #expect(try store.unseen(sourceURL: s.url, entryIDs: ["3", "4"]) == ["4"])
        #expect(try store.seenCount(sourceURL: s.url) == 4)

        try store.incrementCounter("polls", by: 2)
        try store.incrementCounter("polls", by: 3)
        try store.setCounter("dedup.stories", to: 7)
        #expect(try store.counters() == ["polls": 5, "dedup.stories": 7])
    }

    @Test func transactionRollsBackEverythingItWrote() throws {
        let store = try PostgresStore(url: try TestDatabase.fresh())
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try store.transaction {
                try store.insertAlert(alert("a1"), report: nil)
                try store.transaction { try store.incrementCounter("inner", by: 1) }
                throw Boom()
            }
        }
        #expect(try store.alertCount() == 0)
        #expect(try store.counters().isEmpty)
        // A failed inner level rolls back to its savepoint only.
        try store.transaction {
            try store.incrementCounter("outer", by: 1)
            _ = try? store.transaction { try store.incrementCounter("inner", by: 1); throw Boom() }
        }
        #expect(try store.counters() == ["outer": 1])
    }

    @Test func dedupSnapshotAndJournal() throws {
        let store = try PostgresStore(url: try TestDatabase.fresh())
        try store.saveBlob("legacy", Data([1, 2, 3]), at: Date())
        #expect(try store.loadBlob("legacy") == Data([1, 2, 3]))
        try store.appendJournal([Data([9]), Data(), Data([0, 255])])
        #expect(try store.loadJournal() == [Data([9]), Data(), Data([0, 255])])
        let big = Data((0..<200_000).map { UInt8($0 % 251) })
        try store.saveSnapshot(legacyBlob: "legacy") { emit in
            try emit(big)
            try emit(Data([7]))
        }
        #expect(try store.loadJournal().isEmpty)
        #expect(try store.loadBlob("legacy") == nil)
        let first = try #require(try store.snapshotPiece(after: 0))
        #expect(first.data == big)
        #expect(try store.snapshotPiece(after: first.seq)?.data == Data([7]))
    }

    @Test func alertsOutletsAndUpdates() throws {
        let store = try PostgresStore(url: try TestDatabase.fresh())
        let a = alert("a1", story: "cluster-1")
        #expect(try store.insertAlert(a, report: "report-1"))
        #expect(try !store.insertAlert(a, report: nil))
        #expect(try store.alert(id: "a1") == a)
        #expect(try store.alertedStories() == ["cluster-1", "report-1"])
        #expect(try store.addOutlet(alertID: "a1", outlet: "outlet-b", link: "https://b.example/1", title: "B"))
        // The same report again is a copy, not a report.
        #expect(try store.addOutlet(alertID: "a1", outlet: "outlet-b", link: "https://b.example/1", title: "B"))
        #expect(try !store.addOutlet(alertID: "nope", outlet: "x", link: nil, title: nil))
        let stored = try #require(try store.alert(id: "a1"))
        #expect(stored.outlets == ["outlet-a", "outlet-b"])
        #expect(stored.reports?.map(\.outlet) == ["outlet-a", "outlet-b"])
        #expect(stored.reportCount == 2)
        #expect(try store.copies(alertID: "a1") == 3)
        #expect(try store.updateState(alertID: "a1")! == (2, 1, 0))
        let later = a.alerted.addingTimeInterval(3600)
        #expect(try store.dueUpdates(sentBefore: later, limit: 10) == ["a1"])
        let update = try #require(try store.takeUpdate(alertID: "a1", at: later))
        #expect(update.number == 1)
        #expect(update.alert.outlets == ["outlet-a", "outlet-b"])
        #expect(try store.dueUpdates(sentBefore: later, limit: 10).isEmpty)
        #expect(try store.recentAlerts(limit: 5).map(\.id) == ["a1"])
    }

    /// Claims read sources in their claim order, and a prune reads only settled deliveries: with
    /// sequential scans priced out, the plans must find an index for each (on tables this small
    /// the planner would scan anyway, which says nothing about a large database).
    @Test func claimsAndPruneHaveTheirIndexes() throws {
        let store = try PostgresStore(url: try TestDatabase.fresh())
        func plan(_ sql: String, _ values: [PGValue]) throws -> String {
            try store.transaction {
                try store.connection.exec("SET LOCAL enable_seqscan = off")
                return try store.connection.query("EXPLAIN " + sql, values) { $0.string(0) ?? "" }.joined(separator: "\n")
            }
        }
        let prune = try plan(PostgresStore.pruneOutbox, [.double(1_800_000_000)])
        #expect(prune.contains("outbox_delivered") && prune.contains("outbox_dead") && !prune.contains("Seq Scan"), "\(prune)")
        let due = try plan("""
            SELECT url FROM sources WHERE NOT gone AND (next_poll_at IS NULL OR next_poll_at <= $1)
            ORDER BY next_poll_at NULLS FIRST, url LIMIT 8
            """, [.double(1_800_000_000)])
        #expect(due.contains("sources_claim_order") && !due.contains("Sort"), "\(due)")
    }

    @Test func outboxLifecycleAndPrune() throws {
        let store = try PostgresStore(url: try TestDatabase.fresh())
        let t = Date(timeIntervalSince1970: 1_800_000_000)
        try store.insertAlert(alert("a1"), report: nil)
        #expect(try store.enqueue(alertID: "a1", sink: "file", payload: Data("{}".utf8), at: t))
        #expect(try !store.enqueue(alertID: "a1", sink: "file", payload: Data("{}".utf8), at: t))
        #expect(try store.enqueue(alertID: "a1", sink: "hook", payload: Data("{}".utf8), at: t))
        let claimed = try store.claimDue(now: t, limit: 10, lease: 60, excluding: ["hook"])
        #expect(claimed.map(\.sink) == ["file"])
        #expect(claimed.first?.attempts == 1)
        #expect(claimed.first?.payload == Data("{}".utf8))
        try store.markDelivered(id: claimed[0].id, at: t)
        let hook = try store.claimDue(now: t, limit: 10, lease: 60, excluding: [])
        try store.releaseClaim(id: hook[0].id, at: t.addingTimeInterval(10), reason: "held")
        #expect(try store.outboxEntry(alertID: "a1", sink: "hook")?.attempts == 0)
        let again = try store.claimDue(now: t.addingTimeInterval(10), limit: 10, lease: 60, excluding: [])
        try store.markDead(id: again[0].id, error: "410", at: t)
        #expect(try store.outboxCounts() == OutboxCounts(pending: 0, delivered: 1, dead: 1))
        #expect(try store.outboxDepth() == 0)
        #expect(try store.sinkSummaries() == [
            SinkOutboxSummary(sink: "file", delivered: 1, lastSuccess: t),
            SinkOutboxSummary(sink: "hook", dead: 1, lastError: "410", lastErrorDeadAt: t),
        ])
        let pruned = try store.prune(seenBefore: t, alertsBefore: t.addingTimeInterval(1))
        #expect(pruned == PruneReport(seenEntries: 0, outboxRows: 2, alerts: 1))
    }
}

extension PostgresStoreTests {
    @Test func aDroppedConnectionFailsOneCallAndIsReopenedForTheNext() throws {
        let url = try TestDatabase.fresh()
        let store = try PostgresStore(url: url)
        let admin = try PostgresStore(url: url, instanceID: "admin")
        try store.incrementCounter("before", by: 1)
        try store.heartbeat(lastPoll: nil)
        // What a database restart does to the connection.
        let pid = try #require(try store.connection.queryOne("SELECT pg_backend_pid()") { $0.int(0) })
        try admin.connection.exec("SELECT pg_terminate_backend(\(pid))")
        do {
            try store.incrementCounter("lost", by: 1)
            Issue.record("a call on a terminated connection succeeded")
        } catch let error as StoreError {
            #expect(!error.description.contains("\n"))
        }
        try store.incrementCounter("after", by: 1)
        #expect(try store.counters() == ["before": 1, "after": 1])
        // The reopened connection is this instance's new server process: the others do not take
        // it for gone (its leases stay its own).
        let now = try #require(try store.connection.queryOne("SELECT pg_backend_pid()") { $0.int(0) })
        #expect(now != pid)
        let recorded = try admin.connection.queryOne("SELECT backend_pid FROM instances WHERE id = $1", [.text(store.instanceID)]) { $0.int(0) }
        #expect(recorded == now)
    }

    @Test func pagesAndTheirDailyBudgetAreShared() async throws {
        let url = try TestDatabase.fresh()
        let store = try PostgresStore(url: url)
        let t = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(try store.page(url: "https://a.example/x") == nil)
        var page = StoredPage(url: "https://a.example/x", host: "a.example", fetchedAt: t, etag: "\"1\"", title: "T", text: "Body")
        try store.savePage(page)
        page.text = nil
        page.failure = "page HTTP 403"
        try store.savePage(page)
        #expect(try store.page(url: "https://a.example/x") == page)
        // Two instances draw on one budget of 5: exactly 5 of 12 concurrent requests get it.
        let other = try PostgresStore(url: url)
        let granted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for i in 0..<12 {
                let s = i % 2 == 0 ? store : other
                group.addTask { try s.takePageBudget(host: "a.example", at: t, limit: 5) }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(granted == 5)
        #expect(try store.takePageBudget(host: "a.example", at: t.addingTimeInterval(86_400), limit: 5))
        #expect(try !store.takePageBudget(host: "b.example", at: t, limit: 0))
        #expect(try store.prunePages(before: t.addingTimeInterval(1), now: t.addingTimeInterval(3 * 86_400)) == 1)
        #expect(try store.page(url: "https://a.example/x") == nil)
    }

    /// Instances with different sinks each claim only their own sinks' rows: none hands back,
    /// or dead-letters, a delivery another instance can make.
    @Test func eachInstanceClaimsOnlyItsOwnSinks() throws {
        let url = try TestDatabase.fresh()
        let a = try PostgresStore(url: url, instanceID: "a")
        let b = try PostgresStore(url: url, instanceID: "b")
        let t = Date(timeIntervalSince1970: 1_800_000_000)
        try a.insertAlert(alert("x"), report: nil)
        for sink in ["file-a", "file-b", "shared"] {
            #expect(try a.enqueue(alertID: "x", sink: sink, payload: Data("{}".utf8), at: t))
        }
        #expect(try a.claimDue(now: t, limit: 10, lease: 60, excluding: [], only: ["file-a"]).map(\.sink) == ["file-a"])
        #expect(try b.claimDue(now: t, limit: 10, lease: 60, excluding: [], only: ["file-b", "shared"]).map(\.sink)
                == ["file-b", "shared"])
        #expect(try a.claimDue(now: t, limit: 10, lease: 60, excluding: [], only: ["file-a", "shared"]).isEmpty)
        // The plain claim (one instance, no filter) still takes any sink.
        try b.releaseLeases()
        #expect(try a.claimDue(now: t, limit: 10, lease: 60, excluding: []).map(\.sink) == ["file-b", "shared"])
    }
}
