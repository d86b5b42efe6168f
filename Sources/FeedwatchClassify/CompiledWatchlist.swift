import Synchronization

/// The watchlist compiled for matching: every distinct word and prefix is an atom in one trie,
/// every distinct sub-expression a node in one flat array shared by all topics.
///
/// A class, written only by its initialiser and read-only after: every story reads it, and a
/// struct of some twenty arrays cost twenty retains and releases per story to pass around.
final class CompiledWatchlist: @unchecked Sendable {
    enum NodeKind: Sendable {
        case atom(Int32)
        case phrase([Int32])
        case any([Int32])
        case near(Int32, Int32, distance: Int32)
        case except(Int32, Int32)
        /// Bit i of the mask is language `languageIDs` value i.
        case language(Int32, mask: UInt64)
    }

    struct Unit: Sendable {
        let node: Int32
        let weight: Double
        let term: WeightedTerm
    }

    indirect enum Rule: Sendable {
        case term(node: Int32, fields: Set<Field>?, text: String)
        case allOf([Rule]), anyOf([Rule]), noneOf([Rule])
    }

    struct CompiledTopic: Sendable {
        let topic: Topic
        let units: [Unit]
        /// `units[i].node`, kept apart so the scoring loop reads plain integers.
        let unitNodes: [Int32]
        let require: Rule?
        let exclude: Rule?
    }

    private(set) var trie = TermTrie()
    private(set) var atomCount = 0
    private(set) var nodes: [NodeKind] = []
    private(set) var topics: [CompiledTopic] = []
    /// The first look at a story, when every topic has a `require` (else nil): a story on which
    /// none of them may hold matches no topic (`Classifier.classify`).
    private(set) var screen: RequireScreen?
    /// The second look, at the title and the lead of the cleaned text, for stories the first
    /// lets through: most `require` rules ask for the place and the subject in the headline or
    /// the lead, and a long story that names a Sahel town in its tenth paragraph passed the
    /// first look only to fail them.
    private(set) var leadScreen: RequireScreen?
    /// The body words `leadScreen` reads: the most any topic counts as its lead, and as far past
    /// it as a phrase or NEAR starting there may reach.
    private(set) var leadWords = 0
    /// The watchlist's atoms, kept for `anchorScreen`.
    private var anchorAtoms: [(text: String, isPrefix: Bool)] = []
    private let anchors = Mutex<RequireScreen??>(nil)

    /// A looser first look, for a story that shows only part of its text (a feed's teaser): some
    /// topic may match once the rest is read when one of its `require` parts already holds (the
    /// place, or the subject), or, for a topic without `require`, one of its positive terms occurs.
    /// Nil when a topic's anchor may hold on any story. Built on first use: only the daemon's
    /// full-text fetch asks.
    var anchorScreen: RequireScreen? {
        anchors.withLock { cached in
            if let cached { return cached }
            let rules = topics.map { topic -> Rule in
                if let require = topic.require { return Self.relaxed(require) }
                return .anyOf(topic.units.filter { $0.weight > 0 }.map { .term(node: $0.node, fields: nil, text: "") })
            }
            let built = RequireScreen(requires: rules, nodes: nodes, atoms: anchorAtoms)
            cached = .some(built)
            return built
        }
    }

    /// "All of" a rule's parts becomes "any" of them, its `none` parts dropped (they may hold on
    /// any story): more text can bring the parts a teaser lacks.
    private static func relaxed(_ rule: Rule) -> Rule {
        guard case .allOf(let parts) = rule else { return rule }
        let positive = parts.filter { if case .noneOf = $0 { false } else { true } }
        return positive.isEmpty ? rule : .anyOf(positive)
    }
    /// Nodes that use atom a directly (atom and phrase nodes), and nodes that use node n:
    /// a story marks only the ancestors of the atoms it contains; every other node is empty.
    private(set) var atomParents: [[Int32]] = []
    /// Per atom: 1 for an English function word, 2 for a French one, else 0. The declared
    /// language of a feed is a hint, not the truth; these words let the text speak for itself.
    private(set) var stopwordLanguage: [UInt8] = []
    /// Per atom: whether any term uses it (function words alone are not recorded as hits).
    private(set) var atomUsed: [Bool] = []
    /// Languages named by per-language lists, as bit positions (`en` 0, `fr` 1, then others).
    private(set) var languageIDs: [String: Int] = ["en": 0, "fr": 1]

    static let englishFunctionWords = ["the", "of", "and", "to", "is", "was", "for", "with", "said", "that",
                                       "by", "from", "has", "have", "were", "after", "its", "their", "at", "which"]
    static let frenchFunctionWords = ["le", "la", "les", "des", "du", "et", "dans", "pour", "sur", "est",
                                      "une", "au", "aux", "avec", "par", "ont", "selon", "qui", "ce", "ete"]
    private(set) var nodeParents: [[Int32]] = []
    private var atomIDs: [String: Int32] = [:]
    /// Atom a's word or prefix and whether it is a prefix, while compiling.
    private var atomSpellings: [(text: String, isPrefix: Bool)] = []
    private var nodeIDs: [TermExpression: Int32] = [:]

    init(_ watchlist: Watchlist) {
        for topic in watchlist.topics {
            // Within an entry, longer members go first so `Lake Chad` claims its words before `Chad`.
            let ordered = topic.terms.enumerated().sorted { a, b in
                (a.element.entry, -a.element.term.expression.minimumWords, a.offset)
                    < (b.element.entry, -b.element.term.expression.minimumWords, b.offset)
            }.map(\.element)
            let units = ordered.map { Unit(node: node(for: $0.term.expression), weight: $0.weight, term: $0) }
            topics.append(CompiledTopic(topic: topic, units: units, unitNodes: units.map(\.node),
                                        require: topic.require.map { rule($0) },
                                        exclude: topic.exclude.map { rule($0) }))
        }
        let rules = topics.compactMap(\.require)
        if rules.count == topics.count {
            screen = RequireScreen(requires: rules, nodes: nodes, atoms: atomSpellings)
            leadScreen = RequireScreen(requires: rules, nodes: nodes, atoms: atomSpellings, leadOnly: true)
            leadWords = (topics.map(\.topic.boosts.leadWords).max() ?? 0) + (leadScreen?.reach ?? 0)
        }
        let termAtoms = atomCount
        atomUsed = Array(repeating: true, count: termAtoms)
        stopwordLanguage = Array(repeating: 0, count: termAtoms)
        // 1 and 2 are the bit positions of en and fr, plus one (0 means "not a function word").
        for (language, words) in [(UInt8(1), Self.englishFunctionWords), (UInt8(2), Self.frenchFunctionWords)] {
            for word in words {
                let id = atom(.word(word))
                if Int(id) >= atomUsed.count {
                    atomUsed.append(false)
                    stopwordLanguage.append(0)
                }
                stopwordLanguage[Int(id)] = language
            }
        }
        atomIDs = [:]
        anchorAtoms = atomSpellings
        atomSpellings = []
        nodeIDs = [:]
        trie.seal()
        linkParents()
    }

    private func linkParents() {
        atomParents = Array(repeating: [], count: atomCount)
        nodeParents = Array(repeating: [], count: nodes.count)
        for (id, kind) in nodes.enumerated() {
            let parent = Int32(id)
            switch kind {
            case .atom(let a): atomParents[Int(a)].append(parent)
            case .phrase(let atoms): for a in Set(atoms) { atomParents[Int(a)].append(parent) }
            case .any(let children): for c in Set(children) { nodeParents[Int(c)].append(parent) }
            case .near(let a, let b, _), .except(let a, let b):
                nodeParents[Int(a)].append(parent)
                if b != a { nodeParents[Int(b)].append(parent) }
            case .language(let inner, _): nodeParents[Int(inner)].append(parent)
            }
        }
    }

    private func rule(_ condition: Condition) -> Rule {
        switch condition {
        case .term(let term, let fields): .term(node: node(for: term.expression), fields: fields, text: term.text)
        case .allOf(let c): .allOf(c.map { rule($0) })
        case .anyOf(let c): .anyOf(c.map { rule($0) })
        case .noneOf(let c): .noneOf(c.map { rule($0) })
        }
    }

    private func atom(_ expression: TermExpression) -> Int32 {
        if let id = atomIDs[expression.atomKey] { return id }
        let id = Int32(atomCount)
        atomCount += 1
        atomIDs[expression.atomKey] = id
        switch expression {
        case .word(let w):
            trie.insert(w, atom: id, isPrefix: false)
            atomSpellings.append((w, false))
        case .prefix(let p):
            trie.insert(p, atom: id, isPrefix: true)
            atomSpellings.append((p, true))
        default: preconditionFailure("only words and prefixes are atoms")
        }
        return id
    }

    /// The node for `expression`, shared with every identical expression already compiled.
    private func node(for expression: TermExpression) -> Int32 {
        if let id = nodeIDs[expression] { return id }
        let kind: NodeKind
        switch expression {
        case .word, .prefix:
            kind = .atom(atom(expression))
        case .phrase(let parts):
            kind = .phrase(parts.map { atom($0) })
        case .any(let alternatives):
            if alternatives.count == 1 { return node(for: alternatives[0]) }
            kind = .any(alternatives.map { node(for: $0) })
        case .near(let a, let b, let n):
            kind = .near(node(for: a), node(for: b), distance: Int32(n))
        case .except(let a, let b):
            kind = .except(node(for: a), node(for: b))
        case .language(let inner, let languages):
            var mask: UInt64 = 0
            for language in languages {
                if languageIDs[language] == nil, languageIDs.count < 64 { languageIDs[language] = languageIDs.count }
                if let bit = languageIDs[language] { mask |= 1 << UInt64(bit) }
            }
            kind = .language(node(for: inner), mask: mask)
        case .set:
            preconditionFailure("the loader resolves every @set before compiling")
        }
        nodes.append(kind)
        let id = Int32(nodes.count - 1)
        nodeIDs[expression] = id
        return id
    }
}

extension TermExpression {
    /// The fewest words an occurrence of this expression spans.
    var minimumWords: Int {
        switch self {
        case .word, .prefix, .set: 1
        case .phrase(let parts): parts.count
        case .any(let alternatives): alternatives.map(\.minimumWords).min() ?? 1
        case .near(let a, let b, _): a.minimumWords + b.minimumWords
        case .except(let a, _): a.minimumWords
        case .language(let inner, _): inner.minimumWords
        }
    }

    /// Distinguishes `mali` from `mali*` among atoms.
    fileprivate var atomKey: String {
        switch self {
        case .word(let w): "=" + w
        case .prefix(let p): "*" + p
        default: ""
        }
    }
}
