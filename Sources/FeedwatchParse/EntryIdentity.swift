import Foundation
import FeedwatchModel

/// Entry identity: guid/id, else link, else a stable hash — so re-polls never re-alert.
enum EntryIdentity {
    static func id(explicit: String?, link: String?, title: String?, date: Date?, body: String?) -> String {
        if let e = explicit?.trimmedWhitespace, !e.isEmpty { return e }
        if let l = link?.trimmedWhitespace, !l.isEmpty { return l }
        var key = (title ?? "") + "\u{1F}" + (date.map(RFC3339.format) ?? "")
        if title == nil && date == nil { key += "\u{1F}" + (body ?? "") }
        return "urn:feedwatch:" + fnv1a64Hex(key)
    }

    /// FNV-1a: tiny, and stable across processes and platforms (unlike `Hasher`).
    static func fnv1a64Hex(_ s: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
