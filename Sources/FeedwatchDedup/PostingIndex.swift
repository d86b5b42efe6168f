/// A multimap from 32-bit keys to story slots, newest first: one dictionary entry per key plus
/// a chain of postings in flat arrays (no per-key arrays on the heap).
struct PostingIndex: Sendable {
    private var head: [UInt32: UInt32] = [:]
    private var slot: [UInt32] = []
    private var next: [UInt32] = []
    private static let end = UInt32.max

    var postingCount: Int { slot.count }

    mutating func reserve(keys: Int) {
        head.reserveCapacity(keys)
        slot.reserveCapacity(keys)
        next.reserveCapacity(keys)
    }

    mutating func insert(_ key: UInt32, slot s: UInt32) {
        let p = UInt32(slot.count)
        slot.append(s)
        next.append(head[key] ?? PostingIndex.end)
        head[key] = p
    }

    /// Calls `body` with the slots filed under `key`, newest first, visiting at most `limit`:
    /// a key shared by more stories than that is too common to tell stories apart, and the cap
    /// keeps lookup cost independent of index size.
    func forEach(_ key: UInt32, limit: Int, _ body: (UInt32) -> Void) {
        guard var p = head[key] else { return }
        var visited = 0
        while p != PostingIndex.end && visited < limit {
            body(slot[Int(p)])
            p = next[Int(p)]
            visited += 1
        }
    }
}
