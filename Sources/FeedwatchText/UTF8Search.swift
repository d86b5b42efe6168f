#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level helpers for ASCII patterns in UTF-8 text: no Foundation, no per-character work.
enum UTF8Search {
    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : b }

    /// First index of `needle` (lower-case ASCII or raw UTF-8) in `hay` at or after `from`,
    /// matching ASCII letters case-insensitively.
    static func find(_ needle: [UInt8], in hay: UnsafeBufferPointer<UInt8>, from: Int = 0) -> Int? {
        guard !needle.isEmpty, hay.count >= needle.count, let base = hay.baseAddress else { return nil }
        // Candidates are found by the needle's rarest byte (testing at its first byte, a space in
        // " appeared first on ", starts a comparison at every word), eight bytes at a time.
        let k = anchor(needle)
        let key = needle[k]
        let other = key >= 0x61 && key <= 0x7A ? key ^ 0x20 : key       // its capital: lower() folds it
        let last = hay.count - needle.count
        guard from <= last else { return nil }
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let keys = UInt64(key) &* ones, others = UInt64(other) &* ones
        let raw = UnsafeRawPointer(base)
        var i = from
        while i <= last {
            if i + 8 <= last + 1 {
                // No byte of hay[i + k ..< i + k + 8] is the anchor: skip the eight starts.
                let word = raw.loadUnaligned(fromByteOffset: i + k, as: UInt64.self)
                let a = word ^ keys, b = word ^ others
                if ((a &- ones) & ~a & highs) | ((b &- ones) & ~b & highs) == 0 {
                    i += 8
                    continue
                }
            }
            if lower(hay[i + k]) == key {
                var j = 0
                while j < needle.count && lower(hay[i + j]) == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    /// The index of the byte of `needle` least likely in text: not a letter, else the rarest letter.
    private static func anchor(_ needle: [UInt8]) -> Int {
        var best = 0, bestRank = Int.max
        for (i, b) in needle.enumerated() {
            let rank = b == 0x20 ? 100 : (b >= 0x61 && b <= 0x7A ? Int(letterFrequency[Int(b - 0x61)]) : 0)
            if rank < bestRank { best = i; bestRank = rank }
        }
        return best
    }

    /// Rough frequency rank of a..z in English and French text (higher: more frequent).
    private static let letterFrequency: [UInt8] = [
        //a  b  c  d  e  f  g  h  i  j  k  l  m  n  o  p  q  r  s  t  u  v  w  x  y  z
        80, 15, 30, 40, 99, 20, 18, 50, 70, 3, 6, 40, 25, 70, 75, 19, 2, 60, 63, 85, 28, 10, 22, 4, 18, 2,
    ]

    /// Whether `byte` occurs in `hay` (memchr: vectorised).
    static func contains(_ byte: UInt8, in hay: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = hay.baseAddress, !hay.isEmpty else { return false }
        return memchr(base, Int32(byte), hay.count) != nil
    }

    /// Last index of `needle` in `hay[..<before]`, case-insensitively for ASCII.
    static func findLast(_ needle: [UInt8], in hay: UnsafeBufferPointer<UInt8>, before: Int) -> Int? {
        var i = before - needle.count
        while i >= 0 {
            var k = 0
            while k < needle.count && lower(hay[i + k]) == needle[k] { k += 1 }
            if k == needle.count { return i }
            i -= 1
        }
        return nil
    }

    /// Whether `hay[at...]` starts with `needle`, case-insensitively for ASCII.
    static func hasPrefix(_ hay: UnsafeBufferPointer<UInt8>, at: Int, _ needle: [UInt8]) -> Bool {
        guard at + needle.count <= hay.count else { return false }
        for k in 0..<needle.count where lower(hay[at + k]) != needle[k] { return false }
        return true
    }

    /// Whether `hay[..<end]` ends with `needle`, case-insensitively for ASCII.
    static func hasSuffix(_ hay: UnsafeBufferPointer<UInt8>, end: Int, _ needle: [UInt8]) -> Bool {
        guard end >= needle.count else { return false }
        let start = end - needle.count
        for k in 0..<needle.count where lower(hay[start + k]) != needle[k] { return false }
        return true
    }

    /// Whether the characters on both sides of byte `i` are letters, marks or digits: a cut at `i`
    /// would split a word, a removal ending at `i` would join two. `i` must start a character.
    static func isInsideWord(_ s: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        guard i > 0, i < s.count else { return false }
        var start = i - 1
        while start > 0, s[start] & 0xC0 == 0x80 { start -= 1 }
        return isWordCharacter(s, from: start, to: i) && isWordCharacter(s, from: i, to: min(s.count, i + width(s[i])))
    }

    /// Whether `s[from..<to]`, one character, is a letter, a mark or a digit.
    private static func isWordCharacter(_ s: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Bool {
        let b = s[from]
        if b < 0x80 { return (b | 0x20) &- 0x61 < 26 || b &- 0x30 < 10 }
        guard let scalar = String(decoding: UnsafeBufferPointer(rebasing: s[from..<to]), as: UTF8.self).unicodeScalars.first
        else { return false }
        return scalar.properties.isAlphabetic || scalar.properties.generalCategory == .decimalNumber
            || scalar.properties.generalCategory == .nonspacingMark || scalar.properties.generalCategory == .spacingMark
    }

    @inline(__always) private static func width(_ b: UInt8) -> Int {
        b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
    }

    /// Whether `b` is ASCII whitespace.
    @inline(__always) static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D || b == 0x0B || b == 0x0C }
}
