import CLibXML2
#if canImport(Glibc)
import Glibc
#endif

/// Runs libxml2's SAX2 push parser (recover mode, no network, entities never
/// expanded from DTDs) over UTF-8 bytes and builds the `XMLElement` tree.
///
/// Owns C resources for the length of one parse (the parser context and the
/// entities it hands libxml2), hence a class; it never leaves `parse`.
final class XMLTreeBuilder {
    struct Result {
        var root: XMLElement?
        /// First well-formedness error ("line 12: Opening and ending tag mismatch…"), or nil.
        var damage: String?
        /// The document ended with elements still open (a cut-off download).
        var truncated = false
    }

    private struct NameKey: Equatable {
        let local: UInt
        let prefix: UInt
        let uri: UInt
    }

    // The parser calls back on one thread, one event at a time, and no access
    // overlaps another: the runtime's exclusivity checks on these hot fields only
    // cost time (several percent of a big feed's parse).
    @exclusivity(unchecked) private var stack: [XMLElement] = []
    private var root: XMLElement?
    @exclusivity(unchecked) private var pending: [UInt8] = []
    /// libxml2 interns names, so the pointers identify them; feeds use a few dozen
    /// names, and a linear scan beats hashing at that size.
    @exclusivity(unchecked) private var nameKeys: [NameKey] = []
    @exclusivity(unchecked) private var nameValues: [XMLName] = []
    private var entities: [String: xmlEntityPtr] = [:]
    /// Internal general entities declared in the document's DTD, as literal text
    /// (never expanded recursively: no billion laughs, and external ones are ignored).
    private var declared: [String: String] = [:]
    private var firstError: String?
    private var firstErrorCode: Int32?
    private var entityNote: String?
    /// Set when an element opened deeper than `maxDepth`.
    private var depthNote: String?
    /// Elements open beyond `maxDepth`: not built, their text goes to the deepest built element.
    private var ignoredDepth = 0
    /// Set when a run of text was cut at `maxTextBytes`.
    private var textNote: String?
    private let baseURL: String?
    @exclusivity(unchecked) private var ctxt: xmlParserCtxtPtr?
    private let consumer: Consumer?

    /// Sees each element as it closes, with the root and its depth (the root's
    /// children are depth 1); returning true takes the element out of the tree.
    /// Feeds hand items over one by one this way, so a 5,000-item feed is never
    /// held as one tree. `cutOff`: the element never closed — the document ended
    /// inside it, so its last value may be cut mid-way.
    typealias Consumer = (_ element: XMLElement, _ root: XMLElement, _ depth: Int, _ cutOff: Bool) -> Bool

    /// The deepest element built. Real feeds nest a dozen levels (a few dozen with
    /// XHTML content); a hostile one nesting 100,000 would overflow the stack of every
    /// recursive walk (and of the tree's release). Deeper markup is flattened into its
    /// text, so the item holding it, and every item after it, is kept.
    static let maxDepth = 256
    /// The longest `xml:base` kept: nested relative bases grow with every level.
    static let maxBaseLength = 4096
    /// The most bytes of one run of text (a title, a description) kept: a whole article is
    /// a few tens of kilobytes; the rest of a longer one is cut, and the feed flagged.
    static let maxTextBytes = 1 << 20

    private init(baseURL: String?, consumer: Consumer?) {
        self.baseURL = baseURL
        self.consumer = consumer
        pending.reserveCapacity(4096)
    }

    deinit {
        for e in entities.values { fw_freeEntity(e) }
    }

    /// Parses `bytes`, which must already be UTF-8 (the caller transcodes; the
    /// prolog's encoding declaration is ignored).
    static func parse(_ bytes: UnsafeRawBufferPointer, baseURL: String?, consumer: Consumer? = nil) -> Result {
        let builder = XMLTreeBuilder(baseURL: baseURL, consumer: consumer)
        return builder.run(bytes)
    }

    private func run(_ bytes: UnsafeRawBufferPointer) -> Result {
        var sax = XMLTreeBuilder.handler()
        let me = Unmanaged.passUnretained(self).toOpaque()
        guard let ctxt = xmlCreatePushParserCtxt(&sax, me, nil, 0, nil) else {
            return Result(root: nil, damage: "libxml2 could not create a parser")
        }
        self.ctxt = ctxt
        defer { xmlFreeParserCtxt(ctxt); self.ctxt = nil }
        let options = Int32(XML_PARSE_RECOVER.rawValue | XML_PARSE_NONET.rawValue | XML_PARSE_IGNORE_ENC.rawValue
                            | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOERROR.rawValue)
        xmlCtxtUseOptions(ctxt, options)
        xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8)

        let chunk = 64 * 1024
        var offset = 0
        let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self)
        while offset < bytes.count {
            let n = min(chunk, bytes.count - offset)
            xmlParseChunk(ctxt, base! + offset, Int32(n), 0)
            offset += n
            if ctxt.pointee.disableSAX != 0 { break }
        }
        xmlParseChunk(ctxt, nil, 0, 1)
        flushText()
        let truncated = !stack.isEmpty
        while !stack.isEmpty { closeElement(cutOff: true) }
        if truncated && (firstErrorCode == nil || firstErrorCode == Int32(XML_ERR_DOCUMENT_END.rawValue)) {
            // libxml2 calls a cut-off document "Extra content at the end"; say what happened.
            firstError = "line \(currentLine): premature end of data (document truncated)"
        }

        var damage: String?
        if ctxt.pointee.wellFormed == 0 || firstError != nil {
            damage = firstError ?? "malformed XML"
        } else if let note = entityNote {
            damage = note
        }
        if let depthNote { damage = damage.map { depthNote + "; " + $0 } ?? depthNote }
        if let textNote { damage = damage.map { $0 + "; " + textNote } ?? textNote }
        return Result(root: root, damage: damage, truncated: truncated)
    }

    // MARK: SAX events

    /// libxml2 2.9 silently drops every named entity reference (even `&lt;`) once
    /// `wellFormed` is 0, which in recover mode would garble all text after the first
    /// error. The error is already recorded in `firstError`, so the flag is re-armed.
    private func rearm() {
        if let c = ctxt, c.pointee.wellFormed == 0 {
            if firstError == nil { firstError = "line \(currentLine): malformed XML" }
            c.pointee.wellFormed = 1
        }
    }

    private func startElement(local: UnsafePointer<xmlChar>, prefix: UnsafePointer<xmlChar>?,
                              uri: UnsafePointer<xmlChar>?, nbAttributes: Int,
                              attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?) {
        rearm()
        if stack.count >= Self.maxDepth {
            if depthNote == nil { depthNote = "nesting deeper than \(Self.maxDepth) at line \(currentLine)" }
            ignoredDepth += 1
            return
        }
        flushText()
        let name = canonicalName(local: local, prefix: prefix, uri: uri)
        var attrs: [(name: String, value: String)] = []
        var base = stack.last?.base ?? baseURL
        var lang = stack.last?.lang
        if nbAttributes > 0, let a = attributes {
            attrs.reserveCapacity(nbAttributes)
            for i in 0..<nbAttributes {
                guard let aLocal = a[i * 5] else { continue }
                let aName = canonicalName(local: aLocal, prefix: a[i * 5 + 1], uri: a[i * 5 + 2]).name
                var value = ""
                if let start = a[i * 5 + 3], let end = a[i * 5 + 4] {
                    value = String(decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)
                    // Without entity substitution libxml2 passes an escaped `&` on as "&#38;".
                    if value.utf8.contains(0x26) { value = value.replacingOccurrences(of: "&#38;", with: "&") }
                }
                if aName == "xml:base", value.utf8.count <= Self.maxBaseLength {
                    let resolved = URLResolver.resolve(value.trimmedWhitespace, against: base)
                    if resolved.utf8.count <= Self.maxBaseLength { base = resolved }
                } else if aName == "xml:lang" {
                    lang = value
                }
                attrs.append((aName, value))
            }
        }
        stack.append(XMLElement(name: name, attributes: attrs, base: base, lang: lang))
    }

    private func endElement() {
        rearm()
        if ignoredDepth > 0 {
            ignoredDepth -= 1
            return
        }
        flushText()
        if !stack.isEmpty { closeElement() }
    }

    private func closeElement(cutOff: Bool = false) {
        let e = stack.removeLast()
        if stack.isEmpty {
            if root == nil { root = e }
        } else if let consumer, consumer(e, stack[0], stack.count, cutOff) {
            return
        } else {
            stack[stack.count - 1].children.append(.element(e))
        }
    }

    private func characters(_ ch: UnsafePointer<xmlChar>, _ len: Int) {
        rearm()
        guard !stack.isEmpty else { return }
        if pending.count + len > Self.maxTextBytes {
            if textNote == nil { textNote = "text longer than \(Self.maxTextBytes) bytes at line \(currentLine) (cut)" }
            // Cut on a character boundary: never inside a UTF-8 sequence.
            var keep = max(0, Self.maxTextBytes - pending.count)
            while keep > 0, keep < len, ch[keep] & 0xC0 == 0x80 { keep -= 1 }
            pending.append(contentsOf: UnsafeBufferPointer(start: ch, count: keep))
            return
        }
        pending.append(contentsOf: UnsafeBufferPointer(start: ch, count: len))
    }

    private func flushText() {
        guard !pending.isEmpty else { return }
        if !stack.isEmpty {
            var text = String(decoding: pending, as: UTF8.self)
            // U+0080–U+009F encode as C2 80–9F; memchr finds a C2 lead byte at memory speed.
            if pending.withUnsafeBytes({ memchr($0.baseAddress!, 0xC2, $0.count) != nil }) {
                text = Windows1252.demoronize(text)
            }
            stack[stack.count - 1].children.append(.text(text))
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Undefined entities: HTML's named entities are what publishers mean by
    /// `&nbsp;` or `&eacute;`; anything else stays undefined (and is dropped by libxml2).
    private func entity(named name: UnsafePointer<xmlChar>) -> xmlEntityPtr? {
        let key = String(cString: name)
        if let e = entities[key] { return e }
        // Unknown names stay as written, as feedparser leaves them.
        let replacement = declared[key] ?? htmlEntityLookup(name).flatMap { Unicode.Scalar($0.pointee.value) }.map { String(Character($0)) }
            ?? "&\(key);"
        guard let e = replacement.withCString({ fw_newTextEntity(name, UnsafeRawPointer($0).assumingMemoryBound(to: xmlChar.self)) })
        else { return nil }
        entities[key] = e
        if entityNote == nil && declared[key] == nil {
            entityNote = "line \(currentLine): undefined entity &\(key);"
        }
        return e
    }

    private func declare(_ name: String, _ value: String) {
        if declared[name] == nil, value.utf8.count <= 4096 { declared[name] = value }
    }

    private func error(_ err: xmlErrorPtr) {
        guard firstError == nil, err.pointee.level.rawValue >= XML_ERR_ERROR.rawValue,
              err.pointee.domain != Int32(XML_FROM_NAMESPACE.rawValue) else { return }
        var message = err.pointee.message.map { String(cString: $0) } ?? "malformed XML"
        message = message.trimmedWhitespace
        firstError = "line \(err.pointee.line): \(message)"
        firstErrorCode = err.pointee.code
    }

    private var currentLine: Int {
        guard let c = ctxt, let input = c.pointee.input else { return 0 }
        return Int(input.pointee.line)
    }

    private func canonicalName(local: UnsafePointer<xmlChar>, prefix: UnsafePointer<xmlChar>?,
                               uri: UnsafePointer<xmlChar>?) -> XMLName {
        let key = NameKey(local: UInt(bitPattern: local), prefix: UInt(bitPattern: prefix), uri: UInt(bitPattern: uri))
        if let i = nameKeys.firstIndex(of: key) { return nameValues[i] }
        let localName = String(cString: local)
        let qname = prefix.map { String(cString: $0) + ":" + localName } ?? localName
        let short: String
        if let uri {
            short = XMLNamespaces.prefix(forURI: String(cString: uri))
        } else if let prefix {
            short = XMLNamespaces.prefix(forUndeclared: String(cString: prefix))
        } else {
            short = ""
        }
        let lower = localName.lowercased()
        let n = XMLName(name: short.isEmpty ? lower : short + ":" + lower, qname: qname)
        if nameKeys.count < 256 {
            nameKeys.append(key)
            nameValues.append(n)
        }
        return n
    }

    // MARK: C callbacks (capture nothing; state comes back through the user-data pointer)

    private static func handler() -> xmlSAXHandler {
        var sax = xmlSAXHandler()
        sax.initialized = XML_SAX2_MAGIC
        sax.startElementNs = { ctx, local, prefix, uri, _, _, nbAttributes, _, attributes in
            guard let local else { return }
            withTreeBuilder(ctx) {
                $0.startElement(local: local, prefix: prefix, uri: uri, nbAttributes: Int(nbAttributes),
                                attributes: attributes)
            }
        }
        sax.endElementNs = { ctx, _, _, _ in withTreeBuilder(ctx) { $0.endElement() } }
        sax.characters = { ctx, ch, len in
            guard let ch else { return }
            withTreeBuilder(ctx) { $0.characters(ch, Int(len)) }
        }
        sax.cdataBlock = sax.characters
        sax.ignorableWhitespace = sax.characters
        sax.getEntity = { ctx, name in
            guard let name else { return nil }
            return withTreeBuilder(ctx) { $0.entity(named: name) }
        }
        sax.entityDecl = { ctx, name, type, _, _, content in
            guard let name, let content, type == Int32(XML_INTERNAL_GENERAL_ENTITY.rawValue) else { return }
            withTreeBuilder(ctx) { $0.declare(String(cString: name), String(cString: content)) }
        }
        sax.serror = { ctx, err in
            guard let ctx, let err else { return }
            withTreeBuilder(ctx) { $0.error(err) }
        }
        return sax
    }
}

/// The builder behind a callback's user data. `parse` keeps it alive for the whole
/// parse, so callbacks borrow it without retaining (one retain/release pair per
/// SAX event adds up over a big feed).
@inline(__always)
private func withTreeBuilder<R>(_ ctx: UnsafeMutableRawPointer?, _ body: (XMLTreeBuilder) -> R) -> R {
    Unmanaged<XMLTreeBuilder>.fromOpaque(ctx!)._withUnsafeGuaranteedRef(body)
}
