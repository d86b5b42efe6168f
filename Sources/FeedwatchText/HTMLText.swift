import CLibXML2

/// HTML (or plain text) to readable plain text.
public enum HTMLText {
    /// Parses `html` with libxml2's forgiving HTML parser and returns its text: entities decoded,
    /// `script`/`style`/`noscript`/`template` dropped, block elements and `<br>` ending lines,
    /// runs of spaces collapsed, blank lines between paragraphs kept (one at most).
    /// Input without `<` or `&` is treated as plain text and only has its whitespace tidied.
    public static func plainText(_ html: String) -> String {
        guard html.utf8.contains(where: { $0 == 0x3C || $0 == 0x26 }) else { return tidy(html) }
        _ = LibXML.initialized
        var collector = TextCollector()
        let count = Int32(clamping: html.utf8.count)
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue
                            | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue)
        let doc: htmlDocPtr? = html.withCString { htmlReadMemory($0, count, nil, "UTF-8", options) }
        guard let doc else { return tidy(html) }
        defer { xmlFreeDoc(doc) }
        if let root = xmlDocGetRootElement(doc) { collector.walk(root) }
        return tidy(collector.text)
    }

    /// Collapses horizontal whitespace, trims lines, keeps at most one empty line in a row.
    static func tidy(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false, newlines = 0
        text.utf8.withContiguousStorageIfAvailable { tidyBytes($0, into: &out, &pendingSpace, &newlines) }
            ?? Array(text.utf8).withUnsafeBufferPointer { tidyBytes($0, into: &out, &pendingSpace, &newlines) }
        return String(decoding: out, as: UTF8.self)
    }

    private static func tidyBytes(_ b: UnsafeBufferPointer<UInt8>, into out: inout [UInt8],
                                  _ pendingSpace: inout Bool, _ newlines: inout Int) {
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            var width = 1
            var kind = 0                                           // 0 text, 1 space, 2 newline, 3 invisible
            switch c {
            case 0x0A, 0x0D: kind = 2
            case 0x09, 0x0B, 0x0C, 0x20: kind = 1
            case 0xC2 where i + 1 < n && b[i + 1] == 0xA0: kind = 1; width = 2            // U+00A0
            case 0xE2 where i + 2 < n && b[i + 1] == 0x80:
                width = 3
                switch b[i + 2] {
                case 0x80...0x8A, 0xAF: kind = 1                                          // U+2000–200A, U+202F
                case 0x8B: kind = 3                                                       // zero-width space
                case 0xA8, 0xA9: kind = 2                                                 // line/paragraph separators
                default: width = 1
                }
            case 0xE2 where i + 2 < n && b[i + 1] == 0x81 && b[i + 2] == 0x9F: kind = 1; width = 3  // U+205F
            case 0xE3 where i + 2 < n && b[i + 1] == 0x80 && b[i + 2] == 0x80: kind = 1; width = 3  // U+3000
            case 0xEF where i + 2 < n && b[i + 1] == 0xBB && b[i + 2] == 0xBF: kind = 3; width = 3  // BOM
            default: break
            }
            switch kind {
            case 1: pendingSpace = true
            case 2: pendingSpace = false; newlines += 1
            case 3: break
            default:
                if !out.isEmpty {
                    if newlines > 0 { out.append(0x0A); if newlines > 1 { out.append(0x0A) } }
                    else if pendingSpace { out.append(0x20) }
                }
                pendingSpace = false
                newlines = 0
                out.append(c)
            }
            i += width
        }
    }
}

/// libxml2 wants `xmlInitParser` once, before any concurrent use.
enum LibXML {
    static let initialized: Bool = { xmlInitParser(); return true }()
}

/// Walks a libxml2 tree appending text; blocks become paragraph breaks.
struct TextCollector {
    var text = ""

    private static let skipped: Set<String> = ["script", "style", "noscript", "template", "head", "iframe", "svg"]
    private static let blocks: Set<String> = [
        "p", "div", "section", "article", "header", "footer", "aside", "nav", "main", "blockquote",
        "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "tr",
        "pre", "figure", "figcaption", "address", "hr", "form", "fieldset", "details", "summary",
    ]

    mutating func walk(_ node: xmlNodePtr) {
        switch node.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            guard let content = node.pointee.content else { return }
            // Source line breaks inside HTML text are spaces, as a browser renders them.
            var piece = String(cString: content)
            if piece.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) {
                piece = String(piece.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
            }
            text += piece
        case XML_ELEMENT_NODE:
            let name = node.pointee.name.map { String(cString: $0) } ?? ""
            if TextCollector.skipped.contains(name) { return }
            if name == "br" { text += "\n"; return }
            let isBlock = TextCollector.blocks.contains(name)
            if isBlock { text += "\n\n" } else if name == "td" || name == "th" { text += " " }
            var child = node.pointee.children
            while let c = child {
                walk(c)
                child = c.pointee.next
            }
            if isBlock { text += "\n\n" }
        default:
            return
        }
    }
}
