import Foundation

/// JSON Feed 1.0/1.1 as published (https://jsonfeed.org/version/1.1). Every field is
/// optional and loosely typed in the wild, so decoding never fails on one bad field.
struct JSONFeedDocument: Decodable, Sendable {
    struct Author: Decodable, Sendable {
        var name: String?
        var url: String?
    }

    struct Item: Decodable, Sendable {
        var id: String?
        var url: String?
        var externalURL: String?
        var title: String?
        var contentHTML: String?
        var contentText: String?
        var summary: String?
        var datePublished: String?
        var dateModified: String?
        var authors: [Author]?
        var author: Author?
        var tags: [String]?

        enum CodingKeys: String, CodingKey {
            case id, url, title, summary, authors, author, tags
            case externalURL = "external_url", contentHTML = "content_html", contentText = "content_text"
            case datePublished = "date_published", dateModified = "date_modified"
        }

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            // Ids are strings by the spec, numbers in practice. Decimal keeps the exact digits of
            // integers beyond 64 bits (38 digits), which Double would round into one id.
            if let s = try? c.decode(String.self, forKey: .id) {
                id = s
            } else if let n = try? c.decode(Int.self, forKey: .id) {
                id = String(n)
            } else if let n = try? c.decode(Decimal.self, forKey: .id), n.isFinite {
                id = n.description
            } else if let d = try? c.decode(Double.self, forKey: .id) {
                id = String(d)
            }
            url = try? c.decode(String.self, forKey: .url)
            externalURL = try? c.decode(String.self, forKey: .externalURL)
            title = try? c.decode(String.self, forKey: .title)
            contentHTML = try? c.decode(String.self, forKey: .contentHTML)
            contentText = try? c.decode(String.self, forKey: .contentText)
            summary = try? c.decode(String.self, forKey: .summary)
            datePublished = try? c.decode(String.self, forKey: .datePublished)
            dateModified = try? c.decode(String.self, forKey: .dateModified)
            authors = try? c.decode([Author].self, forKey: .authors)
            author = try? c.decode(Author.self, forKey: .author)
            tags = try? c.decode([String].self, forKey: .tags)
        }
    }

    var version: String?
    var title: String?
    var homePageURL: String?
    var language: String?
    var authors: [Author]?
    var author: Author?
    var items: [Item]?
    /// Members of `items` that are not objects (`null`, numbers…): skipped, their siblings kept.
    var skippedItems = 0
    /// Items beyond `maxItems`, not read.
    var droppedItems = 0

    /// The most items read from one feed.
    static let maxItems = 10_000

    enum CodingKeys: String, CodingKey {
        case version, title, language, authors, author, items
        case homePageURL = "home_page_url"
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        version = try? c.decode(String.self, forKey: .version)
        title = try? c.decode(String.self, forKey: .title)
        homePageURL = try? c.decode(String.self, forKey: .homePageURL)
        language = try? c.decode(String.self, forKey: .language)
        authors = try? c.decode([Author].self, forKey: .authors)
        author = try? c.decode(Author.self, forKey: .author)
        if var list = try? c.nestedUnkeyedContainer(forKey: .items) {
            var read: [Item] = []
            while !list.isAtEnd {
                if read.count >= Self.maxItems {
                    droppedItems += 1
                    _ = try? list.decode(Skipped.self)
                } else if let item = try? list.decode(Item.self) {
                    read.append(item)
                } else {
                    // A failed decode leaves the container where it was: step over the member.
                    skippedItems += 1
                    guard (try? list.decode(Skipped.self)) != nil else { break }
                }
            }
            items = read
        }
    }

    /// Any JSON value, read and thrown away.
    private struct Skipped: Decodable {
        init(from decoder: any Decoder) throws {}
    }

    /// What was skipped, for the feed's damage note.
    var damage: String? {
        var notes: [String] = []
        if skippedItems > 0 { notes.append("\(skippedItems) of items[] not an object (skipped)") }
        if droppedItems > 0 { notes.append("more than \(Self.maxItems) items (\(droppedItems) ignored)") }
        return notes.isEmpty ? nil : notes.joined(separator: "; ")
    }

    /// A JSON object is a JSON Feed when it says so, or at least carries `items`.
    var isJSONFeed: Bool {
        (version?.contains("jsonfeed.org") ?? false) || items != nil
    }
}
