@testable import FeedwatchDaemon
import FeedwatchHTTP
import FeedwatchTestSupport
import Foundation
import Testing

/// `PollService.run` against a scripted transport on a manual clock: when each source is
/// requested, and with what, is exact — no curl, no waiting.
@Suite struct PollSchedulingTests {
    static let a = "https://a.example/feed"
    static let b = "https://b.example/feed"

    @Test func sourcesArePolledAtTheirIntervals() async throws {
        let rig = try PollRig(sources: [("A", Self.a, nil), ("B", Self.b, "10m")])
        defer { rig.cleanup() }
        rig.transport.script(Self.a, .ok(PollRig.emptyFeed()))
        rig.transport.script(Self.b, .ok(PollRig.emptyFeed()))
        try await rig.start()
        try await rig.run(until: .seconds(1250))
        await rig.stop()
        // Default 5 min, no jitter at a draw of 0.5; B's own 10 min.
        #expect(close(rig.requestTimes(Self.a), [0, 300, 600, 900, 1200]), "\(rig.requestTimes(Self.a))")
        #expect(close(rig.requestTimes(Self.b), [0, 600, 1200]), "\(rig.requestTimes(Self.b))")
    }

    @Test func jitterSpreadsPollsWithinTenPercent() async throws {
        // Draws 0 (-10%), 1 (+10%), then 0.5 (none).
        let rig = try PollRig(sources: [("A", Self.a, nil)], random: [0, 1, 0.5])
        defer { rig.cleanup() }
        rig.transport.script(Self.a, .ok(PollRig.emptyFeed()))
        try await rig.start()
        try await rig.run(until: .seconds(1000))
        await rig.stop()
        #expect(close(rig.requestTimes(Self.a), [0, 270, 600, 900]), "\(rig.requestTimes(Self.a))")
    }

    @Test func failuresBackOffExponentiallyUpToTheCapAndSuccessResets() async throws {
        let rig = try PollRig(sources: [("A", Self.a, nil)], schedule: "backoff_cap: 20m", random: [0])
        defer { rig.cleanup() }
        let fail = FakeTransport.Reply.status(500)
        rig.transport.script(Self.a, fail, fail, fail, fail, fail, .ok(PollRig.emptyFeed()))
        try await rig.start()
        try await rig.run(until: .seconds(4900))
        let failing = try #require(await rig.state(Self.a))
        await rig.stop()
        // 5, 10, 20 min, then held at the 20 min cap; the sixth poll succeeds and the interval is
        // back to 5 min (less 10% at a draw of 0: jitter spreads successes both ways, failures only up).
        #expect(close(rig.requestTimes(Self.a), [0, 300, 900, 2100, 3300, 4500, 4770]), "\(rig.requestTimes(Self.a))")
        #expect(failing.consecutiveFailures == 0)
        #expect(failing.lastError == nil)
        let stored = try #require(try rig.store.sourceState(url: Self.a))
        #expect(stored.lastSuccess != nil)
    }

    @Test func theFailureStreakIsRecordedWithTheMessageOperatorsSee() async throws {
        let rig = try PollRig(sources: [("A", Self.a, nil)], random: [0])
        defer { rig.cleanup() }
        rig.transport.script(Self.a, .fail(.connect, "could not connect (curl 7: Connection refused)"))
        try await rig.start()
        try await rig.run(until: .seconds(1000))
        await rig.stop()
        #expect(close(rig.requestTimes(Self.a), [0, 300, 900]))
        let stored = try #require(try rig.store.sourceState(url: Self.a))
        #expect(stored.consecutiveFailures == 3)
        #expect(stored.lastError == "fetch: \(Self.a): could not connect (curl 7: Connection refused)")
    }

    @Test func retryAfterIsHonoured() async throws {
        let rig = try PollRig(sources: [("A", Self.a, nil)], random: [0])
        defer { rig.cleanup() }
        let later = rig.clock.start.addingTimeInterval(3600)
        rig.transport.script(Self.a, .status(503, headers: ResponseHeaders(retryAfter: later)), .ok(PollRig.emptyFeed()))
        try await rig.start()
        try await rig.run(until: .seconds(3599))
        let failed = try #require(try rig.store.sourceState(url: Self.a))
        #expect(rig.requestTimes(Self.a).count == 1)
        try await rig.run(until: .seconds(4000))
        await rig.stop()
        // Not at the 5 min backoff: an hour later, as asked; then the normal interval (-10% at a draw of 0).
        #expect(close(rig.requestTimes(Self.a), [0, 3600, 3870]), "\(rig.requestTimes(Self.a))")
        #expect(failed.lastError == "fetch: \(Self.a): HTTP 503")
    }

    @Test func notModifiedKeepsTheValidatorsAndANewETagReplacesThem() async throws {
        let rig = try PollRig(sources: [("A", Self.a, nil)])
        defer { rig.cleanup() }
        let lm = "Tue, 01 Dec 2026 10:00:00 GMT"
        rig.transport.script(Self.a, .ok(PollRig.emptyFeed(), headers: ResponseHeaders(etag: "\"v1\"", lastModified: lm)),
                             .notModified(), .notModified(headers: ResponseHeaders(etag: "\"v2\"")), .notModified())
        try await rig.start()
        try await rig.run(until: .seconds(1000))
        await rig.stop()
        let sent = rig.transport.requests.map(\.validators)
        #expect(sent == [Validators(), Validators(etag: "\"v1\"", lastModified: lm), Validators(etag: "\"v1\"", lastModified: lm),
                         Validators(etag: "\"v2\"", lastModified: lm)])
        // Written at the stop with the other not-modified polls.
        let stored = try #require(try rig.store.sourceState(url: Self.a))
        #expect(stored.etag == "\"v2\"")
        #expect(stored.lastModified == lm)
        #expect(stored.consecutiveFailures == 0)
    }

    @Test func goneStopsPolling() async throws {
        let rig = try PollRig(sources: [("A", Self.a, nil), ("B", Self.b, "1h")])
        defer { rig.cleanup() }
        rig.transport.script(Self.a, .status(410))
        rig.transport.script(Self.b, .ok(PollRig.emptyFeed()))
        try await rig.start()
        try await rig.run(until: .seconds(2 * 86400))
        await rig.stop()
        #expect(rig.requestTimes(Self.a) == [0])
        #expect(rig.requestTimes(Self.b).count >= 47)       // the others go on
        let stored = try #require(try rig.store.sourceState(url: Self.a))
        #expect(stored.gone)
        #expect(stored.nextPollAt == nil)
    }

    @Test func aSlowSourceDoesNotHoldUpTheOthers() async throws {
        let rig = try PollRig(sources: [("Slow", Self.a, nil), ("Fast", Self.b, "1m")])
        defer { rig.cleanup() }
        rig.transport.script(Self.a, FakeTransport.Reply.ok(PollRig.emptyFeed()).delayed(by: .seconds(3600)))
        rig.transport.script(Self.b, .ok(PollRig.emptyFeed()))
        // A tick of a second, as in production: results fetched beside a slow one wait for it at most.
        try await rig.start(tick: .seconds(1))
        try await rig.run(until: .seconds(305))
        #expect(rig.transport.inFlight == 1)
        await rig.stop()
        #expect(rig.requestTimes(Self.a) == [0])
        let fast = rig.requestTimes(Self.b)
        // Each result is written at the tick after it (within a second), and the next poll is
        // a minute after the fetch.
        #expect(fast.count == 6, "\(fast)")
        for (i, t) in fast.enumerated() { #expect(abs(t - Double(i) * 60) < Double(i) + 0.5, "poll \(i) at \(t)") }
    }

    @Test func fetchesInFlightAreBoundedByTheWindow() async throws {
        // concurrency 1: a window of 1 + 8 fetches in flight.
        let urls = (0..<12).map { "https://s\($0).example/feed" }
        let rig = try PollRig(sources: urls.enumerated().map { ("S\($0.offset)", $0.element, nil) }, limits: "concurrency: 1")
        defer { rig.cleanup() }
        for url in urls { rig.transport.script(url, FakeTransport.Reply.ok(PollRig.emptyFeed()).delayed(by: .seconds(100))) }
        try await rig.start()
        #expect(rig.transport.inFlight == 9)
        try await rig.run(until: .seconds(250))
        await rig.stop()
        #expect(rig.transport.maxInFlight == 9)
        let starts = urls.map { rig.requestTimes($0).first ?? -1 }.sorted()
        #expect(starts == Array(repeating: 0, count: 9) + Array(repeating: 100, count: 3), "\(starts)")
    }

    @Test func shutdownCancelsFetchesWithoutCountingThemAsFailures() async throws {
        let rig = try PollRig(sources: [("Slow", Self.a, nil), ("Fast", Self.b, nil)])
        defer { rig.cleanup() }
        rig.transport.script(Self.a, FakeTransport.Reply.ok(PollRig.emptyFeed()).delayed(by: .seconds(3600)))
        rig.transport.script(Self.b, .ok(PollRig.emptyFeed()))
        try await rig.start()
        // The fast result waits for its burst; the stop writes it, and ends the slow fetch
        // without the clock moving.
        await rig.stop()
        #expect(rig.transport.inFlight == 0)
        #expect(try rig.store.sourceState(url: Self.b)?.lastSuccess != nil)
        let slow = try rig.store.sourceState(url: Self.a)
        #expect(slow?.consecutiveFailures ?? 0 == 0)
        #expect(slow?.lastError == nil)
    }

    /// `feedwatch run --once` stopped mid-pass: the pass writes what it fetched, and a fetch the
    /// stop cancelled is not a failure, whichever way the transport reports the cancellation.
    @Test(arguments: [false, true])
    func aCancelledPassDoesNotCountCancelledFetchesAsFailures(throwsTaskCancellation: Bool) async throws {
        let rig = try PollRig(sources: [("Slow", Self.a, nil)], throwsTaskCancellation: throwsTaskCancellation)
        defer { rig.cleanup() }
        rig.transport.script(Self.a, FakeTransport.Reply.ok(PollRig.emptyFeed()).delayed(by: .seconds(60)))
        let service = rig.service
        let pass = Task { await service.pollAll() }
        let end = ContinuousClock.now + .seconds(10)
        while rig.clock.sleepers < 1, ContinuousClock.now < end { await Task.yield() }
        #expect(rig.transport.inFlight == 1)
        pass.cancel()
        _ = await pass.value
        let slow = try rig.store.sourceState(url: Self.a)
        #expect(slow?.consecutiveFailures ?? 0 == 0)
        #expect(slow?.lastError == nil)
        #expect(await rig.service.stats.errors == 0)
    }
}
