import FeedwatchModel
import Foundation

/// One line of a labelled set: a story and, per topic, whether it belongs (what `feedwatch eval` scores).
///
/// Labels come as `"labels": {"topic": 1|0}` (several topics per story), or as one bare
/// `"label": 1|0|"skip"` for the topic the set was labelled for. `"skip"` (and `null`) leave the story
/// out of that topic's figures: a judgement call is not a fact to score against.
public struct EvaluationItem: Sendable, Equatable {
    public var story: Story
    /// Topic → on topic or not; skipped topics are absent.
    public var labels: [String: Bool]

    public init(story: Story, labels: [String: Bool]) {
        self.story = story
        self.labels = labels
    }

    /// Why a line could not be read. `needsTopic` is about the whole run (a bare `label` with no topic
    /// to give it), the others about the line alone.
    public enum ParseError: Error, Equatable, CustomStringConvertible {
        case notAStory(String)
        case noLabel
        case badLabel(topic: String?, found: String)
        case needsTopic

        public var description: String {
            switch self {
            case .notAStory(let why): "not a story: \(why)"
            case .noLabel: "no \"labels\" object nor \"label\" field"
            case .badLabel(let topic, let found):
                "label\(topic.map { " for \"\($0)\"" } ?? "") must be 1, 0 or \"skip\", found \(found)"
            case .needsTopic: "a bare \"label\" needs --topic (which topic it is about)"
            }
        }
    }

    /// Reads one JSON Lines line.
    /// - Parameter bareLabelTopic: the topic a bare `"label"` is about; nil makes such a line `needsTopic`.
    public static func parse(_ line: Data, bareLabelTopic: String?) throws(ParseError) -> EvaluationItem {
        let object: [String: Any]
        do {
            guard let o = try JSONSerialization.jsonObject(with: line) as? [String: Any] else {
                throw ParseError.notAStory("expected a JSON object")
            }
            object = o
        } catch let e as ParseError {
            throw e
        } catch {
            throw .notAStory("invalid JSON")
        }
        let story: Story
        do {
            story = try JSONDecoder().decode(Story.self, from: line)
        } catch DecodingError.keyNotFound(let key, _) {
            throw .notAStory("missing \"\(key.stringValue)\"")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            throw .notAStory("wrong type for \"\(context.codingPath.map(\.stringValue).joined(separator: "."))\"")
        } catch {
            throw .notAStory("\(error)")
        }
        var labels: [String: Bool] = [:]
        if let map = object["labels"] {
            guard let map = map as? [String: Any] else { throw .badLabel(topic: nil, found: "a non-object \"labels\"") }
            for (topic, value) in map {
                if let v = try label(value, topic: topic) { labels[topic] = v }
            }
        } else if let value = object["label"] {
            guard let topic = bareLabelTopic else { throw .needsTopic }
            if let v = try label(value, topic: nil) { labels[topic] = v }
        } else {
            throw .noLabel
        }
        return EvaluationItem(story: story, labels: labels)
    }

    /// true/false for 1/0 (numbers, booleans or their strings); nil for "skip" and null.
    private static func label(_ value: Any, topic: String?) throws(ParseError) -> Bool? {
        switch value {
        case is NSNull: return nil
        case let s as String:
            switch s.lowercased() {
            case "skip", "": return nil
            case "1", "true", "yes": return true
            case "0", "false", "no": return false
            default: throw .badLabel(topic: topic, found: "\"\(s.prefix(20))\"")
            }
        case let n as NSNumber:
            // JSONSerialization gives booleans as NSNumber too; 1/0 and true/false read alike.
            if n.doubleValue == 1 { return true }
            if n.doubleValue == 0 { return false }
            throw .badLabel(topic: topic, found: "\(n)")
        default:
            throw .badLabel(topic: topic, found: "a \(type(of: value))")
        }
    }
}
