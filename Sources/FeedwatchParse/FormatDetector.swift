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
                    if hasPrefix(b, "<!DOCTYPE", at: i), let bracket = find(b, "[", from: i), bracket < end - 1 {
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

    /// The first few characters, for error messages.
    static func preview(_ b: UnsafeRawBufferPointer) -> String {
        let start = firstNonSpace(b) ?? 0
        var end = start
        while end < b.count, end - start < 12 {
            let c = b[end]
            if c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 || c == UInt8(ascii: ">") { break }
            end += 1
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: b[start..<end]), as: UTF8.self)
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

    private static func find(_ b: UnsafeRawBufferPointer, _ p: StaticString, from: Int) -> Int? {
        var i = from
        while i < b.count {
            if hasPrefix(b, p, at: i) { return i }
            i += 1
        }
        return nil
    }
}
