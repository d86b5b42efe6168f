import Foundation

/// What one poll of a source came to, reduced to what scheduling needs.
public enum PollOutcome: Sendable, Equatable {
    /// 2xx with a body (parsed or not: a body that is not a feed is `.failed`).
    case fetched(CacheHints)
    /// 304: the validators still hold.
    case notModified(CacheHints)
    /// Followed a 301/308: the source now lives at `newURL`.
    case moved(newURL: String, CacheHints)
    /// 410 Gone: the publisher says the feed is gone for good.
    case gone
    /// Transport error, non-2xx status, unparseable body, quarantined content.
    case failed(FetchFailure)
}

/// What the response says about when to come back.
public struct CacheHints: Sendable, Equatable {
    /// RSS `<ttl>`, in minutes.
    public var ttlMinutes: Int?
    /// Cache-Control max-age, in seconds.
    public var maxAge: Int?
    public var expires: Date?
    public var retryAfter: Date?

    public init(ttlMinutes: Int? = nil, maxAge: Int? = nil, expires: Date? = nil, retryAfter: Date? = nil) {
        self.ttlMinutes = ttlMinutes
        self.maxAge = maxAge
        self.expires = expires
        self.retryAfter = retryAfter
    }

    /// The longest freshness any hint promises from `now`, in seconds.
    func freshness(now: Date) -> TimeInterval? {
        let candidates: [TimeInterval?] = [
            ttlMinutes.map { TimeInterval($0) * 60 },
            maxAge.map(TimeInterval.init),
            expires.map { $0.timeIntervalSince(now) },
            retryAfter.map { $0.timeIntervalSince(now) },
        ]
        return candidates.compactMap { $0 }.filter { $0 > 0 }.max()
    }
}

/// A source's health as the operator sees it in `feedwatch status`.
public struct SourceHealth: Sendable, Equatable, Codable {
    public var lastAttempt: Date?
    public var lastSuccess: Date?
    public var consecutiveFailures: Int
    public var lastError: String?
    /// Set after a 410: the source is no longer polled until the config changes its URL.
    public var gone: Bool

    public init(lastAttempt: Date? = nil, lastSuccess: Date? = nil, consecutiveFailures: Int = 0,
                lastError: String? = nil, gone: Bool = false) {
        self.lastAttempt = lastAttempt
        self.lastSuccess = lastSuccess
        self.consecutiveFailures = consecutiveFailures
        self.lastError = lastError
        self.gone = gone
    }
}
