import CLibXML2

/// Allowlist HTML sanitizer. libxml2's HTML parser repairs the tag soup into a tree
/// (closing tags, quoting attributes, decoding entities); walking that tree and
/// writing back only allowed elements and attributes is safer than any regex.
/// No script, style, iframe or other active content, no event handlers, no
/// `javascript:`/`data:` URLs survive.
public enum HTMLSanitizer {
    /// Sanitized HTML; relative `href`/`src` are resolved against `baseURL` when given.
    public static func sanitize(_ html: String, baseURL: String?) -> String {
        if !needsParsing(html) || isAlreadyClean(html, baseURL: baseURL) { return html.trimmedWhitespace }
        var out = ""
        out.reserveCapacity(html.utf8.count)
        withBody(html) { node in
            var writer = Writer(baseURL: baseURL, out: out)
            out = ""
            writer.children(of: node, unwrapFirst: true)
            out = writer.out
        }
        return out.trimmedWhitespace
    }

    /// The text a reader sees: tags removed, entities decoded, whitespace folded.
    public static func text(fromHTML html: String) -> String {
        if !html.utf8.contains(where: { $0 == 0x3C || $0 == 0x26 }) { return fold(html) }
        var out = ""
        withBody(html) { node in
            var writer = Writer(baseURL: nil, out: "", textOnly: true)
            writer.children(of: node, unwrapFirst: true)
            out = writer.out
        }
        return fold(out)
    }

    /// Text without markup or entities is already safe HTML.
    private static func needsParsing(_ html: String) -> Bool {
        html.utf8.contains { $0 == 0x3C || $0 == 0x26 || $0 == 0x3E }
    }

    private static func fold(_ s: String) -> String {
        s.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Parses `html` as a fragment and hands the `<body>` (or the root) to `body`.
    private static func withBody(_ html: String, _ body: (xmlNodePtr) -> Void) {
        _ = LibXML2.ready
        // XML_PARSE_HUGE: without it libxml2 stops at 256 levels and drops the rest of the
        // document, every word after the deep part included; the walks below are loops.
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                            | HTML_PARSE_NONET.rawValue | XML_PARSE_HUGE.rawValue)
        // A wrapper element keeps libxml2 from wrapping leading text in an implied <p>.
        let wrapped = "<div>" + html + "</div>"
        let doc: htmlDocPtr? = wrapped.withCString { p in
            htmlReadMemory(p, Int32(strlen(p)), nil, "UTF-8", options)
        }
        guard let doc else { return }
        defer { xmlFreeDoc(doc) }
        guard let root = xmlDocGetRootElement(doc) else { return }
        var container = root
        if String(cString: root.pointee.name) == "html", let b = firstElement(root.pointee.children, named: "body") {
            container = b
        }
        body(container)
    }

    private static func firstElement(_ first: xmlNodePtr?, named: String) -> xmlNodePtr? {
        var c = first
        while let n = c {
            if n.pointee.type == XML_ELEMENT_NODE, String(cString: n.pointee.name) == named { return n }
            c = n.pointee.next
        }
        return nil
    }
}
