/// Looks at the first bytes of (UTF-8) content to tell XML from JSON, and finds
/// where the XML's root element starts so junk before it can be cut away.
enum FormatDetector {
    enum Kind: Equatable {
        case json
        case xml
        case unknown
    }

    static func firstNonSpace(_ b: UnsafeRawBufferPointer) -> Int? {
        var i = 0
        while i < b.count {
            let c = b[i]
            if c != 0x20 && c != 0x09 && c != 0x0A && c != 0x0D { return i }
            i += 1
        }
        return nil
    }

    static func kind(_ b: UnsafeRawBufferPointer) -> Kind {
        guard let i = firstNonSpace(b) else { return .unknown }
        switch b[i] {
        case UInt8(ascii: "{"): return .json
        case UInt8(ascii: "<"): return .xml
        default: return firstTag(b, from: i) == nil ? .unknown : .xml
        }
    }

    /// The byte range to cut when something other than the prolog, comments, a
    /// DOCTYPE or whitespace comes before the root element; nil when clean.
    static func junkBeforeRoot(_ b: UnsafeRawBufferPointer) -> Range<Int>? {
        var i = 0
        var sawDoctype = false
        while i < b.count {
            let c = b[i]
            if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { i += 1; continue }
            if c == UInt8(ascii: "<"), i + 1 < b.count {
                let n = b[i + 1]
                if n == UInt8(ascii: "?") {
                    guard let end = find(b, "?>", from: i + 2) else { return nil }
                    i = end + 2
                    continue
                }
                if n == UInt8(ascii: "!") {
                    let close = hasPrefix(b, "<!--", at: i) ? find(b, "-->", from: i + 4).map { $0 + 3 }
                                                              : find(b, ">", from: i + 2).map { $0 + 1 }
                    guard let end = close else { return nil }
                    // The search for "[" stops at this declaration's end: searching the rest of the
                    // document for each of 50,000 DOCTYPEs made it quadratic.
                    if hasPrefix(b, "<!DOCTYPE", at: i) {
                        // libxml2 gives up on a second DOCTYPE: it and all after it up to the root are junk.
                        if sawDoctype, let tag = firstTag(b, from: i) { return i..<tag }
                        sawDoctype = true
                    }
                    if hasPrefix(b, "<!DOCTYPE", at: i), let bracket = find(b, "[", from: i, to: end), bracket < end - 1 {
                        // Internal subset: skip to "]>".
                        guard let e = find(b, "]>", from: bracket) else { return nil }
                        i = e + 2
                    } else {
                        i = end
                    }
                    continue
                }
                if isNameStart(n) { return nil }
            }
            guard let tag = firstTag(b, from: i) else { return nil }
            return i..<tag
        }
        return nil
    }

    /// The first `<` that opens an element (or the prolog) at or after `from`.
    static func firstTag(_ b: UnsafeRawBufferPointer, from: Int) -> Int? {
        var i = from
        while i + 1 < b.count {
            if b[i] == UInt8(ascii: "<"), isNameStart(b[i + 1]) || b[i + 1] == UInt8(ascii: "?") { return i }
            i += 1
        }
        return nil
    }

    /// gzip's magic number: a compressed body served or saved without being decoded.
    static func isGzip(_ b: UnsafeRawBufferPointer) -> Bool {
        b.count >= 2 && b[0] == 0x1F && b[1] == 0x8B
    }

    /// The first few characters, for error messages: at most 12, up to the first
    /// space or `>`, printable as they are, anything else escaped (`\x00`, `\u{85}`)
    /// so binary input never reaches a terminal raw. `"` and `\` are escaped too,
    /// as the preview is shown between quotes.
    static func preview(_ b: UnsafeRawBufferPointer) -> String {
        var i = firstNonSpace(b) ?? 0
        var out = ""
        var shown = 0
        while i < b.count, shown < 12 {
            let c = b[i]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 || c == UInt8(ascii: ">") { break }
            shown += 1
            if c < 0x80 {
                switch c {
                case UInt8(ascii: "\""): out += "\\\""
                case UInt8(ascii: "\\"): out += "\\\\"
                case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(c))
                default: out += hexByte(c)
                }
                i += 1
                continue
            }
            guard let (scalar, length) = scalar(b, at: i) else {
                out += hexByte(c)
                i += 1
                continue
            }
            switch scalar.properties.generalCategory {
            case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator:
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default:
                if scalar == "\u{FFFD}" {
                    out += "\\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
            i += length
        }
        return out
    }

    private static func hexByte(_ c: UInt8) -> String {
        let hex = String(c, radix: 16, uppercase: true)
        return "\\x" + (hex.count == 1 ? "0" + hex : hex)
    }

    /// The well-formed UTF-8 scalar starting at `i`, if any.
    private static func scalar(_ b: UnsafeRawBufferPointer, at i: Int) -> (Unicode.Scalar, Int)? {
        let c = b[i]
        let length: Int
        var value: UInt32
        switch c {
        case 0xC2...0xDF: length = 2; value = UInt32(c & 0x1F)
        case 0xE0...0xEF: length = 3; value = UInt32(c & 0x0F)
        case 0xF0...0xF4: length = 4; value = UInt32(c & 0x07)
        default: return nil
        }
        guard i + length <= b.count else { return nil }
        for k in 1..<length {
            let cc = b[i + k]
            guard cc & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(cc & 0x3F)
        }
        let minimum: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }

    private static func isNameStart(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == UInt8(ascii: "_") || c >= 0x80
    }

    private static func hasPrefix(_ b: UnsafeRawBufferPointer, _ p: StaticString, at i: Int) -> Bool {
        let n = p.utf8CodeUnitCount
        guard i + n <= b.count else { return false }
        let ptr = p.utf8Start
        for k in 0..<n where b[i + k] != ptr[k] { return false }
        return true
    }

    private static func find(_ b: UnsafeRawBufferPointer, _ p: StaticString, from: Int, to: Int? = nil) -> Int? {
        var i = from
        let limit = min(to ?? b.count, b.count)
        while i < limit {
            if hasPrefix(b, p, at: i) { return i }
            i += 1
        }
        return nil
    }
}
