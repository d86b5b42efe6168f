import FeedwatchAlert
import FeedwatchDaemon
import FeedwatchModel
import FeedwatchStore
import FeedwatchTestSupport
import Foundation
import Testing

@Suite("Flood control")
struct FloodControlTests {
    @Test("Token bucket: burst, then one token per interval")
    func bucket() {
        let t0 = Date(timeIntervalSince1970: 1_000)
        var b = TokenBucket(capacity: 3, refillInterval: 10, now: t0)
        #expect((0..<5).map { _ in b.take(now: t0) } == [true, true, true, false, false])
        #expect(b.nextToken(now: t0) == t0.addingTimeInterval(10))
        let early = b.take(now: t0.addingTimeInterval(9))
        let onTime = b.take(now: t0.addingTimeInterval(10))
        #expect(!early && onTime)
        // Refill never exceeds capacity.
        #expect((0..<5).map { _ in b.take(now: t0.addingTimeInterval(1_000)) } == [true, true, true, false, false])
    }

    @Test("Retry policy: exponential, capped, jittered within bounds, Retry-After wins")
    func retryPolicy() {
        let p = RetryPolicy(initialDelay: 5, multiplier: 2, maxDelay: 60, jitter: 0.2, maxRetryAfter: 600, maxAttempts: 5)
        let now = Date(timeIntervalSince1970: 0)
        func delay(_ n: Int, _ r: Double, _ ra: Date? = nil) -> Double {
            p.nextAttempt(after: n, now: now, retryAfter: ra, random: r).timeIntervalSince(now)
        }
        #expect([1, 2, 3, 4].map { delay($0, 0.5) } == [5, 10, 20, 40])
        #expect(delay(10, 0.5) == 60)
        #expect(delay(1, 0) == 4)
        #expect(abs(delay(1, 0.999_999) - 6) < 0.001)
        #expect(delay(1, 0.5, Date(timeIntervalSince1970: 120)) == 120)
        #expect(delay(1, 0.5, Date(timeIntervalSince1970: 86_400)) == 600)
        #expect(delay(3, 0.5, Date(timeIntervalSince1970: 1)) == 20)
        #expect(!p.isExhausted(attempts: 4) && p.isExhausted(attempts: 5))
    }

    @Test("A burst over the bucket becomes ONE digest, per topic and per sink")
    func burstBecomesDigest() async throws {
        let f = try DispatchFixture()
        let hook = MemorySink(name: "hook"), file = MemorySink(name: "file")
        let d = AlertDispatcher(store: f.store, sinks: [hook, file], deadLetters: nil,
                                configuration: .init(flood: nil, floodPerSink: ["hook": FloodPolicy(burst: 3, interval: 60)]),
                                logger: quietLogger, now: f.clock.closure, random: { 0.5 })
        for i in 0..<10 { try f.raise(sampleAlert("s\(i)", topic: "sahel"), to: ["hook", "file"]) }
        try f.raise(sampleAlert("n0", topic: "niger"), to: ["hook"])
        let r1 = await d.drain()
        #expect(r1.held == 7)
        #expect(r1.digests == 0)
        // The file sink has no flood control; the other topic has its own bucket.
        #expect(file.deliveredIDs.count == 10)
        #expect(hook.deliveredIDs == ["s0", "s1", "s2", "n0"])
        #expect(await d.heldCount == 7)

        // An alert arriving while others are held queues behind them.
        try f.raise(sampleAlert("s10", topic: "sahel"), to: ["hook"])
        f.clock.advance(30)
        #expect(await d.drain().held == 1)

        f.clock.advance(30)  // one token back
        let r2 = await d.drain()
        #expect(r2.digests == 1)
        #expect(await d.heldCount == 0)
        let digestID = try #require(hook.deliveredIDs.last)
        #expect(digestID.hasPrefix("digest-"))
        #expect(hook.deliveredIDs.count == 5)
        let digest = try AlertPayload.decode(try #require(hook.payloads.last))
        #expect(digest.kind == .digest)
        #expect(digest.topic == "sahel")
        #expect(digest.items?.map(\.id) == (3...10).map { "s\($0)" })
        #expect(try f.store.outboxDepth() == 0)
        #expect(try f.store.alert(id: digestID)?.kind == .digest)
        #expect(try f.store.counter("alerts.digested") == 8)
        // Nothing is lost: every held alert is inside the digest.
        #expect(Set(hook.deliveredIDs.dropLast() + (digest.items ?? []).map(\.id))
            == Set((0...10).map { "s\($0)" } + ["n0"]))
    }

    @Test("The digest id depends only on its items")
    func digestID() {
        let now = Date(timeIntervalSince1970: 5)
        let a = AlertDigest.make(topic: "t", sink: "hook", items: [sampleAlert("x"), sampleAlert("y")], now: now)
        let b = AlertDigest.make(topic: "t", sink: "hook", items: [sampleAlert("y"), sampleAlert("x")], now: now)
        let c = AlertDigest.make(topic: "t", sink: "hook", items: [sampleAlert("x")], now: now)
        #expect(a.id == b.id && a.id != c.id)
        #expect(a.outlets == ["rfi.fr"])
        #expect(a.matched == ["Mali", "JNIM"])
    }
}
