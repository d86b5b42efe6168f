import FeedwatchConfig
import Foundation

/// When to poll a source next, as a pure function of the last outcome: the
/// interval (per source, default 5 minutes) stretched by the feed's own
/// hints (TTL, max-age, Expires, Retry-After) within the configured bounds,
/// spread by jitter; errors back off exponentially up to a cap and never
/// disable a source; 410 stops it.
public struct PollPolicy: Sendable, Equatable {
    public var schedule: Schedule

    public init(schedule: Schedule = Schedule()) { self.schedule = schedule }

    /// The decision after one poll.
    public struct Decision: Sendable, Equatable {
        /// nil when the source must not be polled again (410).
        public var nextPoll: Date?
        public var health: SourceHealth
        /// Set after a permanent redirect: store it as the source's URL.
        public var newURL: String?
    }

    /// - Parameters:
    ///   - interval: the source's own interval, if configured.
    ///   - random: a value in [0, 1) for jitter; injected so tests are exact.
    public func decide(outcome: PollOutcome, interval: TimeInterval?, health: SourceHealth,
                       now: Date, random: Double) -> Decision {
        var h = health
        h.lastAttempt = now
        let base = clamp(interval ?? schedule.defaultInterval)
        switch outcome {
        case .fetched(let hints), .notModified(let hints), .moved(_, let hints):
            h.lastSuccess = now
            h.consecutiveFailures = 0
            h.lastError = nil
            h.gone = false
            // A feed may ask to be polled less often, never more often than we would.
            let wait = clamp(max(base, hints.freshness(now: now) ?? 0))
            var newURL: String?
            if case .moved(let url, _) = outcome { newURL = url }
            return Decision(nextPoll: now.addingTimeInterval(jittered(wait, random)), health: h, newURL: newURL)
        case .gone:
            h.consecutiveFailures += 1
            h.lastError = "410 Gone: the publisher removed this feed; polling stopped"
            h.gone = true
            return Decision(nextPoll: nil, health: h, newURL: nil)
        case .failed(let failure):
            h.consecutiveFailures += 1
            h.lastError = failure.description
            // Only a status response can say when to come back (429, 503); every other failure,
            // a cancelled fetch included, backs off alike: a transport that keeps refusing must
            // not be retried in a loop.
            let retryAfter: Date?
            switch failure {
            case .http(_, _, let after): retryAfter = after
            case .transport, .cancelled, .unparseable, .quarantined, .other: retryAfter = nil
            }
            return Decision(nextPoll: now.addingTimeInterval(backoff(failures: h.consecutiveFailures, base: base,
                                                                     retryAfter: retryAfter, now: now, random: random)),
                            health: h, newURL: nil)
        }
    }

    /// base × 2^(failures−1), at most `backoffCap`; a later Retry-After wins
    /// but is held to the cap too, so a hostile header cannot park a source for a year.
    public func backoff(failures: Int, base: TimeInterval, retryAfter: Date?, now: Date, random: Double) -> TimeInterval {
        let exponent = Double(min(max(failures - 1, 0), 30))
        var wait = min(schedule.backoffCap, base * pow(2, exponent))
        if let retryAfter {
            wait = max(wait, min(schedule.backoffCap, retryAfter.timeIntervalSince(now)))
        }
        // Jitter only upwards on errors: spreading retries must not shorten them below Retry-After.
        let spread = wait * schedule.jitter * random
        return max(schedule.minInterval, min(schedule.backoffCap, wait + spread))
    }

    func clamp(_ t: TimeInterval) -> TimeInterval { min(schedule.maxInterval, max(schedule.minInterval, t)) }

    /// ±jitter around `t`, kept within bounds.
    func jittered(_ t: TimeInterval, _ random: Double) -> TimeInterval {
        clamp(t * (1 + schedule.jitter * (2 * random - 1)))
    }
}
