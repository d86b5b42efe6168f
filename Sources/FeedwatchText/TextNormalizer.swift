import Foundation

/// The one text normalisation shared by dedup and classification.
///
/// `fold` applies compatibility normalisation (NFKC: ligatures, full-width forms, no-break spaces),
/// case folding and diacritic folding (`Ménaka` → `menaka`, `Ségou` → `segou`, `Œuvre` → `oeuvre`),
/// and unifies typographic apostrophes (’ ʼ ‘ ′ ´ `) to `'` and dashes (‐ – — − …) to `-`.
/// It is idempotent: `fold(fold(s)) == fold(s)`.
public enum TextNormalizer {
    /// Folds `s` for matching. ASCII is handled byte by byte; Latin letters through a table built
    /// once; everything else through Foundation's NFKD one scalar at a time.
    public static func fold(_ s: String) -> String {
        var s = s
        return s.withUTF8 { bytes in
            // Most text is ASCII: then the fold is a byte map, written straight into the result.
            if isASCII(bytes) {
                return String(unsafeUninitializedCapacity: bytes.count) { out in
                    for i in 0..<bytes.count { out[i] = foldASCII(bytes[i]) }
                    return bytes.count
                }
            }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count)
            let table = FoldTable.shared
            var i = 0
            let n = bytes.count
            while i < n {
                let b = bytes[i]
                if b < 0x80 {
                    out.append(foldASCII(b))
                    i += 1
                    continue
                }
                // Valid UTF-8 (it comes from a String): decode the scalar in place.
                let width = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
                var v = UInt32(b) & (width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07)
                for k in 1..<width { v = (v << 6) | (UInt32(bytes[i + k]) & 0x3F) }
                i += width
                if let mapped = table.mapping(for: v) {
                    out.append(contentsOf: mapped)
                } else {
                    out.append(contentsOf: FoldTable.slowFold(Unicode.Scalar(v)!))
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    @inline(__always)
    private static func foldASCII(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b | 0x20 : (b == 0x60 ? 0x27 : b) }

    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = bytes.count
        // Eight bytes at a time: no high bit set in any.
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while i + 8 <= n {
                if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
                i += 8
            }
        }
        while i < n {
            if bytes[i] >= 0x80 { return false }
            i += 1
        }
        return true
    }
}

/// Precomputed folds for the scalars news text uses most: Latin-1, Latin Extended-A/B,
/// combining marks, general punctuation and full-width ASCII.
struct FoldTable: Sendable {
    static let shared = FoldTable()

    private let latin: [[UInt8]]      // U+0080 ..< U+0250
    private let punctuation: [[UInt8]] // U+2000 ..< U+2070

    private init() {
        latin = (0x80..<0x250).map { FoldTable.slowFold(Unicode.Scalar($0)!) }
        punctuation = (0x2000..<0x2070).map { FoldTable.slowFold(Unicode.Scalar($0)!) }
    }

    func mapping(for v: UInt32) -> [UInt8]? {
        switch v {
        case 0x80..<0x250: return latin[Int(v - 0x80)]
        case 0x2000..<0x2070: return punctuation[Int(v - 0x2000)]
        case 0x0300..<0x0370, 0x1AB0..<0x1B00, 0x1DC0..<0x1E00, 0x20D0..<0x2100, 0xFE20..<0xFE30:
            return []                                       // combining diacritics vanish
        case 0xFF01...0xFF5E:                               // full-width ASCII
            let b = UInt8(v - 0xFEE0)
            return [b >= 0x41 && b <= 0x5A ? b | 0x20 : b]
        case 0xAC00...0xD7A3:                               // Hangul syllables: NFKD would split them
            return Array(String(Unicode.Scalar(v)!).utf8)
        default: return nil
        }
    }

    /// Letters NFKD leaves whole but readers treat as their base letters.
    private static let overrides: [UInt32: String] = [
        0x00DF: "ss", 0x1E9E: "ss", 0x00E6: "ae", 0x00C6: "ae", 0x0153: "oe", 0x0152: "oe",
        0x00F8: "o", 0x00D8: "o", 0x0111: "d", 0x0110: "d", 0x00F0: "d", 0x00D0: "d",
        0x00FE: "th", 0x00DE: "th", 0x0142: "l", 0x0141: "l", 0x0131: "i", 0x0127: "h", 0x0126: "h",
        0x00B4: "'", 0x2018: "'", 0x2019: "'", 0x201B: "'", 0x02BC: "'", 0x02B9: "'", 0x2032: "'",
        0x2010: "-", 0x2011: "-", 0x2012: "-", 0x2013: "-", 0x2014: "-", 0x2015: "-", 0x2212: "-",
        0xFE58: "-", 0xFE63: "-", 0xFF0D: "-", 0x00AD: "",   // soft hyphen disappears
        0x201C: "\"", 0x201D: "\"", 0x201E: "\"", 0x00AB: "\"", 0x00BB: "\"",
        0x2039: "\"", 0x203A: "\"", 0x2026: "...",
    ]

    /// NFKD, drop combining marks, lower-case: the reference fold for one scalar.
    static func slowFold(_ scalar: Unicode.Scalar) -> [UInt8] {
        if let o = overrides[scalar.value] { return Array(o.utf8) }
        let decomposed = String(scalar).decomposedStringWithCompatibilityMapping
        var out = ""
        for s in decomposed.unicodeScalars {
            if isCombiningMark(s) { continue }
            if let o = overrides[s.value] { out += o; continue }
            if s.value == 0x00A0 || s.properties.isWhitespace { out += " "; continue }
            out += s.properties.lowercaseMapping
        }
        return Array(out.utf8)
    }

    private static func isCombiningMark(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x0300..<0x0370, 0x1AB0..<0x1B00, 0x1DC0..<0x1E00, 0x20D0..<0x2100, 0xFE20..<0xFE30: return true
        default: return false
        }
    }
}
