extension XMLElement {
    /// The children re-serialised as markup: inline XHTML in Atom `type="xhtml"`
    /// content, or unescaped HTML that a publisher put straight into `<description>`.
    /// Prefixes are dropped, since the result is read as HTML.
    var innerMarkup: String {
        var s = ""
        for c in children { c.appendMarkup(to: &s) }
        return s
    }
}

extension XMLNode {
    func appendMarkup(to s: inout String) {
        switch self {
        case .text(let t):
            s += MarkupEscaping.escapeText(t)
        case .element(let e):
            let tag = e.qname.split(separator: ":").last.map(String.init) ?? e.qname
            s += "<" + tag
            for a in e.attributes where !a.name.hasPrefix("xmlns") {
                let an = a.name.split(separator: ":").last.map(String.init) ?? a.name
                s += " " + an + "=\"" + MarkupEscaping.escapeAttribute(a.value) + "\""
            }
            if e.children.isEmpty {
                s += " />"
            } else {
                s += ">"
                for c in e.children { c.appendMarkup(to: &s) }
                s += "</" + tag + ">"
            }
        }
    }
}

/// Escaping for re-serialised markup and for HTML built from plain text.
enum MarkupEscaping {
    static func escapeText(_ t: String) -> String {
        guard t.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E }) else { return t }
        var out = ""
        out.reserveCapacity(t.utf8.count + 16)
        for ch in t.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    static func escapeAttribute(_ t: String) -> String {
        guard t.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 }) else { return t }
        var out = ""
        for ch in t.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
