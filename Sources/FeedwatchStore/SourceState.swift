import Foundation

/// What the store remembers about one configured source between polls.
public struct SourceState: Sendable, Equatable, Codable {
    /// The URL as configured: the key, even after a permanent redirect.
    public var url: String
    /// Where to fetch now: updated by a 301/308.
    public var currentURL: String?
    public var etag: String?
    public var lastModified: String?
    public var lastSuccess: Date?
    public var lastAttempt: Date?
    public var consecutiveFailures: Int
    public var lastError: String?
    public var nextPollAt: Date?
    /// The server answered 410 Gone: polling stopped.
    public var gone: Bool
    /// Starts that found this source's content being parsed when the daemon died: a suspect
    /// (parsed alone) from one, quarantined from two (`CrashGuard`).
    public var strikes: Int
    /// When the source was quarantined; nil when it is not.
    public var quarantinedAt: Date?
    /// The digest of the content that crashed the daemon: the same body is not parsed again.
    public var quarantineDigest: String?

    public init(url: String, currentURL: String? = nil, etag: String? = nil, lastModified: String? = nil,
                lastSuccess: Date? = nil, lastAttempt: Date? = nil, consecutiveFailures: Int = 0,
                lastError: String? = nil, nextPollAt: Date? = nil, gone: Bool = false, strikes: Int = 0,
                quarantinedAt: Date? = nil, quarantineDigest: String? = nil) {
        self.strikes = strikes
        self.quarantinedAt = quarantinedAt
        self.quarantineDigest = quarantineDigest
        self.url = url
        self.currentURL = currentURL
        self.etag = etag
        self.lastModified = lastModified
        self.lastSuccess = lastSuccess
        self.lastAttempt = lastAttempt
        self.consecutiveFailures = consecutiveFailures
        self.lastError = lastError
        self.nextPollAt = nextPollAt
        self.gone = gone
    }

    /// The URL to fetch: `currentURL` when a redirect moved the feed, else `url`.
    public var fetchURL: String { currentURL ?? url }

    /// Quarantined: its content crashed the daemon twice and is not parsed until it changes.
    public var isQuarantined: Bool { quarantinedAt != nil }
}
