import FeedwatchModel
import Foundation

/// A labelled dev-set story: a Story plus whether it is on the sahel-security topic.
public struct LabelledStory: Decodable {
    public var story: Story
    public var sahel: Bool
    public var kind: String

    private enum CodingKeys: String, CodingKey { case sahel, kind }

    public init(from decoder: any Decoder) throws {
        story = try Story(from: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sahel = try c.decode(Bool.self, forKey: .sahel)
        kind = try c.decode(String.self, forKey: .kind)
    }

    /// One part of the classification dev set (`devset-a` … `devset-j`).
    public static func load(_ name: String) throws -> [LabelledStory] {
        let url = DevSet.url("classify/\(name).jsonl")
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(LabelledStory.self, from: Data($0.utf8)) }
    }
}
