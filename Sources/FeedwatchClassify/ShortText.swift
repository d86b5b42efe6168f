/// A topic's threshold for a story with little text: a headline alone, or a headline and a
/// sentence, cannot gather the points a full article does (fewer fields, each term once).
///
///     short: {words: 60, threshold: 10}   # a body under 60 words needs 10 points
public struct ShortText: Sendable, Equatable {
    /// A story whose body (summary or content) has fewer words than this is short.
    public var words: Int
    /// The score a short story needs.
    public var threshold: Double

    public init(words: Int, threshold: Double) {
        self.words = words
        self.threshold = threshold
    }
}

extension Topic {
    /// The score a story with `bodyWords` words of body needs.
    public func threshold(bodyWords: Int) -> Double {
        guard let shortText, bodyWords < shortText.words else { return threshold }
        return shortText.threshold
    }
}
