import Yams

/// Turns watchlist YAML into a `Watchlist`, collecting every problem with its location.
///
/// Two passes: read all sets and topics (syntax, keys, numbers, expressions), then resolve
/// `@set` references, so a set may be used before it is defined and every unknown name is reported.
struct WatchlistLoader {
    let file: String
    let fold: ExpressionParser.Fold
    var diagnostics: [Diagnostic] = []

    init(file: String, fold: @escaping ExpressionParser.Fold) {
        self.file = file
        self.fold = fold
    }

    /// A set member or a term before `@set` references are resolved.
    struct RawTerm {
        var text: String
        var parsed: ExpressionParser.Parsed
        var location: SourceLocation
        var languages: [String]?
    }

    struct RawTopic {
        var name: String
        var location: SourceLocation
        var description: String?
        var threshold: Double?
        var shortText: ShortText?
        var boosts = FieldBoosts()
        var terms: [(RawTerm, Double)] = []
        var require: RawCondition?
        var exclude: RawCondition?
    }

    indirect enum RawCondition {
        case term(RawTerm, fields: Set<Field>?)
        case allOf([RawCondition]), anyOf([RawCondition]), noneOf([RawCondition])
    }

    /// A per-language list's key: `any`, or a language's two- or three-letter code (`en`, `fr`, `pl`).
    static func isLanguageKey(_ key: String) -> Bool {
        key == "any" || ((2...3).contains(key.utf8.count) && key.utf8.allSatisfy { $0 >= 0x61 && $0 <= 0x7A })
    }

    mutating func load(_ yaml: String) throws -> Watchlist {
        if let problem = YAMLShape.problem(yaml, file: file) { throw WatchlistError(diagnostics: [problem]) }
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw WatchlistError(diagnostics: [yamlDiagnostic(error, yaml: yaml)])
        }
        guard let root, case .mapping(let top) = root else {
            throw WatchlistError(diagnostics: [Diagnostic(location(root), "a watchlist is a mapping with 'sets:' and 'topics:'")])
        }
        var sets: [(String, [RawTerm], SourceLocation)] = []
        var topics: [RawTopic] = []
        var packs: [LanguagePack] = []
        var sawTopics = false
        for (keyNode, value) in top {
            guard let key = scalarString(keyNode) else { continue }
            switch key {
            case "sets": sets = readSets(value)
            case "topics": sawTopics = true; topics = readTopics(value)
            case "languages": packs = readPacks(value)
            default: error(keyNode, "unknown key '\(key)' (expected 'sets', 'topics' or 'languages')")
            }
        }
        if !sawTopics { error(root, "the watchlist defines no 'topics:'") }
        sets = merge(packs, into: sets)
        var resolver = SetResolver(sets: sets)
        resolver.checkReferences(sets: sets, topics: topics)
        // Flatten every set, used or not, so a cycle is reported even in a set no topic uses yet.
        for (name, _, _) in sets { _ = resolver.flatten(name) }
        diagnostics += resolver.diagnostics
        guard diagnostics.isEmpty else { throw WatchlistError(diagnostics: diagnostics) }

        let resolved = topics.map { resolver.resolve($0) }
        diagnostics += resolver.diagnostics
        guard diagnostics.isEmpty else { throw WatchlistError(diagnostics: diagnostics) }
        var watchlist = Watchlist(topics: resolved, setNames: sets.map(\.0))
        watchlist.compiledSize = resolver.compiledSize
        return watchlist
    }

    // MARK: Sets

    private mutating func readSets(_ node: Node) -> [(String, [RawTerm], SourceLocation)] {
        guard case .mapping(let mapping) = node else {
            error(node, "'sets:' is a mapping of set names to lists of terms")
            return []
        }
        var result: [(String, [RawTerm], SourceLocation)] = []
        var seen: Set<String> = []
        for (keyNode, value) in mapping {
            guard let name = scalarString(keyNode) else { continue }
            guard !name.isEmpty, name.unicodeScalars.allSatisfy(ExpressionParser.isSetNameScalar) else {
                error(keyNode, "set name '\(name)' may hold only letters, digits, '_' and '-'")
                continue
            }
            guard seen.insert(name).inserted else {
                error(keyNode, "set '\(name)' is defined twice")
                continue
            }
            result.append((name, readMembers(value, context: "set '\(name)'"), location(keyNode)))
        }
        return result
    }

    /// A plain list of terms, or per-language lists: `{en: [...], fr: [...], any: [...]}`.
    private mutating func readMembers(_ node: Node, context: String) -> [RawTerm] {
        switch node {
        case .sequence:
            return readTermList(node, languages: nil, context: context)
        case .mapping(let mapping):
            var terms: [RawTerm] = []
            for (keyNode, value) in mapping {
                guard let key = scalarString(keyNode) else { continue }
                guard Self.isLanguageKey(key) else {
                    error(keyNode, "unknown key '\(key)' in \(context) (expected a language list: any, or a language code such as en, fr, pl)")
                    continue
                }
                terms += readTermList(value, languages: key == "any" ? nil : [key], context: context)
            }
            return terms
        default:
            error(node, "\(context) is a list of terms, or lists per language (en:, fr:, any:)")
            return []
        }
    }

    mutating func readTermList(_ node: Node, languages: [String]?, context: String) -> [RawTerm] {
        guard case .sequence(let sequence) = node else {
            error(node, "\(context) expects a list of terms")
            return []
        }
        return sequence.compactMap { readTerm($0, languages: languages) }
    }

    mutating func readTerm(_ node: Node, languages: [String]?) -> RawTerm? {
        guard case .scalar(let scalar) = node else {
            error(node, "a term is a string such as 'mali NEAR/10 attack*'")
            return nil
        }
        let start = termStart(scalar)
        switch ExpressionParser.parse(scalar.string, at: start, fold: fold) {
        case .success(let parsed):
            return RawTerm(text: scalar.string, parsed: parsed, location: location(node), languages: languages)
        case .failure(let failure):
            diagnostics += failure.diagnostics
            return nil
        }
    }

    // MARK: Locations and errors

    /// Where the string's first character sits: quoted scalars start one column after their mark.
    private func termStart(_ scalar: Node.Scalar) -> SourceLocation {
        var start = SourceLocation(file: file, line: scalar.mark?.line ?? 1, column: scalar.mark?.column ?? 1)
        if scalar.style == .singleQuoted || scalar.style == .doubleQuoted { start.column += 1 }
        return start
    }

    func location(_ node: Node?) -> SourceLocation {
        let mark = node?.mark
        return SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    mutating func error(_ node: Node?, _ message: String) {
        diagnostics.append(Diagnostic(location(node), message))
    }

    mutating func scalarString(_ node: Node) -> String? {
        guard case .scalar(let scalar) = node else {
            error(node, "expected a plain key")
            return nil
        }
        return scalar.string
    }

    func yamlDiagnostic(_ error: YamlError, yaml: String) -> Diagnostic {
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) (\($0.text) at \($0.mark))" } ?? problem
            return Diagnostic(at(mark), "YAML syntax error: \(detail)")
        case .reader(let problem, let offset, _, _):
            let prefix = yaml.utf8.prefix(offset ?? 0)
            let line = prefix.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            let column = (prefix.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).last?.count ?? 0) + 1
            return Diagnostic(SourceLocation(file: file, line: line, column: column), "YAML read error: \(problem)")
        default:
            return Diagnostic(SourceLocation(file: file, line: 1, column: 1), "YAML error: \(error)")
        }
    }
}
