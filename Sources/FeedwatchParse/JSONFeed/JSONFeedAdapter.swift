import FeedwatchModel

/// Builds the normalised `Feed` from a `JSONFeedDocument`. Items without authors
/// inherit the feed's (JSON Feed 1.1 §authors).
enum JSONFeedAdapter {
    static func feed(_ doc: JSONFeedDocument, baseURL: String?) -> Feed {
        let feedAuthors = names(doc.authors, doc.author)
        let entries = (doc.items ?? []).map { entry($0, feedAuthors: feedAuthors, baseURL: baseURL) }
        return Feed(title: doc.title?.trimmedWhitespace, link: doc.homePageURL.map { URLResolver.resolve($0, against: baseURL) },
                    language: doc.language, entries: entries)
    }

    static func entry(_ it: JSONFeedDocument.Item, feedAuthors: [String], baseURL: String?) -> Entry {
        let link = (it.url ?? it.externalURL).map { URLResolver.resolve($0.trimmedWhitespace, against: baseURL) }
        let published = it.datePublished.flatMap(DateParser.parse)
        let updated = it.dateModified.flatMap(DateParser.parse)
        let content = ContentReader.sanitized(it.contentHTML ?? it.contentText.map(MarkupEscaping.escapeText),
                                              base: baseURL)
        let summary = it.summary.flatMap { ContentReader.sanitized(MarkupEscaping.escapeText($0), base: baseURL) }
        let title = it.title?.trimmedWhitespace
        let authors = names(it.authors, it.author)
        let id = EntryIdentity.id(explicit: it.id, link: link, title: title, date: published ?? updated,
                                  body: summary ?? content)
        return Entry(id: id, title: title?.isEmpty == true ? nil : title, link: link, published: published,
                     updated: updated, authors: authors.isEmpty ? feedAuthors : authors,
                     categories: RSSAdapter.unique(it.tags ?? []), summary: summary, content: content)
    }

    private static func names(_ list: [JSONFeedDocument.Author]?, _ single: JSONFeedDocument.Author?) -> [String] {
        let all = (list ?? []) + (single.map { [$0] } ?? [])
        return RSSAdapter.unique(all.compactMap { $0.name?.trimmedWhitespace }.filter { !$0.isEmpty })
    }
}
