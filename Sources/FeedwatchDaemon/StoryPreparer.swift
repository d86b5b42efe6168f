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
    func prepare(_ entry: Entry, source: SourceConfig, feedLanguage: String?) -> PreparedEntry {
        var story = Story(id: Self.storyID(source: source.url, entry: entry.id), title: entry.title ?? "",
                          summary: entry.summary, content: entry.content, link: entry.link, source: source.name,
                          language: source.language ?? feedLanguage, published: entry.published ?? entry.updated)
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
        return PreparedEntry(story: story, dedup: dedup?.replacing(story: story), matches: matches, generation: generation)
    }
}

/// One entry's story, its topic matches (a backlog entry's too: they decide whether it is
/// indexed, though it never alerts), and its fingerprint when it matched a topic.
struct PreparedEntry: Sendable {
    var story: Story
    var dedup: PreparedStory?
    var matches: [TopicMatch]
    var generation: Int
}
