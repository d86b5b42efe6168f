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
        guard let s else { return "null" }
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
