/// A cheap upper bound on the topics' `require` rules, for a first look at a story
/// (`Classifier.classify`): most stories name no watched place at all, and settling those on the
/// folded words alone saves the chrome removal, the full matcher and the scoring.
///
/// It knows only the atoms some `require` can use, numbered densely, and each rule reduced to
/// "all of" and "any of" those atoms. A phrase or NEAR needs each of its words, EXCEPT needs its
/// left side, a language list needs its terms, and a `none_of` may always hold. Fields, positions,
/// languages and exclusions are ignored, so a rule the screen rejects cannot hold on the story.
///
/// Words are looked up in a trie of those atoms only, after a 64K-bit table of the first two
/// bytes of every atom: nearly every word of a story is turned away by that single load.
struct RequireScreen: Sendable {
    /// `children[start..<end]` are test indices.
    private enum Test: Sendable {
        case atom(Int32)
        case all(start: Int32, end: Int32)
        case any(start: Int32, end: Int32)
    }

    private var tests: [Test] = []
    private var children: [Int32] = []
    /// One test per topic: the story may match some topic when one of them holds.
    private var roots: [Int32] = []
    private var trie = TermTrie()
    /// Bit `b0 << 8 | b1`: some atom's word or prefix starts with those two bytes.
    private var pairs = [UInt64](repeating: 0, count: 1024)
    /// Bit `b0`: some atom is the one-byte word `b0`, or a prefix starting with it.
    private var singles = [UInt64](repeating: 0, count: 4)
    private(set) var atomCount = 0

    /// The screen for these `require` rules (one per topic), or nil when one of them may hold on
    /// any story (then screening saves nothing).
    init?(requires: [CompiledWatchlist.Rule], nodes: [CompiledWatchlist.NodeKind], atomText: [Int32: (String, Bool)]) {
        var builder = Builder(nodes: nodes, atomText: atomText)
        for rule in requires {
            guard let root = builder.test(rule) else { return nil }
            roots.append(root)
        }
        tests = builder.tests
        children = builder.children
        atomCount = builder.atoms.count
        for (id, atom) in builder.atoms.enumerated() {
            let bytes = Array(atom.text.utf8)
            guard let first = bytes.first else { continue }         // the trie never reports an empty prefix
            trie.insert(atom.text, atom: Int32(id), isPrefix: atom.isPrefix)
            if bytes.count == 1 {
                singles[Int(first) >> 6] |= 1 << UInt64(first & 63)
                if atom.isPrefix { for second in 0..<256 { Self.set(&pairs, Int(first) << 8 | second) } }
            } else {
                Self.set(&pairs, Int(first) << 8 | Int(bytes[1]))
            }
        }
        trie.seal()
    }

    /// Whether some topic's `require` may hold on a story whose folded title and body (chrome
    /// and all) are these.
    func mayHold(title: [UInt8], body: [UInt8]) -> Bool {
        let hits: [UInt64]? = trie.withReader { reader in
            pairs.withUnsafeBufferPointer { pairs in
                singles.withUnsafeBufferPointer { singles in
                    var sink = Sink(trie: reader, pairs: pairs, singles: singles, atomCount: atomCount)
                    WordSplitter.split(title, into: &sink)
                    WordSplitter.split(body, into: &sink)
                    return sink.hits
                }
            }
        }
        guard let hits else { return false }
        return roots.contains { holds($0, hits) }
    }

    private func holds(_ test: Int32, _ hits: [UInt64]) -> Bool {
        switch tests[Int(test)] {
        case .atom(let a):
            return hits[Int(a) >> 6] & (1 << UInt64(a & 63)) != 0
        case .all(let start, let end):
            for c in start..<end where !holds(children[Int(c)], hits) { return false }
            return true
        case .any(let start, let end):
            for c in start..<end where holds(children[Int(c)], hits) { return true }
            return false
        }
    }

    private static func set(_ bits: inout [UInt64], _ i: Int) { bits[i >> 6] |= 1 << UInt64(i & 63) }

    /// Marks the screen atoms a story's words match; `hits` stays nil until the first one, so a
    /// story that names nothing allocates nothing.
    private struct Sink: WordSink {
        let trie: TermTrie.Reader
        let pairs: UnsafeBufferPointer<UInt64>
        let singles: UnsafeBufferPointer<UInt64>
        let atomCount: Int
        var hits: [UInt64]?

        init(trie: TermTrie.Reader, pairs: UnsafeBufferPointer<UInt64>, singles: UnsafeBufferPointer<UInt64>, atomCount: Int) {
            self.trie = trie
            self.pairs = pairs
            self.singles = singles
            self.atomCount = atomCount
        }

        @inline(__always)
        mutating func word(_ bytes: UnsafeBufferPointer<UInt8>, position: Int32) {
            let first = Int(bytes[0])
            if bytes.count == 1 {
                guard singles[first >> 6] & (1 << UInt64(first & 63)) != 0 else { return }
            } else {
                let pair = first << 8 | Int(bytes[1])
                guard pairs[pair >> 6] & (1 << UInt64(pair & 63)) != 0 else { return }
            }
            trie.lookup(bytes) { atom in
                if hits == nil { hits = [UInt64](repeating: 0, count: (atomCount + 63) / 64) }
                hits![Int(atom) >> 6] |= 1 << UInt64(atom & 63)
            }
        }
    }

    /// Reduces rules and nodes to tests, giving each watchlist atom it meets a screen number.
    private struct Builder {
        let nodes: [CompiledWatchlist.NodeKind]
        let atomText: [Int32: (String, Bool)]
        var tests: [Test] = []
        var children: [Int32] = []
        var atoms: [(text: String, isPrefix: Bool)] = []
        var atomIDs: [Int32: Int32] = [:]
        /// Per node: its test, or nil when it may occur anywhere. Nodes are shared between terms.
        var nodeTests: [Int32: Int32?] = [:]

        init(nodes: [CompiledWatchlist.NodeKind], atomText: [Int32: (String, Bool)]) {
            self.nodes = nodes
            self.atomText = atomText
        }

        /// The test for `rule`, or nil when it may hold on any story.
        mutating func test(_ rule: CompiledWatchlist.Rule) -> Int32? {
            switch rule {
            case .term(let node, _, _): return test(node: node)
            case .allOf(let rules): return all(rules.map { test($0) })
            case .anyOf(let rules): return any(rules.map { test($0) })
            case .noneOf: return nil
            }
        }

        mutating func test(node: Int32) -> Int32? {
            if let known = nodeTests[node] { return known }
            let result: Int32?
            switch nodes[Int(node)] {
            case .atom(let a): result = atom(a)
            case .phrase(let parts): result = all(parts.map { atom($0) })
            case .any(let alternatives): result = any(alternatives.map { test(node: $0) })
            case .near(let a, let b, _): result = all([test(node: a), test(node: b)])
            case .except(let a, _): result = test(node: a)
            case .language(let inner, _): result = test(node: inner)
            }
            nodeTests[node] = result
            return result
        }

        private mutating func atom(_ watchlistAtom: Int32) -> Int32 {
            let id: Int32
            if let known = atomIDs[watchlistAtom] {
                id = known
            } else {
                id = Int32(atoms.count)
                let (text, isPrefix) = atomText[watchlistAtom] ?? ("", false)
                atoms.append((text, isPrefix))
                atomIDs[watchlistAtom] = id
            }
            tests.append(.atom(id))
            return Int32(tests.count - 1)
        }

        /// Nil parts may hold anywhere, so they drop out; all of nothing may hold anywhere.
        private mutating func all(_ parts: [Int32?]) -> Int32? {
            let known = parts.compactMap { $0 }
            if known.count <= 1 { return known.first }
            return group(known, all: true)
        }

        private mutating func any(_ parts: [Int32?]) -> Int32? {
            guard !parts.contains(where: { $0 == nil }), !parts.isEmpty else { return nil }
            let known = parts.compactMap { $0 }
            return known.count == 1 ? known[0] : group(known, all: false)
        }

        private mutating func group(_ parts: [Int32], all: Bool) -> Int32 {
            let start = Int32(children.count)
            children.append(contentsOf: parts)
            let end = Int32(children.count)
            tests.append(all ? .all(start: start, end: end) : .any(start: start, end: end))
            return Int32(tests.count - 1)
        }
    }
}
