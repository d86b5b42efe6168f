#if canImport(Glibc)
import Glibc
#endif

/// libxml2 2.9 checks each attribute of a start tag against every earlier one, so one tag
/// with 300,000 attributes costs minutes. Before parsing, attributes beyond `max` on any
/// tag are blanked out (newlines kept, so line numbers hold). The scan reads only tags,
/// found with memchr, so text costs nothing.
enum AttributeLimit {
    /// Real feeds put a handful of attributes on an element; XHTML content a dozen.
    static let max = 1_000

    /// The byte ranges to blank, in order; empty when every tag is within the limit.
    static func excess(_ b: UnsafeRawBufferPointer) -> [Range<Int>] {
        guard let base = b.baseAddress, b.count > 0 else { return [] }
        var cuts: [Range<Int>] = []
        var i = 0
        let n = b.count
        while i < n {
            guard let p = memchr(base + i, 0x3C, n - i) else { break }
            let lt = base.distance(to: UnsafeRawPointer(p))
            i = lt + 1
            guard i < n, isNameByte(b[i]) else { continue }
            // The element's name, then its attributes.
            while i < n, isNameByte(b[i]) { i += 1 }
            var count = 0
            var cut: Int?
            while i < n {
                while i < n, isSpace(b[i]) { i += 1 }
                guard i < n, isNameByte(b[i]) else { break }          // `>`, `/>` or damage: the tag ends
                while i < n, isNameByte(b[i]) { i += 1 }
                while i < n, isSpace(b[i]) { i += 1 }
                guard i < n, b[i] == 0x3D else { break }
                i += 1
                while i < n, isSpace(b[i]) { i += 1 }
                guard i < n, b[i] == 0x22 || b[i] == 0x27 else { break }
                guard let q = memchr(base + i + 1, Int32(b[i]), n - i - 1) else { return cuts }
                i = base.distance(to: UnsafeRawPointer(q)) + 1
                count += 1
                if count == max { cut = i }
            }
            if let cut, count > max { cuts.append(cut..<i) }
        }
        return cuts
    }

    /// `bytes` with `cuts` blanked (spaces; line breaks kept).
    static func blank(_ bytes: UnsafeRawBufferPointer, _ cuts: [Range<Int>]) -> [UInt8] {
        var out = Array(bytes)
        for cut in cuts {
            for k in cut where out[k] != 0x0A && out[k] != 0x0D { out[k] = 0x20 }
        }
        return out
    }

    private static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }

    /// Letters, digits, `_ - . :` and any non-ASCII byte: enough to walk XML names.
    private static func isNameByte(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x3A) || c == 0x5F || c == 0x2D
            || c == 0x2E || c >= 0x80
    }
}
