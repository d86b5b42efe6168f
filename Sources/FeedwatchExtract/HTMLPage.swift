import CLibXML2

/// Owns one libxml2 HTML document (freed in `deinit`). libxml2's HTML parser is forgiving: tag
/// soup, unclosed elements and stray bytes give a tree, never a failure.
final class HTMLPage {
    let doc: htmlDocPtr

    /// Parses `bytes` in `encoding` (see `CharsetSniffer`); nil only when libxml2 produced no tree.
    init?(_ bytes: UnsafeBufferPointer<UInt8>, encoding: String) {
        _ = Self.initialized
        var options = HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue
        // The encoding was already chosen from the header, the meta tag or the bytes; libxml2's
        // own switch on a later <meta> would decode the first part twice.
        options |= HTML_PARSE_IGNORE_ENC.rawValue
        guard let base = bytes.baseAddress, bytes.count > 0 else { return nil }
        let count = Int32(clamping: bytes.count)
        let parsed = base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
            htmlReadMemory($0, count, nil, encoding, Int32(options))
        }
        guard let parsed else { return nil }
        doc = parsed
    }

    deinit { xmlFreeDoc(doc) }

    var root: xmlNodePtr? { xmlDocGetRootElement(doc) }

    /// libxml2 wants `xmlInitParser` once, before any concurrent use.
    private static let initialized: Bool = { xmlInitParser(); return true }()
}

/// Read access to libxml2 nodes without copying more than asked for.
enum DOM {
    /// The element's name (libxml2's HTML parser lower-cases it).
    static func name(_ node: xmlNodePtr) -> String {
        guard let name = node.pointee.name else { return "" }
        return String(cString: name)
    }

    /// The value of attribute `attribute` (lower-case name), entities decoded; nil when absent.
    static func attribute(_ node: xmlNodePtr, _ attribute: String) -> String? {
        var attr = node.pointee.properties
        while let a = attr {
            if let n = a.pointee.name, strcmpBytes(n, attribute) {
                guard let value = xmlNodeListGetString(node.pointee.doc, a.pointee.children, 1) else { return "" }
                defer { fw_xmlFree(value) }
                return String(cString: value)
            }
            attr = a.pointee.next
        }
        return nil
    }

    /// Whether the element has any attributes at all (most have none: skip the lookups).
    static func hasAttributes(_ node: xmlNodePtr) -> Bool { node.pointee.properties != nil }

    /// All text under `node`, as it is in the source (scripts' content included).
    static func textContent(_ node: xmlNodePtr) -> String {
        guard let content = xmlNodeGetContent(node) else { return "" }
        defer { fw_xmlFree(content) }
        return String(cString: content)
    }

    private static func strcmpBytes(_ c: UnsafePointer<xmlChar>, _ s: String) -> Bool {
        var i = 0
        for b in s.utf8 {
            let x = c[i]
            if x == 0 || (x | 0x20) != b { return false }
            i += 1
        }
        return c[i] == 0
    }
}
