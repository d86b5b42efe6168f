import FeedwatchModel

/// The dialect a document was recognised as.
public enum FeedFormat: String, Sendable {
    case rss, rdf, atom, json
}

/// A parsed feed plus what the parser learned on the way.
public struct ParsedFeed: Sendable, Equatable {
    public var feed: Feed
    public var format: FeedFormat
    /// nil when the document was well-formed; else what was repaired, e.g.
    /// `line 120: Premature end of data in tag channel line 5`.
    public var damage: String?
    /// RSS `<ttl>`, in minutes: the publisher's hint for the poll interval.
    public var ttl: Int?

    public init(feed: Feed, format: FeedFormat, damage: String? = nil, ttl: Int? = nil) {
        self.feed = feed
        self.format = format
        self.damage = damage
        self.ttl = ttl
    }
}
