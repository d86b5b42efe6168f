import FeedwatchClassify
import FeedwatchConfig
import FeedwatchDedup
import Foundation

/// Everything the story pipeline takes from the config and the watchlist, derived in one place.
/// A start builds one and a reload builds the next and swaps it in whole (`StoryPipeline.apply`):
/// start, reload and `run --once` cannot drift apart on what, say, `retention.max_stories` means.
/// A value, so it is built (and the watchlist compiled) before anything running is touched.
struct PipelineSettings: Sendable {
    /// The watchlist compiled for matching.
    var classifier: Classifier
    /// Topic names in watchlist order: a matched story raises one alert per topic, in this order.
    var topics: [String]
    /// How stories are fingerprinted and compared.
    var dedup: DedupConfig
    /// Feed text under this many words is a teaser (`full_text.teaser_words`).
    var teaserWords: Int
    /// Which new entries are too old to alert (`catch_up`).
    var catchUp: CatchUp
    /// The sinks a new alert is queued for, by their routes.
    var sinks: SinkRoutes
    /// How long the dedup index keeps a story (`retention.stories`): alerts older than that pin nothing.
    var storyRetention: TimeInterval
    /// Live stories the dedup index keeps at most (`retention.max_stories`).
    var indexCapacity: Int

    init(config: Config, watchlist: Watchlist) {
        classifier = Classifier(watchlist: watchlist)
        topics = watchlist.topics.map(\.name)
        dedup = DedupConfig(window: config.retention.stories)
        teaserWords = config.fullText.teaserWords
        catchUp = config.catchUp
        sinks = SinkRoutes(config)
        storyRetention = config.retention.stories
        indexCapacity = config.retention.maxStories
    }
}
