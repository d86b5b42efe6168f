import FeedwatchAlert
import FeedwatchDaemon
import FeedwatchHTTP
import FeedwatchModel
import FeedwatchStore
import FeedwatchTestSupport
import Foundation
import Synchronization
import Testing

/// The real path: store → dispatcher → WebhookSink → CurlTransport → a receiver on 127.0.0.1.
@Suite("Webhook delivery over HTTP")
struct WebhookIntegrationTests {
    static let secret = "whsec_C2FoZWwtd2F0Y2gtdGVzdC1zZWNyZXQtMzItYnl0ZXMh"

    func hook(_ name: String, url: String, transport: CurlTransport, clock: AlertTestClock) throws -> WebhookSink {
        WebhookSink(name: name, configuration: .init(url: url, secret: try WebhookSecret(parsing: Self.secret),
                                                     headers: [("X-Feedwatch-Test", "1")], timeout: .seconds(5)),
                    transport: transport, now: clock.closure)
    }

    @Test("Receiver failing then recovering: signed, retried, delivered once with the same id")
    func retryThenDeliver() async throws {
        let failuresLeft = Mutex(1)
        let server = try LoopbackHTTPServer { req in
            if req.path == "/gone" { return .status(404, "no such hook") }
            let fail = failuresLeft.withLock { n in defer { n -= 1 }; return n > 0 }
            return fail ? .status(503, "busy", headers: [("Retry-After", "30")]) : .status(204)
        }
        defer { server.stop() }
        let transport = CurlTransport()
        let f = try DispatchFixture()
        let clock = AlertTestClock(Date())
        let d = AlertDispatcher(store: f.store,
                                sinks: [try hook("hook", url: server.baseURL + "/hook", transport: transport, clock: clock),
                                        try hook("gone", url: server.baseURL + "/gone", transport: transport, clock: clock)],
                                deadLetters: try DeadLetterLog(path: f.deadPath),
                                configuration: .init(retry: RetryPolicy(initialDelay: 5, jitter: 0), flood: nil),
                                logger: quietLogger, now: clock.closure)
        let alert = sampleAlert("sahel-1")
        let payload = try AlertPayload.encode(alert)
        try f.store.transaction {
            try f.store.insertAlert(alert)
            try f.store.enqueue(alertID: alert.id, sink: "hook", payload: payload, at: clock.now)
            try f.store.enqueue(alertID: alert.id, sink: "gone", payload: payload, at: clock.now)
        }

        let first = await d.drain()
        #expect(first.retried == 1 && first.dead == 1)
        let entry = try #require(try f.store.outboxEntry(alertID: alert.id, sink: "hook"))
        // Retry-After: 30 beats the 5 s backoff.
        #expect(entry.nextAttemptAt.timeIntervalSince(clock.now) > 20)
        #expect(entry.lastError == "HTTP 503: busy")
        #expect(readLines(f.deadPath).first?.contains("HTTP 404: no such hook") == true)

        // Retry-After is read against the wall clock when the 503 arrives, which under a loaded
        // test run can be seconds past the test clock's start: step well beyond it.
        clock.advance(120)
        #expect(await d.drain().delivered == 1)
        clock.advance(3_600)
        #expect(await d.drain().claimed == 0)
        await transport.shutdown()

        let hookRequests = server.requests.filter { $0.path == "/hook" }
        #expect(hookRequests.count == 2)
        for r in hookRequests {
            #expect(r.method == "POST")
            #expect(r.body == payload)
            #expect(r.header("webhook-id") == alert.id)
            #expect(r.header("x-feedwatch-test") == "1")
            #expect(r.header("content-type") == "application/json")
            let ts = try #require(r.header("webhook-timestamp"))
            let sig = try #require(r.header("webhook-signature"))
            #expect(try pythonVerifies(secret: Self.secret, id: alert.id, timestamp: ts, body: r.body, signature: sig))
        }
        // Each attempt is signed with its own time, so receivers' replay windows accept retries.
        #expect(hookRequests[0].header("webhook-timestamp") != hookRequests[1].header("webhook-timestamp"))
    }

    @Test("A receiver that is down (connection refused) is retried, not dropped")
    func receiverDown() async throws {
        let server = try LoopbackHTTPServer { _ in .status(204) }
        let url = server.baseURL + "/hook"
        server.stop()
        let transport = CurlTransport()
        let f = try DispatchFixture()
        let clock = AlertTestClock(Date())
        let d = AlertDispatcher(store: f.store, sinks: [try hook("hook", url: url, transport: transport, clock: clock)],
                                deadLetters: try DeadLetterLog(path: f.deadPath),
                                configuration: .init(flood: nil), logger: quietLogger, now: clock.closure)
        try f.raise(sampleAlert("a"), to: ["hook"])
        #expect(await d.drain().retried == 1)
        await transport.shutdown()
        let e = try #require(try f.store.outboxEntry(alertID: "a", sink: "hook"))
        #expect(e.deliveredAt == nil && e.deadAt == nil)
        #expect(e.lastError?.hasPrefix("connect") == true)
        #expect(readLines(f.deadPath).isEmpty)
    }

    @Test("A webhook that never answers delays neither the file sink nor the dispatcher's heartbeat")
    func stalledWebhookDoesNotStallTheFileSink() async throws {
        let server = try LoopbackHTTPServer { _ in .stall }
        defer { server.stop() }
        let transport = CurlTransport()
        let f = try DispatchFixture()
        let log = f.dir.file("alerts.jsonl")
        let hook = WebhookSink(name: "hook", configuration: .init(url: server.baseURL + "/hook", timeout: .seconds(40)),
                               transport: transport)
        let d = AlertDispatcher(store: f.store, sinks: [hook, try JSONLinesSink(name: "file", path: log)],
                                deadLetters: try DeadLetterLog(path: f.deadPath),
                                configuration: .init(retry: RetryPolicy(initialDelay: 60, jitter: 0), flood: nil),
                                logger: quietLogger)
        let loop = DispatchLoop(dispatcher: d)
        let running = Task { await loop.run(tick: .milliseconds(100)) }

        try Outbox(store: f.store).queue(sampleAlert("first"), to: ["hook", "file"], at: Date())
        loop.wake()
        // Bounds well under the webhook's 40 s timeout, with room for a loaded machine.
        #expect(await eventually(.seconds(10)) { readLines(log).count == 1 })
        _ = await server.waitForRequests(count: 1)
        // The webhook now hangs on "first" for its whole 40 s timeout. A new alert still reaches the file at once…
        let queued = ContinuousClock.now
        try Outbox(store: f.store).queue(sampleAlert("second"), to: ["hook", "file"], at: Date())
        loop.wake()
        #expect(await eventually(.seconds(10)) { readLines(log).count == 2 })
        #expect(ContinuousClock.now - queued < .seconds(10))
        // …and rounds keep completing, so the watchdog keeps being fed.
        try await Task.sleep(for: .milliseconds(500))
        #expect(loop.sinceLastRound < .seconds(5))
        #expect(await d.busySinks == ["hook"])

        // Graceful stop: the hung delivery is abandoned, and it and the one behind it stay in the outbox.
        running.cancel()
        await running.value
        await transport.shutdown()
        #expect(try f.store.outboxCounts() == OutboxCounts(pending: 2, delivered: 2, dead: 0))
        #expect(try f.store.outboxEntry(alertID: "first", sink: "hook")?.lastError == "interrupted by shutdown")
        #expect(server.requests.count == 1)
    }
}
