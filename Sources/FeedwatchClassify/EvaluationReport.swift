import FeedwatchModel

/// How well a watchlist's topics agree with labelled stories: precision, recall and F1 per topic and
/// per language, and every miss and false positive with the classifier's one-line reason. What
/// `feedwatch eval` prints; built by `record`, one (story, topic) judgement at a time.
public struct EvaluationReport: Sendable, Equatable, Codable {
    /// A confusion matrix. Precision with nothing predicted, and recall with nothing to find, are 1
    /// (nothing went wrong), as `../shared/eval/score-classify` counts them.
    public struct Counts: Sendable, Equatable, Codable {
        public var truePositives = 0
        public var falsePositives = 0
        public var falseNegatives = 0
        public var trueNegatives = 0

        public init() {}

        public var precision: Double { Self.ratio(truePositives, truePositives + falsePositives) }
        public var recall: Double { Self.ratio(truePositives, truePositives + falseNegatives) }
        public var f1: Double {
            let p = precision, r = recall
            return p + r == 0 ? 0 : 2 * p * r / (p + r)
        }
        public var positives: Int { truePositives + falseNegatives }
        public var items: Int { truePositives + falsePositives + falseNegatives + trueNegatives }

        mutating func add(label: Bool, predicted: Bool) {
            switch (label, predicted) {
            case (true, true): truePositives += 1
            case (false, true): falsePositives += 1
            case (true, false): falseNegatives += 1
            case (false, false): trueNegatives += 1
            }
        }

        private static func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 1 : Double(a) / Double(b) }

        private enum CodingKeys: String, CodingKey {
            case truePositives = "tp", falsePositives = "fp", falseNegatives = "fn", trueNegatives = "tn"
            case precision, recall, f1
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            truePositives = try c.decode(Int.self, forKey: .truePositives)
            falsePositives = try c.decode(Int.self, forKey: .falsePositives)
            falseNegatives = try c.decode(Int.self, forKey: .falseNegatives)
            trueNegatives = try c.decode(Int.self, forKey: .trueNegatives)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(truePositives, forKey: .truePositives)
            try c.encode(falsePositives, forKey: .falsePositives)
            try c.encode(falseNegatives, forKey: .falseNegatives)
            try c.encode(trueNegatives, forKey: .trueNegatives)
            try c.encode(Self.rounded(precision), forKey: .precision)
            try c.encode(Self.rounded(recall), forKey: .recall)
            try c.encode(Self.rounded(f1), forKey: .f1)
        }

        static func rounded(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }
    }

    /// One topic's figures, overall, by story language (`?` when a story has none) and by how much
    /// text a story has besides its headline (`LengthBucket`).
    public struct TopicFigures: Sendable, Equatable, Codable {
        public var topic: String
        public var overall = Counts()
        public var languages: [String: Counts] = [:]
        public var lengths: [String: Counts] = [:]

        public init(topic: String) { self.topic = topic }
    }

    /// A story the classifier got wrong for one topic.
    public struct Mistake: Sendable, Equatable, Codable {
        public enum Kind: String, Sendable, Codable {
            case miss
            case falsePositive = "false_positive"
        }

        public var kind: Kind
        public var topic: String
        public var id: String
        public var language: String
        public var title: String
        /// One line: the verdict, the score against the threshold, what failed or fired, the strongest terms.
        public var why: String
    }

    /// In the order topics were first recorded.
    public private(set) var topics: [TopicFigures] = []
    /// Misses first, then false positives, each in recording order.
    public var mistakes: [Mistake] { misses + falsePositives }
    private var misses: [Mistake] = []
    private var falsePositives: [Mistake] = []
    private var index: [String: Int] = [:]

    public init() {}

    /// Counts one judgement. `explain` is called only for a mistake (explaining costs more than
    /// classifying); it returns the topic's explanation for that story.
    public mutating func record(topic: String, story: Story, label: Bool, predicted: Bool,
                                explain: () -> TopicExplanation?) {
        let language = Self.language(story.language)
        let i: Int
        if let known = index[topic] {
            i = known
        } else {
            i = topics.count
            index[topic] = i
            topics.append(TopicFigures(topic: topic))
        }
        topics[i].overall.add(label: label, predicted: predicted)
        topics[i].languages[language, default: Counts()].add(label: label, predicted: predicted)
        topics[i].lengths[LengthBucket(story).rawValue, default: Counts()].add(label: label, predicted: predicted)
        guard label != predicted else { return }
        let why = explain().map(Self.why) ?? (predicted ? "matched" : "not matched")
        let mistake = Mistake(kind: label ? .miss : .falsePositive, topic: topic, id: story.id, language: language,
                              title: story.title, why: why)
        if label { misses.append(mistake) } else { falsePositives.append(mistake) }
    }

    /// The primary language subtag, lower-cased: `en-GB` and `en` are scored together.
    static func language(_ tag: String?) -> String {
        guard let tag, let primary = tag.split(whereSeparator: { $0 == "-" || $0 == "_" }).first, !primary.isEmpty
        else { return "?" }
        return primary.lowercased()
    }

    /// `--explain` in one line, e.g. `not matched: score below threshold (score 2.5 < 4, short by 1.5);
    /// terms +1.5 Mali, +1 attack*` or `not matched: require failed (score 3 / 4); require failed: …`.
    public static func why(_ e: TopicExplanation) -> String {
        let score = TopicExplanation.format(e.score), threshold = TopicExplanation.format(e.threshold)
        var parts: [String]
        if e.matched {
            parts = ["\(e.verdict) (score \(score) ≥ \(threshold))"]
        } else if e.score < e.threshold {
            parts = ["\(e.verdict) (score \(score) < \(threshold), short by \(TopicExplanation.format(e.threshold - e.score)))"]
        } else {
            parts = ["\(e.verdict) (score \(score) ≥ \(threshold))"]
        }
        if let r = e.require, !r.held { parts.append("require failed: " + clip(r.rule, 100)) }
        if let x = e.exclude, x.held { parts.append("exclude fired: " + clip(x.rule, 100)) }
        let strongest = e.terms.sorted { abs($0.points) > abs($1.points) }.prefix(4)
        if !strongest.isEmpty {
            parts.append("terms " + strongest.map { ($0.points >= 0 ? "+" : "") + TopicExplanation.format($0.points) + " " + clip($0.term, 40) }
                .joined(separator: ", "))
        } else {
            parts.append("no term matched")
        }
        return parts.joined(separator: "; ")
    }

    private static func clip(_ s: String, _ n: Int) -> String {
        let flat = s.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count <= n ? flat : String(flat.prefix(n - 1)) + "…"
    }

    private enum CodingKeys: String, CodingKey { case topics, mistakes }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        topics = try c.decode([TopicFigures].self, forKey: .topics)
        let all = try c.decode([Mistake].self, forKey: .mistakes)
        misses = all.filter { $0.kind == .miss }
        falsePositives = all.filter { $0.kind == .falsePositive }
        index = Dictionary(topics.enumerated().map { ($1.topic, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(topics, forKey: .topics)
        try c.encode(mistakes, forKey: .mistakes)
    }
}

extension EvaluationReport: CustomStringConvertible {
    /// The readable report: per topic its figures and one line per language, then every miss and
    /// false positive with its reason.
    public var description: String {
        var lines: [String] = []
        func figures(_ c: Counts) -> String {
            "P=\(f3(c.precision)) R=\(f3(c.recall)) F1=\(f3(c.f1))"
        }
        for t in topics {
            let o = t.overall
            lines.append("topic \(t.topic): \(figures(o))  tp=\(o.truePositives) fp=\(o.falsePositives) "
                         + "fn=\(o.falseNegatives) tn=\(o.trueNegatives) (\(o.items) items)")
            for (language, c) in t.languages.sorted(by: { $0.key < $1.key }) {
                lines.append("  \(language): \(figures(c))  (positives \(c.positives), items \(c.items))")
            }
            for bucket in LengthBucket.allCases {
                guard let c = t.lengths[bucket.rawValue] else { continue }
                lines.append("  \(bucket.rawValue): \(figures(c))  (positives \(c.positives), items \(c.items))")
            }
        }
        for m in mistakes {
            let tag = m.kind == .miss ? "MISS" : "FP  "
            lines.append("\(tag) \(m.id) [\(m.language)] \(m.topic): \(Self.clip(m.title, 90))  — \(m.why)")
        }
        return lines.joined(separator: "\n")
    }

    private func f3(_ x: Double) -> String {
        let r = Counts.rounded(x)
        var s = String(r)
        if let dot = s.firstIndex(of: ".") {
            let decimals = s.distance(from: dot, to: s.endIndex) - 1
            if decimals < 3 { s += String(repeating: "0", count: 3 - decimals) }
        } else {
            s += ".000"
        }
        return s
    }
}

/// How much text a story carries besides its headline, the axis real feeds vary most on: a bare
/// headline (MSN's AP copies), a sentence or two (most RSS), or full copy.
public enum LengthBucket: String, Sendable, CaseIterable {
    case headline = "headline-only"
    case short = "short (1-60 words)"
    case full = "full (>60 words)"

    /// Words of the summary or the content (whichever is longer), markup left out.
    public init(_ story: Story) {
        let words = max(Self.words(story.summary), Self.words(story.content))
        self = words == 0 ? .headline : words <= 60 ? .short : .full
    }

    static func words(_ html: String?) -> Int {
        guard let html else { return 0 }
        var count = 0, inTag = false, inWord = false
        for u in html.utf8 {
            if u == UInt8(ascii: "<") { inTag = true; inWord = false; continue }
            if u == UInt8(ascii: ">") { inTag = false; continue }
            if inTag { continue }
            let space = u == 0x20 || u == 0x0A || u == 0x09 || u == 0x0D
            if space { inWord = false } else if !inWord { inWord = true; count += 1 }
        }
        return count
    }
}
