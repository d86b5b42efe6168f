/// Resolves `@set` references into the terms they stand for, checking names and cycles.
struct SetResolver {
    typealias RawTerm = WatchlistLoader.RawTerm

    private var members: [String: [RawTerm]] = [:]
    private var expanding: [String] = []
    private var flattened: [String: [WeightedTermUnit]] = [:]
    private var locations: [String: SourceLocation] = [:]
    var diagnostics: [Diagnostic] = []
    /// Terms the watchlist compiles to: each term once, each set a term refers to once per member.
    private(set) var compiledSize = 0

    /// Sets may refer to sets this deep (`@a` holding `@b` holding `@c`…).
    static let maxSetDepth = 16
    /// The most terms one set may stand for once its nested sets are expanded: two references
    /// to the set before, thirty levels deep, would otherwise stand for a billion terms.
    static let maxSetTerms = 10_000
    /// The most terms a whole watchlist may compile to (the shipped one: 4,528).
    static let maxCompiledSize = 100_000

    /// One scoring unit a lone `@set` term stands for: a member, with the set it came from.
    struct WeightedTermUnit {
        var term: Term
        var via: String
    }

    init(sets: [(String, [RawTerm], SourceLocation)]) {
        for (name, terms, location) in sets {
            members[name] = terms
            locations[name] = location
        }
    }

    /// Reports every reference to a set that does not exist, where it is written.
    mutating func checkReferences(sets: [(String, [RawTerm], SourceLocation)], topics: [WatchlistLoader.RawTopic]) {
        func check(_ term: RawTerm) {
            for reference in term.parsed.references where members[reference.name] == nil {
                let known = members.keys.sorted().map { "@\($0)" }.joined(separator: ", ")
                diagnostics.append(Diagnostic(reference.location,
                    "unknown set '@\(reference.name)'" + (known.isEmpty ? " (no sets are defined)" : " (known: \(known))")))
            }
        }
        func check(_ condition: WatchlistLoader.RawCondition?) {
            switch condition {
            case .term(let term, _): check(term)
            case .allOf(let c), .anyOf(let c), .noneOf(let c): c.forEach { check($0) }
            case nil: break
            }
        }
        for (_, terms, _) in sets { terms.forEach { check($0) } }
        for topic in topics {
            topic.terms.forEach { check($0.0) }
            check(topic.require)
            check(topic.exclude)
        }
    }

    mutating func resolve(_ raw: WatchlistLoader.RawTopic) -> Topic {
        let before = compiledSize
        defer {
            if before <= Self.maxCompiledSize && compiledSize > Self.maxCompiledSize {
                diagnostics.append(Diagnostic(raw.location, "the watchlist compiles to more than "
                    + "\(Self.maxCompiledSize) terms by topic '\(raw.name)' (sets expanded): split or shorten its sets"))
            }
        }
        var terms: [WeightedTerm] = []
        for (entry, (term, weight)) in raw.terms.enumerated() {
            // A lone `@set` scores each member it finds; any other expression scores once.
            if case .set(let name) = term.parsed.expression, term.languages == nil {
                let units = flatten(name)
                compiledSize += units.count
                for unit in units {
                    terms.append(WeightedTerm(term: unit.term, weight: weight, via: unit.via, entry: entry))
                }
            } else {
                compiledSize += 1
                terms.append(WeightedTerm(term: resolveTerm(term), weight: weight, entry: entry))
            }
        }
        return Topic(name: raw.name, description: raw.description, threshold: raw.threshold ?? 1,
                     boosts: raw.boosts, terms: terms, require: raw.require.map { resolve($0) },
                     exclude: raw.exclude.map { resolve($0) }, location: raw.location,
                     shortText: raw.shortText)
    }

    private mutating func resolve(_ condition: WatchlistLoader.RawCondition) -> Condition {
        switch condition {
        case .term(let term, let fields):
            compiledSize += 1
            return .term(resolveTerm(term), fields: fields)
        case .allOf(let c): return .allOf(c.map { resolve($0) })
        case .anyOf(let c): return .anyOf(c.map { resolve($0) })
        case .noneOf(let c): return .noneOf(c.map { resolve($0) })
        }
    }

    private mutating func resolveTerm(_ raw: RawTerm) -> Term {
        var expression = resolve(raw.parsed.expression, at: raw.location)
        if let languages = raw.languages { expression = .language(expression, languages: languages) }
        return Term(text: raw.text, expression: expression, location: raw.location)
    }

    /// The members of set `name`, nested lone `@sets` flattened, language limits kept.
    mutating func flatten(_ name: String) -> [WeightedTermUnit] {
        if let done = flattened[name] { return done }
        if expanding.contains(name) { return [] }  // reported by `resolve(_:at:)` when the cycle closes
        expanding.append(name)
        defer { expanding.removeLast() }
        var units: [WeightedTermUnit] = []
        defer { flattened[name] = units }
        for member in members[name] ?? [] {
            if case .set(let inner) = member.parsed.expression {
                let at = member.parsed.references.first?.location ?? member.location
                if expanding.contains(inner) {
                    cycle(inner, at: at)
                    continue
                }
                if expanding.count >= Self.maxSetDepth {
                    let path = (expanding + [inner]).map { "@\($0)" }.joined(separator: " -> ")
                    diagnostics.append(Diagnostic(at, "sets nest deeper than \(Self.maxSetDepth): \(path)"))
                    return units
                }
                for var unit in flatten(inner).prefix(Self.maxSetTerms - units.count + 1) {
                    if let languages = member.languages {
                        unit.term.expression = .language(unit.term.expression, languages: languages)
                    }
                    units.append(unit)
                }
            } else {
                units.append(WeightedTermUnit(term: resolveTerm(member), via: name))
            }
            if units.count > Self.maxSetTerms {
                diagnostics.append(Diagnostic(locations[name] ?? member.location,
                    "set '@\(name)' stands for more than \(Self.maxSetTerms) terms once its sets are expanded"))
                units.removeLast(units.count - Self.maxSetTerms)
                return units
            }
        }
        return units
    }

    private mutating func resolve(_ expression: TermExpression, at location: SourceLocation) -> TermExpression {
        switch expression {
        case .word, .prefix, .phrase: return expression
        case .set(let name):
            if expanding.contains(name) {
                cycle(name, at: location)
                return .any([])
            }
            if expanding.count >= Self.maxSetDepth {
                let path = (expanding + [name]).map { "@\($0)" }.joined(separator: " -> ")
                diagnostics.append(Diagnostic(location, "sets nest deeper than \(Self.maxSetDepth): \(path)"))
                return .any([])
            }
            let units = flatten(name)
            compiledSize += units.count
            return .any(units.map(\.term.expression))
        case .any(let alternatives): return .any(alternatives.map { resolve($0, at: location) })
        case .near(let a, let b, let n): return .near(resolve(a, at: location), resolve(b, at: location), distance: n)
        case .except(let a, let b): return .except(resolve(a, at: location), resolve(b, at: location))
        case .language(let inner, let languages): return .language(resolve(inner, at: location), languages: languages)
        }
    }

    private mutating func cycle(_ name: String, at location: SourceLocation) {
        let path = (expanding.drop(while: { $0 != name }) + [name]).map { "@\($0)" }.joined(separator: " -> ")
        diagnostics.append(Diagnostic(location, "set '@\(name)' refers to itself: \(path)"))
    }
}
