import FeedwatchModel
@testable import FeedwatchPostgres
import FeedwatchStore
import Foundation
import Synchronization
import Testing

/// Several instances on one database, each with its own connection: work is shared without
/// doubling, and decisions are made once.
@Suite(.enabled(if: TestDatabase.enabled, TestDatabase.skipNote))
struct PostgresSharingTests {
    @Test func noSourceIsClaimedTwice() async throws {
        let url = try TestDatabase.fresh()
        let setup = try PostgresStore(url: url, instanceID: "setup")
        let urls = (0..<300).map { "https://feeds.example/\($0)" }
        #expect(try setup.registerSources(urls) == 300)
        #expect(try setup.registerSources(urls) == 0)
        // Three instances claim in small batches at the same time until nothing is due.
        let claims = try await withThrowingTaskGroup(of: [String].self) { group in
            for n in 0..<3 {
                group.addTask {
                    try await TestDatabase.offPool {
                        let store = try PostgresStore(url: url, instanceID: "i\(n)")
                        var mine: [String] = []
                        while true {
                            let batch = try store.claimDueSources(limit: 7, lease: 60)
                            if batch.isEmpty { return mine }
                            mine += batch.map(\.url)
                        }
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let all = claims.flatMap { $0 }
        #expect(all.count == 300)
        #expect(Set(all) == Set(urls))
        #expect(claims.allSatisfy { !$0.isEmpty })
        #expect(try setup.counter("sources.lease_takeovers") == 0)
    }

    @Test func aClaimInProgressIsSkippedNotWaitedFor() async throws {
        let url = try TestDatabase.fresh()
        let a = try PostgresStore(url: url, instanceID: "a")
        let b = try PostgresStore(url: url, instanceID: "b")
        try a.registerSources(["https://x.example/1", "https://x.example/2"])
        // Were b to wait for the row lock, it would wait on this very thread: fail instead of hanging.
        try b.connection.exec("SET lock_timeout = '2s'")
        // `a` claims one source and, inside the same open transaction, lets `b` claim: `b` must
        // get the other one at once rather than block on a's locked row.
        let (mine, theirs) = try await TestDatabase.offPool {
            try a.transaction {
                let mine = try a.claimDueSources(limit: 1, lease: 60)
                let started = Date()
                let theirs = try b.claimDueSources(limit: 5, lease: 60)
                #expect(Date().timeIntervalSince(started) < 2)
                return (mine.map(\.url), theirs.map(\.url))
            }
        }
        #expect(mine == ["https://x.example/1"])
        #expect(theirs == ["https://x.example/2"])
    }

    /// A killed instance's socket is closed by the kernel, so its server process ends at once:
    /// its sources, its share of a host's per-host limit and its claimed deliveries are free
    /// without waiting out a long lease, while a live instance's leases stay its own.
    @Test func aKilledInstancesLeasesAreFreeOnceItsConnectionIsGone() async throws {
        let url = try TestDatabase.fresh()
        let survivor = try PostgresStore(url: url, instanceID: "survivor")
        let alive = try PostgresStore(url: url, instanceID: "alive")
        let urls = (0..<4).map { "https://z.example/\($0)" }
        try survivor.registerSources(urls)
        try survivor.heartbeat(lastPoll: nil)
        try alive.heartbeat(lastPoll: nil)
        #expect(try alive.claimDueSources(limit: 1, lease: 600, perHost: 3).map(\.url) == [urls[0]])
        do {
            let killed = try PostgresStore(url: url, instanceID: "killed")
            try killed.heartbeat(lastPoll: nil)
            #expect(try killed.claimDueSources(limit: 10, lease: 600, perHost: 3).map(\.url) == [urls[1], urls[2]])
            #expect(try killed.enqueue(alertID: "a1", sink: "out", payload: Data("{}".utf8), at: Date()))
            #expect(try killed.claimDue(now: Date(), limit: 5, lease: 600).count == 1)
            // While it is connected, its leases hold, and the host is at its limit of three.
            #expect(try survivor.claimDueSources(limit: 10, lease: 600, perHost: 3).isEmpty)
            #expect(try survivor.claimDue(now: Date(), limit: 5, lease: 600).isEmpty)
            // The server process ends as it does when the client dies.
            let pid = try survivor.connection.queryOne("SELECT backend_pid FROM instances WHERE id = 'killed'") { $0.int(0) } ?? 0
            #expect(pid > 0)
            _ = try survivor.connection.queryOne("SELECT pg_terminate_backend(\(pid))") { $0.bool(0) }
        }
        var taken: [String] = []
        for _ in 0..<100 where taken.isEmpty {
            taken = try survivor.claimDueSources(limit: 10, lease: 600, perHost: 3).map(\.url)
            if taken.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        }
        // The dead holder's two sources and the free one, up to the host's limit with alive's one.
        #expect(taken == [urls[1], urls[2]])
        #expect(try survivor.counter("sources.lease_takeovers") == 2)
        #expect(try survivor.claimDue(now: Date(), limit: 5, lease: 600).map(\.alertID) == ["a1"])
        #expect(try survivor.reapInstances(silentFor: 600) == ["killed"])
        #expect(try survivor.instances().map(\.id) == ["alive", "survivor"])
        // The live instance's lease is still its own.
        #expect(try alive.renewSourceLeases([urls[0]], lease: 600) == [urls[0]])
    }

    @Test func aCrashedInstancesSourcesAreTakenOverWhenTheLeaseRunsOut() async throws {
        let url = try TestDatabase.fresh()
        let crashed = try PostgresStore(url: url, instanceID: "crashed")
        let survivor = try PostgresStore(url: url, instanceID: "survivor")
        let urls = (0..<5).map { "https://y.example/\($0)" }
        try crashed.registerSources(urls)
        #expect(try crashed.claimDueSources(limit: 10, lease: 1).count == 5)
        try crashed.heartbeat(lastPoll: nil)
        #expect(try survivor.claimDueSources(limit: 10, lease: 30).isEmpty)
        #expect(try crashed.instances().first?.sourcesHeld == 5)
        // While a lease is live its holder can renew it…
        #expect(try crashed.renewSourceLeases(Array(urls.prefix(2)), lease: 1) == Set(urls.prefix(2)))
        try await Task.sleep(for: .milliseconds(1_300))
        let taken = try survivor.claimDueSources(limit: 10, lease: 30)
        #expect(taken.map(\.url) == urls)
        #expect(try survivor.counter("sources.lease_takeovers") == 5)
        // …and once taken over, the old holder can neither renew nor save over the new holder.
        #expect(try crashed.renewSourceLeases(urls, lease: 30).isEmpty)
        var stale = SourceState(url: urls[0])
        stale.lastError = "stale"
        #expect(try !crashed.releaseSource(stale))
        var done = SourceState(url: urls[0])
        done.nextPollAt = Date(timeIntervalSince1970: 1_900_000_000.125)
        done.etag = "\"v2\""
        #expect(try survivor.releaseSource(done))
        #expect(try survivor.sourceState(url: urls[0]) == done)
        try survivor.heartbeat(lastPoll: Date())
        let instances = try survivor.instances()
        #expect(instances.map(\.id) == ["crashed", "survivor"])
        #expect(instances.map(\.sourcesHeld) == [0, 4])
        #expect(instances[1].lastPollAt != nil)
        // A released source that is due again is claimable; a retired instance leaves nothing held.
        try survivor.retire()
        #expect(try survivor.instances().map(\.id) == ["crashed"])
        #expect(try crashed.claimDueSources(limit: 10, lease: 30).map(\.url) == Array(urls.dropFirst()))
    }

    @Test func concurrentInsertsOfOneAlertYieldOne() async throws {
        let url = try TestDatabase.fresh()
        let a = try PostgresStore(url: url, instanceID: "a")
        let b = try PostgresStore(url: url, instanceID: "b")
        let first = alert("story-7", source: "outlet-a")
        let second = alert("story-7", source: "outlet-b")
        // `a` inserts inside an open transaction; `b` inserts the same id meanwhile and must wait
        // for a's commit, then insert nothing (and so queue nothing).
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let (mine, blocked) = try await TestDatabase.offPool {
            try a.transaction { () -> (Bool, Bool) in
                let mine = try a.insertAlert(first, report: nil)
                try a.enqueue(alertID: first.id, sink: "hook", payload: Data("a".utf8), at: first.alerted)
                Thread.detachNewThread {
                    box.set(Result {
                        try b.transaction {
                            let inserted = try b.insertAlert(second, report: nil)
                            if inserted {
                                try b.enqueue(alertID: second.id, sink: "hook", payload: Data("b".utf8), at: second.alerted)
                            }
                            return inserted
                        }
                    })
                    done.signal()
                }
                return (mine, done.wait(timeout: .now() + .milliseconds(400)) == .timedOut)
            }
        }
        #expect(mine)
        #expect(blocked, "b's insert did not wait for a's open transaction")
        let finished = try await TestDatabase.offPool { done.wait(timeout: .now() + .seconds(10)) == .success }
        #expect(finished)
        #expect(try box.get()?.get() == false)
        #expect(try a.alertCount() == 1)
        #expect(try a.alert(id: "story-7")?.source == "outlet-a")
        #expect(try a.outboxEntry(alertID: "story-7", sink: "hook") != nil)
        #expect(try a.outboxCounts().pending == 1)
    }
}

/// A result handed from one thread to another.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Result<Bool, any Error>?
    func set(_ v: Result<Bool, any Error>) { lock.withLock { value = v } }
    func get() -> Result<Bool, any Error>? { lock.withLock { value } }
}

extension PostgresSharingTests {
    @Test func concurrentOutletUpdatesAreAllKept() async throws {
        let url = try TestDatabase.fresh()
        let setup = try PostgresStore(url: url, instanceID: "setup")
        try setup.insertAlert(alert("s1"), report: nil)
        // Three instances add 20 outlets each at the same time: every one lands.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<3 {
                group.addTask {
                    try await TestDatabase.offPool {
                        let store = try PostgresStore(url: url, instanceID: "i\(n)")
                        for k in 0..<20 {
                            try store.addOutlet(alertID: "s1", outlet: "o\(n)-\(k)", link: "https://o\(n).example/\(k)", title: nil)
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let stored = try #require(try setup.alert(id: "s1"))
        #expect(stored.outlets.count == 61)
        #expect(stored.reportCount == 61)
        #expect(try setup.copies(alertID: "s1") == 61)
        #expect(try setup.updateState(alertID: "s1")?.reports == 61)
    }

    @Test func outboxRowsAreClaimedByOneInstanceAtATime() async throws {
        let url = try TestDatabase.fresh()
        let setup = try PostgresStore(url: url, instanceID: "setup")
        let t = Date(timeIntervalSince1970: 1_800_000_000)
        for n in 0..<100 { try setup.enqueue(alertID: "a\(n)", sink: "hook", payload: Data([UInt8(n)]), at: t) }
        let claims = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for n in 0..<3 {
                group.addTask {
                    try await TestDatabase.offPool {
                        let store = try PostgresStore(url: url, instanceID: "i\(n)")
                        var mine: [Int64] = []
                        while true {
                            let batch = try store.claimDue(now: t, limit: 4, lease: 60, excluding: [])
                            if batch.isEmpty { return mine }
                            mine += batch.map(\.id)
                        }
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let all = claims.flatMap { $0 }
        #expect(all.count == 100)
        #expect(Set(all).count == 100)
        // Leased rows are not due until the lease runs out; then another instance retries them.
        let other = try PostgresStore(url: url, instanceID: "other")
        #expect(try other.claimDue(now: t.addingTimeInterval(59), limit: 500, lease: 60, excluding: []).isEmpty)
        let retried = try other.claimDue(now: t.addingTimeInterval(61), limit: 500, lease: 60, excluding: [])
        #expect(retried.count == 100)
        #expect(retried.allSatisfy { $0.attempts == 2 })
        // Releasing this instance's leases leaves other instances' alone.
        #expect(try setup.releaseLeases() == 0)
        #expect(try other.releaseLeases() == 100)
    }

    /// The shared dedup journal: entries keep the order they were appended in, a snapshot deletes
    /// entries one snapshot late (never ones another instance may not have read yet), and the
    /// marks tell an instance whose index is older than the deletion to reload.
    @Test func sharedJournalIsCompactedOneSnapshotLate() throws {
        let url = try TestDatabase.fresh()
        let a = try PostgresStore(url: url, instanceID: "a")
        let b = try PostgresStore(url: url, instanceID: "b")
        let first = try a.transaction {
            try a.lockDedupIndex()
            return try #require(try a.appendSharedJournal([Data("1".utf8), Data("2".utf8), Data("3".utf8)]))
        }
        #expect(try b.journal(after: 0).map { String(decoding: $0.data, as: UTF8.self) } == ["1", "2", "3"])
        try a.transaction {
            try a.lockDedupIndex()
            try a.saveSharedSnapshot(through: first, legacyBlob: "dedup") { emit in try emit(Data("snap1".utf8)) }
        }
        // Nothing deleted yet: b, which read nothing, can still tail from 0.
        #expect(try b.snapshotMarks() == (through: first, compacted: 0))
        #expect(try b.journal(after: 0).count == 3)
        let second = try #require(try b.transaction {
            try b.lockDedupIndex()
            return try b.appendSharedJournal([Data("4".utf8)])
        })
        try b.transaction {
            try b.lockDedupIndex()
            try b.saveSharedSnapshot(through: second, legacyBlob: "dedup") { emit in try emit(Data("snap2".utf8)) }
        }
        // The first snapshot's entries are gone now; an index that stopped before them reloads.
        #expect(try a.snapshotMarks() == (through: second, compacted: first))
        #expect(try a.journal(after: 0).map { String(decoding: $0.data, as: UTF8.self) } == ["4"])
        #expect(try a.snapshotPiece(after: 0).map { String(decoding: $0.data, as: UTF8.self) } == "snap2")
    }

    /// The dedup lock is held to the end of the holder's transaction: a second instance waits
    /// for the commit.
    @Test func dedupLockSerialisesInstances() async throws {
        let url = try TestDatabase.fresh()
        let a = try PostgresStore(url: url, instanceID: "a")
        let b = try PostgresStore(url: url, instanceID: "b")
        let (committing, acquired) = try await TestDatabase.offPool {
            let acquired = Mutex<Date?>(nil)
            let done = DispatchSemaphore(value: 0)
            // Taken as the holder's transaction ends: the lock is released by the commit that
            // follows, and `b` may well get it before this thread reads the clock again.
            var committing = Date.distantFuture
            try a.transaction {
                try a.lockDedupIndex()
                Thread.detachNewThread {
                    _ = try? b.transaction {
                        try b.lockDedupIndex()
                        acquired.withLock { $0 = Date() }
                    }
                    done.signal()
                }
                Thread.sleep(forTimeInterval: 0.5)
                committing = Date()
            }
            done.wait()
            return (committing, acquired.withLock { $0 })
        }
        let got = try #require(acquired)
        #expect(got >= committing)
    }

    /// Politeness across instances: with a per-host limit, sources of one host under live leases
    /// never exceed it, whichever instances hold them; a released lease frees a slot.
    @Test func perHostLimitHoldsAcrossInstances() throws {
        let url = try TestDatabase.fresh()
        let a = try PostgresStore(url: url, instanceID: "a")
        let b = try PostgresStore(url: url, instanceID: "b")
        let busy = (0..<10).map { "https://Busy.example:8443/feed/\($0)" }
        let calm = ["https://calm.example/a", "https://calm.example/b"]
        try a.registerSources(busy + calm)
        let first = try a.claimDueSources(limit: 50, lease: 60, excluding: [], perHost: 3)
        #expect(first.filter { $0.url.contains("Busy") }.count == 3)
        #expect(first.filter { $0.url.contains("calm") }.count == 2)
        #expect(try b.claimDueSources(limit: 50, lease: 60, excluding: [], perHost: 3).isEmpty)
        let done = try #require(first.first { $0.url.contains("Busy") })
        #expect(try a.releaseSource(SourceState(url: done.url, nextPollAt: Date().addingTimeInterval(600))))
        let second = try b.claimDueSources(limit: 50, lease: 60, excluding: [], perHost: 3)
        #expect(second.count == 1 && second.first?.url.contains("Busy") == true)
        // Without a limit, the rest is claimed at once.
        #expect(try b.claimDueSources(limit: 50, lease: 60).count == 6)
    }
}
