import FeedwatchClassify
import FeedwatchConfig
import FeedwatchStore
import Foundation

extension PollService {
    /// Swaps in a new config and watchlist, keeping every source's state and
    /// the dedup index. New sources are due now; removed ones stop (their
    /// seen ids stay until pruned, so re-adding one does not re-alert).
    public func reload(config new: Config, watchlist: Watchlist) {
        let start = now()
        var next: [String: Scheduled] = [:]
        for source in new.sources {
            if var existing = scheduled[source.url] {
                existing.source = source
                next[source.url] = existing
            } else {
                do {
                    next[source.url] = try Self.schedule(source, store: store, start: start)
                } catch {
                    logger.error("cannot read the state of a new source", metadata: ["source.id": "\(source.name)",
                                                                                    "error": "\(error)"])
                    next[source.url] = Scheduled(source: source, state: SourceState(url: source.url), due: start)
                }
            }
        }
        scheduled = next
        claims?.foreign = []
        if let shared = claims?.store {
            do { try shared.registerSources(new.sources.map(\.url)) } catch {
                logger.error("cannot register the sources in the shared store", metadata: ["error": "\(error)"])
            }
        }
        suspects = Set(next.filter { $0.value.state.strikes > 0 || $0.value.state.isQuarantined }.keys)
        config = new
        policy = PollPolicy(schedule: new.schedule)
        pipeline.preparer.classifier = Classifier(watchlist: watchlist)
        pipeline.preparer.generation += 1
        pipeline.preparer.teaserWords = new.fullText.teaserWords
        pipeline.topics = watchlist.topics.map(\.name)
        pipeline.sinks = SinkRoutes(new)
        pipeline.catchUp = new.catchUp
        pipeline.indexCapacity = new.retention.maxStories
        pipeline.storyRetention = new.retention.stories
        stats.sources = scheduled.count
    }
}
