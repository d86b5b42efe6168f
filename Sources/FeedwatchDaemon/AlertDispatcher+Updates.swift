import FeedwatchAlert
import FeedwatchModel
import FeedwatchStore
import Foundation

extension AlertDispatcher {
    /// Queues an update for every alert whose reports grew since its last delivery, once that
    /// delivery is `updateInterval` old: at most one update per alert per interval, carrying every
    /// outlet and report seen so far, so a story picked up by thirty outlets in ten minutes makes one
    /// update, not thirty. Each goes to every sink the alert itself was queued for (its route took the
    /// alert) and whose route takes updates, through the outbox like the alert, keyed by its `deliveryID`. Returns how many alerts were updated.
    func queueUpdates() -> Int {
        let interval = configuration.updateInterval
        guard interval > 0, !stopping else { return 0 }
        let t = now()
        let sinkNames = sinks.keys.sorted()
        do {
            // Read first: a round with nothing due (nearly every one) opens no write transaction.
            let due = try store.dueUpdates(sentBefore: t.addingTimeInterval(-interval), limit: configuration.batchSize)
            guard !due.isEmpty else { return 0 }
            return try store.transaction {
                for id in due {
                    guard let (number, stored) = try store.takeUpdate(alertID: id, at: t) else { continue }
                    let update = Self.update(of: stored, number: number, at: t)
                    let payload = try AlertPayload.encode(update)
                    for sink in sinkNames where configuration.takes(.update, sink: sink) {
                        guard try store.outboxEntry(alertID: id, sink: sink) != nil else { continue }
                        try store.enqueue(alertID: update.deliveryID, sink: sink, payload: payload, at: t)
                    }
                    try store.incrementCounter("alerts.updates")
                }
                return due.count
            }
        } catch {
            logger.error("queueing alert updates failed", metadata: ["error": "\(error)"])
            return 0
        }
    }

    /// The stored alert as its update number `number`, queued at `at`.
    static func update(of alert: Alert, number: Int, at: Date) -> Alert {
        var update = alert
        update.kind = .update
        update.update = number
        update.updated = at
        return update
    }
}
