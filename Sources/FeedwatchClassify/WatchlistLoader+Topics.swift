import Yams

extension WatchlistLoader {
    static let topicKeys = "description, threshold, short, boost, require, exclude, terms"

    mutating func readTopics(_ node: Node) -> [RawTopic] {
        guard case .mapping(let mapping) = node else {
            error(node, "'topics:' is a mapping of topic names to topic definitions")
            return []
        }
        var seen: Set<String> = []
        var topics: [RawTopic] = []
        for (keyNode, value) in mapping {
            guard let name = scalarString(keyNode) else { continue }
            guard seen.insert(name).inserted else {
                error(keyNode, "topic '\(name)' is defined twice")
                continue
            }
            if let topic = readTopic(name: name, keyNode: keyNode, value) { topics.append(topic) }
        }
        return topics
    }

    private mutating func readTopic(name: String, keyNode: Node, _ node: Node) -> RawTopic? {
        guard case .mapping(let mapping) = node else {
            error(node, "topic '\(name)' is a mapping (\(Self.topicKeys))")
            return nil
        }
        var topic = RawTopic(name: name, location: location(keyNode))
        var sawTerms = false
        for (keyNode, value) in mapping {
            guard let key = scalarString(keyNode) else { continue }
            switch key {
            case "description":
                topic.description = value.scalar?.string
            case "threshold":
                if let n = number(value, what: "threshold") {
                    if n > 0 { topic.threshold = n } else { error(value, "bad threshold \(n): must be positive") }
                }
            case "short":
                topic.shortText = readShortText(value)
            case "boost":
                readBoosts(value, into: &topic.boosts)
            case "terms":
                sawTerms = true
                topic.terms = readWeightedTerms(value, topic: name)
            case "require":
                topic.require = readCondition(value, implicit: .all, fields: nil)
            case "exclude":
                topic.exclude = readCondition(value, implicit: .any, fields: nil)
            default:
                error(keyNode, "unknown key '\(key)' in topic '\(name)' (expected \(Self.topicKeys))")
            }
        }
        if !mapping.keys.contains(where: { $0.scalar?.string == "threshold" }) {
            error(keyNode, "topic '\(name)' needs a 'threshold:'")
        }
        if !sawTerms { error(keyNode, "topic '\(name)' needs 'terms:' with at least one positive weight") }
        return topic
    }

    /// `short: {words: 60, threshold: 10}`.
    private mutating func readShortText(_ node: Node) -> ShortText? {
        guard case .mapping(let mapping) = node else {
            error(node, "'short:' is {words: N, threshold: T}: a body under N words needs T points")
            return nil
        }
        var words: Int?
        var threshold: Double?
        for (keyNode, value) in mapping {
            guard let key = scalarString(keyNode) else { continue }
            switch key {
            case "words":
                if let n = number(value, what: "words") {
                    if n >= 1, n == n.rounded(), n <= 100_000 { words = Int(n) } else { error(value, "bad words \(n): a whole number from 1") }
                }
            case "threshold":
                if let n = number(value, what: "threshold") {
                    if n > 0 { threshold = n } else { error(value, "bad threshold \(n): must be positive") }
                }
            default:
                error(keyNode, "unknown key '\(key)' in 'short:' (expected words, threshold)")
            }
        }
        guard let words, let threshold else {
            error(node, "'short:' needs both 'words:' and 'threshold:'")
            return nil
        }
        return ShortText(words: words, threshold: threshold)
    }

    private mutating func readBoosts(_ node: Node, into boosts: inout FieldBoosts) {
        guard case .mapping(let mapping) = node else {
            error(node, "'boost:' is a mapping such as {title: 3, lead: 2, body: 1, lead_words: 50}")
            return
        }
        for (keyNode, value) in mapping {
            guard let key = scalarString(keyNode) else { continue }
            guard let n = number(value, what: key) else { continue }
            guard n >= 0 else { error(value, "bad \(key) \(n): must not be negative"); continue }
            switch key {
            case "title": boosts.title = n
            case "lead": boosts.lead = n
            case "body": boosts.body = n
            case "lead_words":
                guard n == n.rounded() else { error(value, "bad lead_words: must be a whole number of words"); continue }
                boosts.leadWords = Int(n)
            default: error(keyNode, "unknown key '\(key)' in boost (expected title, lead, body, lead_words)")
            }
        }
    }

    /// `terms:` maps each term to its weight: `"mali NEAR/10 attack*": 4`.
    private mutating func readWeightedTerms(_ node: Node, topic: String) -> [(RawTerm, Double)] {
        guard case .mapping(let mapping) = node else {
            error(node, "'terms:' maps each term to its weight, e.g. \"jihad*\": 3")
            return []
        }
        var terms: [(RawTerm, Double)] = []
        for (keyNode, value) in mapping {
            let term = readTerm(keyNode, languages: nil)
            guard let weight = number(value, what: "weight") else { continue }
            guard weight != 0 else {
                error(value, "bad weight 0: a term must add (positive) or subtract (negative) score")
                continue
            }
            if let term { terms.append((term, weight)) }
        }
        if !terms.isEmpty, !terms.contains(where: { $0.1 > 0 }) {
            error(node, "topic '\(topic)' has no positive weight, so it can never match")
        }
        return terms
    }

    enum GroupKind: String { case all, any, none }

    /// A string is a term; a list is an implicit group; a mapping is `all:`/`any:`/`none:` plus
    /// an optional `in: [title, lead, body]` limiting where its terms count.
    mutating func readCondition(_ node: Node, implicit: GroupKind, fields: Set<Field>?) -> RawCondition? {
        switch node {
        case .scalar:
            return readTerm(node, languages: nil).map { .term($0, fields: fields) }
        case .sequence(let sequence):
            let children = sequence.compactMap { readCondition($0, implicit: .all, fields: fields) }
            // A one-item list is just its item: keeps explanations short.
            return children.count == 1 ? children[0] : group(implicit, children)
        case .mapping(let mapping):
            var fields = fields
            if let inNode = mapping["in"] { fields = readFields(inNode) ?? fields }
            var kind: GroupKind?
            var body: Node?
            for (keyNode, value) in mapping {
                guard let key = scalarString(keyNode) else { continue }
                if key == "in" { continue }
                guard let k = GroupKind(rawValue: key) else {
                    error(keyNode, "unknown key '\(key)' in a rule (expected all, any, none, in)")
                    continue
                }
                if kind != nil {
                    error(keyNode, "a rule holds one group; nest '\(key):' inside a list to combine groups")
                    continue
                }
                kind = k
                body = value
            }
            guard let kind, let body else {
                error(node, "a rule needs one of 'all:', 'any:' or 'none:'")
                return nil
            }
            guard case .sequence(let sequence) = body else {
                error(body, "'\(kind.rawValue):' expects a list of terms or rules")
                return nil
            }
            return group(kind, sequence.compactMap { readCondition($0, implicit: .all, fields: fields) })
        case .alias:
            error(node, "YAML aliases are not supported in a watchlist; use a named set (@name)")
            return nil
        }
    }

    private func group(_ kind: GroupKind, _ children: [RawCondition]) -> RawCondition {
        switch kind {
        case .all: .allOf(children)
        case .any: .anyOf(children)
        case .none: .noneOf(children)
        }
    }

    private mutating func readFields(_ node: Node) -> Set<Field>? {
        let items: [Node]
        switch node {
        case .scalar: items = [node]
        case .sequence(let sequence): items = Array(sequence)
        default:
            error(node, "'in:' lists fields: title, lead, body")
            return nil
        }
        var fields: Set<Field> = []
        for item in items {
            guard let name = item.scalar?.string, let field = Field(rawValue: name) else {
                error(item, "unknown field '\(item.scalar?.string ?? "?")' (expected title, lead or body)")
                continue
            }
            fields.insert(field)
        }
        return fields.isEmpty ? nil : fields
    }

    /// A finite number, or a diagnostic naming what was expected.
    mutating func number(_ node: Node, what: String) -> Double? {
        guard case .scalar(let scalar) = node, let n = Double(scalar.string), n.isFinite else {
            let shown = node.scalar?.string ?? "a \(node.mapping != nil ? "mapping" : "list")"
            error(node, "bad \(what) '\(shown)': expected a number")
            return nil
        }
        return n
    }
}
