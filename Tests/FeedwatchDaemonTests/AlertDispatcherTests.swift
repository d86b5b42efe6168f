import FeedwatchAlert
@testable import FeedwatchDaemon
import FeedwatchModel
import FeedwatchStore
import FeedwatchTestSupport
import Foundation
import Logging
import Synchronization
import Testing

let quietLogger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

/// A store, a clock and a dispatcher over the given sinks, with a fixed jitter draw.
struct DispatchFixture {
    let dir = StoreTempDir()
    let clock = AlertTestClock()
    let store: StateStore
    let deadPath: String

    init() throws {
        store = try StateStore(directory: dir.path)
        deadPath = dir.file("dead-letters.jsonl")
    }

    func dispatcher(_ sinks: [any AlertSink], flood: FloodPolicy? = nil,
                    retry: RetryPolicy = RetryPolicy(initialDelay: 10, jitter: 0.2, maxAttempts: 4),
                    batchSize: Int = 100) throws -> AlertDispatcher {
        AlertDispatcher(store: store, sinks: sinks, deadLetters: try DeadLetterLog(path: deadPath),
                        configuration: .init(batchSize: batchSize, retry: retry, flood: flood),
                        logger: quietLogger, now: clock.closure, random: { 0.5 })
    }

    /// What the daemon does per new alert: store it and queue it for each sink, atomically.
    func raise(_ alert: Alert, to sinks: [String]) throws {
        let payload = try AlertPayload.encode(alert)
        try store.transaction {
            try store.insertAlert(alert)
            for s in sinks { try store.enqueue(alertID: alert.id, sink: s, payload: payload, at: clock.now) }
        }
    }
}

@Suite("Alert dispatcher")
struct AlertDispatcherTests {
    @Test("Delivers every queued alert to its sinks and marks it delivered")
    func delivers() async throws {
        let f = try DispatchFixture()
        let file = MemorySink(name: "file"), hook = MemorySink(name: "hook")
        for i in 0..<5 { try f.raise(sampleAlert("a\(i)"), to: ["file", "hook"]) }
        let r = try await f.dispatcher([file, hook]).drain()
        #expect(r.claimed == 10 && r.delivered == 10)
        #expect(file.deliveredIDs == ["a0", "a1", "a2", "a3", "a4"])
        #expect(hook.deliveredIDs == file.deliveredIDs)
        #expect(try f.store.outboxDepth() == 0)
        #expect(try f.store.counter("alerts.delivered") == 10)
        #expect(try AlertPayload.decode(file.payloads[0]) == sampleAlert("a0"))
    }

    @Test("Batches larger than one claim are drained in rounds")
    func rounds() async throws {
        let f = try DispatchFixture()
        let file = MemorySink(name: "file")
        for i in 0..<25 { try f.raise(sampleAlert("a\(i)"), to: ["file"]) }
        let r = try await f.dispatcher([file], batchSize: 10).drain()
        #expect(r.delivered == 25)
        #expect(file.deliveredIDs.count == 25)
    }

    @Test("A transient failure is retried after the backoff, honouring Retry-After")
    func transientRetry() async throws {
        let f = try DispatchFixture()
        let hook = MemorySink(name: "hook")
        hook.failNext([AlertError(kind: .transient, sink: "hook", message: "HTTP 503"),
                       AlertError(kind: .transient, sink: "hook", message: "HTTP 429",
                                  retryAfter: f.clock.now.addingTimeInterval(300))])
        try f.raise(sampleAlert("a"), to: ["hook"])
        let d = try f.dispatcher([hook])
        let t0 = f.clock.now
        #expect(await d.drain().retried == 1)
        let e1 = try #require(try f.store.outboxEntry(alertID: "a", sink: "hook"))
        // attempt 1: initial delay 10 s, jitter draw 0.5 → exactly 10 s.
        #expect(e1.nextAttemptAt == t0.addingTimeInterval(10))
        #expect(e1.lastError == "HTTP 503")
        #expect(await d.drain().claimed == 0)  // not due yet
        f.clock.advance(10)
        #expect(await d.drain().retried == 1)
        let e2 = try #require(try f.store.outboxEntry(alertID: "a", sink: "hook"))
        // attempt 2 would back off 20 s, but the receiver asked for 300 s (from t0).
        #expect(e2.nextAttemptAt == t0.addingTimeInterval(300))
        f.clock.advance(290)
        #expect(await d.drain().delivered == 1)
        #expect(hook.deliveredIDs == ["a"])
        #expect(try f.store.outboxEntry(alertID: "a", sink: "hook")?.attempts == 3)
    }

    @Test("A permanent failure goes to the dead-letter file and is not retried")
    func permanent() async throws {
        let f = try DispatchFixture()
        let hook = MemorySink(name: "hook"), file = MemorySink(name: "file")
        hook.failNext([AlertError(kind: .permanent, sink: "hook", message: "HTTP 404", status: 404)])
        try f.raise(sampleAlert("a"), to: ["hook", "file"])
        let d = try f.dispatcher([hook, file])
        let r = await d.drain()
        #expect(r.dead == 1 && r.delivered == 1)
        #expect(file.deliveredIDs == ["a"])
        #expect(try f.store.outboxCounts() == OutboxCounts(pending: 0, delivered: 1, dead: 1))
        let lines = readLines(f.deadPath)
        #expect(lines.count == 1)
        #expect(lines.first?.contains(#""alert_id":"a""#) == true)
        #expect(lines.first?.contains(#""error":"HTTP 404""#) == true)
        f.clock.advance(86_400)
        #expect(await d.drain().claimed == 0)
    }

    @Test("Transient failures give up after maxAttempts, into the dead-letter file")
    func exhausted() async throws {
        let f = try DispatchFixture()
        let hook = MemorySink(name: "hook")
        hook.failNext(Array(repeating: AlertError(kind: .transient, sink: "hook", message: "connect: refused"), count: 10))
        try f.raise(sampleAlert("a"), to: ["hook"])
        let d = try f.dispatcher([hook])
        for _ in 0..<6 {
            await d.drain()
            f.clock.advance(3_600)
        }
        let e = try #require(try f.store.outboxEntry(alertID: "a", sink: "hook"))
        #expect(e.attempts == 4)
        #expect(e.deadAt != nil)
        #expect(e.lastError == "gave up after 4 attempts: connect: refused")
        #expect(readLines(f.deadPath).count == 1)
    }

    @Test("A row for a sink no longer configured is dead-lettered once past the grace period, not stuck")
    func unknownSink() async throws {
        let f = try DispatchFixture()
        try f.raise(sampleAlert("a"), to: ["removed"])
        let d = try f.dispatcher([])
        let first = await d.drain()
        #expect(first.dead == 0 && first.retried == 1)
        #expect(readLines(f.deadPath).isEmpty)
        f.clock.advance(AlertDispatcher.Configuration().unknownSinkGrace + 1)
        #expect(await d.drain().dead == 1)
        #expect(readLines(f.deadPath).first?.contains("sink removed is not configured") == true)
    }

    @Test("Reload race: a row for a sink the dispatcher does not have yet waits for it instead of dying")
    func sinkAddedByReload() async throws {
        let f = try DispatchFixture()
        let file = MemorySink(name: "file"), added = MemorySink(name: "added")
        let d = try f.dispatcher([file])
        // The poller already runs the new config and queues for `added`; the dispatcher is not updated yet.
        try f.raise(sampleAlert("a"), to: ["file", "added"])
        let r = await d.drain()
        #expect(r.delivered == 1 && r.dead == 0 && r.retried == 1)
        let entry = try #require(try f.store.outboxEntry(alertID: "a", sink: "added"))
        #expect(entry.deadAt == nil && entry.lastError?.contains("not configured (yet)") == true)
        await d.update(sinks: [file, added], configuration: .init(retry: RetryPolicy(initialDelay: 10, jitter: 0.2, maxAttempts: 4),
                                                                  flood: nil))
        f.clock.advance(30)
        #expect(await d.drain().delivered == 1)
        #expect(added.deliveredIDs == ["a"])
        #expect(readLines(f.deadPath).isEmpty)
    }

    @Test("A sink's batch stops at its first temporary failure; the rest (and newcomers) wait for the backoff")
    func batchStopsAtFirstTransientFailure() async throws {
        let f = try DispatchFixture()
        let hook = MemorySink(name: "hook"), file = MemorySink(name: "file")
        hook.failNext([AlertError(kind: .transient, sink: "hook", message: "timeout")])
        for i in 0..<5 { try f.raise(sampleAlert("a\(i)"), to: ["hook", "file"]) }
        let d = try f.dispatcher([hook, file])
        let t0 = f.clock.now
        let r = await d.drain()
        // One attempt on the hook, not five: the others were handed back untried.
        #expect(hook.deliveredIDs.isEmpty)
        #expect(r.retried == 5 && r.delivered == 5)
        #expect(file.deliveredIDs == ["a0", "a1", "a2", "a3", "a4"])
        for i in 0..<5 {
            let e = try #require(try f.store.outboxEntry(alertID: "a\(i)", sink: "hook"))
            #expect(e.nextAttemptAt == t0.addingTimeInterval(10))
            #expect(e.deliveredAt == nil && e.deadAt == nil)
        }
        #expect(try f.store.outboxEntry(alertID: "a1", sink: "hook")?.lastError?.hasPrefix("not attempted") == true)
        // A new alert during the backoff waits too (the file sink still gets it at once).
        try f.raise(sampleAlert("a5"), to: ["hook", "file"])
        #expect(await d.drain().delivered == 1)
        #expect(hook.deliveredIDs.isEmpty)
        #expect(try f.store.outboxEntry(alertID: "a5", sink: "hook")?.nextAttemptAt == t0.addingTimeInterval(10))
        f.clock.advance(10)
        #expect(await d.drain().delivered == 6)
        #expect(hook.deliveredIDs == ["a0", "a1", "a2", "a3", "a4", "a5"])
        #expect(try f.store.outboxDepth() == 0)
    }

    @Test("Graceful stop: an interrupted in-flight delivery and the rows behind it stay in the outbox")
    func shutdownKeepsUnfinishedRows() async throws {
        let f = try DispatchFixture()
        let slow = GateSink(name: "slow")
        let d = AlertDispatcher(store: f.store, sinks: [slow], deadLetters: try DeadLetterLog(path: f.deadPath),
                                configuration: .init(flood: nil), logger: quietLogger)
        for i in 0..<3 { try f.raise(sampleAlert("s\(i)"), to: ["slow"]) }
        let loop = DispatchLoop(dispatcher: d)
        let task = Task { await loop.run(tick: .seconds(3_600)) }
        #expect(await eventually { slow.started == 1 })
        task.cancel()
        await task.value
        #expect(await d.busySinks.isEmpty)
        #expect(try f.store.outboxCounts() == OutboxCounts(pending: 3, delivered: 0, dead: 0))
        #expect(try f.store.outboxEntry(alertID: "s0", sink: "slow")?.lastError == "interrupted by shutdown")
        #expect(readLines(f.deadPath).isEmpty)
        // Next start: everything is delivered, under the same ids.
        let again = MemorySink(name: "slow")
        #expect(await AlertDispatcher(store: f.store, sinks: [again], deadLetters: nil, configuration: .init(flood: nil),
                                      logger: quietLogger).drain().delivered == 3)
        #expect(again.deliveredIDs == ["s0", "s1", "s2"])
    }

    @Test("Alert JSON keys are sorted, the same on every line; the field names are unchanged")
    func payloadKeysSorted() throws {
        var a = sampleAlert("k1")
        a.items = [sampleAlert("k0")]
        let text = String(decoding: try AlertPayload.encode(a), as: UTF8.self)
        let names = ["alerted", "fetched", "id", "items", "kind", "link", "matched", "outlets", "published",
                     "score", "source", "story", "title", "topic"]
        let positions = try names.map { name in try #require(text.range(of: "\"\(name)\":")?.lowerBound, "\(name)") }
        #expect(positions == positions.sorted())
        #expect(text.hasPrefix(#"{"alerted":"#))
        // Nested alerts (digest items) too.
        #expect(text.contains(#""items":[{"alerted":"#))
        #expect(try AlertPayload.encode(a) == AlertPayload.encode(a))
        #expect(try AlertPayload.decode(AlertPayload.encode(a)) == a)
    }

    @Test("The dead-letter file follows a reload that moves the file sink")
    func deadLetterPathFollowsReload() async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        try e2e.write("wire.rss", E2E.rss("Wire", [E2E.weather]))
        func config(_ sinkPath: String) throws -> String {
            try e2e.write("feedwatch.yaml", """
                watchlist: watchlist.yaml
                state_dir: state
                sources:
                  - {name: Wire, url: wire.rss}
                sinks:
                  - {type: file, name: file, path: \(sinkPath)}

                """)
        }
        let daemon = try await e2e.daemon(try config("alerts.jsonl"))
        #expect(await daemon.dispatcher.deadLetterPath == e2e.dir + "/dead-letter.jsonl")
        _ = try config("moved/alerts.jsonl")
        await daemon.reload()
        #expect(await daemon.config.sinks.first?.name == "file")
        #expect(await daemon.dispatcher.deadLetterPath == e2e.dir + "/moved/dead-letter.jsonl")
        // A permanent failure after the reload lands in the new file.
        let store = daemon.stateStore
        try store.enqueue(alertID: "broken", sink: "file", payload: Data("not json".utf8), at: Date())
        #expect(await daemon.deliverDue().dead == 1)
        #expect(readLines(e2e.dir + "/moved/dead-letter.jsonl").count == 1)
        #expect(readLines(e2e.dir + "/dead-letter.jsonl").isEmpty)
    }

    @Test("The loop's wake() (a poll committed alerts) delivers without waiting for a tick; cancelling stops it")
    func loopWake() async throws {
        let f = try DispatchFixture()
        let file = MemorySink(name: "file")
        let d = AlertDispatcher(store: f.store, sinks: [file], deadLetters: nil,
                                configuration: .init(flood: nil), logger: quietLogger)
        try f.raise(sampleAlert("first"), to: ["file"])
        let loop = DispatchLoop(dispatcher: d)
        let task = Task { await loop.run(tick: .seconds(3_600)) }
        // The round at start delivers "first"; after it, only a wake-up can deliver "a" within the hour.
        #expect(await eventually { file.deliveredIDs == ["first"] })
        try f.raise(sampleAlert("a"), to: ["file"])
        loop.wake()
        #expect(await eventually { file.deliveredIDs == ["first", "a"] })
        task.cancel()
        await task.value
        #expect(await d.busySinks.isEmpty)
    }

    @Test("reopenFiles() reopens file sinks")
    func reopen() async throws {
        let f = try DispatchFixture()
        let path = f.dir.file("alerts.jsonl")
        let sink = try JSONLinesSink(path: path)
        let d = try f.dispatcher([sink])
        try f.raise(sampleAlert("one"), to: ["file"])
        await d.drain()
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        #expect(await d.reopenFiles().isEmpty)
        try f.raise(sampleAlert("two"), to: ["file"])
        await d.drain()
        #expect(readLines(path + ".1").count == 1)
        #expect(readLines(path).first?.contains(#""id":"two""#) == true)
    }
}

/// A sink whose deliveries never finish on their own: each waits, cancellably, for `open()`.
final class GateSink: AlertSink {
    let name: String
    private let state = Mutex<(started: Int, open: Bool)>((0, false))

    init(name: String) { self.name = name }

    var started: Int { state.withLock { $0.started } }
    func open() { state.withLock { $0.open = true } }

    func deliver(_ alert: Alert, payload: Data) async throws(AlertError) {
        state.withLock { $0.started += 1 }
        while !state.withLock({ $0.open }) {
            do { try await Task.sleep(for: .milliseconds(5)) } catch {
                throw AlertError(kind: .transient, sink: name, message: "cancelled")
            }
        }
    }
}
