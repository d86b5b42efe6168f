import FeedwatchModel

/// Scores stories against a watchlist's topics.
///
/// The watchlist is compiled once, when the first story arrives; each story is tokenized once and
/// every token looked up once, whatever the number of topics and terms.
public struct Classifier: Sendable {
    private let lazyCompiled: LazyCompiledWatchlist
    public let watchlist: Watchlist

    var compiled: CompiledWatchlist { lazyCompiled.value }

    public init(watchlist: Watchlist) {
        self.watchlist = watchlist
        lazyCompiled = LazyCompiledWatchlist(watchlist)
    }

    /// The topics `story` matches, in watchlist order, each with its score and the positive terms
    /// that matched (as written in the watchlist).
    public func classify(_ story: Story) -> [TopicMatch] {
        let compiled = self.compiled
        // Removing chrome costs as much as the scan, and most stories fail every topic's `require`
        // (no Sahel place anywhere): a first look at the text with its chrome settles those.
        let rough = ClassifierText.withChrome(story, folder: TermFolding.folder)
        if let screen = compiled.screen, !screen.mayHold(title: rough.title, body: rough.body) { return [] }
        let text = ClassifierText(rough: rough)
        if let lead = compiled.leadScreen,
           !lead.mayHold(title: text.title, body: text.body, bodyWords: compiled.leadWords) { return [] }
        let matcher = StoryMatcher(compiled: compiled, title: text.title, body: text.body,
                                   language: story.language, keepWords: false)
        guard matcher.hasHits else { return [] }
        var matches: [TopicMatch] = []
        for topic in compiled.topics {
            let result = evaluate(topic, matcher, explain: false)
            if result.matched {
                matches.append(TopicMatch(topic: topic.topic.name, score: Self.rounded(result.score),
                                          matched: result.hits.filter { $0.points > 0 }.map(\.term)))
            }
        }
        return matches
    }

    /// Whether some topic could still match `story` if its text were longer: false only when none
    /// of the topics' anchors (`CompiledWatchlist.anchorScreen`) occurs in its title and text. As
    /// cheap as the first look of `classify`; the daemon asks it before fetching an article page.
    public func mayMatchWithMoreText(_ story: Story) -> Bool {
        guard let screen = compiled.anchorScreen else { return !compiled.topics.isEmpty }
        let rough = ClassifierText.withChrome(story, folder: TermFolding.folder)
        return screen.mayHold(title: rough.title, body: rough.body)
    }

    /// For every topic, matched or not: the verdict, each matched term with weight, field and
    /// points, the rules and the threshold.
    public func explain(_ story: Story) -> [TopicExplanation] {
        let compiled = self.compiled
        let matcher = makeMatcher(story, compiled, keepWords: true)
        return compiled.topics.map { topic in
            let result = evaluate(topic, matcher, explain: true)
            return TopicExplanation(topic: topic.topic.name, matched: result.matched, verdict: result.verdict,
                                    score: Self.rounded(result.score), threshold: result.threshold,
                                    terms: result.hits, require: result.require, exclude: result.exclude,
                                    lacking: result.lacking)
        }
    }

    private func makeMatcher(_ story: Story, _ compiled: CompiledWatchlist, keepWords: Bool) -> StoryMatcher {
        let text = ClassifierText(story, folder: TermFolding.folder)
        return StoryMatcher(compiled: compiled, title: text.title, body: text.body,
                            language: story.language, keepWords: keepWords)
    }

    static func rounded(_ x: Double) -> Double { (x * 100).rounded() / 100 }
}
