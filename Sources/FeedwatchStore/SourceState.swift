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

    public init(url: String, currentURL: String? = nil, etag: String? = nil, lastModified: String? = nil,
                lastSuccess: Date? = nil, lastAttempt: Date? = nil, consecutiveFailures: Int = 0,
                lastError: String? = nil, nextPollAt: Date? = nil, gone: Bool = false) {
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
}
