import Foundation

/// Works out which charset a document's bytes are in, the way browsers and
/// feedparser do: byte-order mark, then the HTTP charset, then the XML prolog,
/// then UTF-8 — and if a declared single-byte charset is contradicted by bytes that
/// are valid multi-byte UTF-8, UTF-8 wins (the commonest real-world mislabel).
enum CharsetSniffer {
    enum BOM: Equatable {
        case utf8, utf16le, utf16be, utf32le, utf32be
        var length: Int {
            switch self {
            case .utf8: return 3
            case .utf16le, .utf16be: return 2
            case .utf32le, .utf32be: return 4
            }
        }
        var charset: String {
            switch self {
            case .utf8: return "utf-8"
            case .utf16le: return "utf-16le"
            case .utf16be: return "utf-16be"
            case .utf32le: return "utf-32le"
            case .utf32be: return "utf-32be"
            }
        }
    }

    static func bom(_ b: UnsafeRawBufferPointer) -> BOM? {
        let n = b.count
        if n >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { return .utf8 }
        if n >= 4, b[0] == 0xFF, b[1] == 0xFE, b[2] == 0, b[3] == 0 { return .utf32le }
        if n >= 4, b[0] == 0, b[1] == 0, b[2] == 0xFE, b[3] == 0xFF { return .utf32be }
        if n >= 2, b[0] == 0xFF, b[1] == 0xFE { return .utf16le }
        if n >= 2, b[0] == 0xFE, b[1] == 0xFF { return .utf16be }
        return nil
    }

    /// UTF-16 without a BOM announces itself by `<` `?` interleaved with NULs.
    static func bomlessUTF16(_ b: UnsafeRawBufferPointer) -> String? {
        guard b.count >= 4 else { return nil }
        if b[0] == 0x3C, b[1] == 0, b[2] != 0, b[3] == 0 { return "utf-16le" }
        if b[0] == 0, b[1] == 0x3C, b[2] == 0, b[3] != 0 { return "utf-16be" }
        return nil
    }

    /// The `encoding="…"` of an ASCII-compatible XML declaration, lower-cased.
    static func prologEncoding(_ b: UnsafeRawBufferPointer) -> String? {
        var i = 0
        let n = min(b.count, 512)
        while i < n, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
        guard i + 5 < n, b[i] == 0x3C, b[i + 1] == 0x3F else { return nil }   // "<?"
        var end = i + 2
        while end + 1 < n, !(b[end] == 0x3F && b[end + 1] == 0x3E) { end += 1 }   // "?>"
        let decl = String(decoding: UnsafeRawBufferPointer(rebasing: b[i..<end]), as: UTF8.self)
        guard decl.lowercased().hasPrefix("<?xml"), let r = decl.range(of: "encoding") else { return nil }
        var rest = decl[r.upperBound...].drop { $0 == " " || $0 == "=" || $0 == "\t" }
        guard let q = rest.first, q == "\"" || q == "'" else { return nil }
        rest = rest.dropFirst()
        let value = rest.prefix { $0 != q }
        return value.isEmpty ? nil : value.lowercased()
    }

    /// Charsets that browsers read as windows-1252.
    static func isLatin1Family(_ c: String) -> Bool {
        switch c {
        case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "windows-1252", "cp1252", "iso_8859-1",
             "iso-8859-15", "us-ascii", "ascii", "ansi_x3.4-1968", "x-mac-roman":
            return true
        default:
            return false
        }
    }

    static func isUTF8(_ c: String) -> Bool { c == "utf-8" || c == "utf8" }

    /// UTF-16 and UTF-32 in any spelling ("utf-16", "UTF16LE", "ucs-2", "utf-32be"…).
    static func isWideUnicode(_ c: String) -> Bool {
        let bare = c.lowercased().filter { $0 != "-" && $0 != "_" }
        return bare.hasPrefix("utf16") || bare.hasPrefix("utf32") || bare.hasPrefix("ucs2") || bare.hasPrefix("ucs4")
    }

    /// The document starts with `<` (after ASCII whitespace) and its first bytes hold
    /// no NUL: it cannot be UTF-16 or UTF-32, whose ASCII characters carry NULs.
    static func looksASCIICompatible(_ b: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
        guard i < b.count, b[i] == 0x3C else { return false }
        let head = UnsafeRawBufferPointer(rebasing: b[..<min(b.count, 1024)])
        return !head.contains(0)
    }
}
