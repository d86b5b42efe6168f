import Foundation
import FeedwatchModel

/// Writes a `Feed` as the one-line JSON object `feedwatch parse` prints:
/// the same document `JSONEncoder` produces from `Feed`'s `Codable` conformance
/// (keys in contract order, dates RFC 3339 UTC, nulls kept, `/` unescaped), at a
/// fraction of the cost on multi-megabyte feeds.
public enum FeedJSON {
    public static func encode(_ feed: Feed) -> [UInt8] {
        var w = Writer()
        write(feed, into: &w, streaming: false) { _ in }
        return w.out
    }

    /// Streams the same bytes to `sink` in pieces of about 64 KiB, so a big feed's
    /// JSON is never held whole (the CLI writes straight to stdout).
    public static func write(_ feed: Feed, to sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        var w = Writer()
        try write(feed, into: &w, streaming: true) { out in
            try out.withUnsafeBytes(sink)
            out.removeAll(keepingCapacity: true)
        }
        try w.out.withUnsafeBytes(sink)
    }

    private static func write(_ feed: Feed, into w: inout Writer, streaming: Bool,
                              flush: (inout [UInt8]) throws -> Void) rethrows {
        // One allocation: the text plus a generous allowance for keys and escapes
        // (streaming needs only a chunk's worth).
        var size = 256
        for e in feed.entries {
            size += 320 + e.id.utf8.count + (e.title?.utf8.count ?? 0) + (e.link?.utf8.count ?? 0)
                + (e.summary?.utf8.count ?? 0) * 9 / 8 + (e.content?.utf8.count ?? 0) * 9 / 8
        }
        w.out.reserveCapacity(streaming ? 128 * 1024 : size)
        w.raw("{\"title\":"); w.string(feed.title)
        w.raw(",\"link\":"); w.string(feed.link)
        w.raw(",\"language\":"); w.string(feed.language)
        w.raw(",\"entries\":[")
        for (i, e) in feed.entries.enumerated() {
            if i > 0 { w.raw(",") }
            w.raw("{\"id\":"); w.string(e.id)
            w.raw(",\"title\":"); w.string(e.title)
            w.raw(",\"link\":"); w.string(e.link)
            w.raw(",\"published\":"); w.date(e.published)
            w.raw(",\"updated\":"); w.date(e.updated)
            w.raw(",\"authors\":"); w.strings(e.authors)
            w.raw(",\"categories\":"); w.strings(e.categories)
            w.raw(",\"summary\":"); w.string(e.summary)
            w.raw(",\"content\":"); w.string(e.content)
            w.raw("}")
            if streaming, w.out.count >= 64 * 1024 { try flush(&w.out) }
        }
        w.raw("]}")
    }

    /// SWAR test: does any byte of `x` need escaping in a JSON string?
    @inline(__always)
    static func needsEscape(_ x: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        func hasZero(_ v: UInt64) -> Bool { (v &- ones) & ~v & high != 0 }
        let below20 = (x &- ones &* 0x20) & ~x & high != 0
        return below20 || hasZero(x ^ (ones &* 0x22)) || hasZero(x ^ (ones &* 0x5C))
    }

    private struct Writer {
        var out: [UInt8] = []

        mutating func raw(_ s: StaticString) {
            out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
        }

        mutating func string(_ s: String?) {
            guard var s else { raw("null"); return }
            out.append(0x22)
            s.withUTF8 { u in
                var start = 0
                var i = 0
                let n = u.count
                while i < n {
                    // Eight bytes at a time while none needs escaping (< 0x20, '"', '\\').
                    while i + 8 <= n {
                        let x = UnsafeRawPointer(u.baseAddress! + i).loadUnaligned(as: UInt64.self)
                        if FeedJSON.needsEscape(x) { break }
                        i += 8
                    }
                    guard i < n else { break }
                    let c = u[i]
                    guard c < 0x20 || c == 0x22 || c == 0x5C else { i += 1; continue }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: u[start..<i]))
                    i += 1
                    start = i
                    switch c {
                    case 0x22: raw("\\\"")
                    case 0x5C: raw("\\\\")
                    case 0x0A: raw("\\n")
                    case 0x0D: raw("\\r")
                    case 0x09: raw("\\t")
                    case 0x08: raw("\\b")
                    case 0x0C: raw("\\f")
                    default:
                        raw("\\u00")
                        out.append(hex(c >> 4))
                        out.append(hex(c & 0xF))
                    }
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: u[start..<n]))
            }
            out.append(0x22)
        }

        mutating func strings(_ xs: [String]) {
            out.append(0x5B)
            for (i, x) in xs.enumerated() {
                if i > 0 { out.append(0x2C) }
                string(x)
            }
            out.append(0x5D)
        }

        /// RFC 3339 UTC, byte for byte what `RFC3339.format` gives.
        mutating func date(_ d: Date?) {
            guard let d else { raw("null"); return }
            var t = time_t(d.timeIntervalSince1970.rounded(.down))
            var tmv = tm()
            gmtime_r(&t, &tmv)
            out.append(0x22)
            digits(Int(tmv.tm_year) + 1900, 4); out.append(0x2D)
            digits(Int(tmv.tm_mon) + 1, 2); out.append(0x2D)
            digits(Int(tmv.tm_mday), 2); out.append(0x54)
            digits(Int(tmv.tm_hour), 2); out.append(0x3A)
            digits(Int(tmv.tm_min), 2); out.append(0x3A)
            digits(Int(tmv.tm_sec), 2); out.append(0x5A)
            out.append(0x22)
        }

        private mutating func digits(_ v: Int, _ width: Int) {
            var buf: [UInt8] = []
            var n = v
            for _ in 0..<width {
                buf.append(UInt8(0x30 + n % 10))
                n /= 10
            }
            out.append(contentsOf: buf.reversed())
        }

        private func hex(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x61 + v - 10 }
    }
}
