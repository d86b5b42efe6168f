extension Topic {
    /// Whether `other` defines the same topic — terms, weights, rules, threshold — wherever in
    /// the file each was written: a reload names the topics an edit changed, not those it moved.
    public func hasSameDefinition(as other: Topic) -> Bool {
        withoutLocations() == other.withoutLocations()
    }

    private func withoutLocations() -> Topic {
        var t = self
        t.location = Topic.nowhere
        for i in t.terms.indices { t.terms[i].term.location = Topic.nowhere }
        t.require = t.require.map(Topic.withoutLocations)
        t.exclude = t.exclude.map(Topic.withoutLocations)
        return t
    }

    private static let nowhere = SourceLocation(file: "", line: 0, column: 0)

    private static func withoutLocations(_ c: Condition) -> Condition {
        switch c {
        case .term(var term, let fields):
            term.location = nowhere
            return .term(term, fields: fields)
        case .allOf(let cs): return .allOf(cs.map(withoutLocations))
        case .anyOf(let cs): return .anyOf(cs.map(withoutLocations))
        case .noneOf(let cs): return .noneOf(cs.map(withoutLocations))
        }
    }
}
