/// Fast UTF-8 validation and control-character removal over raw bytes.
enum UTF8Check {
    enum Verdict: Equatable {
        case ascii
        case validUTF8
        /// `validMultibyte`: at least one well-formed multi-byte sequence was seen.
        case invalid(validMultibyte: Bool)
    }

    static func scan(_ b: UnsafeRawBufferPointer) -> Verdict {
        let n = b.count
        var i = 0
        var sawMultibyte = false
        var bad = false
        while i < n {
            // Skip ASCII eight bytes at a time.
            while i + 8 <= n, b.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
            guard i < n else { break }
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            let len: Int
            if c >= 0xC2 && c <= 0xDF { len = 2 } else if c >= 0xE0 && c <= 0xEF { len = 3 } else if c >= 0xF0 && c <= 0xF4 { len = 4 } else { bad = true; i += 1; continue }
            guard i + len <= n else { bad = true; break }
            var ok = true
            for k in 1..<len where b[i + k] & 0xC0 != 0x80 { ok = false }
            if ok && len == 3 {
                if c == 0xE0 && b[i + 1] < 0xA0 { ok = false }
                if c == 0xED && b[i + 1] > 0x9F { ok = false }
            }
            if ok && len == 4 {
                if c == 0xF0 && b[i + 1] < 0x90 { ok = false }
                if c == 0xF4 && b[i + 1] > 0x8F { ok = false }
            }
            if ok { sawMultibyte = true; i += len } else { bad = true; i += 1 }
        }
        if bad { return .invalid(validMultibyte: sawMultibyte) }
        return sawMultibyte ? .validUTF8 : .ascii
    }

    /// Whether a C0 control other than tab, LF and CR occurs: eight bytes per step, exactly,
    /// since every line break would otherwise send its eight bytes down the slow path.
    static func hasControls(_ b: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = b.count
        while i + 8 <= n {
            if controls(b.loadUnaligned(fromByteOffset: i, as: UInt64.self)) != 0 { return true }
            i += 8
        }
        for k in i..<n where isControl(b[k]) { return true }
        return false
    }

    /// The high bit of each byte of `x` that is a C0 control other than tab, LF and CR. Exact per
    /// byte: no borrow or carry crosses from one byte into the next.
    @inline(__always)
    static func controls(_ x: UInt64) -> UInt64 {
        let low: UInt64 = 0x7F7F_7F7F_7F7F_7F7F, ones: UInt64 = 0x0101_0101_0101_0101
        let belowSpace = ~(((x & low) &+ 0x60 &* ones) | x) & ~low
        @inline(__always) func equal(_ c: UInt64) -> UInt64 {
            let z = x ^ (c &* ones)
            return ~(((z & low) &+ low) | z | low)
        }
        return belowSpace & ~(equal(0x09) | equal(0x0A) | equal(0x0D))
    }

    @inline(__always)
    static func isControl(_ c: UInt8) -> Bool { c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D }

    /// Drops C0 controls other than tab, LF and CR: XML 1.0 forbids them, and libxml2 would
    /// report the feed broken over a stray form feed. DEL stays: XML 1.0 allows it.
    static func removingControls(_ b: UnsafeRawBufferPointer) -> [UInt8] {
        var firstBad = -1
        for i in 0..<b.count {
            let c = b[i]
            if c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D { firstBad = i; break }
        }
        if firstBad < 0 { return Array(b) }
        var out = [UInt8]()
        out.reserveCapacity(b.count)
        out.append(contentsOf: b[0..<firstBad])
        for i in firstBad..<b.count {
            let c = b[i]
            if c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D { continue }
            out.append(c)
        }
        return out
    }

    static func removingControls(_ a: [UInt8]) -> [UInt8] {
        a.withUnsafeBytes { removingControls($0) }
    }
}

/// windows-1252 → UTF-8, the reading browsers give ISO-8859-1 too.
enum Windows1252 {
    private static let high: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    /// C1 controls (U+0080–U+009F) in text are windows-1252 bytes that went through a
    /// latin-1 step, e.g. `&#146;` meaning ’ ("demoronizing", as feedparser calls it).
    static func demoronize(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { $0.value >= 0x80 && $0.value < 0xA0 }) else { return s }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            if u.value >= 0x80 && u.value < 0xA0, let m = Unicode.Scalar(high[Int(u.value) - 0x80]) {
                out.append(m)
            } else {
                out.append(u)
            }
        }
        return String(out)
    }

    static func decode(_ b: UnsafeRawBufferPointer) -> [UInt8] {
        var s = String()
        s.reserveCapacity(b.count + b.count / 8)
        var scalars = String.UnicodeScalarView()
        for c in b {
            let v: UInt32 = (c >= 0x80 && c < 0xA0) ? high[Int(c) - 0x80] : UInt32(c)
            scalars.append(Unicode.Scalar(v)!)
        }
        s.unicodeScalars.append(contentsOf: scalars)
        return Array(s.utf8)
    }
}
