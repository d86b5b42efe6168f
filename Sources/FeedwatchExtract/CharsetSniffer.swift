import CLibXML2

/// Decides the encoding a page is parsed in: the HTTP header's charset, else the page's own
/// `<meta charset>` / `http-equiv` declaration, else UTF-8 when the bytes are valid UTF-8,
/// else windows-1252 (what browsers assume for an undeclared legacy page).
enum CharsetSniffer {
    static func encoding(of bytes: UnsafeBufferPointer<UInt8>, httpCharset: String?) -> String {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { return "UTF-8" }
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) { return "UTF-16LE" }
        if bytes.count >= 2, (bytes[0] == 0xFE && bytes[1] == 0xFF) { return "UTF-16BE" }
        if let declared = httpCharset.flatMap(usable) { return declared }
        if let declared = metaCharset(bytes).flatMap(usable) { return declared }
        return isValidUTF8(bytes) ? "UTF-8" : "windows-1252"
    }

    /// A charset name libxml2 can decode, with the WHATWG aliases applied: Latin-1 and ASCII
    /// labels mean windows-1252 on the web (pages labelled so use its curly quotes and dashes).
    static func usable(_ name: String) -> String? {
        let label = name.trimmingASCIISpaceAndQuotes().lowercased()
        guard !label.isEmpty, label.utf8.count < 40 else { return nil }
        switch label {
        case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "cp1252", "x-cp1252":
            return "windows-1252"
        case "utf8", "unicode-1-1-utf-8": return "UTF-8"
        case "gb2312", "gbk", "x-gbk": return "GB18030"
        default: break
        }
        // A label libxml2 (with iconv) cannot open is ignored, as a browser ignores it.
        guard let handler = xmlFindCharEncodingHandler(label) else { return nil }
        xmlCharEncCloseFunc(handler)
        return label
    }

    /// The charset a `<meta>` in the first 4 KiB declares (`charset=` anywhere in a meta tag).
    static func metaCharset(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        let window = Array(bytes.prefix(4096)).map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        let key = Array("charset".utf8)
        var i = 0
        while i + key.count < window.count {
            guard window[i] == 0x63, window[i..<(i + key.count)].elementsEqual(key) else { i += 1; continue }
            // Only inside a tag that opened as <meta.
            var j = i - 1
            while j >= 0, window[j] != 0x3C, window[j] != 0x3E { j -= 1 }
            let inMeta = j >= 0 && window[j] == 0x3C && window[(j + 1)...].starts(with: Array("meta".utf8))
            var k = i + key.count
            while k < window.count, window[k] == 0x20 { k += 1 }
            guard inMeta, k < window.count, window[k] == 0x3D else { i += 1; continue }
            k += 1
            while k < window.count, window[k] == 0x20 || window[k] == 0x22 || window[k] == 0x27 { k += 1 }
            var end = k
            while end < window.count, !" \"';>/".utf8.contains(window[end]) { end += 1 }
            if end > k { return String(decoding: window[k..<end], as: UTF8.self) }
            i += 1
        }
        return nil
    }

    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            let width: Int
            switch b {
            case 0xC2...0xDF: width = 2
            case 0xE0...0xEF: width = 3
            case 0xF0...0xF4: width = 4
            default: return false
            }
            // A sequence cut by the end of a truncated page still counts as UTF-8.
            if i + width > n { return true }
            for k in 1..<width where bytes[i + k] & 0xC0 != 0x80 { return false }
            i += width
        }
        return true
    }
}

extension String {
    func trimmingASCIISpaceAndQuotes() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\"" || c == "'" || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\"" || c == "'" || c == "\t" { s.removeLast() }
        return String(s)
    }
}
