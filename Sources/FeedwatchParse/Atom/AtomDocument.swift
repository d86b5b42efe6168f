/// Atom 1.0 and 0.3, decoded close to the XML's own shape. Core elements are
/// matched with or without the Atom namespace (undeclared-namespace feeds exist).
struct AtomDocument {
    struct Entry {
        var id: String?
        var title: XMLElement?
        var links: [AtomLink] = []
        var published: String?
        var updated: String?
        var created: String?
        var authors: [String] = []
        var categories: [String] = []
        var summary: XMLElement?
        var content: XMLElement?
        var mediaTitle: XMLElement?
        var mediaDescription: XMLElement?
    }

    var title: XMLElement?
    var links: [AtomLink] = []
    var language: String?
    var authors: [String] = []
    var entries: [Entry] = []
    var id: String?

    init(_ root: XMLElement) {
        language = root.lang
        // A feed in an unknown namespace (a typo'd Atom URI) keeps its children in it too.
        let own = root.prefix
        for e in root.elements {
            switch Self.core(e, own: own) {
            case "id": if id == nil { id = e.trimmedText }
            case "title": if title == nil { title = e }
            case "link": if let l = AtomLink(e) { links.append(l) }
            case "author": if let a = Self.person(e) { authors.append(a) }
            case "entry": entries.append(Self.entry(e, own: own))
            default:
                if e.name == "dc:language", language == nil { language = e.trimmedText }
            }
        }
    }

    /// The Atom local name, or "" for foreign elements.
    static func core(_ e: XMLElement, own: Substring = "atom") -> Substring {
        let p = e.prefix
        return p.isEmpty || p == "atom" || p == own ? e.localName : ""
    }

    static func person(_ e: XMLElement) -> String? {
        var name: String?, email: String?
        for c in e.elements {
            switch core(c) {
            case "name": name = c.trimmedText
            case "email": email = c.trimmedText
            default: break
            }
        }
        if name == nil, email == nil, !e.hasElementChildren { return e.trimmedText }
        return name ?? email
    }

    static func entry(_ x: XMLElement, own: Substring) -> Entry {
        var en = Entry()
        for e in x.elements {
            switch core(e, own: own) {
            case "id":
                // Relative ids are resolved like links (xml:base applies to them too).
                if en.id == nil, let t = e.trimmedText {
                    en.id = t.utf8.contains(0x3A) ? t : URLResolver.resolve(t, against: e.base)
                }
            case "title": if en.title == nil { en.title = e }
            case "link": if let l = AtomLink(e) { en.links.append(l) }
            case "published", "issued": if en.published == nil { en.published = e.trimmedText }
            case "updated", "modified": if en.updated == nil { en.updated = e.trimmedText }
            case "created": if en.created == nil { en.created = e.trimmedText }
            case "author": if let a = person(e) { en.authors.append(a) }
            case "category":
                if let t = (e.attribute("term") ?? e.attribute("label"))?.trimmedWhitespace, !t.isEmpty {
                    en.categories.append(t)
                } else if let t = e.trimmedText {
                    en.categories.append(t)
                }
            case "summary": if en.summary == nil { en.summary = e }
            case "content": if en.content == nil { en.content = e }
            default:
                switch e.name {
                case "dc:subject": if let t = e.trimmedText { en.categories.append(t) }
                case "media:title": if en.mediaTitle == nil { en.mediaTitle = e }
                case "media:description": if en.mediaDescription == nil { en.mediaDescription = e }
                case "media:group":
                    if en.mediaTitle == nil { en.mediaTitle = e.first("media:title") }
                    if en.mediaDescription == nil { en.mediaDescription = e.first("media:description") }
                case "dc:creator": if let t = e.trimmedText { en.authors.append(t) }
                case "dc:date": if en.updated == nil { en.updated = e.trimmedText }
                case "dcterms:issued": if en.published == nil { en.published = e.trimmedText }
                case "dcterms:modified": if en.updated == nil { en.updated = e.trimmedText }
                default: break
                }
            }
        }
        return en
    }
}
