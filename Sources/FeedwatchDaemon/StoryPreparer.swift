import FeedwatchClassify
import FeedwatchConfig
import FeedwatchDedup
import FeedwatchModel
import FeedwatchText

/// The per-entry work of the story pipeline that needs neither the store nor the dedup index:
/// classification, then story text and fingerprint for what matched. Pure, so fetch tasks run it
/// on every core before the serial part (dedup decisions, alerts) sees the feed.
struct StoryPreparer: Sendable {
    var classifier: Classifier
    var dedupConfig: DedupConfig
    /// Bumped by each reload; an entry prepared under an older watchlist is classified again.
    var generation = 0
    /// Feed text under this many words is a teaser (`full_text.teaser_words`).
    var teaserWords = FullTextLimits().teaserWords

    /// Story ids carry a per-source prefix: publishers reuse short guids.
    static func storyID(source key: String, entry: String) -> String {
        "\(AlertID.sourcePrefix(key)):\(entry)"
    }

    /// Every entry is classified, backlog included, and only one that matches a topic gets story
    /// text and a fingerprint: a story no topic matches can never alert, so the dedup index, which
    /// exists to decide alerts, never needs to know it. That is 99% of a news farm's entries, and
    /// most of a cold pass's cost. A copy that matches no topic (e.g. a bare headline) is then not
    /// counted among an alert's outlets.
    ///
    /// Classification reads the declared language (source, then feed), as `feedwatch classify`
    /// does, so the daemon matches exactly what that command explains.
    ///
    /// - Parameter page: what reading the entry's article page gave, when it was read (see
    ///   `PageReader`): its text is the story's content, unless it says less than the feed did.
    ///   Without it, an entry whose feed text is a teaser some topic could match is marked
    ///   `wantsPage` (`TeaserCheck`), per its source's `full_text`.
    func prepare(_ entry: Entry, source: SourceConfig, feedLanguage: String?, page: PageResult? = nil) -> PreparedEntry {
        var story = story(entry, source: source, feedLanguage: feedLanguage)
        var wantsPage = false
        var textSource: String?, textNote: String?
        switch page {
        case .text(let text)?:
            if TeaserCheck.countWords(text, upTo: .max) > TeaserCheck.countWords(Self.longerText(story), upTo: .max) {
                story.content = Self.html(text)
                textSource = "page"
            } else {
                textSource = "feed"
                textNote = "page text no longer than the feed's"
            }
        case .failed(let why)?:
            textSource = "feed"
            textNote = why
        case nil:
            if source.fullText != .never, Self.isWebLink(entry.link) {
                wantsPage = TeaserCheck.check(story, teaserWords: teaserWords, always: source.fullText == .always,
                                              classifier: classifier).wantsPage
            }
        }
        let matches = classifier.classify(story)
        var dedup: PreparedStory?
        if !matches.isEmpty {
            // `StoryText` detects the story's own language from its cleaned text, with the declared one as the prior.
            let text = StoryText(story)
            story.language = text.language
            dedup = Deduplicator.prepare(story, text: text, config: dedupConfig)
        }
        // What waits for the serial step keeps no article text: only alerts' fields and the fingerprint.
        story.summary = nil
        story.content = nil
        return PreparedEntry(story: story, dedup: dedup?.replacing(story: story), matches: matches, generation: generation,
                             wantsPage: wantsPage, textSource: textSource, textNote: textNote)
    }

    /// The entry's fingerprint on its feed text, matched or not: to ask whether it copies an
    /// alerted story before its page is read.
    func fingerprint(_ entry: Entry, source: SourceConfig, feedLanguage: String?) -> PreparedStory {
        let story = story(entry, source: source, feedLanguage: feedLanguage)
        return Deduplicator.prepare(story, text: StoryText(story), config: dedupConfig)
    }

    private func story(_ entry: Entry, source: SourceConfig, feedLanguage: String?) -> Story {
        Story(id: Self.storyID(source: source.url, entry: entry.id), title: entry.title ?? "",
              summary: entry.summary, content: entry.content, link: entry.link, source: source.name,
              language: source.language ?? feedLanguage, published: entry.published ?? entry.updated)
    }

    private static func longerText(_ story: Story) -> String {
        let summary = story.summary ?? "", content = story.content ?? ""
        return content.utf8.count >= summary.utf8.count ? content : summary
    }

    static func isWebLink(_ link: String?) -> Bool {
        guard let link else { return false }
        // Bytes, not `lowercased()`: every new entry passes here, and an allocation per entry
        // contends for the allocator's lock across the fetch threads.
        var bytes = link.utf8.makeIterator()
        func next() -> UInt8? { bytes.next().map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 } }
        guard next() == 0x68, next() == 0x74, next() == 0x74, next() == 0x70 else { return false }   // "http"
        var c = next()
        if c == 0x73 { c = next() }                                                                   // "s"
        return c == 0x3A && next() == 0x2F && next() == 0x2F                                          // "://"

    }

    /// Extracted text (a paragraph per line) as the markup story text is read from.
    static func html(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 64)
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: true) {
            out += "<p>"
            for c in paragraph.unicodeScalars {
                switch c {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                default: out.unicodeScalars.append(c)
                }
            }
            out += "</p>\n"
        }
        return out
    }
}

/// One entry's story, its topic matches (a backlog entry's too: they decide whether it is
/// indexed, though it never alerts), and its fingerprint when it matched a topic.
struct PreparedEntry: Sendable {
    var story: Story
    var dedup: PreparedStory?
    var matches: [TopicMatch]
    var generation: Int
    /// The feed text is a teaser some topic could match: the page behind the link is to be read.
    var wantsPage = false
    /// `page` or `feed` once a page was wanted (nil: the feed's text, no page considered).
    var textSource: String?
    /// Why the feed's text stayed although a page was wanted.
    var textNote: String?
}
