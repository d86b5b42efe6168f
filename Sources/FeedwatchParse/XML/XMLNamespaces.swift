/// Maps namespace URIs (and, for documents that forgot to declare them, the
/// conventional prefixes) to the short prefixes the format documents match on.
/// RSS's own namespaces map to no prefix, so `<title>` is `title` in every RSS dialect.
enum XMLNamespaces {
    static func prefix(forURI uri: String) -> String {
        // Publishers drop trailing slashes and change case ("…/Podcast-1.0.DTD"); so does feedparser.
        var u = uri.trimmedWhitespace.lowercased()
        if u.hasSuffix("/") { u.removeLast() }
        switch u {
        case "http://purl.org/dc/elements/1.1", "http://purl.org/dc/elements/1.0": return "dc"
        case "http://purl.org/dc/terms": return "dcterms"
        case "http://purl.org/rss/1.0/modules/content": return "content"
        case "http://search.yahoo.com/mrss", "http://tools.search.yahoo.com/mrss":
            return "media"
        case "http://www.w3.org/2005/atom", "http://purl.org/atom/ns#": return "atom"
        case "http://www.w3.org/1999/02/22-rdf-syntax-ns#": return "rdf"
        case "http://www.w3.org/1999/xhtml": return "xhtml"
        case "http://www.itunes.com/dtds/podcast-1.0.dtd": return "itunes"
        case "http://www.w3.org/xml/1998/namespace": return "xml"
        case "http://purl.org/rss/1.0", "http://my.netscape.com/rdf/simple/0.9", "http://backend.userland.com/rss2",
             "http://backend.userland.com/rss", "http://blogs.law.harvard.edu/tech/rss", "http://purl.org/net/rss1.1#":
            return ""
        default: return "x"
        }
    }

    /// For an undeclared prefix (libxml2 reports no URI): trust the conventional meaning.
    static func prefix(forUndeclared p: String) -> String {
        switch p.lowercased() {
        case "dc", "dcterms", "content", "media", "atom", "rdf", "xhtml", "itunes", "xml": return p.lowercased()
        default: return "x"
        }
    }

    /// Atom 0.3's URI, to tell 0.3 from 1.0 where the dialect matters (content modes).
    static let atom03 = "http://purl.org/atom/ns#"
}
