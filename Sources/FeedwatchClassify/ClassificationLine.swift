import FeedwatchModel
import Foundation

/// One line of `feedwatch classify` output: `{"id": …, "topics": [{"topic", "score", "matched"}]}`,
/// plus `"explain"` only when asked for.
public struct ClassificationLine: Sendable, Equatable {
    public var id: String
    public var topics: [TopicMatch]
    public var explain: [TopicExplanation]?
    /// With `explain`: which text was classified (the story's own, as given) and whether the
    /// daemon would read its article page instead (`full_text: auto`).
    public var text: TeaserCheck?

    public init(id: String, topics: [TopicMatch], explain: [TopicExplanation]? = nil, text: TeaserCheck? = nil) {
        self.id = id
        self.topics = topics
        self.explain = explain
        self.text = text
    }

    /// The JSON text, keys in the documented order (id, topics; topic, score, matched), scores
    /// without a trailing `.0`. `encoder` writes the `explain` part.
    public func json(encoder: JSONEncoder = JSONEncoder()) throws -> String {
        var line = "{\"id\":" + Self.string(id) + ",\"topics\":["
        line += topics.map { match in
            "{\"topic\":" + Self.string(match.topic) + ",\"score\":" + Self.number(match.score)
                + ",\"matched\":[" + match.matched.map(Self.string).joined(separator: ",") + "]}"
        }.joined(separator: ",")
        line += "]"
        if let explain {
            line += ",\"explain\":" + String(decoding: try encoder.encode(explain), as: UTF8.self)
        }
        if let text { line += ",\"text\":" + text.json }
        return line + "}"
    }

    static func string(_ s: String) -> String { JSONString.quoted(s) }

    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }
}
