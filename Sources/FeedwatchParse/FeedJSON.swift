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
        if !streaming {
            let es = feed.entries
            for i in es.indices {
                size += 320 + es[i].id.utf8.count + (es[i].title?.utf8.count ?? 0) + (es[i].link?.utf8.count ?? 0)
                    + (es[i].summary?.utf8.count ?? 0) * 9 / 8 + (es[i].content?.utf8.count ?? 0) * 9 / 8
            }
        }
        w.out.reserveCapacity(streaming ? 128 * 1024 : size)
        w.raw("{\"title\":"); w.string(feed.title)
        w.raw(",\"link\":"); w.string(feed.link)
        w.raw(",\"language\":"); w.string(feed.language)
        w.raw(",\"entries\":[")
        // Indexing (not iterating copies) reads each field in place: no per-entry retains.
        let entries = feed.entries
        for i in entries.indices {
            if i > 0 { w.raw(",") }
            w.raw("{\"id\":"); w.string(entries[i].idIsDerived ? nil : entries[i].id)
            w.raw(",\"title\":"); w.string(entries[i].title)
            w.raw(",\"link\":"); w.string(entries[i].link)
            w.raw(",\"published\":"); w.date(entries[i].published)
            w.raw(",\"updated\":"); w.date(entries[i].updated)
            w.raw(",\"authors\":"); w.strings(entries[i].authors)
            w.raw(",\"categories\":"); w.strings(entries[i].categories)
            w.raw(",\"summary\":"); w.string(entries[i].summary)
            w.raw(",\"content\":"); w.string(entries[i].content)
            w.raw("}")
            if streaming, w.out.count >= 64 * 1024 { try flush(&w.out) }
        }
        w.raw("]}")
    }

    private struct Writer {
        var out: [UInt8] = []

        mutating func raw(_ s: StaticString) {
            out.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
        }

        mutating func string(_ s: String?) {
            guard let s else { raw("null"); return }
            JSONString.append(s, to: &out, style: .shortControls)
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
    }
}
