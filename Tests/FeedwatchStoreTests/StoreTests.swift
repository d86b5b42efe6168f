import FeedwatchModel
@testable import FeedwatchStore
import FeedwatchTestSupport
import Foundation
import Testing

@Suite("State store")
struct StoreTests {
    let dir = StoreTempDir()
    let t0 = Date(timeIntervalSince1970: 1_790_000_000.25)

    func open() throws -> StateStore { try StateStore(directory: dir.path) }

    @Test("Migrations bring a new database to the current schema, once")
    func migrations() throws {
        do {
            let s = try open()
            #expect(try s.userVersion() == StateStore.schemaVersion)
            try s.incrementCounter("polls", by: 3)
        }
        let s = try open()
        #expect(try s.userVersion() == StateStore.schemaVersion)
        #expect(try s.counter("polls") == 3)
        #expect(try s.integrityCheck() == "ok")
    }

    @Test("Releasing the store closes the connection (the WAL is checkpointed away)")
    func closesOnRelease() throws {
        let wal = dir.file(StateStore.fileName + "-wal")
        do {
            let s = try open()
            try s.markSeen(sourceURL: "A", entryIDs: ["1"], at: t0)
            #expect(FileManager.default.fileExists(atPath: wal))
        }
        #expect(!FileManager.default.fileExists(atPath: wal))
        #expect(try open().seenCount() == 1)
    }

    @Test("An exclusive store refuses a second exclusive opener until released")
    func exclusive() throws {
        do {
            let first = try StateStore(directory: dir.path, exclusive: true)
            do {
                _ = try StateStore(directory: dir.path, exclusive: true)
                Issue.record("a second exclusive open succeeded")
            } catch let e as StoreError {
                #expect(e.description.contains("another feedwatch process is using this state directory"))
            }
            // Readers are not blocked.
            #expect(try StateStore(readOnlyPath: first.path).outboxDepth() == 0)
        }
        #expect(try StateStore(directory: dir.path, exclusive: true).userVersion() == StateStore.schemaVersion)
    }

    /// A prune reads the settled deliveries it deletes, not the whole outbox history.
    @Test("Prune finds settled deliveries through their indexes")
    func pruneUsesTheOutboxIndexes() throws {
        let store = try open()
        let plan = try store.db.query("EXPLAIN QUERY PLAN " + StateStore.pruneOutbox, [.date(t0)]) { $0.string(3) ?? "" }
        #expect(plan.contains { $0.contains("USING INDEX outbox_delivered") }, "\(plan)")
        #expect(plan.contains { $0.contains("USING INDEX outbox_dead") }, "\(plan)")
        #expect(!plan.contains { $0.hasPrefix("SCAN") }, "\(plan)")
    }

    @Test("A database from a newer feedwatch is refused with a clear message")
    func newerSchemaRefused() throws {
        do { _ = try open() }
        let path = dir.file(StateStore.fileName)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute('PRAGMA user_version=99'); c.commit()", path]
        try p.run()
        p.waitUntilExit()
        #expect(throws: StoreError.self) { try StateStore(path: path) }
        do {
            _ = try StateStore(path: path)
        } catch let e as StoreError {
            #expect(e.description.contains("schema version 99"))
        }
    }

    @Test("Source state round-trips, including absent fields and 410")
    func sourceRoundTrip() throws {
        let s = try open()
        #expect(try s.sourceState(url: "https://a.example/feed") == nil)
        let a = SourceState(url: "https://a.example/feed", currentURL: "https://b.example/rss", etag: "W/\"x1\"",
                            lastModified: "Wed, 25 Nov 2026 09:00:00 GMT", lastSuccess: t0, lastAttempt: t0,
                            consecutiveFailures: 0, lastError: nil, nextPollAt: t0.addingTimeInterval(300), gone: false)
        var b = SourceState(url: "https://c.example/atom", lastAttempt: t0, consecutiveFailures: 4,
                            lastError: "fetch: https://c.example/atom: HTTP 503", gone: false)
        try s.saveSourceState(a)
        try s.saveSourceState(b)
        #expect(try s.sourceState(url: a.url) == a)
        #expect(try s.allSourceStates() == [a, b])
        b.gone = true
        b.consecutiveFailures = 5
        try s.saveSourceState(b)
        #expect(try s.sourceState(url: b.url) == b)
        #expect(try s.allSourceStates().count == 2)
        #expect(a.fetchURL == "https://b.example/rss")
        try s.deleteSourceState(url: a.url)
        #expect(try s.allSourceStates() == [b])
    }

    @Test("markSeen returns only ids never listed before, per source")
    func seen() throws {
        let s = try open()
        #expect(try s.markSeen(sourceURL: "A", entryIDs: ["1", "2", "3"], at: t0) == ["1", "2", "3"])
        #expect(try s.markSeen(sourceURL: "A", entryIDs: ["2", "3", "4"], at: t0) == ["4"])
        #expect(try s.markSeen(sourceURL: "B", entryIDs: ["1"], at: t0) == ["1"])
        #expect(try s.markSeen(sourceURL: "A", entryIDs: [], at: t0) == [])
        #expect(try s.seenCount(sourceURL: "A") == 4)
        #expect(try s.seenCount() == 5)
    }

    @Test("Blobs round-trip and are replaced")
    func blobs() throws {
        let s = try open()
        #expect(try s.loadBlob("dedup") == nil)
        let big = Data((0..<100_000).map { UInt8($0 % 251) })
        try s.saveBlob("dedup", big)
        #expect(try s.loadBlob("dedup") == big)
        try s.saveBlob("dedup", Data())
        #expect(try s.loadBlob("dedup") == Data())
    }

    @Test("The dedup journal keeps order, rolls back with its transaction and is emptied by a snapshot")
    func journal() throws {
        let s = try open()
        try s.appendJournal([Data([1]), Data([2])])
        #expect(throws: (any Error).self) {
            try s.transaction {
                try s.appendJournal([Data([3])])
                throw StoreError(code: 0, path: "test", message: "simulated failure")
            }
        }
        try s.appendJournal([Data([4])])
        #expect(try s.loadJournal() == [Data([1]), Data([2]), Data([4])])
        try s.saveBlob("dedup", Data([7]))            // a whole snapshot saved by an older version
        try s.saveSnapshot(legacyBlob: "dedup") { emit in
            try emit(Data([9]))
            try emit(Data([10, 11]))
        }
        #expect(try s.loadJournal().isEmpty)
        #expect(try s.loadBlob("dedup") == nil)
        #expect(try s.snapshotPiece(after: 0)?.data == Data([9]))
        let second = try #require(try s.snapshotPiece(after: 1))
        #expect(second.data == Data([10, 11]))
        #expect(try s.snapshotPiece(after: second.seq) == nil)
        // A new snapshot replaces every piece of the old one.
        try s.saveSnapshot(legacyBlob: "dedup") { emit in try emit(Data([12])) }
        #expect(try s.snapshotPiece(after: 0)?.data == Data([12]))
        #expect(try s.snapshotPiece(after: 1) == nil)
    }

    @Test("Alerts: insert once, later copies add outlets and count")
    func alerts() throws {
        let s = try open()
        let a = sampleAlert("a1")
        #expect(try s.insertAlert(a))
        #expect(try s.insertAlert(a) == false)
        #expect(try s.alert(id: "a1") == a)
        #expect(try s.copies(alertID: "a1") == 1)
        #expect(try s.addOutlet(alertID: "a1", outlet: "aljazeera.com"))
        #expect(try s.alert(id: "a1")?.outlets == ["rfi.fr", "aljazeera.com"])
        #expect(try s.addOutlet(alertID: "a1", outlet: "aljazeera.com"))
        #expect(try s.addOutlet(alertID: "a1", outlet: "Le \"Sahel\" / Niamey"))
        #expect(try s.addOutlet(alertID: "a1", outlet: "rfi.fr"))
        var expected = a
        expected.outlets = ["rfi.fr", "aljazeera.com", "Le \"Sahel\" / Niamey"]
        // Reports are (outlet, link) pairs: rfi.fr without a link is not the alert's own report.
        expected.reports = [Alert.Report(outlet: "rfi.fr", link: a.link, title: a.title),
                            Alert.Report(outlet: "aljazeera.com", link: nil, title: nil),
                            Alert.Report(outlet: "Le \"Sahel\" / Niamey", link: nil, title: nil),
                            Alert.Report(outlet: "rfi.fr", link: nil, title: nil)]
        expected.reportCount = 4
        #expect(try s.alert(id: "a1") == expected)         // the rest of the alert as it was
        #expect(try s.copies(alertID: "a1") == 5)
        #expect(try s.addOutlet(alertID: "nope", outlet: "x") == false)
        // An outlet the encoder wrote (it escapes "/" as "\/") is found again as written.
        let slashed = sampleAlert("a3", source: "Sahel/Niamey é")
        try s.insertAlert(slashed)
        #expect(try s.addOutlet(alertID: "a3", outlet: "Sahel/Niamey é"))
        #expect(try s.alert(id: "a3")?.outlets == ["Sahel/Niamey é"])
        #expect(try s.copies(alertID: "a3") == 2)
        try s.insertAlert(sampleAlert("a2", alerted: Date(timeIntervalSince1970: 1_790_000_100)))
        try s.insertAlert(sampleAlert("a0", alerted: Date(timeIntervalSince1970: 1_789_000_000)))
        #expect(try s.recentAlerts(limit: 2).map(\.id) == ["a2", "a1"])
        #expect(try s.alertCount() == 4)
    }

    @Test("Alerted stories: each alert's cluster, and the report that raised it when recorded")
    func alertedStories() throws {
        let s = try open()
        try s.insertAlert(sampleAlert("a1"))
        try s.insertAlert(sampleAlert("a2"), report: "report-9")
        try s.insertAlert(sampleAlert("a3", topic: "coups"), report: "report-9")
        #expect(try s.alertedStories() == ["story-a1", "story-a2", "story-a3", "report-9"])
        try s.insertAlert(sampleAlert("a4", alerted: Date(timeIntervalSince1970: 1_790_000_500)), report: "report-4")
        #expect(try s.alertedStories(since: Date(timeIntervalSince1970: 1_790_000_100)) == ["story-a4", "report-4"])
    }

    @Test("Enqueue is idempotent per (alert, sink)")
    func enqueueIdempotent() throws {
        let s = try open()
        #expect(try s.enqueue(alertID: "a1", sink: "file", payload: Data("x".utf8), at: t0))
        #expect(try s.enqueue(alertID: "a1", sink: "file", payload: Data("y".utf8), at: t0) == false)
        #expect(try s.enqueue(alertID: "a1", sink: "hook", payload: Data("x".utf8), at: t0))
        #expect(try s.outboxDepth() == 2)
        let items = try s.claimDue(now: t0, limit: 10)
        #expect(items.map(\.sink) == ["file", "hook"])
        #expect(items[0].payload == Data("x".utf8))
        try s.markDelivered(id: items[0].id, at: t0)
        #expect(try s.enqueue(alertID: "a1", sink: "file", payload: Data("x".utf8), at: t0) == false)
        #expect(try s.outboxDepth() == 1)
    }

    @Test("Claim, lease, retry, dead")
    func claimRetryDead() throws {
        let s = try open()
        for i in 0..<5 { try s.enqueue(alertID: "a\(i)", sink: "hook", payload: Data([UInt8(i)]), at: t0) }
        try s.enqueue(alertID: "later", sink: "hook", payload: Data(), at: t0.addingTimeInterval(60))
        #expect(try s.claimDue(now: t0.addingTimeInterval(-1), limit: 10).isEmpty)
        let first = try s.claimDue(now: t0, limit: 3)
        #expect(first.map(\.alertID) == ["a0", "a1", "a2"])
        #expect(first.allSatisfy { $0.attempts == 1 })
        // Leased rows are not handed out twice.
        #expect(try s.claimDue(now: t0, limit: 10).map(\.alertID) == ["a3", "a4"])
        #expect(try s.claimDue(now: t0, limit: 10).isEmpty)

        try s.markRetry(id: first[0].id, at: t0.addingTimeInterval(30), error: "HTTP 503")
        try s.markDead(id: first[1].id, error: "HTTP 404", at: t0)
        try s.markDelivered(id: first[2].id, at: t0)
        #expect(try s.outboxEntry(alertID: "a0", sink: "hook")?.lastError == "HTTP 503")
        #expect(try s.outboxEntry(alertID: "a1", sink: "hook")?.deadAt == t0)
        #expect(try s.outboxCounts() == OutboxCounts(pending: 4, delivered: 1, dead: 1))

        let again = try s.claimDue(now: t0.addingTimeInterval(60), limit: 10)
        #expect(again.map(\.alertID) == ["a0", "later"])
        #expect(again[0].attempts == 2)

        // A crash leaves claimed rows leased; releasing leases at startup makes them due again.
        #expect(try s.releaseLeases() == 4)
        let released = try s.claimDue(now: t0.addingTimeInterval(60), limit: 10)
        #expect(released.map(\.alertID) == ["a0", "a3", "a4", "later"])
        #expect(released.map(\.attempts) == [3, 2, 2, 2])
    }

    @Test("A transaction that throws leaves nothing behind")
    func rollback() throws {
        struct Boom: Error {}
        let s = try open()
        #expect(throws: Boom.self) {
            try s.transaction {
                try s.markSeen(sourceURL: "A", entryIDs: ["1", "2"], at: t0)
                try s.insertAlert(sampleAlert("x"))
                try s.enqueue(alertID: "x", sink: "file", payload: Data(), at: t0)
                try s.saveSourceState(SourceState(url: "A", etag: "e"))
                throw Boom()
            }
        }
        #expect(try s.seenCount() == 0)
        #expect(try s.alert(id: "x") == nil)
        #expect(try s.outboxDepth() == 0)
        #expect(try s.sourceState(url: "A") == nil)
        // A nested failure rolls back only the inner level.
        try s.transaction {
            try s.insertAlert(sampleAlert("kept"))
            try? s.transaction {
                try s.insertAlert(sampleAlert("dropped"))
                throw Boom()
            }
        }
        #expect(try s.alert(id: "kept") != nil)
        #expect(try s.alert(id: "dropped") == nil)
        // The seen ids of a rolled-back poll are new again next time.
        #expect(try s.markSeen(sourceURL: "A", entryIDs: ["1"], at: t0) == ["1"])
    }

    @Test("Prune removes old seen ids and finished deliveries, keeps pending work")
    func prune() throws {
        let s = try open()
        let old = t0.addingTimeInterval(-40 * 86_400)
        try s.markSeen(sourceURL: "A", entryIDs: ["old", "still-listed"], at: old)
        try s.markSeen(sourceURL: "A", entryIDs: ["still-listed", "new"], at: t0)
        try s.insertAlert(sampleAlert("done", alerted: old))
        try s.insertAlert(sampleAlert("pending", alerted: old))
        try s.enqueue(alertID: "done", sink: "file", payload: Data(), at: old)
        try s.enqueue(alertID: "pending", sink: "hook", payload: Data(), at: old)
        let done = try #require(try s.claimDue(now: old, limit: 10).first { $0.alertID == "done" })
        try s.markDelivered(id: done.id, at: old)
        let r = try s.prune(before: t0.addingTimeInterval(-30 * 86_400))
        #expect(r == PruneReport(seenEntries: 1, outboxRows: 1, alerts: 1))
        #expect(try s.markSeen(sourceURL: "A", entryIDs: ["still-listed", "new"], at: t0).isEmpty)
        #expect(try s.alert(id: "pending") != nil)
        #expect(try s.outboxDepth() == 1)
    }

    @Test("A read-only connection sees committed state while the writer is open")
    func readOnly() throws {
        let w = try open()
        try w.saveSourceState(SourceState(url: "A", consecutiveFailures: 2))
        try w.enqueue(alertID: "a", sink: "file", payload: Data(), at: t0)
        let r = try StateStore(readOnlyPath: w.path)
        #expect(r.isReadOnly)
        #expect(try r.allSourceStates().map(\.consecutiveFailures) == [2])
        #expect(try r.outboxDepth() == 1)
        try w.enqueue(alertID: "b", sink: "file", payload: Data(), at: t0)
        #expect(try r.outboxDepth() == 2)
        #expect(throws: StoreError.self) { try r.saveSourceState(SourceState(url: "B")) }
        #expect(throws: StoreError.self) { try StateStore(readOnlyPath: dir.file("missing.db")) }
    }

    @Test("A read-only connection works when no writer is open")
    func readOnlyAlone() throws {
        let path: String
        do {
            let w = try open()
            path = w.path
            try w.incrementCounter("alerts", by: 7)
        }
        let r = try StateStore(readOnlyPath: path)
        #expect(try r.counters() == ["alerts": 7])
    }

    @Test("Concurrent callers are serialised safely")
    func concurrent() async throws {
        let s = try open()
        await withTaskGroup(of: Void.self) { g in
            for w in 0..<8 {
                g.addTask {
                    for i in 0..<50 {
                        try? s.transaction {
                            try s.markSeen(sourceURL: "S\(w)", entryIDs: ["\(i)"], at: self.t0)
                            try s.incrementCounter("n")
                        }
                    }
                }
            }
        }
        #expect(try s.seenCount() == 400)
        #expect(try s.counter("n") == 400)
    }
}
