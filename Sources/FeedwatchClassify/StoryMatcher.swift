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
/// whatever the size of the watchlist. A class: it lives for one story on one thread, and its
/// recursive evaluation must not copy its buffers.
final class StoryMatcher {
    let compiled: CompiledWatchlist
    /// Which per-language lists apply: the bits of the declared language and of the language the
    /// function words show; nil when neither is known (then every list applies).
    private(set) var languageMask: UInt64?
    /// Folded words of title and body; filled only for explanations.
    private(set) var titleWords: [String] = []
    private(set) var bodyWords: [String] = []
    /// How many words the body has: a short text is judged against a topic's short threshold.
    private(set) var bodyWordCount = 0
    /// The atoms that occurred, ascending; the occurrences of `hitAtoms[k]` are
    /// `atomHits[hitStart[k]..<hitStart[k + 1]]`, in text order. Sparse: a watchlist of thousands
    /// of place names made a table per atom cost more than the rest of the story's matching.
    private var hitAtoms: [Int32] = []
    private var hitStart: [Int32] = []
    private var atomHits: [Occurrence] = []
    /// Per node: `dead` (no atom under it occurred, so it cannot match), `unevaluated`, or the
    /// index into `memoStore` of its evaluated occurrences.
    // One story, one thread: the dynamic exclusivity checks on these cost more than the lookups.
    @exclusivity(unchecked) private var memoIndex: [Int32] = []
    private static let dead: Int32 = -2
    private static let unevaluated: Int32 = -1
    @exclusivity(unchecked) private var memoStore: [[Occurrence]] = []
    private(set) var hasHits: Bool
    private let nodes: [CompiledWatchlist.NodeKind]

    /// Looks up every word of the folded title and body in the watchlist's trie.
    init(compiled: CompiledWatchlist, title: [UInt8], body: [UInt8], language: String?, keepWords: Bool) {
        self.compiled = compiled
        let declared = Self.primarySubtag(language)
        nodes = compiled.nodes
        let sink = compiled.trie.withReader { reader in
            compiled.stopwordLanguage.withUnsafeBufferPointer { stop in
                compiled.atomUsed.withUnsafeBufferPointer { used in
                    var sink = HitSink(trie: reader, stopwordLanguage: stop, atomUsed: used, keepWords: keepWords)
                    sink.field = Occurrence.title
                    WordSplitter.split(title, into: &sink)
                    sink.titleWords = sink.words
                    sink.words = []
                    sink.field = Occurrence.body
                    WordSplitter.split(body, into: &sink)
                    return sink.result
                }
            }
        }
        let found = sink.found
        titleWords = sink.titleWords
        bodyWords = sink.bodyWords
        bodyWordCount = sink.bodyWordCount
        let detected = Self.detect(english: sink.english, french: sink.french)
        if declared != nil || detected != nil {
            var mask: UInt64 = 0
            if let declared, let bit = compiled.languageIDs[String(declared)] { mask |= 1 << UInt64(bit) }
            if let detected, let bit = compiled.languageIDs[detected] { mask |= 1 << UInt64(bit) }
            languageMask = mask
        }
        hasHits = !found.isEmpty
        guard hasHits else { return }
        // `found` is in text order (title, then body): ordering by atom, then field and start,
        // keeps each atom's occurrences in text order.
        let sorted = found.sorted { ($0.atom, $0.occurrence.field, $0.occurrence.start)
            < ($1.atom, $1.occurrence.field, $1.occurrence.start) }
        atomHits.reserveCapacity(sorted.count)
        for hit in sorted {
            if hitAtoms.last != hit.atom {
                hitAtoms.append(hit.atom)
                hitStart.append(Int32(atomHits.count))
            }
            atomHits.append(hit.occurrence)
        }
        hitStart.append(Int32(atomHits.count))
        memoIndex = [Int32](repeating: Self.dead, count: compiled.nodes.count)
        var stack: [Int32] = []
        for atom in hitAtoms { stack.append(contentsOf: compiled.atomParents[Int(atom)]) }
        while let node = stack.popLast() {
            if memoIndex[Int(node)] != Self.dead { continue }
            memoIndex[Int(node)] = Self.unevaluated
            stack.append(contentsOf: compiled.nodeParents[Int(node)])
        }
    }

    /// `fr` for `fr-FR` or `FR`; nil for a missing or empty tag. Most tags are already bare.
    private static func primarySubtag(_ tag: String?) -> Substring? {
        guard let tag, !tag.isEmpty else { return nil }
        if tag.utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) { return Substring(tag) }
        let primary = tag.split(separator: "-").first.map { Substring($0.lowercased()) }
        return primary?.isEmpty == false ? primary : nil
    }

    /// English or French when the function words say so clearly (2+ and twice the other's).
    private static func detect(english: Int, french: Int) -> String? {
        if english >= 2, english > 2 * french { return "en" }
        if french >= 2, french > 2 * english { return "fr" }
        return nil
    }

    struct ScanResult {
        var found: [(atom: Int32, occurrence: Occurrence)]
        var titleWords: [String]
        var bodyWords: [String]
        var english: Int
        var french: Int
        var bodyWordCount: Int
    }

    /// Records the atoms each word matches, counts function words, and keeps the words themselves
    /// when explaining.
    private struct HitSink: WordSink {
        let trie: TermTrie.Reader
        let stopwordLanguage: UnsafeBufferPointer<UInt8>
        let atomUsed: UnsafeBufferPointer<Bool>
        let keepWords: Bool
        var field: UInt8 = 0
        var found: [(atom: Int32, occurrence: Occurrence)] = []
        var words: [String] = []
        var titleWords: [String] = []
        var english = 0
        var french = 0
        var bodyWordCount = 0

        init(trie: TermTrie.Reader, stopwordLanguage: UnsafeBufferPointer<UInt8>, atomUsed: UnsafeBufferPointer<Bool>,
             keepWords: Bool) {
            self.trie = trie
            self.stopwordLanguage = stopwordLanguage
            self.atomUsed = atomUsed
            self.keepWords = keepWords
        }

        var result: ScanResult {
            ScanResult(found: found, titleWords: titleWords, bodyWords: words, english: english, french: french,
                       bodyWordCount: bodyWordCount)
        }

        mutating func word(_ bytes: UnsafeBufferPointer<UInt8>, position: Int32) {
            if keepWords { words.append(String(decoding: bytes, as: UTF8.self)) }
            if field == Occurrence.body { bodyWordCount = Int(position) + 1 }
            let occurrence = Occurrence(field: field, start: position, end: position)
            trie.lookup(bytes) { atom in
                switch stopwordLanguage[Int(atom)] {
                case 1: english += 1
                case 2: french += 1
                default: break
                }
                if atomUsed[Int(atom)] { found.append((atom, occurrence)) }
            }
        }
    }

    private func hits(_ atom: Int32) -> ArraySlice<Occurrence> {
        var lo = 0, hi = hitAtoms.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if hitAtoms[mid] < atom { lo = mid + 1 } else { hi = mid }
        }
        guard lo < hitAtoms.count, hitAtoms[lo] == atom else { return atomHits[0..<0] }
        return atomHits[Int(hitStart[lo])..<Int(hitStart[lo + 1])]
    }

    /// Whether node `id` can have occurrences in this story (cheap; no evaluation).
    func isLive(_ id: Int32) -> Bool { hasHits && memoIndex[Int(id)] != Self.dead }

    /// Every occurrence of node `id` in this story.
    func occurrences(_ id: Int32) -> [Occurrence] {
        guard hasHits else { return [] }
        let memo = memoIndex[Int(id)]
        if memo == Self.dead { return [] }
        if memo >= 0 { return memoStore[Int(memo)] }
        let result: [Occurrence]
        switch nodes[Int(id)] {
        case .atom(let atom):
            result = Array(hits(atom))
        case .phrase(let atoms):
            result = phrase(atoms)
        case .any(let children):
            var all: [Occurrence] = []
            for child in children where memoIndex[Int(child)] != Self.dead { all += occurrences(child) }
            result = all.count > 1 ? all.sorted { ($0.field, $0.start, $0.end) < ($1.field, $1.start, $1.end) } : all
        case .near(let a, let b, let distance):
            result = near(occurrences(a), occurrences(b), distance: distance)
        case .except(let a, let b):
            let left = occurrences(a)
            let right = left.isEmpty ? [] : Self.inTextOrder(occurrences(b))
            let span = Self.longestSpan(right)
            // Only right occurrences starting within `span` words before `l` can overlap it.
            result = left.filter { l in
                var i = Self.firstIndex(right, field: l.field, start: l.start - span)
                while i < right.count, right[i].field == l.field, right[i].start <= l.end {
                    if l.start <= right[i].end { return false }
                    i += 1
                }
                return true
            }
        case .language(let inner, let mask):
            result = languageMask.map { $0 & mask != 0 } ?? true ? occurrences(inner) : []
        }
        memoIndex[Int(id)] = Int32(memoStore.count)
        memoStore.append(result)
        return result
    }

    /// A story of unknown language gets every list: a missing or unusual tag must not hide terms.
    // A per-language list applies when the declared or the detected language is one of its
    // languages; a story with neither gets every list, so a missing tag never hides terms.

    private func phrase(_ atoms: [Int32]) -> [Occurrence] {
        guard let first = atoms.first else { return [] }
        var result: [Occurrence] = []
        for head in hits(first) {
            var ok = true
            for (offset, atom) in atoms.enumerated().dropFirst() {
                let want = head.start + Int32(offset)
                // An atom's hits are in text order: a binary search, not a scan per head.
                let atomHits = hits(atom)
                let i = Self.firstIndex(atomHits, field: head.field, start: want)
                if i == atomHits.endIndex || atomHits[i].field != head.field || atomHits[i].start != want {
                    ok = false
                    break
                }
            }
            if ok { result.append(Occurrence(field: head.field, start: head.start, end: head.start + Int32(atoms.count - 1))) }
        }
        return result
    }

    /// Pairs within `distance` words (gap between the spans), same field, either order.
    private func near(_ left: [Occurrence], _ unordered: [Occurrence], distance: Int32) -> [Occurrence] {
        guard !left.isEmpty, !unordered.isEmpty else { return [] }
        let right = Self.inTextOrder(unordered)
        let span = Self.longestSpan(right)
        var result: [Occurrence] = []
        for a in left {
            // Only right occurrences starting in this window can be within `distance` of `a`:
            // the work is linear in the text, not the product of the two lists (a story repeating
            // "Mali attack" 40,000 times took 19 s).
            var i = Self.firstIndex(right, field: a.field, start: a.start - distance - span)
            while i < right.count, right[i].field == a.field, right[i].start <= a.end + distance {
                let b = right[i]
                i += 1
                let gap = b.start > a.end ? b.start - a.end : (a.start > b.end ? a.start - b.end : 0)
                if gap <= distance {
                    result.append(Occurrence(field: a.field, start: min(a.start, b.start), end: max(a.end, b.end)))
                }
            }
        }
        return result
    }

    /// `occurrences` ordered by field and start (already so for all but NEAR results).
    private static func inTextOrder(_ occurrences: [Occurrence]) -> [Occurrence] {
        var sorted = true
        for i in occurrences.indices.dropFirst() where (occurrences[i - 1].field, occurrences[i - 1].start)
            > (occurrences[i].field, occurrences[i].start) {
            sorted = false
            break
        }
        if sorted { return occurrences }
        return occurrences.enumerated().sorted { ($0.element.field, $0.element.start, $0.offset)
            < ($1.element.field, $1.element.start, $1.offset) }.map(\.element)
    }

    /// The most words any occurrence spans beyond its first.
    private static func longestSpan(_ occurrences: [Occurrence]) -> Int32 {
        occurrences.reduce(0) { max($0, $1.end - $1.start) }
    }

    /// The first index of `occurrences` (in text order) at or after `start` in `field`.
    private static func firstIndex<C: RandomAccessCollection>(_ occurrences: C, field: UInt8, start: Int32) -> C.Index
        where C.Element == Occurrence {
        var lo = occurrences.startIndex
        var hi = occurrences.endIndex
        while lo < hi {
            let mid = occurrences.index(lo, offsetBy: occurrences.distance(from: lo, to: hi) / 2)
            let o = occurrences[mid]
            if o.field < field || (o.field == field && o.start < start) {
                lo = occurrences.index(after: mid)
            } else {
                hi = mid
            }
        }
        return lo
    }

    /// The folded words an occurrence covers, for explanations.
    func words(_ occurrence: Occurrence) -> String {
        let words = occurrence.field == Occurrence.title ? titleWords : bodyWords
        guard !words.isEmpty else { return "" }
        let range = Int(occurrence.start)...min(Int(occurrence.end), words.count - 1)
        if range.count > 12 { return words[range.lowerBound] + " … " + words[range.upperBound] }
        return words[range].joined(separator: " ")
    }
}
