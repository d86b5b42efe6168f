import FeedwatchAlert
import FeedwatchDaemon
import FeedwatchModel
import FeedwatchStore
import Foundation
import Logging
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

    @Test("A row for a sink no longer configured is dead-lettered, not stuck")
    func unknownSink() async throws {
        let f = try DispatchFixture()
        try f.raise(sampleAlert("a"), to: ["removed"])
        let d = try f.dispatcher([])
        #expect(await d.drain().dead == 1)
        #expect(readLines(f.deadPath).first?.contains("sink removed is not configured") == true)
    }

    @Test("wake() makes run() deliver; cancelling run() stops it")
    func runLoop() async throws {
        let f = try DispatchFixture()
        let file = MemorySink(name: "file")
        let d = AlertDispatcher(store: f.store, sinks: [file], deadLetters: nil,
                                configuration: .init(flood: nil, tick: .seconds(3_600)), logger: quietLogger)
        let task = Task { await d.run() }
        try f.raise(sampleAlert("a"), to: ["file"])
        d.wake()
        for _ in 0..<500 where file.deliveredIDs.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        #expect(file.deliveredIDs == ["a"])
        task.cancel()
        await task.value
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
