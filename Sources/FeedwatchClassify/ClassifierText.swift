import FeedwatchModel
import FeedwatchText

/// The plain text a story is classified on: title, body (summary and content, HTML removed)
/// and language.
struct ClassifierText {
    var title: String
    var body: String
    var language: String?

    init(_ story: Story) {
        title = HTMLText.plainText(story.title)
        let summary = story.summary.map(HTMLText.plainText) ?? ""
        let content = story.content.map(HTMLText.plainText) ?? ""
        // Feeds often repeat the summary as the content's first paragraph; keep one copy.
        if content.isEmpty { body = summary }
        else if summary.isEmpty || content.hasPrefix(summary.prefix(80)) { body = content }
        else { body = summary + "\n\n" + content }
        language = story.language
    }
}
