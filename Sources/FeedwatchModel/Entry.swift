import Foundation

/// One item of a feed. `summary` and `content` hold sanitised HTML.
public struct Entry: Sendable, Equatable, Codable {
    /// guid/id, else link, else a stable hash of title and date: re-polls never re-alert.
    public var id: String
    public var title: String?
    public var link: String?
    public var published: Date?
    public var updated: Date?
    public var authors: [String]
    public var categories: [String]
    public var summary: String?
    public var content: String?

    public init(id: String, title: String? = nil, link: String? = nil, published: Date? = nil,
                updated: Date? = nil, authors: [String] = [], categories: [String] = [],
                summary: String? = nil, content: String? = nil) {
        self.id = id
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
        id = try c.decode(String.self, forKey: .id)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        link = try c.decodeIfPresent(String.self, forKey: .link)
        published = try c.decodeIfPresent(String.self, forKey: .published).flatMap(RFC3339.parse)
        updated = try c.decodeIfPresent(String.self, forKey: .updated).flatMap(RFC3339.parse)
        authors = try c.decodeIfPresent([String].self, forKey: .authors) ?? []
        categories = try c.decodeIfPresent([String].self, forKey: .categories) ?? []
        summary = try c.decodeIfPresent(String.self, forKey: .summary)
        content = try c.decodeIfPresent(String.self, forKey: .content)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
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
