import FeedwatchClassify
import FeedwatchModel
import Testing

/// A headline alone, a headline and a sentence, and a full article are each judged fairly: a
/// topic may give short texts a threshold of their own, and `--explain` says what a near miss lacked.
@Suite struct ClassifierShortTextTests {
    static let yaml = """
    sets:
      places: [Mali]
      violence: [attack*, killed]
    topics:
      t:
        threshold: 14
        short: {words: 20, threshold: 9}
        boost: {title: 3, lead: 2, body: 1, lead_words: 30}
        require:
          - in: [title, lead]
            all: ["@places", "@violence"]
        terms:
          "@places": 2
          "@violence": 1.5
    """

    static let filler = Array(repeating: "The ministry gave no further detail on the events of the week.", count: 3).joined(separator: " ")

    /// Title and body; the body's word count decides which threshold applies.
    static let cases: [(title: String, body: String, matches: Bool, threshold: Double)] = [
        // Headline alone: 6 + 4.5 = 10.5 reaches the short threshold.
        ("Attack in Mali", "", true, 9),
        // Headline and one sentence: still short.
        ("Attack in Mali", "Gunmen struck a village on Sunday.", true, 9),
        // The same headline over 30 words of body needs the full threshold, which it misses.
        ("Attack in Mali", filler, false, 14),
        // A long story that says it everywhere reaches the full threshold.
        ("Attack in Mali: nine killed", "Nine people were killed in an attack in Mali. " + filler, true, 14),
    ]

    @Test(arguments: 0..<cases.count)
    func thresholdFollowsTheBodyLength(index: Int) throws {
        let c = Self.cases[index]
        let classifier = Classifier(watchlist: try Watchlist.parse(yaml: Self.yaml, file: "w.yaml"))
        let story = Story(id: "s", title: c.title, summary: c.body, language: "en")
        #expect(!classifier.classify(story).isEmpty == c.matches)
        let explained = try #require(classifier.explain(story).first)
        #expect(explained.threshold == c.threshold)
        #expect(explained.matched == c.matches)
    }

    @Test func aNearMissSaysHowManyPointsItLacked() throws {
        let classifier = Classifier(watchlist: try Watchlist.parse(yaml: Self.yaml, file: "w.yaml"))
        let story = Story(id: "s", title: "Attack in Mali", summary: Self.filler, language: "en")
        let explained = try #require(classifier.explain(story).first)
        #expect(explained.verdict == "not matched: score below threshold")
        #expect(explained.lacking?.hasPrefix("score 3.5 points below the threshold (body of 20 words or more) 14") == true)
    }

    @Test func aFailedRequireNamesTheBranchThatFailed() throws {
        let yaml = Self.yaml.replacingOccurrences(of: "all: [\"@places\", \"@violence\"]",
                                                  with: "any: [\"@places\"]\n      - any: [\"@violence\"]")
        let classifier = Classifier(watchlist: try Watchlist.parse(yaml: yaml, file: "w.yaml"))
        let explained = try #require(classifier.explain(Story(id: "s", title: "Floods in Mali", language: "en")).first)
        #expect(explained.verdict == "not matched: require failed")
        #expect(explained.lacking == "require: nothing held any(\"@violence\")")
        let matched = try #require(classifier.explain(Story(id: "s", title: "Attack in Mali", language: "en")).first)
        #expect(matched.matched && matched.lacking == nil)
    }

    @Test func shortNeedsWordsAndThreshold() {
        let broken = Self.yaml.replacingOccurrences(of: "short: {words: 20, threshold: 9}", with: "short: {words: 0}")
        #expect(ClassifierFixture.diagnostics(broken) == [
            "w.yaml:7:12: 'short:' needs both 'words:' and 'threshold:'",
            "w.yaml:7:20: bad words 0.0: a whole number from 1",
        ])
    }
}
