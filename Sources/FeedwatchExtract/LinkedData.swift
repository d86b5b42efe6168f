import Foundation

/// The article facts in a page's JSON-LD (`<script type="application/ld+json">`): the first
/// object typed as an article (`NewsArticle`, `BlogPosting`, `ReportageNewsArticle`…), searched
/// through arrays and `@graph`. A malformed block is skipped, as browsers skip it.
struct LinkedData {
    var headline: String?
    var datePublished: String?
    var authors: [String] = []
    var inLanguage: String?
    /// The body the page states, kept only to judge the extracted text by (see `ArticleExtractor`).
    var articleBody: String?
    private var found = false

    mutating func read(_ text: String) {
        guard !found, text.utf8.count < 4_000_000 else { return }
        // Some CMSs leave raw line breaks inside JSON strings; JSON forbids them, browsers don't care.
        let cleaned = text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
            .replacingOccurrences(of: "\t", with: " ")
        guard let data = cleaned.data(using: .utf8),
              let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return }
        if let article = Self.findArticle(json, depth: 0) { take(article) }
    }

    private mutating func take(_ o: [String: Any]) {
        found = true
        headline = Self.string(o["headline"]) ?? Self.string(o["name"])
        datePublished = Self.string(o["datePublished"]) ?? Self.string(o["dateCreated"])
        inLanguage = Self.string(o["inLanguage"])
        articleBody = Self.string(o["articleBody"])
        authors = Self.names(o["author"]) + Self.names(o["creator"])
    }

    static func findArticle(_ json: Any, depth: Int) -> [String: Any]? {
        guard depth < 6 else { return nil }
        if let list = json as? [Any] {
            for item in list { if let a = findArticle(item, depth: depth + 1) { return a } }
            return nil
        }
        guard let o = json as? [String: Any] else { return nil }
        if isArticle(o["@type"]) { return o }
        if let graph = o["@graph"], let a = findArticle(graph, depth: depth + 1) { return a }
        if let main = o["mainEntity"], let a = findArticle(main, depth: depth + 1) { return a }
        return nil
    }

    static func isArticle(_ type: Any?) -> Bool {
        let types: [String] = (type as? [Any])?.compactMap { $0 as? String } ?? [(type as? String) ?? ""]
        return types.contains { t in
            let t = t.lowercased()
            return t.hasSuffix("article") || t == "blogposting" || t == "liveblogposting" || t == "report"
                || t == "posting" || t == "socialmediaposting"
        }
    }

    static func string(_ value: Any?) -> String? {
        if let s = value as? String { return s.isEmpty ? nil : s }
        if let list = value as? [Any] { return list.lazy.compactMap { string($0) }.first }
        if let o = value as? [String: Any] { return string(o["@value"]) ?? string(o["name"]) }
        return nil
    }

    static func names(_ value: Any?) -> [String] {
        if let s = value as? String { return s.contains("://") ? [] : [s] }
        if let list = value as? [Any] { return list.flatMap { names($0) } }
        if let o = value as? [String: Any], let name = string(o["name"]) { return name.contains("://") ? [] : [name] }
        return []
    }
}
