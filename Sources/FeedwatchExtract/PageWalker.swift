import CLibXML2

/// One pass over the parsed page: the text blocks with the elements that hold them, and the
/// metadata the page states (meta tags, JSON-LD, `<time>`, `<title>`, `lang`).
struct PageWalker {
    var elements: [PageElement] = []
    var blocks: [TextBlock] = []
    var metadata = PageMetadata()

    private var buffer: [UInt8] = []
    private var verdicts: [String: MarkupHints.Verdict] = [:]
    private var bufferLinkBytes = 0
    /// Bytes of the link the run opened with; -1 once plain text came first or the link closed.
    private var leadingLinkBytes = 0
    private var leadingLinkOpen = false
    private var linkDepth = 0

    mutating func walk(_ root: xmlNodePtr) {
        open(root, tag: DOM.name(root), parent: -1)
        let index = elements.count - 1
        walkChildren(root, owner: index)
        close(index)
    }

    private mutating func open(_ node: xmlNodePtr, tag: String, parent: Int) {
        var verdict = MarkupHints.Verdict.none
        var hidden = false
        if DOM.hasAttributes(node) {
            let classes = DOM.attribute(node, "class"), id = DOM.attribute(node, "id")
            let role = DOM.attribute(node, "role"), itemprop = DOM.attribute(node, "itemprop")
            // Pages repeat a handful of class lists hundreds of times.
            let key = (classes ?? "") + "\u{1}" + (id ?? "") + "\u{1}" + (role ?? "") + "\u{1}" + (itemprop ?? "")
            if let known = verdicts[key] {
                verdict = known
            } else {
                verdict = MarkupHints.verdict(classes: classes, id: id, role: role, itemprop: itemprop)
                verdicts[key] = verdict
            }
            hidden = MarkupHints.isHidden(style: DOM.attribute(node, "style"), hidden: DOM.attribute(node, "hidden") != nil,
                                          ariaHidden: DOM.attribute(node, "aria-hidden"))
            if tag == "html", let lang = DOM.attribute(node, "lang") ?? DOM.attribute(node, "xml:lang") {
                metadata.note(language: lang)
            }
        }
        elements.append(PageElement(parent: parent, tag: tag, verdict: verdict, hidden: hidden,
                                    firstBlock: blocks.count, endBlock: blocks.count))
    }

    private mutating func close(_ index: Int) {
        flush(owner: index, kind: .text)
        elements[index].endBlock = blocks.count
    }

    private mutating func walkChildren(_ node: xmlNodePtr, owner: Int) {
        var child = node.pointee.children
        while let c = child {
            visit(c, owner: owner)
            child = c.pointee.next
        }
    }

    private mutating func visit(_ node: xmlNodePtr, owner: Int) {
        switch node.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            guard let content = node.pointee.content else { return }
            append(content)
        case XML_ELEMENT_NODE:
            let tag = DOM.name(node)
            switch MarkupHints.role(tag) {
            case .skipped:
                note(skipped: node, tag: tag)
            case .lineBreak:
                buffer.append(0x0A)
            case .block, .heading, .listItem:
                let role = MarkupHints.role(tag)
                flush(owner: owner, kind: .text)
                open(node, tag: tag, parent: owner)
                let index = elements.count - 1
                note(element: node, tag: tag)
                walkChildren(node, owner: index)
                flush(owner: index, kind: role == .heading ? .heading : role == .listItem ? .listItem : .text)
                elements[index].endBlock = blocks.count
            case .link, .inline:
                note(element: node, tag: tag)
                if DOM.hasAttributes(node) {
                    let hidden = MarkupHints.isHidden(style: DOM.attribute(node, "style"),
                                                      hidden: DOM.attribute(node, "hidden") != nil,
                                                      ariaHidden: DOM.attribute(node, "aria-hidden"))
                    if hidden { return }
                }
                let isLink = tag == "a"
                if isLink {
                    linkDepth += 1
                    if leadingLinkBytes == 0, !buffer.contains(where: { $0 > 0x20 }) { leadingLinkOpen = true }
                }
                walkChildren(node, owner: owner)
                if isLink {
                    linkDepth -= 1
                    if linkDepth == 0 { leadingLinkOpen = false }
                }
            }
        default:
            return
        }
    }

    /// Metadata held by elements whose text is not page text.
    private mutating func note(skipped node: xmlNodePtr, tag: String) {
        switch tag {
        case "head":
            var child = node.pointee.children
            while let c = child {
                if c.pointee.type == XML_ELEMENT_NODE {
                    let name = DOM.name(c)
                    if name == "title" { metadata.note(documentTitle: DOM.textContent(c)) }
                    else { note(skipped: c, tag: name) }
                }
                child = c.pointee.next
            }
        case "meta":
            metadata.note(meta: node)
        case "script":
            if let type = DOM.attribute(node, "type"), type.lowercased().contains("ld+json") {
                metadata.note(jsonLD: DOM.textContent(node))
            }
        default:
            return
        }
    }

    /// Metadata on ordinary elements: `<time datetime>`, `itemprop` dates and authors, `<h1>`.
    private mutating func note(element node: xmlNodePtr, tag: String) {
        if tag == "h1", metadata.firstHeading == nil {
            metadata.firstHeading = DOM.textContent(node)
        }
        guard DOM.hasAttributes(node) else { return }
        if let itemprop = DOM.attribute(node, "itemprop")?.lowercased() {
            if itemprop == "datepublished" {
                metadata.note(itempropDate: DOM.attribute(node, "datetime") ?? DOM.attribute(node, "content") ?? DOM.textContent(node))
            }
        }
        if tag == "time", let datetime = DOM.attribute(node, "datetime") {
            metadata.note(time: datetime)
        }
    }

    private mutating func append(_ content: UnsafePointer<xmlChar>) {
        var p = content
        let start = buffer.count
        while p.pointee != 0 {
            let b = p.pointee
            // Source line breaks inside text are spaces; only <br> breaks a line.
            buffer.append(b == 0x0A || b == 0x0D || b == 0x09 ? 0x20 : b)
            p += 1
        }
        if linkDepth > 0 { bufferLinkBytes += buffer.count - start }
        if leadingLinkOpen { leadingLinkBytes += buffer.count - start }
        else if leadingLinkBytes == 0, buffer[start...].contains(where: { $0 > 0x20 }) { leadingLinkBytes = -1 }
    }

    /// Ends the text run in progress as a block of `owner`.
    private mutating func flush(owner: Int, kind: TextBlock.Kind) {
        defer {
            buffer.removeAll(keepingCapacity: true)
            bufferLinkBytes = 0
            leadingLinkBytes = 0
            leadingLinkOpen = false
        }
        guard buffer.contains(where: { $0 > 0x20 }) else { return }
        let text = Self.collapse(buffer)
        guard !text.isEmpty else { return }
        var length = 0, punctuation = 0
        for s in text.unicodeScalars {
            switch s.value {
            case 0x20, 0x0A: continue
            case 0x2E, 0x2C, 0x3B, 0x3F, 0x21, 0x3002, 0xFF0C, 0x3001, 0xFF1F, 0xFF01, 0x061F, 0x060C, 0x0964:
                punctuation += 1; length += 1
            // Ideographs and kana carry about a word each: weighted so a Chinese paragraph
            // measures like a Latin one.
            case 0x3040...0x30FF, 0x3400...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF: length += 3
            default: length += 1
            }
        }
        let linkShare = buffer.isEmpty ? 0 : Double(bufferLinkBytes) / Double(buffer.count)
        blocks.append(TextBlock(text: text, owner: owner, length: length,
                                linkLength: Int((Double(length) * linkShare).rounded()),
                                leadingLinkLength: max(0, leadingLinkBytes),
                                kind: kind, punctuation: punctuation))
    }

    /// Collapses runs of spaces (ASCII and no-break), trims lines, drops empty lines.
    static func collapse(_ bytes: [UInt8]) -> String {
        let raw = String(decoding: bytes, as: UTF8.self)
        var lines: [String] = []
        for line in raw.split(separator: "\n", omittingEmptySubsequences: true) {
            var out = ""
            var space = false
            for ch in line.unicodeScalars {
                if ch == " " || ch == "\u{A0}" || ch == "\u{200B}" || ch == "\u{3000}" || (ch.value >= 0x2000 && ch.value <= 0x200A) {
                    space = true
                    continue
                }
                if space && !out.isEmpty { out.unicodeScalars.append(" ") }
                space = false
                out.unicodeScalars.append(ch)
            }
            if !out.isEmpty { lines.append(out) }
        }
        return lines.joined(separator: "\n")
    }
}
