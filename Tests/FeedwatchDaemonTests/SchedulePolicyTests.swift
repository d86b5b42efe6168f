import FeedwatchConfig
@testable import FeedwatchDaemon
import FeedwatchHTTP
import Foundation
import Testing

@Suite struct SchedulePolicyTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// Bounds: 1 min … 6 h, cap 6 h, jitter ±10%.
    static let policy = PollPolicy(schedule: Schedule())

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var outcome: PollOutcome
        var interval: TimeInterval?
        var failuresBefore = 0
        var random = 0.5
        /// Expected seconds until the next poll; nil = stopped.
        var expected: TimeInterval?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "200 with no hints polls at the default 5 min", outcome: .fetched(CacheHints()), expected: 300),
        Case(name: "per-source interval wins over the default", outcome: .fetched(CacheHints()), interval: 900, expected: 900),
        Case(name: "304 keeps the normal interval", outcome: .notModified(CacheHints()), expected: 300),
        Case(name: "RSS ttl of 60 minutes stretches to an hour", outcome: .fetched(CacheHints(ttlMinutes: 60)), expected: 3600),
        Case(name: "ttl shorter than the interval is ignored", outcome: .fetched(CacheHints(ttlMinutes: 1)), expected: 300),
        Case(name: "max-age 1800 stretches to 30 min", outcome: .notModified(CacheHints(maxAge: 1800)), expected: 1800),
        Case(name: "Expires in 2 h stretches to 2 h",
             outcome: .fetched(CacheHints(expires: now.addingTimeInterval(7200))), expected: 7200),
        Case(name: "Expires in the past is ignored",
             outcome: .fetched(CacheHints(expires: now.addingTimeInterval(-60))), expected: 300),
        Case(name: "ttl of a week is held to max_interval 6 h", outcome: .fetched(CacheHints(ttlMinutes: 10080)), expected: 21600),
        Case(name: "interval below min_interval is raised to 1 min", outcome: .fetched(CacheHints()), interval: 5, expected: 60),
        Case(name: "jitter low end is -10%", outcome: .fetched(CacheHints()), random: 0, expected: 270),
        Case(name: "jitter high end is +10%", outcome: .fetched(CacheHints()), random: 1, expected: 330),
        Case(name: "first failure retries after one interval", outcome: .failed(.other("x")),
             random: 0, expected: 300),
        Case(name: "third failure waits 4 intervals", outcome: .failed(.other("x")),
             failuresBefore: 2, random: 0, expected: 1200),
        Case(name: "backoff is capped at 6 h", outcome: .failed(.other("x")),
             failuresBefore: 20, random: 0, expected: 21600),
        Case(name: "backoff jitter never exceeds the cap", outcome: .failed(.other("x")),
             failuresBefore: 20, random: 0.99, expected: 21600),
        Case(name: "Retry-After longer than the backoff wins",
             outcome: .failed(.http(status: 429, url: "http://x/", retryAfter: now.addingTimeInterval(3600))), random: 0, expected: 3600),
        Case(name: "Retry-After of a year is held to the cap",
             outcome: .failed(.http(status: 503, url: "http://x/", retryAfter: now.addingTimeInterval(365 * 86400))), random: 0, expected: 21600),
        Case(name: "410 stops polling", outcome: .gone, expected: nil),
        Case(name: "301 polls on schedule at the new URL", outcome: .moved(newURL: "https://b.example/feed", CacheHints()),
             expected: 300),
    ]

    @Test(arguments: cases)
    func nextPoll(_ c: Case) {
        let health = SourceHealth(consecutiveFailures: c.failuresBefore)
        let d = Self.policy.decide(outcome: c.outcome, interval: c.interval, health: health, now: Self.now, random: c.random)
        let wait = d.nextPoll.map { $0.timeIntervalSince(Self.now) }
        if let expected = c.expected {
            #expect(wait.map { abs($0 - expected) < 0.001 } == true, "got \(String(describing: wait)), want \(expected)")
        } else {
            #expect(wait == nil)
        }
    }

    @Test func failuresAccumulateAndSuccessResetsHealth() {
        var health = SourceHealth()
        for i in 1...5 {
            health = Self.policy.decide(outcome: .failed(.transport(HTTPError(kind: .connect, url: "http://x/", message: "connection refused"))),
                                        interval: nil, health: health, now: Self.now, random: 0).health
            #expect(health.consecutiveFailures == i)
        }
        #expect(health.lastError == "fetch: http://x/: connection refused")
        #expect(health.lastSuccess == nil)
        #expect(health.gone == false)
        let after = Self.policy.decide(outcome: .notModified(CacheHints()), interval: nil, health: health,
                                       now: Self.now, random: 0).health
        #expect(after.consecutiveFailures == 0)
        #expect(after.lastError == nil)
        #expect(after.lastSuccess == Self.now)
    }

    @Test func backoffNeverDisablesASource() {
        var health = SourceHealth()
        for _ in 0..<1000 {
            let d = Self.policy.decide(outcome: .failed(.transport(HTTPError(kind: .timeout, url: "http://x/", message: "timed out"))), interval: nil,
                                       health: health, now: Self.now, random: 0.5)
            #expect(d.nextPoll != nil)
            health = d.health
        }
        #expect(health.consecutiveFailures == 1000)
    }

    @Test func goneIsRecordedLoudlyAndMovedReportsTheNewURL() {
        let gone = Self.policy.decide(outcome: .gone, interval: nil, health: SourceHealth(), now: Self.now, random: 0)
        #expect(gone.health.gone)
        #expect(gone.health.lastError?.contains("410") == true)
        let moved = Self.policy.decide(outcome: .moved(newURL: "https://new.example/rss", CacheHints()), interval: nil,
                                       health: SourceHealth(consecutiveFailures: 3), now: Self.now, random: 0.5)
        #expect(moved.newURL == "https://new.example/rss")
        #expect(moved.health.consecutiveFailures == 0)
    }
}
