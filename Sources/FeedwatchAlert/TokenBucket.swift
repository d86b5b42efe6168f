import Foundation

/// A token bucket: holds up to `capacity` tokens and gains one every
/// `refillInterval` seconds; each alert sent takes one.
public struct TokenBucket: Sendable, Equatable {
    public let capacity: Double
    public let refillInterval: TimeInterval
    public private(set) var tokens: Double
    private var updated: Date

    /// Starts full at `now`.
    public init(capacity: Int, refillInterval: TimeInterval, now: Date) {
        self.capacity = Double(max(capacity, 1))
        self.refillInterval = max(refillInterval, 0.001)
        tokens = self.capacity
        updated = now
    }

    private mutating func refill(_ now: Date) {
        let elapsed = now.timeIntervalSince(updated)
        guard elapsed > 0 else { return }
        tokens = min(capacity, tokens + elapsed / refillInterval)
        updated = now
    }

    /// Takes a token if one is available at `now`.
    public mutating func take(now: Date) -> Bool {
        refill(now)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// When the next whole token is available (now, if one already is).
    public func nextToken(now: Date) -> Date {
        var b = self
        b.refill(now)
        return b.tokens >= 1 ? now : now.addingTimeInterval((1 - b.tokens) * refillInterval)
    }
}

/// Flood control for one sink: each topic may burst `burst` alerts, then one per
/// `interval` seconds; alerts over the limit are held and sent as one digest.
public struct FloodPolicy: Sendable, Equatable {
    public var burst: Int
    public var interval: TimeInterval
    /// A digest carries at most this many alerts; the rest wait for the next one.
    public var maxDigestItems: Int

    public init(burst: Int = 10, interval: TimeInterval = 60, maxDigestItems: Int = 200) {
        self.burst = burst
        self.interval = interval
        self.maxDigestItems = maxDigestItems
    }
}
