import FeedwatchAlert
import FeedwatchConfig
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
        #expect(try Outbox(store: reopened).releaseLeases() == 2)
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
        #expect(try Outbox(store: f.store).queue(a, to: ["file", "hook"], at: f.clock.now))
        #expect(try !Outbox(store: f.store).queue(a, to: ["file", "hook"], at: f.clock.now))
        #expect(try f.store.outboxDepth() == 2)
        #expect(try f.store.alert(id: "q1") == a)
        #expect(try f.store.counter("alerts.raised") == 1)
        let file = MemorySink(name: "file"), hook = MemorySink(name: "hook")
        let d = try f.dispatcher([file, hook])
        #expect(await d.drain().delivered == 2)
        try f.store.checkpoint()
        #expect(try f.store.integrityCheck() == "ok")
    }

    @Test("Starting the daemon hands back a crashed run's leases: what it had claimed goes out at once")
    func startReleasesLeases() async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        try e2e.write("wire.rss", E2E.rss("Wire", [E2E.weather]))
        let config = try e2e.config(sources: [("Wire", "wire.rss")])
        let sink = try #require(try Config.load(path: config).sinks.first?.name)
        try FileManager.default.createDirectory(atPath: e2e.dir + "/state", withIntermediateDirectories: true)
        do {
            // The crashed run: queued and claimed (a 300 s lease), never settled.
            let store = try StateStore(path: e2e.dir + "/state/feedwatch.db")
            try Outbox(store: store).queue(sampleAlert("a"), to: [sink], at: Date())
            #expect(try store.claimDue(now: Date(), limit: 10).count == 1)
            #expect(try store.claimDue(now: Date(), limit: 10).isEmpty)
        }
        let daemon = try await e2e.daemon(config)
        #expect(await daemon.deliverDue().delivered == 1)
        #expect(e2e.loggedAlerts().map(\.id) == ["a"])
    }
}
