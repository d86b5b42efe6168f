/// A multimap from 32-bit keys to story slots in one open-addressing table of 8-byte cells
/// (key, slot + 1), linear probing, at most 70% full. No per-key allocation: about 12 bytes
/// per posting. A key keeps at most `cap` postings; inserting beyond that replaces its oldest,
/// so hot keys (formulaic phrases, common names) cannot make lookups grow with the index.
struct PostingIndex: Sendable {
    private var cells: [UInt64]
    private var mask: Int
    private(set) var postingCount = 0
    let cap: Int

    init(cap: Int, capacity: Int = 1 << 12) {
        self.cap = cap
        var size = 1 << 12
        while size * 7 / 10 < capacity { size <<= 1 }
        cells = Array(repeating: 0, count: size)
        mask = size - 1
    }

    /// The table as it is, for a snapshot: `init(cells:postingCount:cap:)` takes it back.
    var rawCells: [UInt64] { cells }

    /// A table written by `rawCells`, checked so that a damaged one cannot make lookups loop or
    /// name slots beyond `slots`.
    init?(cells: [UInt64], cap: Int, slots: Int) {
        guard cells.count >= 1, cells.count & (cells.count - 1) == 0 else { return nil }
        var used = 0
        for cell in cells where cell != 0 {
            guard UInt32(truncatingIfNeeded: cell) &- 1 < UInt32(clamping: slots) else { return nil }
            used += 1
        }
        guard used * 10 <= cells.count * 7 else { return nil }
        self.cells = cells
        mask = cells.count - 1
        postingCount = used
        self.cap = cap
    }

    @inline(__always) private func home(_ key: UInt32) -> Int {
        Int(truncatingIfNeeded: (UInt64(key) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    mutating func insert(_ key: UInt32, slot: UInt32) {
        if (postingCount + 1) * 10 > cells.count * 7 { grow() }
        let cell = UInt64(key) << 32 | UInt64(slot &+ 1)
        var i = home(key)
        var matches = 0, oldest = -1, oldestSlot = UInt32.max
        while cells[i] != 0 {
            if UInt32(truncatingIfNeeded: cells[i] >> 32) == key {
                matches += 1
                let s = UInt32(truncatingIfNeeded: cells[i]) &- 1
                if s < oldestSlot { oldestSlot = s; oldest = i }
            }
            i = (i + 1) & mask
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
        var i = home(key)
        while cells[i] != 0 {
            if UInt32(truncatingIfNeeded: cells[i] >> 32) == key { body(UInt32(truncatingIfNeeded: cells[i]) &- 1) }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        let old = cells
        cells = Array(repeating: 0, count: old.count * 2)
        mask = cells.count - 1
        for cell in old where cell != 0 {
            var i = home(UInt32(truncatingIfNeeded: cell >> 32))
            while cells[i] != 0 { i = (i + 1) & mask }
            cells[i] = cell
        }
    }
}
