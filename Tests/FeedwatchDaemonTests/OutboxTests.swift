import FeedwatchAlert
import FeedwatchDaemon
import FeedwatchModel
import FeedwatchStore
import FeedwatchTestSupport
import Foundation
import Testing

@Suite("Outbox at-least-once")
struct OutboxTests {
    @Test("A crash after claiming re-sends on restart with the same id, once")
    func crashAfterClaim() async throws {
        let f = try DispatchFixture()
        try f.raise(sampleAlert("a"), to: ["hook"])
        try f.raise(sampleAlert("b"), to: ["hook"])
        // The first run claims both and dies before recording any outcome.
        #expect(try f.store.claimDue(now: f.clock.now, limit: 10).count == 2)

        // Restart: a new connection, leases released as the daemon does at startup.
        let reopened = try StateStore(path: f.store.path)
        #expect(try reopened.releaseLeases() == 2)
        let hook = MemorySink(name: "hook")
        let d = AlertDispatcher(store: reopened, sinks: [hook], deadLetters: nil,
                                configuration: .init(flood: nil), logger: quietLogger, now: f.clock.closure)
        #expect(await d.drain().delivered == 2)
        #expect(await d.drain().claimed == 0)
        #expect(hook.deliveredIDs == ["a", "b"])
    }

    @Test("Without releasing, claimed rows come back when their lease expires")
    func leaseExpiry() async throws {
        let f = try DispatchFixture()
        try f.raise(sampleAlert("a"), to: ["hook"])
        _ = try f.store.claimDue(now: f.clock.now, limit: 10, lease: 300)
        let hook = MemorySink(name: "hook")
        let d = try f.dispatcher([hook])
        #expect(await d.drain().claimed == 0)
        f.clock.advance(301)
        #expect(await d.drain().delivered == 1)
        #expect(hook.deliveredIDs == ["a"])
    }

    @Test("Rows of excluded sinks are neither claimed nor charged an attempt")
    func claimExcludingSinks() throws {
        let f = try DispatchFixture()
        try f.raise(sampleAlert("a"), to: ["hook", "file", "other"])
        let claimed = try f.store.claimDue(now: f.clock.now, limit: 10, excluding: ["hook", "other"])
        #expect(claimed.map(\.sink) == ["file"])
        let later = try f.store.claimDue(now: f.clock.now, limit: 10)
        #expect(Set(later.map(\.sink)) == ["hook", "other"])
        #expect(later.allSatisfy { $0.attempts == 1 })
        // Handed back untried (a paused lane): the claim's attempt is taken back.
        for item in later { try f.store.releaseClaim(id: item.id, at: f.clock.now, reason: "not attempted") }
        #expect(try f.store.claimDue(now: f.clock.now, limit: 10).filter { $0.sink != "file" }.allSatisfy { $0.attempts == 1 })
    }

    @Test("Replaying a poll's commit queues nothing twice")
    func replayIsIdempotent() async throws {
        let f = try DispatchFixture()
        let a = sampleAlert("a")
        try f.raise(a, to: ["hook"])
        try f.raise(a, to: ["hook"])
        let hook = MemorySink(name: "hook")
        let d = try f.dispatcher([hook])
        #expect(await d.drain().delivered == 1)
        try f.raise(a, to: ["hook"])
        #expect(await d.drain().claimed == 0)
        #expect(hook.deliveredIDs == ["a"])
    }
}

@Suite("Queueing alerts")
struct OutboxQueueTests {
    @Test("queue() stores the alert and one row per sink, once")
    func queueOnce() async throws {
        let f = try DispatchFixture()
        let a = sampleAlert("q1")
        #expect(try AlertDispatcher.queue(a, to: ["file", "hook"], in: f.store, at: f.clock.now))
        #expect(try !AlertDispatcher.queue(a, to: ["file", "hook"], in: f.store, at: f.clock.now))
        #expect(try f.store.outboxDepth() == 2)
        #expect(try f.store.alert(id: "q1") == a)
        #expect(try f.store.counter("alerts.raised") == 1)
        let file = MemorySink(name: "file"), hook = MemorySink(name: "hook")
        let d = try f.dispatcher([file, hook])
        #expect(await d.drain().delivered == 2)
        try f.store.checkpoint()
        #expect(try f.store.integrityCheck() == "ok")
    }

    @Test("run() releases a crashed run's leases before draining")
    func runReleasesLeases() async throws {
        let f = try DispatchFixture()
        try f.raise(sampleAlert("a"), to: ["file"])
        _ = try f.store.claimDue(now: f.clock.now, limit: 10)
        let file = MemorySink(name: "file")
        let d = AlertDispatcher(store: f.store, sinks: [file], deadLetters: nil,
                                configuration: .init(flood: nil, tick: .seconds(3_600)), logger: quietLogger,
                                now: f.clock.closure)
        let task = Task { await d.run() }
        for _ in 0..<500 where file.deliveredIDs.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        task.cancel()
        await task.value
        #expect(file.deliveredIDs == ["a"])
    }
}
