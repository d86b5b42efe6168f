import FeedwatchModel

extension Story {
    /// The story for one parsed feed entry.
    ///
    /// `id` is the entry id (stable across polls); `published` falls back to `updated`;
    /// `language` is detected from the entry's text with the feed's declared language as the prior.
    public init(entry: Entry, source: String, feedLanguage: String?) {
        let sample = HTMLText.plainText((entry.title ?? "") + "\n" + (entry.summary ?? entry.content ?? ""))
        self.init(id: entry.id, title: entry.title ?? "", summary: entry.summary, content: entry.content,
                  link: entry.link, source: source,
                  language: LanguageDetector.detect(sample, hint: feedLanguage),
                  published: entry.published ?? entry.updated)
    }
}
