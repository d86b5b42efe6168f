import Foundation

/// One alert: a story that matched a watched topic, or a digest of the
/// alerts a flood-control bucket held back, or an update of an alert: the same id again, with the
/// outlets and reports seen since. Its JSON form is one line of the alert log and the webhook body,
/// read by `feedwatch tail` and by other tools (which upsert by `id`).
public struct Alert: Sendable, Equatable, Codable {
    /// `alert`: raised once per (topic, story); `update`: the same alert again, its coverage grown;
    /// `digest`: alerts flood control held back.
    public enum Kind: String, Sendable, Codable { case alert, digest, update }

    /// One report of the story: the outlet that carried it, its link and headline.
    public struct Report: Sendable, Equatable, Codable {
        public var outlet: String
        public var link: String?
        public var title: String?

        public init(outlet: String, link: String?, title: String?) {
            self.outlet = outlet
            self.link = link
            self.title = title
        }
    }

    /// Reports an alert lists at most: a story reprinted by hundreds of feeds keeps a bounded line
    /// (`report_count` still counts them all).
    public static let maxReports = 100

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
    /// Every report seen so far (the first included, at most `maxReports`), in arrival order; nil for a digest.
    public var reports: [Report]?
    /// Reports seen so far, including any beyond `maxReports`.
    public var reportCount: Int?
    /// For an update: 1 for the first update of this alert, then 2…
    public var update: Int?
    /// For an update: when it was queued (`alerted` stays the alert's own time).
    public var updated: Date?
    /// The text the story was classified and fingerprinted on: `feed` (the entry's own text) or
    /// `page` (the article page behind its link, see `full_text`). Nil for digests and health alerts.
    public var textSource: String?
    /// Why the page was not used when it was wanted (`page 403`, `page timeout`, `robots.txt`…).
    public var textNote: String?

    /// The message id of this delivery (the webhook's `webhook-id`, the outbox key): the alert id for
    /// the alert itself, one per update, so receivers that drop re-deliveries keep updates.
    public var deliveryID: String {
        guard kind == .update, let update else { return id }
        return "\(id)-u\(update)"
    }

    public init(id: String, kind: Kind = .alert, topic: String, score: Double, matched: [String], story: String,
                title: String, link: String?, source: String, outlets: [String], published: Date?,
                fetched: Date, alerted: Date, items: [Alert]? = nil, reports: [Report]? = nil,
                reportCount: Int? = nil, update: Int? = nil, updated: Date? = nil) {
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
        self.reports = reports
        self.reportCount = reportCount
        self.update = update
        self.updated = updated
    }

    private enum CodingKeys: String, CodingKey {
        case id, kind, topic, score, matched, story, title, link, source, outlets, published, fetched, alerted, items
        case reports, update, updated
        case outletCount = "outlet_count", reportCount = "report_count"
        case linkNote = "link_note"
        case textSource = "text_source", textNote = "text_note"
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
        reports = try c.decodeIfPresent([Report].self, forKey: .reports)
        reportCount = try c.decodeIfPresent(Int.self, forKey: .reportCount) ?? reports?.count
        update = try c.decodeIfPresent(Int.self, forKey: .update)
        updated = try date(.updated)
        textSource = try c.decodeIfPresent(String.self, forKey: .textSource)
        textNote = try c.decodeIfPresent(String.self, forKey: .textNote)
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
        if let reports {
            try c.encode(reports, forKey: .reports)
            try c.encode(reportCount ?? reports.count, forKey: .reportCount)
            // Derived, for receivers that only want the number.
            try c.encode(outlets.count, forKey: .outletCount)
        }
        try c.encodeIfPresent(update, forKey: .update)
        try c.encodeIfPresent(updated.map(RFC3339.format), forKey: .updated)
        try c.encodeIfPresent(textSource, forKey: .textSource)
        try c.encodeIfPresent(textNote, forKey: .textNote)
    }
}
