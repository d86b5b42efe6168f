import CLibXML2

extension HTMLSanitizer {
    /// Elements kept (with their allowed attributes).
    static let allowedElements: Set<String> = [
        "a", "abbr", "acronym", "address", "article", "aside", "audio", "b", "bdi", "bdo", "big", "blockquote", "br",
        "caption", "center", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img", "ins", "kbd",
        "li", "mark", "ol", "p", "pre", "q", "s", "samp", "section", "small", "source", "span", "strike", "strong", "sub",
        "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul", "var", "video",
        "wbr", "font",
    ]

    /// Elements removed together with everything inside them.
    /// Everything else that is not allowed (iframe, object, svg…) is unwrapped: its
    /// text is harmless and often the fallback a publisher meant readers to see.
    static let droppedElements: Set<String> = [
        "script", "style", "template", "head", "meta", "link", "base", "param", "input", "button", "select",
    ]

    static let voidElements: Set<String> = ["br", "hr", "img", "col", "source", "wbr"]

    static let allowedAttributes: Set<String> = [
        "href", "src", "alt", "title", "width", "height", "colspan", "rowspan", "cite", "datetime", "lang", "dir",
        "start", "poster", "controls", "type", "srcset",
    ]

    static let urlAttributes: Set<String> = ["href", "src", "cite", "poster"]

    /// Writes the allowed part of a libxml2 HTML tree.
    struct Writer {
        var baseURL: String?
        var out: String
        var textOnly = false

        /// Elements deeper than this are unwrapped (their content kept, their tags dropped),
        /// so what leaves the sanitizer never nests deeper than a reader's walk can follow.
        static let maxDepth = 256

        /// `unwrapFirst`: the container's first element is the `<div>` wrapper
        /// `withBody` added; write its children, not the element.
        ///
        /// A loop over an explicit stack rather than recursion: a publisher can nest
        /// 100,000 elements, which would overflow the thread's stack.
        mutating func children(of node: xmlNodePtr, unwrapFirst: Bool = false) {
            // Each open element with what closes it ("" when its tag was not written).
            var open: [(node: xmlNodePtr, close: String)] = []
            var written = 0
            var unwrap = unwrapFirst
            var next = node.pointee.children
            while true {
                while let n = next {
                    if unwrap, n.pointee.type == XML_ELEMENT_NODE {
                        unwrap = false
                        if let child = n.pointee.children {
                            open.append((n, ""))
                            next = child
                            continue
                        }
                    } else if let close = enter(n, depth: written) {
                        if let child = n.pointee.children {
                            open.append((n, close))
                            if !close.isEmpty { written += 1 }
                            next = child
                            continue
                        }
                        out += close
                    }
                    next = n.pointee.next
                }
                guard let (n, close) = open.popLast() else { return }
                if !close.isEmpty { written -= 1 }
                out += close
                next = n.pointee.next
            }
        }

        /// Writes what opens `n` and returns what closes it once its children are written,
        /// or nil when its children are not to be written. `depth`: the tags open around it.
        private mutating func enter(_ n: xmlNodePtr, depth: Int) -> String? {
            switch n.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                guard let content = n.pointee.content else { return nil }
                let t = String(cString: content)
                out += textOnly ? t : MarkupEscaping.escapeText(t)
                return nil
            case XML_ELEMENT_NODE:
                let name = String(cString: n.pointee.name).lowercased()
                if HTMLSanitizer.droppedElements.contains(name) { return nil }
                guard HTMLSanitizer.allowedElements.contains(name) else { return "" }
                if textOnly {
                    if name == "br" || name == "p" || name == "div" || name == "li" { out += " " }
                    return ""
                }
                if depth >= Self.maxDepth { return "" }
                out += "<" + name
                writeAttributes(n, element: name)
                out += ">"
                if HTMLSanitizer.voidElements.contains(name) { return nil }
                return "</" + name + ">"
            default:
                return nil
            }
        }

        private mutating func writeAttributes(_ n: xmlNodePtr, element: String) {
            var a = n.pointee.properties
            while let attr = a {
                defer { a = attr.pointee.next }
                let name = String(cString: attr.pointee.name).lowercased()
                guard HTMLSanitizer.allowedAttributes.contains(name) else { continue }
                guard let raw = xmlNodeListGetString(n.pointee.doc, attr.pointee.children, 1) else { continue }
                var value = String(cString: raw)
                fw_xmlFree(raw)
                if HTMLSanitizer.urlAttributes.contains(name) {
                    guard let safe = HTMLSanitizer.safeURL(value, baseURL: baseURL) else { continue }
                    value = safe
                } else if name == "srcset" {
                    if value.lowercased().contains("javascript:") || value.lowercased().contains("data:") { continue }
                }
                out += " " + name + "=\"" + MarkupEscaping.escapeAttribute(value) + "\""
            }
        }
    }

    /// nil for script-bearing URLs; relative ones are resolved when a base is known.
    static func safeURL(_ value: String, baseURL: String?) -> String? {
        let trimmed = value.trimmedWhitespace
        // Browsers ignore whitespace and control characters inside the scheme.
        let scheme = String(trimmed.unicodeScalars.filter { $0.value > 0x20 }.prefix(16)).lowercased()
        for bad in ["javascript:", "vbscript:", "data:", "livescript:"] where scheme.hasPrefix(bad) { return nil }
        return URLResolver.resolve(trimmed, against: baseURL)
    }
}
