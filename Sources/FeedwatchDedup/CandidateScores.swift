/// Per-slot candidate scores for the story being added, and the slots touched. Kept across adds
/// so a lookup allocates nothing and ranks only what it touched; a value the lookup owns while it
/// runs, so its hot loop pays no exclusivity checks on the index's properties.
struct CandidateScores {
    private var scores: [UInt16] = []
    private var touched: [UInt32] = []

    @inline(__always) mutating func bump(_ slot: UInt32, by n: UInt16) {
        let i = Int(slot)
        if i >= scores.count { scores.append(contentsOf: repeatElement(0, count: max(i + 1 - scores.count, scores.count))) }
        if scores[i] == 0 { touched.append(slot) }
        scores[i] &+= n
    }

    /// The touched slots that `isLive` accepts with the highest scores, best first (ties: the
    /// most recent first).
    func ranked(limit: Int, isLive: (UInt32) -> Bool) -> [UInt32] {
        // Selection into a small sorted buffer: most touched slots lose to its last entry at once.
        var top: [UInt64] = []
        top.reserveCapacity(limit + 1)
        for slot in touched {
            let packed = UInt64(scores[Int(slot)]) << 32 | UInt64(slot)
            if top.count == limit, packed <= top[limit - 1] { continue }
            guard isLive(slot) else { continue }
            var i = top.count
            while i > 0 && top[i - 1] < packed { i -= 1 }
            top.insert(packed, at: i)
            if top.count > limit { top.removeLast() }
        }
        return top.map { UInt32(truncatingIfNeeded: $0) }
    }

    mutating func clear() {
        for slot in touched { scores[Int(slot)] = 0 }
        touched.removeAll(keepingCapacity: true)
    }

    /// After a compaction renumbers the slots.
    mutating func reset() { self = CandidateScores() }
}
