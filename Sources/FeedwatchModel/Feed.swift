import Foundation

/// A parsed feed, normalised across RSS, RDF, Atom and JSON Feed.
///
/// Its JSON form is what `feedwatch parse` prints; other tools read it, so the
/// keys and their null-ness are a contract.
public struct Feed: Sendable, Equatable, Codable {
    public var title: String?
    public var link: String?
    public var language: String?
    public var entries: [Entry]

    public init(title: String? = nil, link: String? = nil, language: String? = nil, entries: [Entry] = []) {
        self.title = title
        self.link = link
        self.language = language
        self.entries = entries
    }

    private enum CodingKeys: String, CodingKey { case title, link, language, entries }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(title, forKey: .title)
        try c.encode(link, forKey: .link)
        try c.encode(language, forKey: .language)
        try c.encode(entries, forKey: .entries)
    }
}
