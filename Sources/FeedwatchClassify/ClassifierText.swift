import FeedwatchModel
import FeedwatchText

/// A story's folded title and body, as the matcher reads them: the body is the summary and the
/// content, or only the content when it already starts with the summary (feeds often repeat it).
///
/// Site chrome (navigation, share and subscribe lines, related and most-read lists, "The post …
/// appeared first on …") is dropped from the body by the same rules dedup uses,
/// `FeedwatchText.Boilerplate`, so a headline in a site's link bar cannot make a story match.
struct ClassifierText {
    var title: [UInt8] = []
    var body: [UInt8] = []

    /// Title, summary and content folded as they are, chrome and all: every word of the text above
    /// is in it (chrome removal only drops words), so a rule that cannot hold here cannot hold there.
    static func withChrome(_ story: Story, folder: MatchFolder) -> ClassifierText {
        var text = ClassifierText()
        folder.fold(story.title, into: &text.title)
        if let summary = story.summary { folder.fold(summary, into: &text.body, lines: true) }
        text.summaryEnd = text.body.count
        if let content = story.content {
            text.body.append(0x0A)
            folder.fold(content, into: &text.body, lines: true)
        }
        text.hasContent = story.content?.isEmpty == false
        return text
    }

    /// Where the summary ends in a `withChrome` body, and whether content follows it: the
    /// matcher's text is cut from the same folded bytes, not folded a second time.
    private var summaryEnd = 0
    private var hasContent = false

    private init() {}

    init(_ story: Story, folder: MatchFolder) {
        self.init(rough: Self.withChrome(story, folder: folder))
    }

    /// The matcher's text from the screen's (`withChrome`).
    init(rough: ClassifierText) {
        title = rough.title
        var summary = Array(rough.body[..<rough.summaryEnd])
        if !summary.isEmpty { summary = Self.withoutChrome(summary) }
        if rough.hasContent {
            body = Self.withoutChrome(Array(rough.body[(rough.summaryEnd + 1)...]))
            let lead = Self.trimmed(summary).prefix(60)
            if !lead.isEmpty, !Self.trimmed(body).starts(with: lead) {
                body = summary + [0x0A] + body
            }
        } else {
            body = summary
        }
    }

    /// `folded` without boilerplate: `Boilerplate.strip` reads folded text as it reads plain text.
    /// Only text of two or more lines goes through it. Chrome comes as lines among others (a nav
    /// bar, a related list, WordPress's "<p>The post … appeared first on …</p>"); a text of one
    /// line is the article itself, and a lone short one ("De violents combats à Kidal") must not be
    /// taken for a byline. It also keeps classification fast: most summaries are one line.
    static func withoutChrome(_ folded: [UInt8]) -> [UInt8] {
        var lines = 0, inLine = false
        for b in folded {
            if b == 0x0A {
                inLine = false
            } else if !inLine, b != 0x20, b != 0x09, b != 0x0D {
                inLine = true
                lines += 1
                if lines > 1 { break }
            }
        }
        guard lines > 1 else { return folded }
        // The folder writes valid UTF-8, so stripping the bytes is stripping their String.
        return Boilerplate.strip(utf8: folded)
    }

    private static func trimmed(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        var slice = bytes[...]
        while let first = slice.first, first == 0x20 || first == 0x0A || first == 0x09 || first == 0x0D { slice = slice.dropFirst() }
        return slice
    }
}
