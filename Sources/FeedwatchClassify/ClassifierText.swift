import FeedwatchModel

/// A story's folded title and body, as the matcher reads them: the body is the summary and the
/// content, or only the content when it already starts with the summary (feeds often repeat it).
struct ClassifierText {
    var title: [UInt8] = []
    var body: [UInt8] = []

    init(_ story: Story, folder: MatchFolder) {
        folder.fold(story.title, into: &title)
        var summary: [UInt8] = []
        if let s = story.summary { folder.fold(s, into: &summary) }
        if let content = story.content, !content.isEmpty {
            folder.fold(content, into: &body)
            let lead = Self.trimmed(summary).prefix(60)
            if !lead.isEmpty, !Self.trimmed(body).starts(with: lead) {
                body = summary + [0x0A] + body
            }
        } else {
            body = summary
        }
    }

    private static func trimmed(_ bytes: [UInt8]) -> ArraySlice<UInt8> {
        var slice = bytes[...]
        while let first = slice.first, first == 0x20 || first == 0x0A || first == 0x09 || first == 0x0D { slice = slice.dropFirst() }
        return slice
    }
}
