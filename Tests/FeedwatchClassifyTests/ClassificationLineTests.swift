import FeedwatchClassify
import FeedwatchModel
import Foundation
import Testing

/// The `feedwatch classify` output line contract.
@Suite struct ClassificationLineTests {
    @Test func contractKeysInOrderAndValidJSON() throws {
        let line = ClassificationLine(id: "a\"1", topics: [
            TopicMatch(topic: "sahel-security", score: 21, matched: ["Mali", "attack*"]),
            TopicMatch(topic: "coups", score: 8.5, matched: ["coup d'Etat", "tab\there"]),
        ])
        let text = try line.json()
        #expect(text == #"{"id":"a\"1","topics":[{"topic":"sahel-security","score":21,"matched":["Mali","attack*"]},"#
            + #"{"topic":"coups","score":8.5,"matched":["coup d'Etat","tab\there"]}]}"#)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["id"] as? String == "a\"1")
    }

    @Test func noTopicIsAnEmptyListAndExplainOnlyWhenAsked() throws {
        #expect(try ClassificationLine(id: "x", topics: []).json() == #"{"id":"x","topics":[]}"#)
        let classifier = Classifier(watchlist: try Watchlist.parse(yaml: """
            topics:
              t:
                threshold: 1
                terms: {attack: 1}
            """, file: "w.yaml"))
        let story = Story(id: "s", title: "Attack")
        let line = ClassificationLine(id: "s", topics: classifier.classify(story), explain: classifier.explain(story))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(try line.json().utf8)) as? [String: Any])
        let explain = try #require(object["explain"] as? [[String: Any]])
        #expect(explain.first?["verdict"] as? String == "matched")
        #expect(explain.first?["threshold"] as? Double == 1)
    }

    @Test func controlCharactersAreEscaped() throws {
        #expect(try ClassificationLine(id: "a\u{01}\nb", topics: []).json() == #"{"id":"a\u0001\nb","topics":[]}"#)
    }
}
