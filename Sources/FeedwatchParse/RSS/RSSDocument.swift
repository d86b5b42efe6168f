/// RSS 0.9x/2.0 and RSS 1.0 (RDF), decoded close to the XML's own shape.
/// Text constructs stay elements: the adapter decides how to read them.
struct RSSDocument {
    struct Channel {
        var title: XMLElement?
        var dcTitle: XMLElement?
        var link: String?
        var atomLinks: [AtomLink] = []
        var language: String?
        var ttl: Int?
        /// xml:lang on the channel or the root: a language fallback.
        var lang: String?
    }

    struct Item {
        var about: String?
        var title: XMLElement?
        var dcTitle: XMLElement?
        var links: [String] = []
        var atomLinks: [AtomLink] = []
        var guid: String?
        var guidIsPermaLink = true
        var pubDate: String?
        var dcDate: String?
        var issued: String?
        var modified: String?
        var atomPublished: String?
        var atomUpdated: String?
        var authors: [String] = []
        var categories: [String] = []
        var description: XMLElement?
        var dcDescription: XMLElement?
        var content: XMLElement?
        var atomContent: XMLElement?
        var atomSummary: XMLElement?
        var mediaDescription: XMLElement?
        var mediaTitle: XMLElement?
        var atomID: String?
    }

    var channel: Channel
    var items: [Item]

    /// `<rss><channel>…<item>…` (items are also accepted beside the channel, as RSS 0.9x had them).
    init(rss root: XMLElement) {
        var items: [Item] = []
        var channel = Channel()
        let channelElement = root.name == "channel" ? root : root.first("channel")
        if let c = channelElement {
            channel = Self.channel(c, rootLang: root.lang)
            for e in c.elements where e.name == "item" { items.append(Self.item(e)) }
        }
        if root.name != "channel" {
            for e in root.elements where e.name == "item" { items.append(Self.item(e)) }
        }
        self.channel = channel
        self.items = items
    }

    /// `<rdf:RDF><channel/>…<item/>…`: RSS 1.0 and 0.90 put items beside the channel.
    init(rdf root: XMLElement) {
        let c = root.first("channel")
        channel = c.map { Self.channel($0, rootLang: root.lang) } ?? Channel()
        var items: [Item] = []
        for e in root.elements where e.name == "item" { items.append(Self.item(e)) }
        if items.isEmpty, let c {
            for e in c.elements where e.name == "item" { items.append(Self.item(e)) }
        }
        self.items = items
    }

    private static func channel(_ c: XMLElement, rootLang: String?) -> Channel {
        var ch = Channel()
        ch.lang = c.lang ?? rootLang
        for e in c.elements {
            switch e.name {
            case "title": if ch.title == nil { ch.title = e }
            case "dc:title": if ch.dcTitle == nil { ch.dcTitle = e }
            case "link":
                // The last wins, as in feedparser; Atom-style rel="self" links are not the site.
                if let l = linkValue(e) { ch.link = l }
            case "atom:link": if let l = AtomLink(e) { ch.atomLinks.append(l) }
            case "language", "dc:language":
                if ch.language == nil { ch.language = e.trimmedText }
            case "ttl": ch.ttl = e.trimmedText.flatMap { Int($0) }
            default: break
            }
        }
        return ch
    }

    /// A `<link>`'s URL: its text, or an `href` some publishers use instead.
    private static func linkValue(_ e: XMLElement) -> String? {
        if let rel = e.attribute("rel")?.lowercased(), rel != "alternate" { return nil }
        guard let raw = e.trimmedText ?? e.attribute("href")?.trimmedWhitespace, !raw.isEmpty else { return nil }
        return URLResolver.resolve(raw, against: e.base)
    }

    static func item(_ i: XMLElement) -> Item {
        var it = Item()
        it.about = i.attribute("rdf:about")
        for e in i.elements {
            switch e.name {
            case "title": if it.title == nil { it.title = e }
            case "dc:title": if it.dcTitle == nil { it.dcTitle = e }
            case "link": if let l = linkValue(e) { it.links.append(l) }
            case "atom:link": if let l = AtomLink(e) { it.atomLinks.append(l) }
            case "id", "atom:id": if it.atomID == nil { it.atomID = e.trimmedText }
            case "updated": if it.atomUpdated == nil { it.atomUpdated = e.trimmedText }
            case "published": if it.atomPublished == nil { it.atomPublished = e.trimmedText }
            case "summary": if it.atomSummary == nil { it.atomSummary = e }
            case "body", "fullitem": if it.content == nil { it.content = e }
            case "media:title": if it.mediaTitle == nil { it.mediaTitle = e }
            case "media:category", "itunes:category":
                if let c = (e.trimmedTextDirect ?? e.attribute("text")?.trimmedWhitespace ?? e.attribute("label")), !c.isEmpty {
                    it.categories.append(c)
                }
                for sub in e.all("itunes:category") {
                    if let t = sub.attribute("text")?.trimmedWhitespace, !t.isEmpty { it.categories.append(t) }
                }
            case "guid":
                if it.guid == nil {
                    it.guid = e.trimmedText
                    it.guidIsPermaLink = (e.attribute("ispermalink") ?? "true").trimmedWhitespace.lowercased() != "false"
                }
            case "pubdate": if it.pubDate == nil { it.pubDate = e.trimmedText }
            case "dc:date": if it.dcDate == nil { it.dcDate = e.trimmedText }
            case "dcterms:issued": if it.issued == nil { it.issued = e.trimmedText }
            case "dcterms:modified": if it.modified == nil { it.modified = e.trimmedText }
            case "atom:published", "atom:issued": if it.atomPublished == nil { it.atomPublished = e.trimmedText }
            case "atom:updated", "atom:modified": if it.atomUpdated == nil { it.atomUpdated = e.trimmedText }
            case "author", "dc:creator", "itunes:author", "dc:author":
                if let a = (e.first("name") ?? e.first("atom:name"))?.trimmedText ?? e.trimmedText { it.authors.append(a) }
            case "atom:author":
                if let a = e.first("atom:name")?.trimmedText ?? e.first("atom:email")?.trimmedText { it.authors.append(a) }
            case "category", "dc:subject":
                if let c = e.trimmedTextDirect { it.categories.append(c) }
            case "atom:category":
                if let t = (e.attribute("term") ?? e.attribute("label"))?.trimmedWhitespace, !t.isEmpty {
                    it.categories.append(t)
                }
            case "media:keywords", "itunes:keywords":
                if let k = e.trimmedText {
                    it.categories += k.split(separator: ",").map { String($0).trimmedWhitespace }.filter { !$0.isEmpty }
                }
            case "description": if it.description == nil { it.description = e }
            case "dc:description", "itunes:summary": if it.dcDescription == nil { it.dcDescription = e }
            case "content:encoded": if it.content == nil { it.content = e }
            case "xhtml:body": if it.content == nil { it.content = e }
            case "atom:content": if it.atomContent == nil { it.atomContent = e }
            case "atom:summary": if it.atomSummary == nil { it.atomSummary = e }
            case "media:description": if it.mediaDescription == nil { it.mediaDescription = e }
            case "media:group":
                if it.mediaDescription == nil { it.mediaDescription = e.first("media:description") }
                if it.mediaTitle == nil { it.mediaTitle = e.first("media:title") }
            default: break
            }
        }
        return it
    }
}
