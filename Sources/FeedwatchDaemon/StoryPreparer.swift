import FeedwatchClassify
import FeedwatchConfig
import FeedwatchDedup
import FeedwatchModel
import FeedwatchText
import Foundation

/// The per-entry work of the story pipeline that needs neither the store nor the dedup index:
/// story text, fingerprint and classification. Pure, so fetch tasks run it on every core before
/// the serial part (dedup decisions, alerts) sees the feed.
struct StoryPreparer: Sendable {
    var classifier: Classifier
    var dedupConfig: DedupConfig
    var catchUp: CatchUp
    /// Bumped by each reload; an entry prepared under an older watchlist is classified again.
    var generation = 0

    /// Story ids carry a per-source prefix: publishers reuse short guids.
    static func storyID(source key: String, entry: String) -> String {
        "\(AlertID.sourcePrefix(key)):\(entry)"
    }

    /// - Parameters:
    ///   - firstPoll, now: what decides whether the entry is backlog (`CatchUp.isBacklog`): backlog
    ///     is fingerprinted for dedup but not classified, since it can never alert. On a first
    ///     run most entries are backlog.
    func prepare(_ entry: Entry, source: SourceConfig, feedLanguage: String?, firstPoll: Bool, now: Date) -> PreparedEntry {
        // The declared language is the prior; `StoryText` detects the story's own from its
        // cleaned text, once, and classification uses that.
        var story = Story(id: Self.storyID(source: source.url, entry: entry.id), title: entry.title ?? "",
                          summary: entry.summary, content: entry.content, link: entry.link, source: source.name,
                          language: source.language ?? feedLanguage, published: entry.published ?? entry.updated)
        let text = StoryText(story)
        story.language = text.language
        let backlog = catchUp.isBacklog(story.published, firstPoll: firstPoll, now: now)
        let matches = backlog ? [] : classifier.classify(story)
        let dedup = Deduplicator.prepare(story, text: text, config: dedupConfig)
        // What waits for the serial step keeps no article text: only alerts' fields and the fingerprint.
        story.summary = nil
        story.content = nil
        return PreparedEntry(dedup: dedup.replacing(story: story), matches: matches, generation: generation)
    }
}

/// One entry's prepared story and its topic matches.
struct PreparedEntry: Sendable {
    var dedup: PreparedStory
    var matches: [TopicMatch]
    var generation: Int

    var story: Story { dedup.story }
}
