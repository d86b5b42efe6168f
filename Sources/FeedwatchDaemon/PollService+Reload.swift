import FeedwatchConfig
import FeedwatchStore
import Foundation

extension PollService {
    /// Swaps in a new config and watchlist, keeping every source's state and
    /// the dedup index. New sources are due now; removed ones stop (their
    /// seen ids stay until pruned, so re-adding one does not re-alert).
    /// `settings` is built from `new` and its watchlist (`PipelineSettings(config:watchlist:)`).
    func reload(config new: Config, settings: PipelineSettings) {
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
        pipeline.apply(settings)
        stats.sources = scheduled.count
    }

    /// What the pipeline runs with now.
    var settings: PipelineSettings { pipeline.settings }
}
