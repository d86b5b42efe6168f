/// A byte trie over folded words and word prefixes: one walk per token finds the exact-word atom
/// and every wildcard prefix atom it matches, with no hashing and no allocation.
struct TermTrie: Sendable {
    private struct Node: Sendable {
        var edges: [(byte: UInt8, child: Int32)] = []
        var exactAtom: Int32 = -1
        var prefixAtom: Int32 = -1
    }

    private var nodes: [Node] = [Node()]
    /// Children of the root by first byte: most tokens leave the trie at once.
    private var rootTable = [Int32](repeating: -1, count: 256)

    mutating func insert(_ word: String, atom: Int32, isPrefix: Bool) {
        var node = 0
        for byte in word.utf8 {
            if let edge = nodes[node].edges.first(where: { $0.byte == byte }) {
                node = Int(edge.child)
            } else {
                nodes.append(Node())
                let child = Int32(nodes.count - 1)
                nodes[node].edges.append((byte, child))
                if node == 0 { rootTable[Int(byte)] = child }
                node = Int(child)
            }
        }
        if isPrefix { nodes[node].prefixAtom = atom } else { nodes[node].exactAtom = atom }
    }

    /// Calls `found` with every atom `word` matches: the prefixes it starts with, then the word itself.
    @inline(__always)
    func lookup(_ word: String, _ found: (Int32) -> Void) {
        var utf8 = word.utf8.makeIterator()
        guard let first = utf8.next() else { return }
        var node = Int(rootTable[Int(first)])
        if node < 0 { return }
        while let byte = utf8.next() {
            let current = nodes[node]
            if current.prefixAtom >= 0 { found(current.prefixAtom) }
            var next = -1
            for edge in current.edges where edge.byte == byte {
                next = Int(edge.child)
                break
            }
            if next < 0 { return }
            node = next
        }
        let last = nodes[node]
        if last.prefixAtom >= 0 { found(last.prefixAtom) }
        if last.exactAtom >= 0 { found(last.exactAtom) }
    }
}
