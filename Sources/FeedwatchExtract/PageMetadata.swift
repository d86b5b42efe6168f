import CLibXML2
import FeedwatchText

/// What the page says about itself, gathered as the walker meets it and resolved by priority:
/// JSON-LD (`NewsArticle` and kin) first, then OpenGraph/`article:` and named meta tags, then
/// `<time>`, `<h1>` and `<title>`.
struct PageMetadata {
    var documentTitle: String?
    var firstHeading: String?
    private var meta: [String: String] = [:]
    private var metaAuthors: [String] = []
    private var timeValues: [String] = []
    private var itempropDate: String?
    private var htmlLanguage: String?
    private var linkedData = LinkedData()

    mutating func note(documentTitle title: String) {
        if documentTitle == nil { documentTitle = title }
    }

    mutating func note(language: String) {
        if htmlLanguage == nil { htmlLanguage = language }
    }

    mutating func note(time: String) {
        if timeValues.count < 8 { timeValues.append(time) }
    }

    mutating func note(itempropDate date: String) {
        if itempropDate == nil { itempropDate = date }
    }

    mutating func note(jsonLD text: String) {
        linkedData.read(text)
    }

    mutating func note(meta node: xmlNodePtr) {
        guard let key = (DOM.attribute(node, "property") ?? DOM.attribute(node, "name")
                         ?? DOM.attribute(node, "itemprop") ?? DOM.attribute(node, "http-equiv"))?.lowercased(),
              let content = DOM.attribute(node, "content"), !content.isEmpty else { return }
        if key == "author" || key == "article:author" || key == "dc.creator" || key == "sailthru.author"
            || key == "parsely-author" {
            if !metaAuthors.contains(content) { metaAuthors.append(content) }
        }
        if meta[key] == nil { meta[key] = content }
    }

    /// The body the page's JSON-LD states, whitespace tidied (pages rendered by script often have
    /// no other copy of it in the HTML).
    var statedBody: String? {
        guard var body = linkedData.articleBody else { return nil }
        if body.contains("<") { body = HTMLText.plainText(body) }       // some CMSs put markup there
        return PageWalker.collapse(Array(body.utf8))
    }

    var title: String? {
        let candidates = [linkedData.headline, meta["og:title"], meta["twitter:title"], firstHeading, documentTitle]
        guard let stated = candidates.lazy.compactMap({ $0.map(Self.clean) }).first(where: { !$0.isEmpty }) else { return nil }
        // "Headline | Site name": the page's own <h1> is the headline without the suffix.
        if let heading = firstHeading.map(Self.clean), heading.count >= 10, heading.count < stated.count,
           stated.hasPrefix(heading) {
            return heading
        }
        return stated
    }

    var published: String? {
        let candidates = [linkedData.datePublished, meta["article:published_time"], meta["og:article:published_time"],
                          meta["datepublished"], meta["date"], meta["dc.date.issued"], meta["dc.date"],
                          meta["pubdate"], meta["publishdate"], meta["publish-date"], meta["sailthru.date"],
                          meta["parsely-pub-date"], itempropDate] + timeValues.map(Optional.some)
        for candidate in candidates {
            if let raw = candidate.map(Self.clean), !raw.isEmpty { return PublishedDate.normalize(raw) }
        }
        return nil
    }

    var authors: [String] {
        let names = linkedData.authors.isEmpty ? metaAuthors.filter { !$0.contains("://") } : linkedData.authors
        var out: [String] = []
        for name in names.map(Self.clean) where !name.isEmpty && !out.contains(name) && name.count < 120 { out.append(name) }
        return out
    }

    var language: String? {
        let candidates = [linkedData.inLanguage, htmlLanguage, meta["content-language"], meta["og:locale"],
                          meta["language"], meta["dc.language"]]
        for candidate in candidates {
            guard var tag = candidate.map(Self.clean)?.lowercased(), !tag.isEmpty, tag.count <= 20 else { continue }
            tag = tag.replacingOccurrences(of: "_", with: "-")
            if let comma = tag.firstIndex(of: ",") { tag = String(tag[..<comma]) }
            return tag
        }
        return nil
    }

    static func clean(_ s: String) -> String {
        PageWalker.collapse(Array(s.utf8)).replacingOccurrences(of: "\n", with: " ")
    }
}
