import FeedwatchText

/// Turns story text (plain or HTML) into folded UTF-8 for matching, in one pass and without
/// building strings: tags, comments, `<script>`/`<style>` become word breaks, entities are
/// decoded, and every character is folded as `TextNormalizer.fold` folds it (case, diacritics,
/// compatibility forms, typographic apostrophes and dashes).
///
/// With `lines: true` the output keeps the text's lines as `HTMLText.plainText` makes them, so
/// line-based rules (`Boilerplate.strip`) can read it: block elements and `<br>` end a line, and
/// in HTML a source line break is a space, as a browser renders it.
///
/// Why not `HTMLText.plainText` + `Tokenizer.tokens`: classification must run at tens of
/// thousands of stories a second; building a DOM and one String per word cost 3× the whole
/// matching. Readable text is not needed here, only the folded words.
struct MatchFolder: Sendable {
    private let latin: [[UInt8]]        // folds of U+0080 ..< U+0250
    private let punctuation: [[UInt8]]  // folds of U+2000 ..< U+2070

    init() {
        latin = (0x80..<0x250).map { Array(TextNormalizer.fold(String(Unicode.Scalar($0)!)).utf8) }
        punctuation = (0x2000..<0x2070).map { Array(TextNormalizer.fold(String(Unicode.Scalar($0)!)).utf8) }
    }

    /// Appends the folded text of `text` to `out`; with `lines`, block elements end lines.
    func fold(_ text: String, into out: inout [UInt8], lines: Bool = false) {
        out.reserveCapacity(out.count + text.utf8.count + 16)
        var text = text
        text.withUTF8 { bytes in
            // HTMLText.plainText's test for markup: only then are source line breaks spaces.
            let html = lines && bytes.contains { $0 == 0x3C || $0 == 0x26 }
            fold(bytes: bytes, into: &out, lines: lines, html: html)
        }
    }

    private func fold(bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8], lines: Bool, html: Bool) {
        let n = bytes.count
        var i = 0
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                // Plain runs (no capital, markup, entity or non-ASCII) are copied in one go.
                var j = i
                while j + 8 <= n, Self.allPlain(UnsafeRawPointer(bytes.baseAddress! + j).loadUnaligned(as: UInt64.self)) {
                    j += 8
                }
                while j < n, Self.plain(bytes[j]) { j += 1 }
                if j > i {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<j]))
                    i = j
                    continue
                }
                switch b {
                case 0x3C:  // <
                    if let next = skipMarkup(bytes, at: i) {
                        out.append(lines && Self.endsLine(bytes, at: i) ? 0x0A : 0x20)
                        i = next
                        continue
                    }
                    out.append(b)
                case 0x0A, 0x0D: out.append(html ? 0x20 : b)
                case 0x26:  // &
                    if let (scalar, next) = entity(bytes, at: i) { append(scalar, to: &out); i = next; continue }
                    out.append(b)
                case 0x41...0x5A: out.append(b | 0x20)
                case 0x60: out.append(0x27)
                default: out.append(b)
                }
                i += 1
                continue
            }
            let width = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
            guard width > 1, i + width <= n else { i += 1; continue }    // stray byte: drop
            var v = UInt32(b) & (width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07)
            for k in 1..<width { v = (v << 6) | (UInt32(bytes[i + k]) & 0x3F) }
            if let scalar = Unicode.Scalar(v) { append(scalar, to: &out) }
            i += width
        }
    }

    /// ASCII that folds to itself and starts nothing: not A-Z, `<`, `&`, `` ` ``, a line break or
    /// non-ASCII.
    @inline(__always)
    static func plain(_ b: UInt8) -> Bool {
        b < 0x80 && b &- 0x41 >= 26 && b != 0x3C && b != 0x26 && b != 0x60 && b != 0x0A && b != 0x0D
    }

    /// `plain` for eight bytes at once: the byte-at-a-time test was most of the folding time.
    @inline(__always)
    static func allPlain(_ x: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        guard x & high == 0 else { return false }
        // Every byte is under 0x80, so adding up to 0x3F carries into no neighbour.
        let capital = (x &+ 0x3F &* ones) & ~(x &+ 0x25 &* ones) & high     // some byte in 0x41...0x5A
        @inline(__always) func has(_ c: UInt64) -> UInt64 {
            let v = x ^ (c &* ones)
            return (v &- ones) & ~v & high
        }
        return capital | has(0x3C) | has(0x26) | has(0x60) | has(0x0A) | has(0x0D) == 0
    }

    /// Whether the tag at `i` (`<p>`, `</div>`, `<br/>`) ends a line: the block elements
    /// `HTMLText.plainText` breaks at, and `<br>`.
    private static func endsLine(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        var j = i + 1
        if j < bytes.count, bytes[j] == 0x2F { j += 1 }
        let start = j
        while j < bytes.count, j - start <= 10, (bytes[j] | 0x20) &- 0x61 < 26 || bytes[j] &- 0x30 < 10 { j += 1 }
        let length = j - start
        guard length >= 1, length < lineBreakingTags.count else { return false }
        for name in lineBreakingTags[length] {
            var k = 0
            while k < length, bytes[start + k] | 0x20 == name[k] { k += 1 }
            if k == length { return true }
        }
        return false
    }

    /// Tag names that end a line, by length.
    private static let lineBreakingTags: [[[UInt8]]] = {
        let names = ["p", "div", "section", "article", "header", "footer", "aside", "nav", "main", "blockquote",
                     "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "table", "tr",
                     "pre", "figure", "figcaption", "address", "hr", "form", "fieldset", "details", "summary", "br"]
        var table = [[[UInt8]]](repeating: [], count: 11)
        for name in names { table[name.utf8.count].append(Array(name.utf8)) }
        return table
    }()

    private func append(_ scalar: Unicode.Scalar, to out: inout [UInt8]) {
        let v = scalar.value
        switch v {
        case 0..<0x80:
            let b = UInt8(v)
            out.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : (b == 0x60 ? 0x27 : b))
        case 0x80..<0x250: out.append(contentsOf: latin[Int(v - 0x80)])
        case 0x2000..<0x2070: out.append(contentsOf: punctuation[Int(v - 0x2000)])
        default: out.append(contentsOf: TextNormalizer.fold(String(scalar)).utf8)
        }
    }

    /// The index after a tag, comment or script/style element starting at `i`, or nil when the
    /// `<` is just a character ("a < b").
    private func skipMarkup(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        let n = bytes.count
        guard i + 1 < n else { return nil }
        let next = bytes[i + 1]
        let isLetter = (next | 0x20) >= 0x61 && (next | 0x20) <= 0x7A
        guard isLetter || next == 0x2F || next == 0x21 || next == 0x3F else { return nil }
        if next == 0x21, i + 3 < n, bytes[i + 2] == 0x2D, bytes[i + 3] == 0x2D {   // <!-- … -->
            var j = i + 4
            while j + 2 < n, !(bytes[j] == 0x2D && bytes[j + 1] == 0x2D && bytes[j + 2] == 0x3E) { j += 1 }
            return min(j + 3, n)
        }
        var j = i + 1
        while j < n, bytes[j] != 0x3E { j += 1 }
        guard j < n else { return nil }
        let end = j + 1
        for name in Self.rawTextElements where Self.hasName(bytes, at: i + 1, name) {
            return Self.find(closing: name, in: bytes, from: end) ?? n
        }
        return end
    }

    private static let rawTextElements: [[UInt8]] = [Array("script".utf8), Array("style".utf8)]

    private static func hasName(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int, _ name: [UInt8]) -> Bool {
        guard i + name.count < bytes.count else { return false }
        for k in 0..<name.count where bytes[i + k] | 0x20 != name[k] { return false }
        let after = bytes[i + name.count]
        return after == 0x3E || after == 0x20 || after == 0x2F || after == 0x09 || after == 0x0A
    }

    private static func find(closing name: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var j = start
        while j + 1 < bytes.count {
            if bytes[j] == 0x3C, bytes[j + 1] == 0x2F, hasName(bytes, at: j + 2, name) {
                var k = j + 2
                while k < bytes.count, bytes[k] != 0x3E { k += 1 }
                return min(k + 1, bytes.count)
            }
            j += 1
        }
        return nil
    }

    /// Decodes `&name;`, `&#N;` or `&#xH;` at `i`.
    private func entity(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar, Int)? {
        var j = i + 1
        let n = bytes.count
        while j < n, j - i <= 10, bytes[j] != 0x3B {
            let c = bytes[j] | 0x20
            guard (c >= 0x61 && c <= 0x7A) || (bytes[j] >= 0x30 && bytes[j] <= 0x39) || bytes[j] == 0x23 else { return nil }
            j += 1
        }
        guard j < n, bytes[j] == 0x3B, j > i + 1 else { return nil }
        if bytes[i + 1] == 0x23 {                                   // &#8217; or &#x2019;
            let hex = i + 2 < j && bytes[i + 2] | 0x20 == 0x78
            var value: UInt32 = 0
            for k in (hex ? i + 3 : i + 2)..<j {
                let c = bytes[k]
                let digit: UInt32
                switch c {
                case 0x30...0x39: digit = UInt32(c - 0x30)
                case 0x61...0x66 where hex: digit = UInt32(c - 0x61 + 10)
                case 0x41...0x46 where hex: digit = UInt32(c - 0x41 + 10)
                default: return nil
                }
                value = value &* (hex ? 16 : 10) &+ digit
                if value > 0x10FFFF { return nil }
            }
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return (scalar, j + 1)
        }
        let name = UnsafeBufferPointer(rebasing: bytes[(i + 1)..<j])
        guard let scalar = HTMLEntities.scalar(named: name) else { return (" ", j + 1) }
        return (scalar, j + 1)
    }
}
