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
    /// The document ended before its root element closed (a cut-off download).
    public var truncated: Bool
    /// Indices in `feed.entries` of the entries the document was cut off inside.
    /// `feed` still lists them, as feedparser does, so `feedwatch parse` prints
    /// them; but any value, the id included, may stop mid-way, so a poller must
    /// neither store nor alert them: it reads `completeFeed`, and gets the whole
    /// entry (with its real id) on the next poll.
    public var incompleteEntries: [Int]

    public init(feed: Feed, format: FeedFormat, damage: String? = nil, ttl: Int? = nil, truncated: Bool = false,
                incompleteEntries: [Int] = []) {
        self.feed = feed
        self.format = format
        self.damage = damage
        self.ttl = ttl
        self.truncated = truncated
        self.incompleteEntries = incompleteEntries
    }

    /// `feed` without `incompleteEntries`: the entries a poller may store and alert.
    public var completeFeed: Feed {
        guard !incompleteEntries.isEmpty else { return feed }
        var f = feed
        let cut = Set(incompleteEntries)
        f.entries = feed.entries.indices.filter { !cut.contains($0) }.map { feed.entries[$0] }
        return f
    }
}
