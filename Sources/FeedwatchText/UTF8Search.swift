/// Byte-level helpers for ASCII patterns in UTF-8 text: no Foundation, no per-character work.
enum UTF8Search {
    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

    /// First index of `needle` (lower-case ASCII or raw UTF-8) in `hay` at or after `from`,
    /// matching ASCII letters case-insensitively.
    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int = 0) -> Int? {
        guard !needle.isEmpty, hay.count >= needle.count else { return nil }
        let first = needle[0]
        var i = from
        let last = hay.count - needle.count
        while i <= last {
            if lower(hay[i]) == first {
                var k = 1
                while k < needle.count && lower(hay[i + k]) == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    /// Last index of `needle` in `hay[..<before]`, case-insensitively for ASCII.
    static func findLast(_ needle: [UInt8], in hay: [UInt8], before: Int) -> Int? {
        var i = before - needle.count
        while i >= 0 {
            var k = 0
            while k < needle.count && lower(hay[i + k]) == needle[k] { k += 1 }
            if k == needle.count { return i }
            i -= 1
        }
        return nil
    }

    /// Whether `hay[..<end]` ends with `needle`, case-insensitively for ASCII.
    static func hasSuffix(_ hay: [UInt8], end: Int, _ needle: [UInt8]) -> Bool {
        guard end >= needle.count else { return false }
        let start = end - needle.count
        for k in 0..<needle.count where lower(hay[start + k]) != needle[k] { return false }
        return true
    }

    /// Whether `b` is ASCII whitespace.
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0B || b == 0x0C }
}
