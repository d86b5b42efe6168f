/// One element of the small tree the SAX driver builds: just enough structure for
/// the format documents to read, with names canonicalised to `prefix:local`
/// (lower-cased; the prefix is feedwatch's, not the document's — see `XMLNamespaces`).
///
/// A class, unlike the pipeline's values: the tree is built once, only read
/// afterwards, and never leaves the parse; sharing nodes instead of copying
/// six-field structs halved the reference counting on big feeds.
final class XMLElement {
    /// Canonical name, e.g. `title`, `dc:creator`, `atom:link`, `content:encoded`.
    var name: String
    /// The name as written (prefix:local), for re-serialising inline markup.
    var qname: String
    var attributes: [(name: String, value: String)]
    @exclusivity(unchecked) var children: [XMLNode]
    /// The effective base URI (xml:base resolved against the parents' and the feed URL).
    var base: String?
    /// The effective xml:lang.
    var lang: String?

    init(name: XMLName, attributes: [(name: String, value: String)], base: String?, lang: String?) {
        self.name = name.name
        self.qname = name.qname
        prefix = name.prefix
        localName = name.localName
        self.attributes = attributes
        self.children = []
        self.base = base
        self.lang = lang
    }

    /// The name without feedwatch's prefix.
    let localName: Substring
    /// feedwatch's prefix ("" for RSS core elements, "atom", "dc"…).
    let prefix: Substring

    func attribute(_ key: String) -> String? {
        for a in attributes where a.name == key { return a.value }
        return nil
    }

    var elements: some Sequence<XMLElement> {
        children.lazy.compactMap { if case .element(let e) = $0 { return e } else { return nil } }
    }

    func first(_ name: String) -> XMLElement? {
        for case .element(let e) in children where e.name == name { return e }
        return nil
    }

    func all(_ name: String) -> [XMLElement] {
        var out: [XMLElement] = []
        for case .element(let e) in children where e.name == name { out.append(e) }
        return out
    }

    var hasElementChildren: Bool {
        children.contains { if case .element = $0 { return true } else { return false } }
    }

    /// The concatenated character data of this element and its descendants.
    var text: String {
        if children.count == 1, case .text(let t) = children[0] { return t }
        var s = ""
        appendText(to: &s)
        return s
    }

    private func appendText(to s: inout String) {
        for c in children {
            switch c {
            case .text(let t): s += t
            case .element(let e): e.appendText(to: &s)
            }
        }
    }

    /// Trimmed text of the element's own text children (not of nested elements).
    var trimmedTextDirect: String? {
        var s = ""
        for case .text(let t) in children { s += t }
        let t = s.trimmedWhitespace
        return t.isEmpty ? nil : t
    }

    /// Trimmed text, nil when empty.
    var trimmedText: String? {
        let t = text.trimmedWhitespace
        return t.isEmpty ? nil : t
    }
}

/// An element's or attribute's name, worked out once per distinct name of a document (feeds
/// use a few dozen) rather than once per element.
struct XMLName {
    /// Canonical: feedwatch's prefix and the lower-cased local name, e.g. `dc:creator`.
    let name: String
    /// As written (prefix:local).
    let qname: String
    let prefix: Substring
    let localName: Substring

    init(name: String, qname: String) {
        self.name = name
        self.qname = qname
        if let i = name.utf8.firstIndex(of: 0x3A) {
            prefix = name[..<i]
            localName = name[name.utf8.index(after: i)...]
        } else {
            prefix = ""
            localName = name[...]
        }
    }
}

/// A child of an element: more markup, or character data (CDATA included).
enum XMLNode {
    case element(XMLElement)
    case text(String)
}

extension String {
    /// Trims ASCII and Unicode whitespace at both ends.
    var trimmedWhitespace: String {
        // Fast path: printable ASCII at both ends needs no Unicode property lookups.
        if let f = utf8.first, let l = utf8.last, f > 0x20, f < 0x80, l > 0x20, l < 0x80 { return self }
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return self }
        if !first.properties.isWhitespace && !last.properties.isWhitespace { return self }
        let scalars = unicodeScalars
        var lo = scalars.startIndex
        var hi = scalars.endIndex
        while lo < hi, scalars[lo].properties.isWhitespace { lo = scalars.index(after: lo) }
        while hi > lo, scalars[scalars.index(before: hi)].properties.isWhitespace { hi = scalars.index(before: hi) }
        return String(scalars[lo..<hi])
    }
}
