extension Classifier {
    struct Evaluation {
        var matched = false
        var verdict = ""
        var score = 0.0
        var threshold = 0.0
        /// For a near miss (explanations only): what the story lacked, or which exclusion fired.
        var lacking: String?
        var hits: [TopicExplanation.TermHit] = []
        var require: TopicExplanation.RuleResult?
        var exclude: TopicExplanation.RuleResult?
    }

    /// Scores one topic: each matched term adds weight × the boost of the best field it occurs in.
    func evaluate(_ topic: CompiledWatchlist.CompiledTopic, _ matcher: StoryMatcher, explain: Bool) -> Evaluation {
        let boosts = topic.topic.boosts
        var result = Evaluation()
        let required = topic.require.map { holds($0, matcher, leadWords: boosts.leadWords) } ?? true
        // Most stories fail a topic's `require` (no Sahel place): without an explanation to give,
        // scoring them is wasted.
        if !required && !explain {
            result.verdict = "not matched: require failed"
            return result
        }
        // Words already scored by a member of the same entry: an overlapping member adds nothing.
        var claimed: [Int: ClaimedSpans] = [:]
        for index in topic.unitNodes.indices where matcher.isLive(topic.unitNodes[index]) {
            var occurrences = matcher.occurrences(topic.unitNodes[index])
            guard !occurrences.isEmpty else { continue }
            let unit = topic.units[index]
            let entry = unit.term.entry
            if var spans = claimed[entry] {
                spans.prepare()
                occurrences = occurrences.filter { !spans.covers($0) }
                claimed[entry] = spans
                guard !occurrences.isEmpty else { continue }
            }
            if unit.term.via != nil { claimed[entry, default: ClaimedSpans()].add(occurrences) }
            var best = occurrences[0]
            var bestBoost = -Double.infinity
            for occurrence in occurrences {
                let boost = boosts[occurrence.field(leadWords: boosts.leadWords)]
                if boost > bestBoost { bestBoost = boost; best = occurrence }
            }
            let points = unit.weight * bestBoost
            result.score += points
            let term = unit.term
            result.hits.append(TopicExplanation.TermHit(
                term: term.term.label, set: term.via, weight: term.weight,
                field: best.field(leadWords: boosts.leadWords), boost: bestBoost, points: Self.rounded(points),
                words: explain ? matcher.words(best) : "", defined: explain ? term.term.location.description : ""))
        }
        let excluded = topic.exclude.map { holds($0, matcher, leadWords: boosts.leadWords) } ?? false
        result.threshold = topic.topic.threshold(bodyWords: matcher.bodyWordCount)
        if explain {
            result.require = topic.require.map { .init(rule: describe($0), held: required) }
            result.exclude = topic.exclude.map { .init(rule: describe($0), held: excluded) }
            result.lacking = lacking(topic, matcher, required: required, excluded: excluded,
                                     score: result.score, threshold: result.threshold)
        }
        if !required {
            result.verdict = "not matched: require failed"
        } else if excluded {
            result.verdict = "not matched: excluded"
        } else if result.score < result.threshold {
            result.verdict = "not matched: score below threshold"
        } else {
            result.matched = true
            result.verdict = "matched"
        }
        return result
    }

    /// One line for an analyst: which `require` branch failed, which `exclude` branch fired, or
    /// how many points the score lacked (and whether the short-text threshold applied).
    private func lacking(_ topic: CompiledWatchlist.CompiledTopic, _ matcher: StoryMatcher, required: Bool,
                         excluded: Bool, score: Double, threshold: Double) -> String? {
        let leadWords = topic.topic.boosts.leadWords
        if !required, let rule = topic.require {
            let failed: [CompiledWatchlist.Rule]
            if case .allOf(let rules) = rule {
                failed = rules.filter { !holds($0, matcher, leadWords: leadWords) }
            } else {
                failed = [rule]
            }
            return "require: nothing held " + failed.map { describe($0) }.joined(separator: "; nor ")
        }
        if excluded, let rule = topic.exclude {
            let fired: [CompiledWatchlist.Rule]
            if case .anyOf(let rules) = rule {
                fired = rules.filter { holds($0, matcher, leadWords: leadWords) }
            } else {
                fired = [rule]
            }
            return "exclude fired: " + fired.map { describe($0) }.joined(separator: "; ")
        }
        guard score < threshold else { return nil }
        let short = topic.topic.shortText.map { matcher.bodyWordCount < $0.words } ?? false
        let which = topic.topic.shortText.map { short
            ? "the short-text threshold (body under \($0.words) words)"
            : "the threshold (body of \($0.words) words or more)" } ?? "the threshold"
        return "score \(TopicExplanation.format(Self.rounded(threshold - score))) points below \(which) "
            + "\(TopicExplanation.format(threshold)): a matched term in the title or lead would close the gap"
    }

    private func holds(_ rule: CompiledWatchlist.Rule, _ matcher: StoryMatcher, leadWords: Int) -> Bool {
        switch rule {
        case .term(let node, let fields, _):
            let occurrences = matcher.occurrences(node)
            guard let fields else { return !occurrences.isEmpty }
            return occurrences.contains { fields.contains($0.field(leadWords: leadWords)) }
        case .allOf(let rules):
            for r in rules where !holds(r, matcher, leadWords: leadWords) { return false }
            return true
        case .anyOf(let rules):
            for r in rules where holds(r, matcher, leadWords: leadWords) { return true }
            return false
        case .noneOf(let rules):
            for r in rules where holds(r, matcher, leadWords: leadWords) { return false }
            return true
        }
    }

    private func describe(_ rule: CompiledWatchlist.Rule) -> String {
        switch rule {
        case .term(_, let fields, let text):
            let limit = fields.map { " in " + $0.map(\.rawValue).sorted().joined(separator: "/") } ?? ""
            return "\"\(text)\"\(limit)"
        case .allOf(let rules): return "all(" + rules.map { describe($0) }.joined(separator: ", ") + ")"
        case .anyOf(let rules): return "any(" + rules.map { describe($0) }.joined(separator: ", ") + ")"
        case .noneOf(let rules): return "none(" + rules.map { describe($0) }.joined(separator: ", ") + ")"
        }
    }
}
