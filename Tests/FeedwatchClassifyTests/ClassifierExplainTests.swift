import FeedwatchClassify
import FeedwatchTestSupport
import Testing

/// `explain` tells a watchlist editor which rule fired and what each term added.
@Suite struct ClassifierExplainTests {
    typealias F = ClassifierFixture

    static let yaml = """
    sets:
      violence: [attack*, ambush*]
    topics:
      sahel:
        threshold: 10
        boost: {title: 3, lead: 2, body: 1, lead_words: 10}
        require:
          - any: [Mali, Niger]
        exclude: [football]
        terms:
          '@violence': 2
          Mali: 1
          gold: -1
    """

    @Test func matchedTopicListsTermsWithWeightFieldPointsAndSource() throws {
        let classifier = try F.classifier(Self.yaml)
        let explanation = try #require(classifier.explain(F.story("Ambush in Mali", "An attack on gold miners")).first)
        #expect(explanation.topic == "sahel")
        #expect(explanation.matched)
        #expect(explanation.verdict == "matched")
        #expect(explanation.threshold == 10)
        #expect(explanation.score == 6 + 4 + 3 - 2)
        #expect(explanation.require?.held == true)
        #expect(explanation.exclude?.held == false)
        let byTerm = Dictionary(uniqueKeysWithValues: explanation.terms.map { ($0.term, $0) })
        let ambush = try #require(byTerm["ambush*"])
        #expect(ambush.field == .title && ambush.weight == 2 && ambush.boost == 3 && ambush.points == 6)
        #expect(ambush.set == "violence")
        #expect(ambush.words == "ambush")
        #expect(ambush.defined == "test.yaml:2:23")
        let attack = try #require(byTerm["attack*"])
        #expect(attack.field == .lead && attack.points == 4 && attack.words == "attack")
        #expect(byTerm["gold"]?.points == -2)
    }

    @Test func verdictNamesWhyATopicDidNotMatch() throws {
        let classifier = try F.classifier(Self.yaml)
        #expect(classifier.explain(F.story("Ambush in Chad")).first?.verdict == "not matched: require failed")
        #expect(classifier.explain(F.story("Mali football attack")).first?.verdict == "not matched: excluded")
        #expect(classifier.explain(F.story("News", "Mali")).first?.verdict == "not matched: score below threshold")
    }

    @Test func explainAgreesWithClassify() throws {
        let classifier = Classifier(watchlist: try Watchlist.load(path: F.shippedWatchlistPath))
        for labelled in try LabelledStory.load("devset-a").prefix(40) {
            let matched = classifier.classify(labelled.story)
            let explained = classifier.explain(labelled.story).filter(\.matched)
            #expect(matched.map(\.topic) == explained.map(\.topic), "\(labelled.story.id)")
            #expect(matched.map(\.score) == explained.map(\.score), "\(labelled.story.id)")
        }
    }

    @Test func readableTextShowsRuleTermsAndThreshold() throws {
        let classifier = try F.classifier(Self.yaml)
        let text = try #require(classifier.explain(F.story("Ambush in Mali")).first).description
        #expect(text.contains("sahel: matched (score 9, threshold 10)") == false)
        #expect(text.hasPrefix("sahel: not matched: score below threshold (score 9, threshold 10)"))
        #expect(text.contains("require held: any(\"Mali\", \"Niger\")"))
        #expect(text.contains("+6  ambush* (@violence)  weight 2 × title 3  [ambush]  test.yaml:2:23"))
        #expect(text.contains("+3  Mali  weight 1 × title 3  [mali]"))
    }
}
