import Foundation

/// Reads text constructs (titles, summaries, contents) out of elements, honouring
/// Atom's `type` (text, html, xhtml) and Atom 0.3's `mode` (escaped, base64, xml),
/// and RSS publishers' habit of pasting raw HTML into `<description>`.
enum ContentReader {
    enum Kind { case text, html, xhtml }

    static func kind(of e: XMLElement) -> Kind {
        let type = (e.attribute("type") ?? "").lowercased()
        let mode = (e.attribute("mode") ?? "").lowercased()
        if mode == "escaped" { return type.contains("plain") ? .text : .html }
        switch type {
        case "html", "text/html": return .html
        case "xhtml", "application/xhtml+xml": return .xhtml
        case "", "text", "text/plain":
            return e.hasElementChildren ? .xhtml : .text
        default:
            return e.hasElementChildren ? .xhtml : (type.hasPrefix("text/") ? .text : .html)
        }
    }

    /// The markup of Atom `type="xhtml"` content without its wrapping `<div>`.
    static func xhtmlMarkup(_ e: XMLElement) -> String {
        let elements = Array(e.elements)
        if elements.count == 1, elements[0].localName == "div" {
            let onlyWhitespaceBeside = e.children.allSatisfy {
                if case .text(let t) = $0 { return t.trimmedWhitespace.isEmpty } else { return true }
            }
            if onlyWhitespaceBeside { return elements[0].innerMarkup }
        }
        return e.innerMarkup
    }

    /// Atom 1.0: a MIME type that is not text or XML means the content is base64.
    static func isBase64Type(_ e: XMLElement) -> Bool {
        guard let t = e.attribute("type")?.lowercased(), t.utf8.contains(0x2F) else { return false }
        return !(t.hasPrefix("text/") || t.hasSuffix("+xml") || t.hasSuffix("/xml"))
    }

    /// The raw (unsanitized) HTML an Atom text construct stands for.
    static func atomHTML(_ e: XMLElement) -> String? {
        var html: String
        if (e.attribute("mode") ?? "").lowercased() == "base64" || isBase64Type(e) {
            if let data = Data(base64Encoded: e.text.filter { !$0.isWhitespace }) {
                html = String(decoding: data, as: UTF8.self)
            } else {
                html = e.text   // Not base64 after all (JSON, say): show it as sent.
            }
            if !(e.attribute("type") ?? "").lowercased().hasSuffix("html") { html = MarkupEscaping.escapeText(html) }
        } else {
            switch kind(of: e) {
            case .text: html = MarkupEscaping.escapeText(e.text)
            case .html: html = e.text
            case .xhtml: html = xhtmlMarkup(e)
            }
        }
        return html.trimmedWhitespace.isEmpty ? nil : html
    }

    /// The raw HTML of an RSS description / content:encoded.
    static func rssHTML(_ e: XMLElement) -> String? {
        let html = e.hasElementChildren ? e.innerMarkup : e.text
        return html.trimmedWhitespace.isEmpty ? nil : html
    }

    /// Sanitized HTML, with relative links resolved against the element's base.
    static func sanitized(_ html: String?, base: String?) -> String? {
        guard let html else { return nil }
        let s = HTMLSanitizer.sanitize(html, baseURL: base)
        return s.isEmpty ? nil : s
    }

    /// An Atom title as plain text.
    static func atomTitle(_ e: XMLElement) -> String? {
        let t: String
        if (e.attribute("mode") ?? "").lowercased() == "base64" || isBase64Type(e) {
            t = atomHTML(e).map(HTMLSanitizer.text(fromHTML:)) ?? ""
            return t.isEmpty ? nil : t
        }
        switch kind(of: e) {
        case .text: t = e.text
        case .html: t = HTMLSanitizer.text(fromHTML: e.text)
        case .xhtml: t = HTMLSanitizer.text(fromHTML: xhtmlMarkup(e))
        }
        let trimmed = t.trimmedWhitespace
        return trimmed.isEmpty ? nil : trimmed
    }

    /// An RSS title as text (markup pasted in unescaped is reduced to its text).
    static func rssTitle(_ e: XMLElement) -> String? {
        let t = e.hasElementChildren ? HTMLSanitizer.text(fromHTML: e.innerMarkup) : e.text
        let trimmed = t.trimmedWhitespace
        return trimmed.isEmpty ? nil : trimmed
    }
}
