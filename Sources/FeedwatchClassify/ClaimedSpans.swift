/// The occurrences one topic entry's members have already scored, asked whether a new
/// occurrence lies inside any of them. A scan of every claimed occurrence per new one was
/// quadratic: a story repeating "Mali attack" 40,000 times took 19 s to classify.
struct ClaimedSpans {
    private var pending: [Occurrence] = []
    /// Claimed occurrences by field, then start.
    private var sorted: [Occurrence] = []
    /// `reach[i]`: the furthest end among `sorted[...i]` in `sorted[i]`'s field.
    private var reach: [Int32] = []

    mutating func add(_ occurrences: [Occurrence]) { pending += occurrences }

    /// Folds what was added into the sorted index; call before `covers`.
    mutating func prepare() {
        guard !pending.isEmpty else { return }
        sorted += pending
        pending = []
        sorted.sort { ($0.field, $0.start) < ($1.field, $1.start) }
        reach = []
        reach.reserveCapacity(sorted.count)
        for (i, o) in sorted.enumerated() {
            reach.append(i > 0 && sorted[i - 1].field == o.field ? max(reach[i - 1], o.end) : o.end)
        }
    }

    /// Whether a claimed occurrence in `o`'s field starts at or before `o` and ends at or after it.
    func covers(_ o: Occurrence) -> Bool {
        var lo = 0
        var hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if (sorted[mid].field, sorted[mid].start) <= (o.field, o.start) { lo = mid + 1 } else { hi = mid }
        }
        let last = lo - 1
        return last >= 0 && sorted[last].field == o.field && reach[last] >= o.end
    }
}
