import CLibXML2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        // XML_PARSE_HUGE: without it libxml2 drops everything after 256 levels of nesting.
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue
                            | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue | XML_PARSE_HUGE.rawValue)
        let doc: htmlDocPtr? = html.withCString { htmlReadMemory($0, count, nil, "UTF-8", options) }
        guard let doc else { return tidy(html) }
        defer { xmlFreeDoc(doc) }
        if let root = xmlDocGetRootElement(doc) { collector.walk(root) }
        return collector.text.withUnsafeBufferPointer(tidy)
    }

    /// Collapses horizontal whitespace, trims lines, keeps at most one empty line in a row.
    static func tidy(_ text: String) -> String {
        var text = text
        return text.withUTF8(tidy)
    }

    /// `tidy` of valid UTF-8.
    static func tidy(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var pendingSpace = false, newlines = 0
        tidyBytes(bytes, into: &out, &pendingSpace, &newlines)
        return String(decoding: out, as: UTF8.self)
    }

    private static func tidyBytes(_ b: UnsafeBufferPointer<UInt8>, into out: inout [UInt8],
                                  _ pendingSpace: inout Bool, _ newlines: inout Int) {
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c > 0x20 && c < 0x7F {
                // A run of visible ASCII: separators before it, then the run in one copy.
                var j = i + 1
                while j < n && b[j] > 0x20 && b[j] < 0x7F { j += 1 }
                if !out.isEmpty {
                    if newlines > 0 { out.append(0x0A); if newlines > 1 { out.append(0x0A) } }
                    else if pendingSpace { out.append(0x20) }
                }
                pendingSpace = false
                newlines = 0
                out.append(contentsOf: UnsafeBufferPointer(rebasing: b[i..<j]))
                i = j
                continue
            }
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
    /// UTF-8: built as bytes, without a String per text node or per element name.
    var text: [UInt8] = []

    private static let skipped: [String] = ["script", "style", "noscript", "template", "head", "iframe", "svg"]
    private static let blocks: [String] = [
        "p", "div", "section", "article", "header", "footer", "aside", "nav", "main", "blockquote",
        "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "tr",
        "pre", "figure", "figcaption", "address", "hr", "form", "fieldset", "details", "summary",
    ]
    /// What an element does to the text, by its name's bytes.
    private enum Role { case skipped, lineBreak, block, cell, inline }
    /// Names with a role, by length (the longest has 10 bytes).
    private static let roles: [[(name: [UInt8], role: Role)]] = {
        var roles = [[(name: [UInt8], role: Role)]](repeating: [], count: 11)
        func add(_ name: String, _ role: Role) { roles[name.utf8.count].append((Array(name.utf8), role)) }
        for name in blocks { add(name, .block) }
        for name in skipped { add(name, .skipped) }
        add("br", .lineBreak)
        add("td", .cell)
        add("th", .cell)
        return roles
    }()

    /// Walks the tree with an explicit stack, not recursion: a publisher can nest 100,000
    /// elements, which would overflow the thread's stack.
    mutating func walk(_ root: xmlNodePtr) {
        var open: [(node: xmlNodePtr, block: Bool)] = []
        var next: xmlNodePtr? = root
        while true {
            while let node = next {
                if let (child, block) = enter(node) {
                    open.append((node, block))
                    next = child
                    continue
                }
                // The root's siblings are not part of the walk.
                if open.isEmpty { return }
                next = node.pointee.next
            }
            guard let (node, block) = open.popLast() else { return }
            if block { text.append(0x0A); text.append(0x0A) }
            if open.isEmpty { return }
            next = node.pointee.next
        }
    }

    /// Writes what opens `node`; its first child (and whether it is a block) when the walk goes into it.
    private mutating func enter(_ node: xmlNodePtr) -> (xmlNodePtr, Bool)? {
        switch node.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            if let content = node.pointee.content { appendText(content) }
            return nil
        case XML_ELEMENT_NODE:
            let role = node.pointee.name.map(Self.role) ?? .inline
            switch role {
            case .skipped: return nil
            case .lineBreak: text.append(0x0A); return nil
            case .block: text.append(0x0A); text.append(0x0A)
            case .cell: text.append(0x20)
            case .inline: break
            }
            guard let child = node.pointee.children else {
                if role == .block { text.append(0x0A); text.append(0x0A) }
                return nil
            }
            return (child, role == .block)
        default:
            return nil
        }
    }

    private static func role(_ name: UnsafePointer<xmlChar>) -> Role {
        let length = strlen(UnsafeRawPointer(name).assumingMemoryBound(to: CChar.self))
        guard length < roles.count else { return .inline }
        let bytes = UnsafeBufferPointer(start: name, count: length)
        for candidate in roles[length] where candidate.name.elementsEqual(bytes) { return candidate.role }
        return .inline
    }

    /// Appends a text node's content; source line breaks inside HTML text are spaces, as a
    /// browser renders them (CR LF is one break).
    private mutating func appendText(_ content: UnsafePointer<xmlChar>) {
        let bytes = UnsafeBufferPointer(start: content, count: strlen(UnsafeRawPointer(content).assumingMemoryBound(to: CChar.self)))
        var ascii = true
        for b in bytes where b >= 0x80 { ascii = false; break }
        guard ascii else {
            // Non-ASCII goes through String, which repairs any invalid UTF-8 as before.
            var piece = String(cString: content)
            piece.withUTF8 { appendBreaksAsSpaces($0) }
            return
        }
        appendBreaksAsSpaces(bytes)
    }

    private mutating func appendBreaksAsSpaces(_ bytes: UnsafeBufferPointer<UInt8>) {
        var i = 0
        while i < bytes.count {
            var j = i
            while j < bytes.count && bytes[j] != 0x0A && bytes[j] != 0x0D { j += 1 }
            text.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<j]))      // a run without breaks
            guard j < bytes.count else { return }
            text.append(0x20)
            i = bytes[j] == 0x0D && j + 1 < bytes.count && bytes[j + 1] == 0x0A ? j + 2 : j + 1
        }
    }
}
