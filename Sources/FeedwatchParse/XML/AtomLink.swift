/// An Atom `<link>` (also found inside RSS as `atom:link`).
struct AtomLink: Sendable, Equatable {
    var href: String
    var rel: String
    var type: String?
    /// The base the href is relative to (the link element's own xml:base).
    var base: String?

    init?(_ e: XMLElement) {
        // Some publishers put the URL in the element's text instead of href.
        guard let href = (e.attribute("href") ?? e.text).trimmedWhitespace as String?, !href.isEmpty else { return nil }
        self.href = href
        self.rel = (e.attribute("rel") ?? "alternate").trimmedWhitespace.lowercased()
        self.type = e.attribute("type")
        self.base = e.base
    }

    var resolved: String { URLResolver.resolve(href, against: base) }

    /// The page a feed or entry stands for: rel=alternate, preferring HTML.
    static func alternate(_ links: [AtomLink]) -> AtomLink? {
        let alts = links.filter { $0.rel == "alternate" || $0.rel.hasSuffix("/alternate") }
        return alts.first { l in l.type.map { $0.lowercased().hasSuffix("html") } ?? true } ?? alts.first
    }
}
