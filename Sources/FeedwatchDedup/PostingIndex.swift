/// A multimap from 32-bit keys to story slots in one open-addressing table of 8-byte cells
/// (key, slot + 1), linear probing, at most 70% full. No per-key allocation: about 12 bytes
/// per posting. A key keeps at most `cap` postings; inserting beyond that replaces its oldest,
/// so hot keys (formulaic phrases, common names) cannot make lookups grow with the index.
///
/// The table may have any size (a key's home is its hash scaled to the size), so the index can
/// size it once for what it will hold instead of doubling past it.
struct PostingIndex: Sendable {
    private var cells: [UInt64]
    private(set) var postingCount = 0
    let cap: Int

    static let minimumSize = 4_096

    /// A table with room for `capacity` postings before it grows.
    init(cap: Int, capacity: Int = 0) {
        self.cap = cap
        cells = Array(repeating: 0, count: PostingIndex.size(for: capacity))
    }

    /// Cells for `postings` postings at most 70% full.
    static func size(for postings: Int) -> Int {
        max(minimumSize, postings / 7 * 10 + 10)
    }

    /// The table as it is, for a snapshot: `init(cells:cap:slots:)` takes it back.
    var rawCells: [UInt64] { cells }

    /// A table written by `rawCells`, checked so that a damaged one cannot make lookups loop or
    /// name slots beyond `slots`.
    init?(cells: [UInt64], cap: Int, slots: Int) {
        guard cells.count >= Self.minimumSize else { return nil }      // every table written is
        var used = 0
        for cell in cells where cell != 0 {
            guard UInt32(truncatingIfNeeded: cell) &- 1 < UInt32(clamping: slots) else { return nil }
            used += 1
        }
        guard used * 10 <= cells.count * 7 else { return nil }
        self.cells = cells
        postingCount = used
        self.cap = cap
    }

    @inline(__always) private static func home(_ key: UInt32, size: Int) -> Int {
        let h = UInt64(key) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: h.multipliedFullWidth(by: UInt64(size)).high)
    }

    mutating func insert(_ key: UInt32, slot: UInt32) {
        if (postingCount + 1) * 10 > cells.count * 7 { grow() }
        let cell = UInt64(key) << 32 | UInt64(slot &+ 1)
        let size = cells.count
        var i = PostingIndex.home(key, size: size)
        var matches = 0, oldest = -1, oldestSlot = UInt32.max
        while cells[i] != 0 {
            if UInt32(truncatingIfNeeded: cells[i] >> 32) == key {
                matches += 1
                let s = UInt32(truncatingIfNeeded: cells[i]) &- 1
                if s < oldestSlot { oldestSlot = s; oldest = i }
            }
            i += 1
            if i == size { i = 0 }
        }
        if matches >= cap, oldest >= 0 {
            cells[oldest] = cell
        } else {
            cells[i] = cell
            postingCount += 1
        }
    }

    /// Calls `body` with every slot filed under `key` (at most `cap`, in no particular order).
    func forEach(_ key: UInt32, _ body: (UInt32) -> Void) {
        cells.withUnsafeBufferPointer { cells in
            let size = cells.count
            var i = PostingIndex.home(key, size: size)
            while cells[i] != 0 {
                if UInt32(truncatingIfNeeded: cells[i] >> 32) == key { body(UInt32(truncatingIfNeeded: cells[i]) &- 1) }
                i += 1
                if i == size { i = 0 }
            }
        }
    }

    /// Calls `body` with every slot filed under `key` and how many there are: a key filed under
    /// few stories says more about a story than one filed under many, and a full key (`cap`
    /// postings) is a formulaic phrase, shared by more stories than it keeps.
    func forEach(_ key: UInt32, _ body: (_ slot: UInt32, _ count: Int) -> Void) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: cap) { found in
            var n = 0
            forEach(key) { slot in
                if n < found.count { found[n] = slot; n += 1 }
            }
            for i in 0..<n { body(found[i], n) }
        }
    }

    /// `base` scaled down as `count` postings fill the key, 1 when it is full.
    @inline(__always) func weight(_ base: Int, count: Int) -> UInt16 {
        count >= cap ? 1 : UInt16(max(1, base * (cap + 1 - count) / cap))
    }

    /// Half as large again: doubling would overshoot an index that stopped growing by much.
    private mutating func grow() {
        let old = cells
        cells = Array(repeating: 0, count: old.count + old.count / 2)
        let size = cells.count
        for cell in old where cell != 0 {
            var i = PostingIndex.home(UInt32(truncatingIfNeeded: cell >> 32), size: size)
            while cells[i] != 0 {
                i += 1
                if i == size { i = 0 }
            }
            cells[i] = cell
        }
    }
}
