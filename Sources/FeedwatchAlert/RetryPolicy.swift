import Foundation

/// When to try a failed delivery again: exponential backoff with jitter, capped,
/// and never sooner than the receiver's Retry-After.
public struct RetryPolicy: Sendable, Equatable {
    /// Delay after the first failure.
    public var initialDelay: TimeInterval
    public var multiplier: Double
    /// Cap on the backoff delay.
    public var maxDelay: TimeInterval
    /// ± fraction of the delay picked at random, so retries from many alerts spread out.
    public var jitter: Double
    /// Cap on how far a Retry-After may push the next attempt.
    public var maxRetryAfter: TimeInterval
    /// After this many failed attempts the delivery is dead-lettered (0: never).
    public var maxAttempts: Int

    public init(initialDelay: TimeInterval = 5, multiplier: Double = 2, maxDelay: TimeInterval = 3_600,
                jitter: Double = 0.2, maxRetryAfter: TimeInterval = 6 * 3_600, maxAttempts: Int = 50) {
        self.initialDelay = initialDelay
        self.multiplier = multiplier
        self.maxDelay = maxDelay
        self.jitter = jitter
        self.maxRetryAfter = maxRetryAfter
        self.maxAttempts = maxAttempts
    }

    /// The time of the next attempt after `attempts` failed ones (1-based).
    /// `random` is in [0, 1).
    public func nextAttempt(after attempts: Int, now: Date, retryAfter: Date?, random: Double) -> Date {
        let exponent = Double(max(attempts - 1, 0))
        let base = min(initialDelay * pow(multiplier, min(exponent, 60)), maxDelay)
        let jittered = base * (1 - jitter + 2 * jitter * random)
        var delay = min(jittered, maxDelay)
        if let retryAfter {
            delay = max(delay, min(retryAfter.timeIntervalSince(now), maxRetryAfter))
        }
        return now.addingTimeInterval(max(delay, 0))
    }

    /// True when `attempts` failures exhaust the policy.
    public func isExhausted(attempts: Int) -> Bool { maxAttempts > 0 && attempts >= maxAttempts }
}
