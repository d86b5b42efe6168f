import FeedwatchStore
import Foundation

extension AlertDispatcher {
    /// Has the outbox queue an update for each alert whose reports grew since a delivery at least
    /// `updateInterval` old, to this dispatcher's sinks whose route takes updates (see
    /// `Outbox.queueUpdates`). Returns how many alerts were updated.
    func queueUpdates() -> Int {
        let interval = configuration.updateInterval
        guard interval > 0, !stopping else { return 0 }
        let t = now()
        let takers = sinks.keys.sorted().filter { configuration.takes(.update, sink: $0) }
        do {
            return try outbox.queueUpdates(sentBefore: t.addingTimeInterval(-interval), at: t,
                                           limit: configuration.batchSize, sinks: takers)
        } catch {
            logger.error("queueing alert updates failed", metadata: ["error": "\(error)"])
            return 0
        }
    }
}
