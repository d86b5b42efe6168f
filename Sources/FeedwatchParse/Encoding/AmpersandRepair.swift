#if canImport(Glibc)
import Glibc
#endif

/// Escapes ampersands that do not start a reference (`AT&T`, `?a=1&b=2`), which
/// libxml2 would otherwise drop, and fixes `&#X41;` (upper-case X, which XML
/// rejects). CDATA sections, comments and processing instructions are left alone.
enum AmpersandRepair {
    /// nil when nothing needed repair.
    static func repair(_ b: UnsafeRawBufferPointer) -> [UInt8]? {
        guard let base = b.baseAddress else { return nil }
        let n = b.count
        var out: [UInt8]?
        var copied = 0
        func flush(upTo end: Int, into o: inout [UInt8]) {
            o.append(contentsOf: UnsafeRawBufferPointer(rebasing: b[copied..<end]))
            copied = end
        }
        // memchr keeps this near memory speed: feeds are mostly CDATA and text.
        func nextBang(from start: Int) -> Int {
            var i = start
            while i < n, let hit = memchr(base + i, 0x3C, n - i) {
                let p = base.distance(to: UnsafeRawPointer(hit))
                if p + 1 < n, b[p + 1] == 0x21 { return p }
                i = p + 1
            }
            return n
        }
        var bang = nextBang(from: 0)
        var i = 0
        while i < n {
            guard let hit = memchr(base + i, 0x26, n - i) else { break }
            let amp = base.distance(to: UnsafeRawPointer(hit))
            if amp > bang {
                let end = skipSpecial(b, at: bang) ?? bang + 2
                bang = nextBang(from: end)
                if amp < end { i = end }
                continue
            }
            switch classify(b, at: amp) {
            case .ok:
                break
            case .bare:
                if out == nil { out = []; out!.reserveCapacity(n + 64) }
                flush(upTo: amp + 1, into: &out!)
                out!.append(contentsOf: [0x61, 0x6D, 0x70, 0x3B])   // "amp;"
            case .upperHex:
                if out == nil { out = []; out!.reserveCapacity(n + 64) }
                flush(upTo: amp + 2, into: &out!)
                out!.append(0x78)   // 'x'
                copied = amp + 3
            }
            i = amp + 1
        }
        guard var o = out else { return nil }
        flush(upTo: n, into: &o)
        return o
    }

    private enum Kind { case ok, bare, upperHex }

    private static func classify(_ b: UnsafeRawBufferPointer, at i: Int) -> Kind {
        let n = b.count
        var j = i + 1
        guard j < n else { return .bare }
        if b[j] == 0x23 {   // #
            j += 1
            var hex = false
            var upper = false
            if j < n, b[j] == 0x78 || b[j] == 0x58 { hex = true; upper = b[j] == 0x58; j += 1 }
            let start = j
            while j < n, j - start < 10, isDigit(b[j]) || (hex && isHex(b[j])) { j += 1 }
            guard j > start, j < n, b[j] == 0x3B else { return .bare }
            return upper ? .upperHex : .ok
        }
        guard isNameStart(b[j]) else { return .bare }
        j += 1
        while j < n, j - i < 64, isNameChar(b[j]) { j += 1 }
        return j < n && b[j] == 0x3B ? .ok : .bare
    }

    /// The end of a CDATA section, comment or PI starting at `i`, or nil.
    private static func skipSpecial(_ b: UnsafeRawBufferPointer, at i: Int) -> Int? {
        let n = b.count
        guard i + 1 < n else { return nil }
        if b[i + 1] == 0x3F { return find(b, [0x3F, 0x3E], from: i + 2).map { $0 + 2 } ?? n }   // ?>
        guard b[i + 1] == 0x21, i + 3 < n else { return nil }
        if b[i + 2] == 0x2D, b[i + 3] == 0x2D { return find(b, [0x2D, 0x2D, 0x3E], from: i + 4).map { $0 + 3 } ?? n }
        if i + 8 < n, b[i + 2] == 0x5B, b[i + 3] == 0x43, b[i + 4] == 0x44, b[i + 5] == 0x41, b[i + 6] == 0x54,
           b[i + 7] == 0x41, b[i + 8] == 0x5B {   // <![CDATA[
            return find(b, [0x5D, 0x5D, 0x3E], from: i + 9).map { $0 + 3 } ?? n
        }
        return nil
    }

    private static func find(_ b: UnsafeRawBufferPointer, _ p: [UInt8], from: Int) -> Int? {
        guard let base = b.baseAddress else { return nil }
        var i = from
        let n = b.count - p.count
        while i <= n {
            // memchr for the first byte: CDATA sections are long.
            guard let hit = memchr(base + i, Int32(p[0]), b.count - i) else { return nil }
            i = base.distance(to: UnsafeRawPointer(hit))
            guard i <= n else { return nil }
            var k = 1
            while k < p.count, b[i + k] == p[k] { k += 1 }
            if k == p.count { return i }
            i += 1
        }
        return nil
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    private static func isHex(_ c: UInt8) -> Bool { isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66) }
    private static func isNameStart(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x3A || c >= 0x80
    }
    private static func isNameChar(_ c: UInt8) -> Bool { isNameStart(c) || isDigit(c) || c == 0x2D || c == 0x2E }
}
