import Foundation

/// The unit dedup and classification work on: one line of their JSON Lines input.
///
/// `summary` and `content` may hold HTML; the text stage derives plain text.
public struct Story: Sendable, Equatable, Codable {
    public var id: String
    public var title: String
    public var summary: String?
    public var content: String?
    public var link: String?
    public var source: String?
    public var language: String?
    public var published: Date?

    public init(id: String, title: String, summary: String? = nil, content: String? = nil,
                link: String? = nil, source: String? = nil, language: String? = nil, published: Date? = nil) {
        self.id = id
        self.title = title
        self.summary = summary
        self.content = content
        self.link = link
        self.source = source
        self.language = language
        self.published = published
    }

    private enum CodingKeys: String, CodingKey { case id, title, summary, content, link, source, language, published }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        title = try c.decodeIfPresent(String.self, forKey: .title) ?? ""
        summary = try c.decodeIfPresent(String.self, forKey: .summary)
        content = try c.decodeIfPresent(String.self, forKey: .content)
        link = try c.decodeIfPresent(String.self, forKey: .link)
        source = try c.decodeIfPresent(String.self, forKey: .source)
        language = try c.decodeIfPresent(String.self, forKey: .language)
        published = try c.decodeIfPresent(String.self, forKey: .published).flatMap(RFC3339.parse)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(title, forKey: .title)
        try c.encode(summary, forKey: .summary)
        try c.encode(content, forKey: .content)
        try c.encode(link, forKey: .link)
        try c.encode(source, forKey: .source)
        try c.encode(language, forKey: .language)
        try c.encodeIfPresent(published.map(RFC3339.format), forKey: .published)
    }
}
