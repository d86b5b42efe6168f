import FeedwatchText

/// A cheap upper bound on the topics' `require` rules, for a first look at a story
/// (`Classifier.classify`): most stories name no watched place at all, and settling those on the
/// folded words alone saves the chrome removal, the full matcher and the scoring.
///
/// It knows only the atoms some `require` can use, numbered densely, and each rule reduced to
/// "all of" and "any of" those atoms. A phrase or NEAR needs each of its words, EXCEPT needs its
/// left side, a language list needs its terms, and a `none` rule may always hold. Fields, positions,
/// languages and exclusions are ignored, so a rule the screen rejects cannot hold on the story.
///
/// Words are looked up in a trie of those atoms only, and only after filters say they may be
/// there. First, with no arithmetic beyond a shift: a table of the atoms' shapes (length, first
/// and last byte) and one of the prefixes' first three bytes. Then a Bloom filter of the
/// atoms' words (two bits of the word's hash) and a table of the prefixes' first four bytes. A
/// trie walk per word cost as much as splitting the text, and so did a hash per word: most
/// words of a story are turned away by the first two tables.
struct RequireScreen: Sendable {
    /// `children[start..<end]` are test indices; a mask is `masks[mask..<mask + stride]`, -1 for
    /// none. An `any` holds when one of its atoms occurred (`mask`), or one of its other children
    /// holds. Those before `gated` each need an atom of `gate`, so when none of those occurred
    /// they are skipped together. A place set has hundreds of atoms and dozens of NEARs: testing
    /// them one by one cost more than the lookups.
    private enum Test: Sendable {
        case atom(Int32)
        case all(start: Int32, end: Int32)
        case any(start: Int32, end: Int32, mask: Int32, gated: Int32, gate: Int32)
    }

    private var tests: [Test] = []
    private var children: [Int32] = []
    private var masks: [UInt64] = []
    /// Words per bit set of atoms.
    private var stride = 0
    /// One test per topic: the story may match some topic when one of them holds.
    private var roots: [Int32] = []
    private var trie = TermTrie()
    /// 65,536 bits each: the Bloom filter of words, and the prefixes' first four bytes (three
    /// for a prefix of three: three alone let "could" through for `coup*`).
    private var words = [UInt64](repeating: 0, count: 1024)
    private var prefixes = [UInt64](repeating: 0, count: 1024)
    /// 16,384 bits by `shape`, 32,768 by `start3`.
    private var shapes = [UInt64](repeating: 0, count: 256)
    private var starts = [UInt64](repeating: 0, count: 512)
    /// Whether some prefix has three bytes (then words are also tested on their first three), or
    /// fewer (then every word may match one; the loader allows none).
    private var threeBytePrefix = false
    private var shortPrefix = false
    private var atomCount = 0
    /// For a `leadOnly` screen: how many words past the lead its rules' terms may reach.
    private(set) var reach = 0

    /// The screen for these `require` rules (one per topic), or nil when one of them may hold on
    /// any story (then screening saves nothing).
    /// `atoms[a]`: watchlist atom a's folded word or prefix.
    /// With `leadOnly`, the screen keeps only the rules that must hold in the title or the lead
    /// (`in: [title, lead]`, or fewer fields); the others may hold anywhere. It is then a bound
    /// for a story's title and the first words of its cleaned body.
    init?(requires: [CompiledWatchlist.Rule], nodes: [CompiledWatchlist.NodeKind],
          atoms: [(text: String, isPrefix: Bool)], leadOnly: Bool = false) {
        var builder = Builder(nodes: nodes, spellings: atoms, leadOnly: leadOnly)
        for rule in requires {
            guard let root = builder.test(rule) else { return nil }
            roots.append(root)
        }
        atomCount = builder.atoms.count
        reach = Int(builder.reach)
        stride = (atomCount + 63) / 64
        // Same tests, same indices; each `any` takes its atoms out of its children into a mask.
        for test in builder.tests {
            switch test {
            case .atom:
                tests.append(test)
            case .all(let start, let end):
                let from = Int32(children.count)
                children.append(contentsOf: builder.children[Int(start)..<Int(end)])
                tests.append(.all(start: from, end: Int32(children.count)))
            case .any(let start, let end, _, _, _):
                var mask = [UInt64](repeating: 0, count: stride)
                var gate = mask
                var gated: [Int32] = [], ungated: [Int32] = []
                // Sets nest (`@sahel_places` is the countries, the capitals, the towns…): an any
                // inside an any adds its atoms to the same mask.
                func take(_ c: Int32) {
                    switch builder.tests[Int(c)] {
                    case .atom(let a): Self.set(&mask, Int(a))
                    case .any(let s, let e, _, _, _): for d in builder.children[Int(s)..<Int(e)] { take(d) }
                    case .all:
                        if let needed = builder.neededAtoms(c) {
                            for a in needed { Self.set(&gate, Int(a)) }
                            gated.append(c)
                        } else {
                            ungated.append(c)
                        }
                    }
                }
                for c in builder.children[Int(start)..<Int(end)] { take(c) }
                let from = Int32(children.count)
                children.append(contentsOf: gated + ungated)
                tests.append(.any(start: from, end: Int32(children.count), mask: append(mask),
                                  gated: from + Int32(gated.count), gate: append(gate)))
            }
        }
        for (id, atom) in builder.atoms.enumerated() {
            var text = atom.text
            guard !text.isEmpty else { continue }         // the trie never reports an empty prefix
            trie.insert(text, atom: Int32(id), isPrefix: atom.isPrefix)
            text.withUTF8 { bytes in
                if !atom.isPrefix {
                    let h = Self.hash(bytes)
                    Self.set(&words, Self.first(h))
                    Self.set(&words, Self.second(h))
                    Self.set(&shapes, Self.shape(bytes))
                } else if bytes.count < 3 {
                    shortPrefix = true
                } else {
                    threeBytePrefix = threeBytePrefix || bytes.count == 3
                    Self.set(&prefixes, Self.start(bytes, bytes.count == 3 ? 3 : 4))
                    Self.set(&starts, Self.start3(bytes))
                }
            }
        }
        trie.seal()
    }

    /// Whether some topic's `require` may hold on a story whose folded title and body (chrome
    /// and all) are these.
    /// `bodyWords` bounds the body words read (the lead, for a `leadOnly` screen).
    func mayHold(title: [UInt8], body: [UInt8], bodyWords: Int = .max) -> Bool {
        let hits: [UInt64]? = trie.withReader { reader in
            words.withUnsafeBufferPointer { words in
                prefixes.withUnsafeBufferPointer { prefixes in
                    shapes.withUnsafeBufferPointer { shapes in
                        starts.withUnsafeBufferPointer { starts in
                            var sink = Sink(trie: reader, words: words, prefixes: prefixes, shapes: shapes, starts: starts,
                                            threeBytePrefix: threeBytePrefix, shortPrefix: shortPrefix, atomCount: atomCount)
                            WordSplitter.split(title, into: &sink)
                            WordSplitter.split(body, into: &sink, maxWords: bodyWords)
                            return sink.hits
                        }
                    }
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
        case .any(let start, let end, let mask, let gated, let gate):
            if intersects(mask, hits) { return true }
            if intersects(gate, hits) {
                for c in start..<gated where holds(children[Int(c)], hits) { return true }
            }
            for c in gated..<end where holds(children[Int(c)], hits) { return true }
            return false
        }
    }

    /// Stores a mask and returns where, or -1 when it is empty.
    private mutating func append(_ mask: [UInt64]) -> Int32 {
        guard mask.contains(where: { $0 != 0 }) else { return -1 }
        masks.append(contentsOf: mask)
        return Int32(masks.count - mask.count)
    }

    private func intersects(_ mask: Int32, _ hits: [UInt64]) -> Bool {
        guard mask >= 0 else { return false }
        for k in 0..<stride where hits[k] & masks[Int(mask) + k] != 0 { return true }
        return false
    }

    private static func set(_ bits: inout [UInt64], _ i: Int) { bits[i >> 6] |= 1 << UInt64(i & 63) }

    @inline(__always)
    private static func isSet(_ bits: UnsafeBufferPointer<UInt64>, _ i: Int) -> Bool {
        bits[i >> 6] & (1 << UInt64(i & 63)) != 0
    }

    /// Eight bytes per multiply: this runs on every word of every story, and a multiply per
    /// byte (FNV) was a third of the screen's time.
    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15
        var i = 0
        while i < bytes.count {
            let end = min(i + 8, bytes.count)
            var v: UInt64 = 0
            var shift: UInt64 = 0
            for k in i..<end {
                v |= UInt64(bytes[k]) << shift
                shift &+= 8
            }
            h = (h ^ v) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i = end
        }
        return h
    }

    @inline(__always) private static func first(_ h: UInt64) -> Int { Int(truncatingIfNeeded: h >> 48) }
    @inline(__always) private static func second(_ h: UInt64) -> Int { Int(truncatingIfNeeded: (h >> 16) & 0xFFFF) }

    /// Length (up to 15) and the low five bits of the first and last byte: a-z apart.
    @inline(__always)
    private static func shape(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        min(bytes.count, 15) << 10 | Int(bytes[0] & 31) << 5 | Int(bytes[bytes.count - 1] & 31)
    }

    /// The low five bits of the first three bytes.
    @inline(__always)
    private static func start3(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        Int(bytes[0] & 31) << 10 | Int(bytes[1] & 31) << 5 | Int(bytes[2] & 31)
    }

    /// The first three or four bytes, mixed into 16 bits.
    @inline(__always)
    private static func start(_ bytes: UnsafeBufferPointer<UInt8>, _ count: Int) -> Int {
        var v = UInt64(bytes[0]) << 16 | UInt64(bytes[1]) << 8 | UInt64(bytes[2])
        v = count == 4 ? v << 8 | UInt64(bytes[3]) | 1 << 40 : v
        return Int(truncatingIfNeeded: (v &* 0x9E37_79B9_7F4A_7C15) >> 48)
    }

    /// Marks the screen atoms a story's words match; `hits` stays nil until the first one, so a
    /// story that names nothing allocates nothing.
    private struct Sink: WordSink {
        let trie: TermTrie.Reader
        let words: UnsafeBufferPointer<UInt64>
        let prefixes: UnsafeBufferPointer<UInt64>
        let shapes: UnsafeBufferPointer<UInt64>
        let starts: UnsafeBufferPointer<UInt64>
        let threeBytePrefix: Bool
        let shortPrefix: Bool
        let atomCount: Int
        var hits: [UInt64]?

        init(trie: TermTrie.Reader, words: UnsafeBufferPointer<UInt64>, prefixes: UnsafeBufferPointer<UInt64>,
             shapes: UnsafeBufferPointer<UInt64>, starts: UnsafeBufferPointer<UInt64>,
             threeBytePrefix: Bool, shortPrefix: Bool, atomCount: Int) {
            self.trie = trie
            self.words = words
            self.prefixes = prefixes
            self.shapes = shapes
            self.starts = starts
            self.threeBytePrefix = threeBytePrefix
            self.shortPrefix = shortPrefix
            self.atomCount = atomCount
        }

        @inline(__always)
        mutating func word(_ bytes: UnsafeBufferPointer<UInt8>, position: Int32) {
            typealias S = RequireScreen
            var may = shortPrefix
            if !may, S.isSet(shapes, S.shape(bytes)) {
                let h = S.hash(bytes)
                may = S.isSet(words, S.first(h)) && S.isSet(words, S.second(h))
            }
            if !may, bytes.count >= 3, S.isSet(starts, S.start3(bytes)) {
                may = (bytes.count >= 4 && S.isSet(prefixes, S.start(bytes, 4)))
                    || (threeBytePrefix && S.isSet(prefixes, S.start(bytes, 3)))
            }
            guard may else { return }
            trie.lookup(bytes) { atom in
                if hits == nil { hits = [UInt64](repeating: 0, count: (atomCount + 63) / 64) }
                hits![Int(atom) >> 6] |= 1 << UInt64(atom & 63)
            }
        }
    }

    /// Reduces rules and nodes to tests, giving each watchlist atom it meets a screen number.
    private struct Builder {
        let nodes: [CompiledWatchlist.NodeKind]
        let spellings: [(text: String, isPrefix: Bool)]
        let leadOnly: Bool
        var tests: [Test] = []
        var children: [Int32] = []
        var atoms: [(text: String, isPrefix: Bool)] = []
        var atomIDs: [Int32: Int32] = [:]
        /// Per node: its test, or nil when it may occur anywhere. Nodes are shared between terms.
        var nodeTests: [Int32: Int32?] = [:]
        /// How many words past its first an occurrence of a lead rule's term may reach: a phrase
        /// or a NEAR that starts in the lead may end after it, and its words must be read.
        var reach: Int32 = 0
        private var extents: [Int32: Int32] = [:]

        /// The most words an occurrence of `node` can span beyond its first.
        mutating func extent(_ node: Int32) -> Int32 {
            if let known = extents[node] { return known }
            extents[node] = 0                          // a cycle cannot occur, but never recurse twice
            let result: Int32
            switch nodes[Int(node)] {
            case .atom: result = 0
            case .phrase(let parts): result = Int32(max(parts.count - 1, 0))
            case .any(let children): result = children.map { extent($0) }.max() ?? 0
            case .near(let a, let b, let distance): result = extent(a) + extent(b) + distance + 1
            case .except(let a, _): result = extent(a)
            case .language(let inner, _): result = extent(inner)
            }
            extents[node] = result
            return result
        }

        init(nodes: [CompiledWatchlist.NodeKind], spellings: [(text: String, isPrefix: Bool)], leadOnly: Bool) {
            self.nodes = nodes
            self.spellings = spellings
            self.leadOnly = leadOnly
        }

        /// The test for `rule`, or nil when it may hold on any story.
        mutating func test(_ rule: CompiledWatchlist.Rule) -> Int32? {
            switch rule {
            case .term(let node, let fields, _):
                if leadOnly {
                    if fields.map({ $0.contains(.body) }) ?? true { return nil }
                    reach = max(reach, extent(node))
                }
                return test(node: node)
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
            // A phrase needs each of its words. Its function words and short ones ("border
            // with", "al") are in most stories: testing them would turn away nothing and cost a
            // lookup each.
            case .phrase(let parts):
                let spellings = self.spellings
                let length = { (a: Int32) in spellings[Int(a)].text.utf8.count }
                let telling = parts.filter { length($0) > 3 && !Stopwords.contains(spellings[Int($0)].text) }
                let longest = parts.max { length($0) < length($1) }
                result = all((telling.isEmpty ? longest.map { [$0] } ?? [] : telling).map { atom($0) })
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
                atoms.append(spellings[Int(watchlistAtom)])
                atomIDs[watchlistAtom] = id
            }
            tests.append(.atom(id))
            return Int32(tests.count - 1)
        }

        /// Atoms one of which must occur for `test` to hold (the fewest found), if there are any.
        func neededAtoms(_ test: Int32) -> [Int32]? {
            switch tests[Int(test)] {
            case .atom(let a):
                return [a]
            case .all(let start, let end):
                return children[Int(start)..<Int(end)].compactMap { neededAtoms($0) }.min { $0.count < $1.count }
            case .any(let start, let end, _, _, _):
                var union: [Int32] = []
                for c in children[Int(start)..<Int(end)] {
                    guard let needed = neededAtoms(c) else { return nil }
                    union += needed
                }
                return union
            }
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
            tests.append(all ? .all(start: start, end: end) : .any(start: start, end: end, mask: -1, gated: start, gate: -1))
            return Int32(tests.count - 1)
        }
    }
}
