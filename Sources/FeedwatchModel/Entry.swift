import Foundation

/// One item of a feed. `summary` and `content` hold sanitised HTML.
public struct Entry: Sendable, Equatable, Codable {
    /// guid/id, else link, else a stable hash of title and date: re-polls never re-alert.
    public var id: String
    /// True when the feed gave no guid/id and `id` was derived from the link or a hash.
    /// The JSON contract then prints `"id": null`, as feedparser does, so tools can
    /// tell a publisher's identifier from feedwatch's own key.
    public var idIsDerived: Bool
    public var title: String?
    public var link: String?
    public var published: Date?
    public var updated: Date?
    public var authors: [String]
    public var categories: [String]
    public var summary: String?
    public var content: String?

    public init(id: String, idIsDerived: Bool = false, title: String? = nil, link: String? = nil, published: Date? = nil,
                updated: Date? = nil, authors: [String] = [], categories: [String] = [],
                summary: String? = nil, content: String? = nil) {
        self.id = id
        self.idIsDerived = idIsDerived
        self.title = title
        self.link = link
        self.published = published
        self.updated = updated
        self.authors = authors
        self.categories = categories
        self.summary = summary
        self.content = content
    }

    private enum CodingKeys: String, CodingKey {
        case id, title, link, published, updated, authors, categories, summary, content
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        link = try c.decodeIfPresent(String.self, forKey: .link)
        let explicit = try c.decodeIfPresent(String.self, forKey: .id)
        id = explicit ?? link ?? ""
        idIsDerived = explicit == nil
        published = try c.decodeIfPresent(String.self, forKey: .published).flatMap(RFC3339.parse)
        updated = try c.decodeIfPresent(String.self, forKey: .updated).flatMap(RFC3339.parse)
        authors = try c.decodeIfPresent([String].self, forKey: .authors) ?? []
        categories = try c.decodeIfPresent([String].self, forKey: .categories) ?? []
        summary = try c.decodeIfPresent(String.self, forKey: .summary)
        content = try c.decodeIfPresent(String.self, forKey: .content)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(idIsDerived ? nil : id, forKey: .id)
        try c.encode(title, forKey: .title)
        try c.encode(link, forKey: .link)
        try c.encode(published.map(RFC3339.format), forKey: .published)
        try c.encode(updated.map(RFC3339.format), forKey: .updated)
        try c.encode(authors, forKey: .authors)
        try c.encode(categories, forKey: .categories)
        try c.encode(summary, forKey: .summary)
        try c.encode(content, forKey: .content)
    }
}
