import Foundation

/// One alert: a story that matched a watched topic, or a digest of the
/// alerts a flood-control bucket held back. Its JSON form is one line of the
/// alert log and the webhook body, read by `feedwatch tail` and by other tools.
public struct Alert: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable { case alert, digest }

    /// Stable across re-polls, restarts and re-deliveries: derived from topic + story cluster.
    public var id: String
    public var kind: Kind
    public var topic: String
    public var score: Double
    public var matched: [String]
    /// The story cluster id (the id of the cluster's first story).
    public var story: String
    public var title: String
    public var link: String?
    /// Set when the story's own link was not http(s) and `link` is a fallback (or nil): why.
    public var linkNote: String?
    public var source: String
    /// Every outlet seen carrying this story so far, the first one included.
    public var outlets: [String]
    public var published: Date?
    public var fetched: Date
    public var alerted: Date
    /// For a digest: the alerts it stands for.
    public var items: [Alert]?

    public init(id: String, kind: Kind = .alert, topic: String, score: Double, matched: [String], story: String,
                title: String, link: String?, source: String, outlets: [String], published: Date?,
                fetched: Date, alerted: Date, items: [Alert]? = nil) {
        self.id = id
        self.kind = kind
        self.topic = topic
        self.score = score
        self.matched = matched
        self.story = story
        self.title = title
        self.link = link
        self.source = source
        self.outlets = outlets
        self.published = published
        self.fetched = fetched
        self.alerted = alerted
        self.items = items
    }

    private enum CodingKeys: String, CodingKey {
        case id, kind, topic, score, matched, story, title, link, source, outlets, published, fetched, alerted, items
        case linkNote = "link_note"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func date(_ k: CodingKeys) throws -> Date? { try c.decodeIfPresent(String.self, forKey: k).flatMap(RFC3339.parse) }
        id = try c.decode(String.self, forKey: .id)
        kind = try c.decodeIfPresent(Kind.self, forKey: .kind) ?? .alert
        topic = try c.decode(String.self, forKey: .topic)
        score = try c.decodeIfPresent(Double.self, forKey: .score) ?? 0
        matched = try c.decodeIfPresent([String].self, forKey: .matched) ?? []
        story = try c.decodeIfPresent(String.self, forKey: .story) ?? id
        title = try c.decodeIfPresent(String.self, forKey: .title) ?? ""
        link = try c.decodeIfPresent(String.self, forKey: .link)
        linkNote = try c.decodeIfPresent(String.self, forKey: .linkNote)
        source = try c.decodeIfPresent(String.self, forKey: .source) ?? ""
        outlets = try c.decodeIfPresent([String].self, forKey: .outlets) ?? []
        published = try date(.published)
        fetched = try date(.fetched) ?? Date(timeIntervalSince1970: 0)
        alerted = try date(.alerted) ?? Date(timeIntervalSince1970: 0)
        items = try c.decodeIfPresent([Alert].self, forKey: .items)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(kind, forKey: .kind)
        try c.encode(topic, forKey: .topic)
        try c.encode(score, forKey: .score)
        try c.encode(matched, forKey: .matched)
        try c.encode(story, forKey: .story)
        try c.encode(title, forKey: .title)
        try c.encode(link, forKey: .link)
        try c.encodeIfPresent(linkNote, forKey: .linkNote)
        try c.encode(source, forKey: .source)
        try c.encode(outlets, forKey: .outlets)
        try c.encode(published.map(RFC3339.format), forKey: .published)
        try c.encode(RFC3339.format(fetched), forKey: .fetched)
        try c.encode(RFC3339.format(alerted), forKey: .alerted)
        try c.encodeIfPresent(items, forKey: .items)
    }
}
