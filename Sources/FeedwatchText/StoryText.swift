import FeedwatchModel

/// The text view of a `Story` that dedup and classification work on.
public struct StoryText: Sendable, Equatable {
    /// The title as plain text (entities decoded, tags removed).
    public let title: String
    /// The article text: the longer of `content` and `summary`, as plain text with boilerplate
    /// stripped; paragraphs are separated by a blank line.
    public let body: String
    /// `LinkCanonicalizer.canonical` of the story's link, when it has one (computed when asked:
    /// dedup reads `linkIdentity`).
    public var canonicalLink: String? { link.map(LinkCanonicalizer.canonical) }
    private let link: String?
    /// `LinkCanonicalizer.identity` of the story's link: equal only for links to one article for
    /// certain (fragments and ambiguous query keys kept).
    public let linkIdentity: String?
    /// Detected language (two letters), with the story's declared language as the prior.
    public let language: String?

    public init(_ story: Story) {
        let title = Boilerplate.stripInline(Substring(HTMLText.plainText(story.title)))
        self.title = String(title).replacingNewlines()
        let summary = story.summary.map(HTMLText.plainText) ?? ""
        let content = story.content.map(HTMLText.plainText) ?? ""
        body = Boilerplate.strip(content.utf8.count >= summary.utf8.count ? content : summary)
        link = story.link.flatMap { $0.isEmpty ? nil : $0 }
        linkIdentity = story.link.flatMap { $0.isEmpty ? nil : LinkCanonicalizer.identity($0) }
        language = LanguageDetector.detect(self.title + "\n" + String(decoding: body.utf8.prefix(1000), as: UTF8.self), hint: story.language)
    }

    /// The body split at blank lines.
    public var paragraphs: [Substring] {
        var result: [Substring] = []
        let utf8 = body.utf8
        var start = utf8.startIndex
        var i = utf8.startIndex
        while i != utf8.endIndex {
            let next = utf8.index(after: i)
            if utf8[i] == 0x0A, next != utf8.endIndex, utf8[next] == 0x0A {
                if start != i { result.append(body[start..<i]) }
                i = utf8.index(after: next)
                start = i
                continue
            }
            i = next
        }
        if start != utf8.endIndex { result.append(body[start..<utf8.endIndex]) }
        return result
    }

    /// The first paragraphs of the body, whole, until they hold about `words` words.
    public func lead(words limit: Int) -> Substring {
        var body = body
        let end: Int? = body.withUTF8 { utf8 in
            var words = 0, inWord = false
            var previousNewline = false
            for (i, b) in utf8.enumerated() {
                if b == 0x0A && previousNewline && words >= limit { return i - 1 }
                previousNewline = b == 0x0A
                let space = b == 0x20 || b == 0x0A
                if !space && !inWord { words += 1 }
                inWord = !space
            }
            return nil
        }
        guard let end else { return self.body[...] }
        return self.body[..<self.body.utf8.index(self.body.utf8.startIndex, offsetBy: end)]
    }
}

extension String {
    func replacingNewlines() -> String {
        guard utf8.contains(0x0A) else { return self }
        return split(separator: "\n").joined(separator: " ")
    }
}
