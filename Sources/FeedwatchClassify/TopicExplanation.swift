/// Why a story did or did not match one topic: what `feedwatch classify --explain` prints.
public struct TopicExplanation: Sendable, Equatable, Codable {
    /// One matched term: its weight, the best field it occurred in, and what it added.
    public struct TermHit: Sendable, Equatable, Codable {
        /// The term as written in the watchlist.
        public var term: String
        /// The set the term came from, when the topic lists a lone `@set`.
        public var set: String?
        public var weight: Double
        public var field: Field
        public var boost: Double
        /// weight × boost: what the term added to the score (negative context subtracts).
        public var points: Double
        /// The story's words that matched (folded), at the best occurrence.
        public var words: String
        /// Where the term is defined, `file:line:column`.
        public var defined: String
    }

    /// A boolean rule and whether it held.
    public struct RuleResult: Sendable, Equatable, Codable {
        public var rule: String
        public var held: Bool
    }

    public var topic: String
    public var matched: Bool
    /// "matched", or the first reason it did not: a failed `require`, a fired `exclude`, or
    /// a score below the threshold.
    public var verdict: String
    public var score: Double
    public var threshold: Double
    public var terms: [TermHit]
    public var require: RuleResult?
    public var exclude: RuleResult?
    /// For a story that did not match: the `require` branch that failed, the `exclude` branch
    /// that fired, or how far the score fell below the threshold.
    public var lacking: String?
}

extension TopicExplanation: CustomStringConvertible {
    /// The readable form: one header line, then one line per rule and term.
    public var description: String {
        var lines = ["\(topic): \(verdict) (score \(Self.format(score)), threshold \(Self.format(threshold)))"]
        if let require { lines.append("  require \(require.held ? "held" : "FAILED"): \(require.rule)") }
        if let exclude { lines.append("  exclude \(exclude.held ? "FIRED" : "did not fire"): \(exclude.rule)") }
        if let lacking { lines.append("  lacking: \(lacking)") }
        for hit in terms {
            let sign = hit.points >= 0 ? "+" : ""
            let via = hit.set.map { " (@\($0))" } ?? ""
            lines.append("  \(sign)\(Self.format(hit.points))  \(hit.term)\(via)  weight \(Self.format(hit.weight)) × \(hit.field.rawValue) \(Self.format(hit.boost))  [\(hit.words)]  \(hit.defined)")
        }
        return lines.joined(separator: "\n")
    }

    static func format(_ x: Double) -> String {
        x == x.rounded() ? String(Int(x)) : String((x * 100).rounded() / 100)
    }
}
