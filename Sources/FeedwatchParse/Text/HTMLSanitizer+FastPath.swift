extension HTMLSanitizer {
    /// True when `html` is already what the sanitizer would keep: only allowed
    /// elements, properly nested, with a few plain attributes (absolute http(s)
    /// URLs when a base would otherwise apply), and only well-formed entity
    /// references. Most publishers' markup (`<p>`, `<a href>`, `<em>`) qualifies,
    /// and skipping libxml2's HTML parser for it makes big feeds several times
    /// cheaper. Anything unusual answers false and takes the full path.
    static func isAlreadyClean(_ html: String, baseURL: String?) -> Bool {
        var html = html
        return html.withUTF8 { scan($0, hasBase: baseURL != nil) }
    }

    private static let fastAttributes: Set<String> = ["href", "src", "alt", "title", "width", "height"]

    /// Allowed element names packed into integers (all are at most 10 bytes; those
    /// over 8 are left out and take the full path), commonest first.
    private static let packedAllowed: [UInt64] = {
        let common = ["p", "a", "br", "b", "i", "em", "strong", "img", "li", "ul", "ol", "span", "div", "blockquote"]
        let rest = allowedElements.subtracting(common).sorted()
        return (common + rest).filter { $0.utf8.count <= 8 }.map { pack(Array($0.utf8)[...]) }
    }()

    private static func pack(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var v: UInt64 = 0
        for c in bytes { v = v << 8 | UInt64(c >= 0x41 && c <= 0x5A ? c + 0x20 : c) }
        return v
    }

    private static func packedName(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> UInt64 {
        var v: UInt64 = 0
        for k in s..<e { let c = b[k]; v = v << 8 | UInt64(c >= 0x41 && c <= 0x5A ? c + 0x20 : c) }
        return v
    }

    private static let packedVoid: [UInt64] = voidElements.map { pack(Array($0.utf8)[...]) }

    private static func scan(_ b: UnsafeBufferPointer<UInt8>, hasBase: Bool) -> Bool {
        var stack: [UInt64] = []
        var i = 0
        let n = b.count
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        while i < n {
            // Skip eight bytes at a time while none is '<' or '&'.
            while i + 8 <= n {
                let x = UnsafeRawPointer(b.baseAddress! + i).loadUnaligned(as: UInt64.self)
                let lt = x ^ (ones &* 0x3C), amp = x ^ (ones &* 0x26)
                if ((lt &- ones) & ~lt & high) | ((amp &- ones) & ~amp & high) != 0 { break }
                i += 8
            }
            guard i < n else { break }
            let c = b[i]
            if c == 0x26 {   // &
                guard let end = entityEnd(b, i) else { return false }
                i = end
                continue
            }
            guard c == 0x3C else { i += 1; continue }   // <
            i += 1
            var closing = false
            if i < n, b[i] == 0x2F { closing = true; i += 1 }
            let nameStart = i
            while i < n, isAlnum(b[i]) { i += 1 }
            guard i > nameStart, i - nameStart <= 8 else { return false }
            let name = packedName(b, nameStart, i)
            guard packedAllowed.contains(name) else { return false }
            if closing {
                guard i < n, b[i] == 0x3E, stack.last == name else { return false }
                stack.removeLast()
                i += 1
                continue
            }
            // Attributes: name="value" only.
            var selfClosing = false
            while true {
                while i < n, b[i] == 0x20 { i += 1 }
                guard i < n else { return false }
                if b[i] == 0x3E { i += 1; break }
                if b[i] == 0x2F, i + 1 < n, b[i + 1] == 0x3E { selfClosing = true; i += 2; break }
                let aStart = i
                while i < n, isAlnum(b[i]) { i += 1 }
                guard i > aStart, i + 1 < n, b[i] == 0x3D, b[i + 1] == 0x22 else { return false }
                let attr = lower(b, aStart, i)
                guard fastAttributes.contains(attr) else { return false }
                i += 2
                let vStart = i
                while i < n, b[i] != 0x22 {
                    if b[i] == 0x3C || b[i] == 0x26 { return false }
                    i += 1
                }
                guard i < n else { return false }
                if attr == "href" || attr == "src" {
                    guard isSafeAbsolute(b, vStart, i) || (!hasBase && isPlainRelative(b, vStart, i)) else { return false }
                }
                i += 1
            }
            if !packedVoid.contains(name) {
                // Deeper markup goes to the writer, which flattens it.
                if selfClosing || stack.count >= Writer.maxDepth { return false }
                stack.append(name)
            }
        }
        return stack.isEmpty
    }

    /// The index after a well-formed `&name;`, `&#123;` or `&#x1F;`.
    private static func entityEnd(_ b: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        var i = start + 1
        let n = b.count
        if i < n, b[i] == 0x23 {
            i += 1
            if i < n, b[i] == 0x78 { i += 1 }
            let d = i
            while i < n, isAlnum(b[i]) { i += 1 }
            return i > d && i < n && b[i] == 0x3B ? i + 1 : nil
        }
        let d = i
        while i < n, isAlnum(b[i]) { i += 1 }
        return i > d && i - d <= 10 && i < n && b[i] == 0x3B ? i + 1 : nil
    }

    private static func isAlnum(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
    }

    private static func lower(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> String {
        String(unsafeUninitializedCapacity: e - s) { out in
            for k in s..<e { out[k - s] = b[k] >= 0x41 && b[k] <= 0x5A ? b[k] + 0x20 : b[k] }
            return e - s
        }
    }

    private static func isSafeAbsolute(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        let v = lower(b, s, min(e, s + 8))
        return v.hasPrefix("https://") || v.hasPrefix("http://")
    }

    /// A path-only reference (no scheme), which stays as written when there is no base.
    private static func isPlainRelative(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        for k in s..<e where b[k] == 0x3A || b[k] < 0x21 { return false }
        return true
    }
}
