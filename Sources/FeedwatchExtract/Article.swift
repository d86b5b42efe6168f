import FeedwatchModel

/// What `ArticleExtractor` reads out of an article page. Fields the page does not state are nil
/// (or empty, for `authors`).
public struct Article: Sendable, Equatable {
    /// The page's URL, as given by the caller (the extractor does not guess it).
    public var url: String?
    public var title: String?
    /// The article body as plain text: one paragraph per line.
    public var text: String
    /// RFC 3339 when the page's date could be read as a date and time; otherwise as the page wrote it.
    public var published: String?
    public var authors: [String]
    /// A language tag as the page declares it, lower-cased (`en`, `fr`, `pt-br`).
    public var language: String?

    public init(url: String? = nil, title: String? = nil, text: String, published: String? = nil,
                authors: [String] = [], language: String? = nil) {
        self.url = url
        self.title = title
        self.text = text
        self.published = published
        self.authors = authors
        self.language = language
    }

    /// `{"url","title","text","published","authors","language"}` in that order, on one line;
    /// absent fields are `null`. The order is part of the CLI's contract, so the object is
    /// written by hand rather than by an encoder that sorts or shuffles keys.
    public var json: String {
        var out = "{\"url\":" + Self.quoted(url)
        out += ",\"title\":" + Self.quoted(title)
        out += ",\"text\":" + Self.quoted(text)
        out += ",\"published\":" + Self.quoted(published)
        out += ",\"authors\":[" + authors.map { Self.quoted($0) }.joined(separator: ",") + "]"
        out += ",\"language\":" + Self.quoted(language) + "}"
        return out
    }

    static func quoted(_ s: String?) -> String {
        s.map { JSONString.quoted($0, style: .lineSeparators) } ?? "null"
    }
}
