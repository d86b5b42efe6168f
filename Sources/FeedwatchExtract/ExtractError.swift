/// Why a page yields no article. `reason` is the one line the CLI prints after the page's name.
public enum ExtractError: Error, Equatable, Sendable {
    /// Nothing that reads as article text: an index page, a login wall, an empty document.
    case noArticle
    /// The bytes are not a page libxml2 can read at all (or corrupt gzip).
    case damaged(String)
    /// The page (decompressed) is larger than the extractor accepts.
    case tooLarge(Int)

    public var reason: String {
        switch self {
        case .noArticle: "extract: no article text found on the page"
        case .damaged(let why): "extract: unreadable page (\(why))"
        case .tooLarge(let limit): "extract: page larger than \(limit / (1024 * 1024)) MiB"
        }
    }

    /// A bounded code for logs and counters.
    public var code: String {
        switch self {
        case .noArticle: "no_article"
        case .damaged: "damaged"
        case .tooLarge: "too_large"
        }
    }
}
