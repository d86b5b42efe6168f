import FeedwatchAlert
import FeedwatchModel
import FeedwatchStore
import Foundation
import Logging

extension AlertDispatcher {
    /// One round: claim due rows, deliver them (sinks in parallel, each sink in
    /// order), settle each in the store, then send digests whose bucket refilled.
    @discardableResult
    public func drainOnce() async -> DispatchReport {
        var report = DispatchReport()
        let t = now()
        let items: [OutboxItem]
        do {
            items = try store.claimDue(now: t, limit: configuration.batchSize, lease: configuration.lease)
        } catch {
            logger.error("outbox claim failed", metadata: ["error": "\(error)"])
            return report
        }
        report.claimed = items.count
        let bySink = Dictionary(grouping: items, by: \.sink)
        let reports = await withTaskGroup(of: DispatchReport.self) { group in
            for (sink, sinkItems) in bySink {
                group.addTask { await self.process(sink: sink, items: sinkItems) }
            }
            var all: [DispatchReport] = []
            for await r in group { all.append(r) }
            return all
        }
        for r in reports { report.add(r, includingClaimed: false) }
        report.digests = flushDigests()
        return report
    }

    private func process(sink name: String, items: [OutboxItem]) async -> DispatchReport {
        var report = DispatchReport()
        for item in items {
            let alert: Alert
            do {
                alert = try AlertPayload.decode(item.payload)
            } catch {
                settle(item, alert: nil, error: AlertError(kind: .permanent, sink: name, message: error.message), &report)
                continue
            }
            guard let sink = sinks[name] else {
                settle(item, alert: alert, error: AlertError(kind: .permanent, sink: name,
                                                             message: "sink \(name) is not configured"), &report)
                continue
            }
            if alert.kind != .digest, let policy = configuration.floodPolicy(for: name),
               !flood.admit(sink: name, topic: alert.topic, policy: policy, now: now()) {
                flood.hold(sink: name, topic: alert.topic, item: item, alert: alert)
                report.held += 1
                continue
            }
            do {
                try await sink.deliver(alert, payload: item.payload)
                settle(item, alert: alert, error: nil, &report)
            } catch {
                settle(item, alert: alert, error: error, &report)
            }
        }
        return report
    }

    /// Records the outcome of one attempt.
    private func settle(_ item: OutboxItem, alert: Alert?, error: AlertError?, _ report: inout DispatchReport) {
        let t = now()
        let meta: Logger.Metadata = ["alert.id": "\(item.alertID)", "alert.sink": "\(item.sink)",
                                     "alert.attempts": "\(item.attempts)"]
        do {
            guard let error else {
                try store.markDelivered(id: item.id, at: t)
                try store.incrementCounter("alerts.delivered")
                report.delivered += 1
                logger.debug("alert delivered", metadata: meta)
                return
            }
            if Task.isCancelled {
                // Shutting down: not the receiver's fault; try again on the next start.
                try store.markRetry(id: item.id, at: t, error: "interrupted by shutdown")
                report.retried += 1
                return
            }
            if error.kind == .transient && !configuration.retry.isExhausted(attempts: item.attempts) {
                let next = configuration.retry.nextAttempt(after: item.attempts, now: t,
                                                           retryAfter: error.retryAfter, random: random())
                try store.markRetry(id: item.id, at: next, error: error.message)
                report.retried += 1
                logger.warning("alert delivery failed; will retry",
                               metadata: meta.merging(["error": "\(error.message)",
                                                       "retry.at": "\(RFC3339.format(next))"]) { a, _ in a })
                return
            }
            let reason = error.kind == .transient ? "gave up after \(item.attempts) attempts: \(error.message)"
                                                  : error.message
            // Dead-letter file first: a crash between the two writes duplicates a dead letter, never loses one.
            try deadLetters?.append(sink: item.sink, alertID: item.alertID, attempts: item.attempts, error: reason,
                                    payload: item.payload, at: t)
            try store.markDead(id: item.id, error: reason, at: t)
            try store.incrementCounter("alerts.dead")
            report.dead += 1
            logger.error("alert delivery failed permanently; written to the dead-letter file",
                         metadata: meta.merging(["error": "\(reason)"]) { a, _ in a })
        } catch {
            // The row stays leased and is retried when the lease expires.
            logger.error("recording delivery outcome failed", metadata: meta.merging(["error": "\(error)"]) { a, _ in a })
        }
    }

    /// For every held (sink, topic) whose bucket has a token again, replaces the
    /// held rows by one digest alert, atomically, and queues it for that sink.
    private func flushDigests() -> Int {
        var sent = 0
        let t = now()
        for key in flood.heldKeys {
            guard let policy = configuration.floodPolicy(for: key.sink) else {
                // Flood control was switched off by a reload: hand the held rows back.
                for item in flood.release(key, limit: Int.max) { try? store.markRetry(id: item.id, at: t, error: "released") }
                continue
            }
            guard flood.take(key, policy: policy, now: t) else { continue }
            let held = flood.peek(key, limit: policy.maxDigestItems)
            let digest = AlertDigest.make(topic: key.topic, sink: key.sink, items: held.map(\.alert), now: t)
            do {
                let payload = try AlertPayload.encode(digest)
                try store.transaction {
                    try store.insertAlert(digest)
                    try store.enqueue(alertID: digest.id, sink: key.sink, payload: payload, at: t)
                    for h in held { try store.markDelivered(id: h.item.id, at: t) }
                    try store.incrementCounter("alerts.digested", by: held.count)
                }
                _ = flood.release(key, limit: held.count)
                sent += 1
                logger.info("flood control: digest queued",
                            metadata: ["alert.id": "\(digest.id)", "alert.sink": "\(key.sink)",
                                       "topic": "\(key.topic)", "digest.items": "\(held.count)"])
            } catch {
                logger.error("queueing digest failed", metadata: ["alert.sink": "\(key.sink)", "error": "\(error)"])
            }
        }
        return sent
    }
}
