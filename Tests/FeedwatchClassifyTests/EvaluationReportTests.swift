import FeedwatchClassify
import FeedwatchModel
import Foundation
import Testing

/// `feedwatch eval`'s scoring: labelled lines read, judgements counted per topic and language,
/// mistakes explained in one line.
@Suite struct EvaluationReportTests {
    typealias F = ClassifierFixture

    static let yaml = """
    topics:
      sahel:
        threshold: 4
        boost: {title: 2, lead: 1, body: 1, lead_words: 10}
        require:
          - any: [Mali, Niger, Burkina]
        terms:
          attack*: 2
          soldier*: 1
          Mali: 1
          Niger: 1
          Burkina: 1
    """

    static func line(_ json: String) -> Data { Data(json.utf8) }

    @Test(arguments: [
        (#"{"id":"a","title":"t","labels":{"sahel":1,"other":0}}"#, ["sahel": true, "other": false]),
        (#"{"id":"a","title":"t","labels":{"sahel":true}}"#, ["sahel": true]),
        (#"{"id":"a","title":"t","labels":{"sahel":"skip"}}"#, [:]),
        (#"{"id":"a","title":"t","label":0}"#, ["sahel": false]),
        (#"{"id":"a","title":"t","label":"1"}"#, ["sahel": true]),
        (#"{"id":"a","title":"t","label":"skip"}"#, [:]),
    ] as [(String, [String: Bool])])
    func labelsAreRead(json: String, expected: [String: Bool]) throws {
        let item = try EvaluationItem.parse(Self.line(json), bareLabelTopic: "sahel")
        #expect(item.labels == expected)
        #expect(item.story.id == "a")
    }

    @Test(arguments: [
        (#"{"id":"a","title":"t"}"#, "no \"labels\" object nor \"label\" field"),
        (#"{"id":"a","title":"t","label":2}"#, "label must be 1, 0 or \"skip\", found 2"),
        (#"{"id":"a","title":"t","labels":{"x":"maybe"}}"#, "label for \"x\" must be 1, 0 or \"skip\", found \"maybe\""),
        (#"{"title":"t","label":1}"#, "not a story: missing \"id\""),
        (#"{"id":"a","title":"t","label":1"#, "not a story: invalid JSON"),
        (#"[1,2]"#, "not a story: expected a JSON object"),
    ])
    func brokenLinesSayWhy(json: String, message: String) {
        #expect(throws: EvaluationItem.ParseError.self) { try EvaluationItem.parse(Self.line(json), bareLabelTopic: "t") }
        do {
            _ = try EvaluationItem.parse(Self.line(json), bareLabelTopic: "t")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func aBareLabelWithoutATopicIsRefused() {
        #expect(throws: EvaluationItem.ParseError.needsTopic) {
            try EvaluationItem.parse(Self.line(#"{"id":"a","title":"t","label":1}"#), bareLabelTopic: nil)
        }
    }

    @Test func countsPerTopicAndLanguageAndExplainsOnlyMistakes() throws {
        let classifier = try F.classifier(Self.yaml)
        let items: [(Story, Bool)] = [
            (Story(id: "tp1", title: "Soldiers killed in attack in Mali", language: "en"), true),
            (Story(id: "tp2", title: "Burkina: des soldats attacked", language: "fr-BF"), true),
            (Story(id: "fn1", title: "Mali: a convoy was ambushed", language: "en"), true),       // below threshold
            (Story(id: "fn2", title: "Soldiers attacked near Timbuktu", language: "en"), true),    // require fails
            (Story(id: "fp1", title: "Niger attack on soldiers was a drill", language: "en"), false),
            (Story(id: "tn1", title: "Weather in Mali", language: "en"), false),
            (Story(id: "tn2", title: "Marché de Ouagadougou", language: nil), false),
        ]
        var report = EvaluationReport()
        var explained: [String] = []
        for (story, label) in items {
            let predicted = classifier.classify(story).contains { $0.topic == "sahel" }
            report.record(topic: "sahel", story: story, label: label, predicted: predicted) {
                explained.append(story.id)
                return classifier.explain(story).first
            }
        }
        #expect(explained == ["fn1", "fn2", "fp1"])
        let sahel = try #require(report.topics.first)
        #expect(report.topics.count == 1)
        let o = sahel.overall
        #expect([o.truePositives, o.falsePositives, o.falseNegatives, o.trueNegatives] as [Int] == [2, 1, 2, 2])
        #expect(abs(o.precision - 2.0 / 3) < 1e-9)
        #expect(abs(o.recall - 0.5) < 1e-9)
        #expect(abs(o.f1 - 4.0 / 7) < 1e-9)
        #expect(Set(sahel.languages.keys) == ["en", "fr", "?"])
        #expect(sahel.languages["fr"]?.truePositives == 1)
        #expect(sahel.languages["en"]?.falseNegatives == 2)
        #expect(sahel.languages["?"]?.trueNegatives == 1)
        #expect(report.mistakes.map(\.id) == ["fn1", "fn2", "fp1"])
        #expect(report.mistakes.map(\.kind) == [.miss, .miss, .falsePositive])
        let why = report.mistakes.map(\.why)
        #expect(why[0].hasPrefix("not matched: score below threshold (score 2 < 4, short by 2)"))
        #expect(why[0].contains("terms +2 Mali"))
        #expect(why[1].contains("require failed: "))
        #expect(why[2].hasPrefix("matched (score"))
        let text = report.description
        #expect(text.contains("topic sahel: P=0.667 R=0.500 F1=0.571  tp=2 fp=1 fn=2 tn=2 (7 items)"))
        #expect(text.contains("\n  fr: P=1.000 R=1.000 F1=1.000  (positives 1, items 1)"))
        #expect(text.contains("\nMISS fn2 [en] sahel: Soldiers attacked near Timbuktu  — not matched: require failed"))
    }

    @Test(arguments: [
        (nil, nil, LengthBucket.headline), ("", "<p> </p>", .headline), ("<p>Gunmen attacked a camp.</p>", nil, .short),
        (String(repeating: "word ", count: 60), nil, .short), ("short", String(repeating: "<b>word</b> ", count: 61), .full),
    ] as [(String?, String?, LengthBucket)])
    func lengthBuckets(summary: String?, content: String?, bucket: LengthBucket) {
        #expect(LengthBucket(Story(id: "a", title: "A headline", summary: summary, content: content)) == bucket)
    }

    @Test func figuresAreSplitByLength() throws {
        var report = EvaluationReport()
        report.record(topic: "t", story: Story(id: "a", title: "x"), label: true, predicted: false) { nil }
        report.record(topic: "t", story: Story(id: "b", title: "y", summary: "One sentence here."), label: true,
                      predicted: true) { nil }
        let t = try #require(report.topics.first)
        #expect(t.lengths[LengthBucket.headline.rawValue]?.falseNegatives == 1)
        #expect(t.lengths[LengthBucket.short.rawValue]?.truePositives == 1)
        #expect(t.lengths[LengthBucket.full.rawValue] == nil)
        #expect(report.description.contains("\n  headline-only: P=1.000 R=0.000 F1=0.000  (positives 1, items 1)"))
    }

    @Test func nothingPredictedOrNothingToFindCountsAsNoError() {
        var report = EvaluationReport()
        report.record(topic: "t", story: Story(id: "a", title: "x"), label: false, predicted: false) { nil }
        let c = report.topics[0].overall
        #expect(c.precision == 1 && c.recall == 1 && c.f1 == 1)
    }

    @Test func jsonRoundTripsWithRoundedFigures() throws {
        var report = EvaluationReport()
        report.record(topic: "t", story: Story(id: "a", title: "x", language: "pl"), label: true, predicted: false) { nil }
        report.record(topic: "t", story: Story(id: "b", title: "y", language: "pl"), label: true, predicted: true) { nil }
        report.record(topic: "t", story: Story(id: "c", title: "z", language: "pl"), label: false, predicted: true) { nil }
        let data = try JSONEncoder().encode(report)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let topic = try #require((object["topics"] as? [[String: Any]])?.first)
        let overall = try #require(topic["overall"] as? [String: Any])
        #expect(overall["tp"] as? Int == 1 && overall["fp"] as? Int == 1 && overall["fn"] as? Int == 1)
        #expect(overall["precision"] as? Double == 0.5)
        #expect(try JSONDecoder().decode(EvaluationReport.self, from: data) == report)
        #expect(report.mistakes.first?.why == "not matched")
    }
}
