/// One watched topic a story matched: `feedwatch classify` prints these per story.
public struct TopicMatch: Sendable, Equatable, Codable {
    public var topic: String
    public var score: Double
    /// The watchlist terms that matched, as written in the watchlist.
    public var matched: [String]

    public init(topic: String, score: Double, matched: [String]) {
        self.topic = topic
        self.score = score
        self.matched = matched
    }
}
