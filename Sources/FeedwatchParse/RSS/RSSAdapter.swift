import FeedwatchModel

/// Builds the normalised `Feed` from an `RSSDocument`. Everything HTML is sanitized here.
enum RSSAdapter {
    /// `streamed`: entries already adapted while the document was being read.
    static func feed(_ doc: RSSDocument, streamed: [Entry] = []) -> Feed {
        let c = doc.channel
        let title = c.title.flatMap(ContentReader.rssTitle) ?? c.dcTitle.flatMap(ContentReader.rssTitle)
        let link = c.link ?? AtomLink.alternate(c.atomLinks)?.resolved
        return Feed(title: title, link: link, language: c.language ?? c.lang, entries: doc.items.isEmpty ? streamed : streamed + doc.items.map(entry))
    }

    static func entry(_ it: RSSDocument.Item) -> Entry {
        let title = it.title.flatMap(ContentReader.rssTitle) ?? it.dcTitle.flatMap(ContentReader.rssTitle)
            ?? it.mediaTitle.flatMap(ContentReader.rssTitle)
        var link = it.links.last ?? AtomLink.alternate(it.atomLinks)?.resolved
        if link == nil, it.guidIsPermaLink, let g = it.guid, g.hasPrefix("http://") || g.hasPrefix("https://") {
            link = g
        }
        let published = [it.pubDate, it.issued, it.atomPublished].lazy.compactMap { $0.flatMap(DateParser.parse) }.first
        let updated = [it.modified, it.atomUpdated, it.dcDate].lazy.compactMap { $0.flatMap(DateParser.parse) }.first

        let summaryElement = it.description ?? it.dcDescription ?? it.atomSummary ?? it.mediaDescription
        let summary = summaryElement.flatMap { e in
            ContentReader.sanitized(e.name == "atom:summary" ? ContentReader.atomHTML(e) : ContentReader.rssHTML(e),
                                    base: e.base)
        }
        var content: String?
        if let e = it.content {
            content = ContentReader.sanitized(
                e.name == "xhtml:body" ? e.innerMarkup : ContentReader.rssHTML(e), base: e.base)
        } else if let e = it.atomContent {
            content = ContentReader.sanitized(ContentReader.atomHTML(e), base: e.base)
        }
        let id = EntryIdentity.id(explicit: it.guid ?? it.atomID ?? it.about, link: link, title: title,
                                  date: published ?? updated, body: summary ?? content)
        return Entry(id: id.id, idIsDerived: id.derived, title: title, link: link, published: published, updated: updated,
                     authors: unique(it.authors.map(PersonName.clean)), categories: unique(it.categories),
                     summary: summary, content: content)
    }

    static func unique(_ xs: [String]) -> [String] {
        // Items have a few authors and categories: a linear check beats building a Set each time.
        if xs.count <= 16 {
            var out: [String] = []
            for x in xs where !out.contains(x) { out.append(x) }
            return out
        }
        var seen = Set<String>()
        return xs.filter { seen.insert($0).inserted }
    }
}
