import FeedwatchModel

/// The text view of a `Story` that dedup and classification work on.
public struct StoryText: Sendable, Equatable {
    /// The title as plain text (entities decoded, tags removed).
    public let title: String
    /// The article text: the longer of `content` and `summary`, as plain text with boilerplate
    /// stripped; paragraphs are separated by a blank line.
    public let body: String
    /// `LinkCanonicalizer.canonical` of the story's link, when it has one.
    public let canonicalLink: String?
    /// Detected language (two letters), with the story's declared language as the prior.
    public let language: String?

    public init(_ story: Story) {
        let title = Boilerplate.stripInline(Substring(HTMLText.plainText(story.title)))
        self.title = String(title).replacingNewlines()
        let summary = story.summary.map(HTMLText.plainText) ?? ""
        let content = story.content.map(HTMLText.plainText) ?? ""
        body = Boilerplate.strip(content.utf8.count >= summary.utf8.count ? content : summary)
        canonicalLink = story.link.flatMap { $0.isEmpty ? nil : LinkCanonicalizer.canonical($0) }
        language = LanguageDetector.detect(self.title + "\n" + body, hint: story.language)
    }

    /// The body split at blank lines.
    public var paragraphs: [Substring] {
        body.split(separator: "\n\n").filter { !$0.isEmpty }
    }
}

extension String {
    func replacingNewlines() -> String {
        guard utf8.contains(0x0A) else { return self }
        return split(separator: "\n").joined(separator: " ")
    }
}
