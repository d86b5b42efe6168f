import FeedwatchModel

/// Builds the normalised `Feed` from an `AtomDocument`.
enum AtomAdapter {
    /// `streamed`: entries already adapted while the document was being read.
    static func feed(_ doc: AtomDocument, streamed: [Entry] = []) -> Feed {
        var link = AtomLink.alternate(doc.links)?.resolved
        // With no alternate link, an http(s) id is the best guess at the site (as feedparser does).
        if link == nil, let id = doc.id, id.hasPrefix("http://") || id.hasPrefix("https://") { link = id }
        let entries = streamed + doc.entries.map { entry($0) }
        return Feed(title: doc.title.flatMap(ContentReader.atomTitle), link: link, language: doc.language,
                    entries: entries)
    }

    static func entry(_ en: AtomDocument.Entry) -> Entry {
        let title = en.title.flatMap(ContentReader.atomTitle) ?? en.mediaTitle.flatMap(ContentReader.rssTitle)
        let link = AtomLink.alternate(en.links)?.resolved
        let published = en.published.flatMap(DateParser.parse)
        let updated = en.updated.flatMap(DateParser.parse)
        let summary = en.summary.flatMap { ContentReader.sanitized(ContentReader.atomHTML($0), base: $0.base) }
            ?? en.mediaDescription.flatMap { ContentReader.sanitized(ContentReader.rssHTML($0), base: $0.base) }
        let content = en.content.flatMap { ContentReader.sanitized(ContentReader.atomHTML($0), base: $0.base) }
        let created = en.created.flatMap(DateParser.parse)
        let id = EntryIdentity.id(explicit: en.id, link: link, title: title, date: published ?? updated ?? created,
                                  body: summary ?? content)
        return Entry(id: id, title: title, link: link, published: published ?? (updated == nil ? created : nil),
                     updated: updated, authors: RSSAdapter.unique(en.authors),
                     categories: RSSAdapter.unique(en.categories), summary: summary, content: content)
    }
}
