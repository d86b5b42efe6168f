/// What dedup decided for one story: `feedwatch dedup` prints one per input line.
public struct DedupResult: Sendable, Equatable, Codable {
    public var id: String
    /// The id of the story this one copies, or nil when it is new text.
    public var duplicateOf: String?
    /// The cluster (event) id: the id of the cluster's first story.
    public var story: String

    public init(id: String, duplicateOf: String?, story: String) {
        self.id = id
        self.duplicateOf = duplicateOf
        self.story = story
    }

    private enum CodingKeys: String, CodingKey { case id, duplicateOf = "duplicate_of", story }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(duplicateOf, forKey: .duplicateOf)
        try c.encode(story, forKey: .story)
    }
}
