import FeedwatchText

/// Where a term occurred: title (field 0) or body (field 1), word span `start...end`.
struct Occurrence: Sendable, Equatable {
    var field: UInt8
    var start: Int32
    var end: Int32

    static let title: UInt8 = 0
    static let body: UInt8 = 1

    func field(leadWords: Int) -> Field {
        field == Occurrence.title ? .title : (Int(start) < leadWords ? .lead : .body)
    }
}

/// One story's hits against a compiled watchlist, and the memoised occurrences of each node.
///
/// Tokens are looked up once (one trie walk each). Only the ancestors of the atoms that occurred
/// can match, so only those are marked live and evaluated; every other node is empty at no cost,
/// whatever the size of the watchlist.
struct StoryMatcher {
    let compiled: CompiledWatchlist
    let language: String?
    let titleTokens: [Token]
    let bodyTokens: [Token]
    /// Occurrences of atom `a` are `atomHits[atomStart[a]..<atomStart[a + 1]]`, in text order.
    private var atomStart: [Int32] = []
    private var atomHits: [Occurrence] = []
    /// Whether node n may match (an ancestor of an atom that occurred).
    private var live: [Bool] = []
    /// Index into `memoStore` of node n's evaluated occurrences, or -1.
    private var memoIndex: [Int32] = []
    private var memoStore: [[Occurrence]] = []
    private(set) var hasHits: Bool

    init(compiled: CompiledWatchlist, title: [Token], body: [Token], language: String?) {
        self.compiled = compiled
        self.language = language
        titleTokens = title
        bodyTokens = body
        var found: [(atom: Int32, occurrence: Occurrence)] = []
        Self.collect(title, field: Occurrence.title, trie: compiled.trie, into: &found)
        Self.collect(body, field: Occurrence.body, trie: compiled.trie, into: &found)
        hasHits = !found.isEmpty
        guard hasHits else { return }
        // Counting sort by atom keeps each atom's occurrences in text order.
        var start = [Int32](repeating: 0, count: compiled.atomCount + 1)
        for hit in found { start[Int(hit.atom) + 1] += 1 }
        for i in 0..<compiled.atomCount { start[i + 1] += start[i] }
        var fill = start
        var hits = [Occurrence](repeating: Occurrence(field: 0, start: 0, end: 0), count: found.count)
        for hit in found {
            hits[Int(fill[Int(hit.atom)])] = hit.occurrence
            fill[Int(hit.atom)] += 1
        }
        atomStart = start
        atomHits = hits
        live = [Bool](repeating: false, count: compiled.nodes.count)
        memoIndex = [Int32](repeating: -1, count: compiled.nodes.count)
        var stack: [Int32] = []
        var seenAtom = Set<Int32>()
        for hit in found where seenAtom.insert(hit.atom).inserted {
            stack.append(contentsOf: compiled.atomParents[Int(hit.atom)])
        }
        while let node = stack.popLast() {
            if live[Int(node)] { continue }
            live[Int(node)] = true
            stack.append(contentsOf: compiled.nodeParents[Int(node)])
        }
    }

    private static func collect(_ tokens: [Token], field: UInt8, trie: TermTrie,
                                into found: inout [(atom: Int32, occurrence: Occurrence)]) {
        for index in tokens.indices {
            let position = Int32(index)
            trie.lookup(tokens[index].text) { atom in
                found.append((atom, Occurrence(field: field, start: position, end: position)))
            }
        }
    }

    private func hits(_ atom: Int32) -> ArraySlice<Occurrence> {
        atomHits[Int(atomStart[Int(atom)])..<Int(atomStart[Int(atom) + 1])]
    }

    /// Whether node `id` can have occurrences in this story (cheap; no evaluation).
    func isLive(_ id: Int32) -> Bool { hasHits && live[Int(id)] }

    /// Every occurrence of node `id` in this story.
    mutating func occurrences(_ id: Int32) -> [Occurrence] {
        guard hasHits, live[Int(id)] else { return [] }
        let memo = memoIndex[Int(id)]
        if memo >= 0 { return memoStore[Int(memo)] }
        let result: [Occurrence]
        switch compiled.nodes[Int(id)] {
        case .atom(let atom):
            result = Array(hits(atom))
        case .phrase(let atoms):
            result = phrase(atoms)
        case .any(let children):
            var all: [Occurrence] = []
            for child in children where live[Int(child)] { all += occurrences(child) }
            result = all.count > 1 ? all.sorted { ($0.field, $0.start, $0.end) < ($1.field, $1.start, $1.end) } : all
        case .near(let a, let b, let distance):
            result = near(occurrences(a), occurrences(b), distance: distance)
        case .except(let a, let b):
            let left = occurrences(a)
            let right = left.isEmpty ? [] : occurrences(b)
            result = left.filter { l in !right.contains { r in r.field == l.field && r.start <= l.end && l.start <= r.end } }
        case .language(let inner, let languages):
            result = languageMatches(languages) ? occurrences(inner) : []
        }
        memoIndex[Int(id)] = Int32(memoStore.count)
        memoStore.append(result)
        return result
    }

    /// A story of unknown language gets every list: a missing or unusual tag must not hide terms.
    private func languageMatches(_ languages: [String]) -> Bool {
        guard let language, !language.isEmpty else { return true }
        let primary = language.split(separator: "-").first.map { $0.lowercased() } ?? ""
        return languages.contains(primary)
    }

    private func phrase(_ atoms: [Int32]) -> [Occurrence] {
        guard let first = atoms.first else { return [] }
        var result: [Occurrence] = []
        for head in hits(first) {
            var ok = true
            for (offset, atom) in atoms.enumerated().dropFirst() {
                let want = head.start + Int32(offset)
                if !hits(atom).contains(where: { $0.field == head.field && $0.start == want }) {
                    ok = false
                    break
                }
            }
            if ok { result.append(Occurrence(field: head.field, start: head.start, end: head.start + Int32(atoms.count - 1))) }
        }
        return result
    }

    /// Pairs within `distance` words (gap between the spans), same field, either order.
    private func near(_ left: [Occurrence], _ right: [Occurrence], distance: Int32) -> [Occurrence] {
        guard !left.isEmpty, !right.isEmpty else { return [] }
        var result: [Occurrence] = []
        for a in left {
            for b in right where a.field == b.field {
                let gap = b.start > a.end ? b.start - a.end : (a.start > b.end ? a.start - b.end : 0)
                if gap <= distance {
                    result.append(Occurrence(field: a.field, start: min(a.start, b.start), end: max(a.end, b.end)))
                }
            }
        }
        return result
    }

    /// The folded words an occurrence covers, for explanations.
    func words(_ occurrence: Occurrence) -> String {
        let tokens = occurrence.field == Occurrence.title ? titleTokens : bodyTokens
        let range = Int(occurrence.start)...min(Int(occurrence.end), tokens.count - 1)
        if range.count > 12 { return tokens[range.lowerBound].text + " … " + tokens[range.upperBound].text }
        return tokens[range].map(\.text).joined(separator: " ")
    }
}
