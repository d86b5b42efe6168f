/// A byte trie over folded words and word prefixes: one walk per token finds the exact-word atom
/// and every wildcard prefix atom it matches, with no hashing and no allocation.
///
/// Built with `insert`, then `seal()`ed into flat arrays so a lookup touches no reference counts.
struct TermTrie: Sendable {
    private var building: [[UInt8: Int32]] = [[:]]
    private var exactAtom: [Int32] = [-1]
    private var prefixAtom: [Int32] = [-1]
    /// Sealed form: node n's edges are `edgeByte/edgeChild[edgeStart[n]..<edgeStart[n + 1]]`.
    private var edgeStart: [Int32] = []
    private var edgeByte: [UInt8] = []
    private var edgeChild: [Int32] = []
    /// Children of the root by first byte: most tokens leave the trie at once.
    private var rootTable = [Int32](repeating: -1, count: 256)

    mutating func insert(_ word: String, atom: Int32, isPrefix: Bool) {
        var node = 0
        for byte in word.utf8 {
            if let child = building[node][byte] {
                node = Int(child)
            } else {
                building.append([:])
                exactAtom.append(-1)
                prefixAtom.append(-1)
                let child = Int32(building.count - 1)
                building[node][byte] = child
                node = Int(child)
            }
        }
        if isPrefix { prefixAtom[node] = atom } else { exactAtom[node] = atom }
    }

    mutating func seal() {
        edgeStart = [0]
        edgeByte = []
        edgeChild = []
        for edges in building {
            for (byte, child) in edges.sorted(by: { $0.key < $1.key }) {
                edgeByte.append(byte)
                edgeChild.append(child)
            }
            edgeStart.append(Int32(edgeByte.count))
        }
        rootTable = [Int32](repeating: -1, count: 256)
        for (byte, child) in building[0] { rootTable[Int(byte)] = child }
        building = []
    }

    /// Runs `body` with a reader over the sealed arrays: lookups through it touch no reference
    /// counts (they dominated the per-word cost).
    func withReader<R>(_ body: (Reader) -> R) -> R {
        rootTable.withUnsafeBufferPointer { root in
            edgeStart.withUnsafeBufferPointer { start in
                edgeByte.withUnsafeBufferPointer { bytes in
                    edgeChild.withUnsafeBufferPointer { child in
                        exactAtom.withUnsafeBufferPointer { exact in
                            prefixAtom.withUnsafeBufferPointer { prefix in
                                body(Reader(root: root, edgeStart: start, edgeByte: bytes, edgeChild: child,
                                            exactAtom: exact, prefixAtom: prefix))
                            }
                        }
                    }
                }
            }
        }
    }

    struct Reader {
        let root, edgeStart: UnsafeBufferPointer<Int32>
        let edgeByte: UnsafeBufferPointer<UInt8>
        let edgeChild, exactAtom, prefixAtom: UnsafeBufferPointer<Int32>

        /// Calls `found` with every atom `word` matches: the prefixes it starts with, then the word.
        @inline(__always)
        func lookup(_ word: UnsafeBufferPointer<UInt8>, _ found: (Int32) -> Void) {
            guard let first = word.first else { return }
            var node = Int(root[Int(first)])
            if node < 0 { return }
            var i = 1
            while i < word.count {
                let byte = word[i]
                if prefixAtom[node] >= 0 { found(prefixAtom[node]) }
                var next = -1
                var e = Int(edgeStart[node])
                let end = Int(edgeStart[node + 1])
                while e < end {
                    if edgeByte[e] == byte { next = Int(edgeChild[e]); break }
                    e += 1
                }
                if next < 0 { return }
                node = next
                i += 1
            }
            if prefixAtom[node] >= 0 { found(prefixAtom[node]) }
            if exactAtom[node] >= 0 { found(exactAtom[node]) }
        }
    }
}
