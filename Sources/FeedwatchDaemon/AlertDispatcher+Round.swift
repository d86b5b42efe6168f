import FeedwatchAlert
import FeedwatchModel
import FeedwatchStore
import Foundation
import Logging

extension AlertDispatcher {
    /// One sink's deliveries: the rows claimed for it, delivered in order by one
    /// task at a time. Sinks never wait for each other.
    struct Lane {
        /// Claimed rows not yet attempted, oldest first.
        var queue: [OutboxItem] = []
        /// Ids queued or in flight: a row whose lease expired while it waited here
        /// is claimed again by a later round and must not be queued twice.
        var queued: Set<Int64> = []
        /// The task delivering `queue`; nil when the lane is idle.
        var task: Task<Void, Never>?
        /// After a temporary failure: rows claimed before this time wait for it too.
        var pausedUntil: Date?
    }

    /// Claims per `pump()` at most (each of `batchSize` rows).
    static var claimsPerPump: Int { 10 }

    /// One round that never waits for a delivery: claims due rows, hands each to its
    /// sink's lane (starting the lane if idle), and queues digests whose bucket
    /// refilled. Deliveries and their outcomes happen in the lanes. Returns what was
    /// claimed and digested; `drain()` is the variant that waits for the outcomes.
    @discardableResult
    public func pump() -> DispatchReport {
        var report = DispatchReport()
        for _ in 0..<Self.claimsPerPump {
            let n = claimAndDispatch()
            report.claimed += n
            if n < configuration.batchSize { break }
        }
        report.digests = flushDigests() + flushWindows()
        report.updates = queueUpdates()
        return report
    }

    /// Drains until nothing is due: claims a batch, waits until every lane has
    /// settled it, queues digests, and repeats while rounds find work.
    @discardableResult
    public func drain() async -> DispatchReport {
        let before = outcomes
        var total = DispatchReport()
        for _ in 0..<1_000 {
            let claimed = claimAndDispatch()
            await waitForLanes()
            let digests = flushDigests() + flushWindows()
            let updates = queueUpdates()
            total.claimed += claimed
            total.digests += digests
            total.updates += updates
            if claimed < configuration.batchSize && digests == 0 && updates == 0 { break }
            if Task.isCancelled { break }
        }
        total.delivered = outcomes.delivered - before.delivered
        total.retried = outcomes.retried - before.retried
        total.dead = outcomes.dead - before.dead
        total.held = outcomes.held - before.held
        return total
    }

    /// Stops every lane (graceful shutdown): rows not yet started are handed back
    /// to the outbox, due at once; an in-flight delivery is cancelled and either
    /// completes (recorded as delivered) or stays in the outbox for the next start.
    /// Returns when no lane runs.
    public func shutdown() async {
        stopping = true
        defer { stopping = false }
        let tasks = lanes.values.compactMap(\.task)
        for t in tasks { t.cancel() }
        for t in tasks { await t.value }
        await waitForLanes()
    }

    /// Sinks with a delivery in flight or queued.
    public var busySinks: [String] { lanes.filter { $0.value.task != nil }.keys.sorted() }

    /// Waits until every lane is idle (including lanes started meanwhile).
    func waitForLanes() async {
        while let task = lanes.values.lazy.compactMap(\.task).first { await task.value }
    }

    // MARK: - Claiming

    /// Claims up to `batchSize` due rows and queues each in its sink's lane; returns how many were claimed.
    private func claimAndDispatch() -> Int {
        guard !stopping else { return 0 }
        let t = now()
        let items: [OutboxItem]
        do {
            // A lane still holding rows is not given more: their leases could run out while they
            // wait, and each new claim would count an attempt never made.
            let busy = Set(lanes.filter { !$0.value.queue.isEmpty }.keys)
            items = try outbox.claim(now: t, limit: configuration.batchSize, lease: configuration.lease,
                                     excluding: busy, sinks: Set(sinks.keys))
            if claimFailing {
                claimFailing = false
                logger.notice("outbox claims work again")
            }
        } catch {
            if !claimFailing { logger.error("outbox claim failed; retrying every round", metadata: ["error": "\(error)"]) }
            claimFailing = true
            return 0
        }
        for item in items {
            guard sinks[item.sink] != nil else {
                unknownSink(item)
                continue
            }
            if let window = configuration.digestWindows[item.sink], holdForWindow(item, window: window, now: t) { continue }
            var lane = lanes[item.sink] ?? Lane()
            defer { lanes[item.sink] = lane }
            // Claimed again after its lease ran out while waiting here: it is already ours.
            guard !lane.queued.contains(item.id) else { continue }
            if let until = lane.pausedUntil {
                if until > t {
                    postpone(item, until: until, because: "\(item.sink) is backing off after a failed delivery")
                    continue
                }
                lane.pausedUntil = nil
            }
            lane.queue.append(item)
            lane.queued.insert(item.id)
        }
        for (name, lane) in lanes where lane.task == nil && !lane.queue.isEmpty {
            lanes[name]?.task = Task { await self.runLane(name) }
        }
        return items.count
    }

    /// A row for a sink not configured: retried while young (a reload may be adding
    /// that sink right now), dead-lettered once older than `unknownSinkGrace`.
    private func unknownSink(_ item: OutboxItem) {
        let t = now()
        let graceEnds = item.createdAt.addingTimeInterval(configuration.unknownSinkGrace)
        if t < graceEnds {
            let next = min(graceEnds, t.addingTimeInterval(min(configuration.retry.initialDelay, 30)))
            postpone(item, until: next, because: "sink \(item.sink) is not configured (yet); retrying until "
                         + RFC3339.format(graceEnds))
        } else {
            settle(item, error: AlertError(kind: .permanent, sink: item.sink, message: "sink \(item.sink) is not configured"))
        }
    }

    /// Hands a claimed row back, due at `until`, without an attempt.
    private func postpone(_ item: OutboxItem, until: Date, because reason: String) {
        do {
            try outbox.handBack(item, due: until, reason: reason)
            outcomes.retried += 1
        } catch {
            logger.error("recording delivery outcome failed",
                         metadata: ["alert.id": "\(item.alertID)", "alert.sink": "\(item.sink)", "error": "\(error)"])
        }
    }

    // MARK: - Lanes

    /// Delivers the lane's rows one at a time until it is empty, it hits a temporary
    /// failure (the rest then wait for the backoff), or the task is cancelled.
    private func runLane(_ name: String) async {
        while let item = lanes[name]?.queue.first {
            lanes[name]?.queue.removeFirst()
            if Task.isCancelled {
                lanes[name]?.queue.insert(item, at: 0)
                releaseQueue(name, reason: "interrupted by shutdown")
                break
            }
            await deliver(item, lane: name)
        }
        lanes[name]?.task = nil
    }

    /// One attempt; settles it, and pauses the lane after a temporary failure.
    private func deliver(_ item: OutboxItem, lane name: String) async {
        defer { lanes[name]?.queued.remove(item.id) }
        let alert: Alert
        do {
            alert = try AlertPayload.decode(item.payload)
        } catch {
            settle(item, error: AlertError(kind: .permanent, sink: name, message: error.message))
            return
        }
        guard let sink = sinks[name] else {
            unknownSink(item)   // removed by a reload while the row waited
            return
        }
        // Updates pass: each alert gets at most one per `updateInterval`, and holding one back
        // would only deliver a stale list of outlets later.
        if alert.kind == .alert, let policy = configuration.floodPolicy(for: name),
           !flood.admit(sink: name, topic: alert.topic, policy: policy, now: now()) {
            flood.hold(sink: name, topic: alert.topic, item: item, alert: alert)
            outcomes.held += 1
            return
        }
        var failure: AlertError?
        do { try await sink.deliver(alert, payload: item.payload) } catch { failure = error }
        // Synchronous from here on: no other round sees the lane between the outcome and the pause.
        if let retryAt = settle(item, error: failure), !Task.isCancelled {
            lanes[name]?.pausedUntil = retryAt
            releaseQueue(name, until: retryAt,
                         reason: "not attempted: an earlier delivery to \(name) failed (\(failure?.message ?? "?"))")
        }
    }

    /// Hands every row still queued in the lane back to the outbox, due at `until` (default: now).
    private func releaseQueue(_ name: String, until: Date? = nil, reason: String) {
        guard let rest = lanes[name]?.queue, !rest.isEmpty else { return }
        lanes[name]?.queue.removeAll()
        let at = until ?? now()
        for item in rest {
            lanes[name]?.queued.remove(item.id)
            postpone(item, until: at, because: reason)
        }
        if until != nil {
            logger.info("alert sink backing off; its other deliveries wait",
                        metadata: ["alert.sink": "\(name)", "deferred": "\(rest.count)", "retry.at": "\(RFC3339.format(at))"])
        }
    }

    // MARK: - Outcomes

    /// Records the outcome of one attempt. Returns the time of the next attempt
    /// when a temporary failure was scheduled for retry, else nil.
    @discardableResult
    private func settle(_ item: OutboxItem, error: AlertError?) -> Date? {
        let t = now()
        let meta: Logger.Metadata = ["alert.id": "\(item.alertID)", "alert.sink": "\(item.sink)",
                                     "alert.attempts": "\(item.attempts)"]
        do {
            guard let error else {
                try outbox.delivered(item, at: t)
                outcomes.delivered += 1
                logger.debug("alert delivered", metadata: meta)
                return nil
            }
            if Task.isCancelled {
                // Shutting down: not the receiver's fault; try again on the next start.
                try outbox.retry(item, at: t, error: "interrupted by shutdown")
                outcomes.retried += 1
                return nil
            }
            if error.kind == .transient && !configuration.retry.isExhausted(attempts: item.attempts) {
                let next = configuration.retry.nextAttempt(after: item.attempts, now: t,
                                                           retryAfter: error.retryAfter, random: random())
                try outbox.retry(item, at: next, error: error.message)
                outcomes.retried += 1
                logger.warning("alert delivery failed; will retry",
                               metadata: meta.merging(["error": "\(error.message)",
                                                       "retry.at": "\(RFC3339.format(next))"]) { a, _ in a })
                return next
            }
            let reason = error.kind == .transient ? "gave up after \(item.attempts) attempts: \(error.message)"
                                                  : error.message
            try outbox.dead(item, reason: reason, at: t, deadLetters: deadLetters)
            outcomes.dead += 1
            logger.error("alert delivery failed permanently; written to the dead-letter file",
                         metadata: meta.merging(["error": "\(reason)"]) { a, _ in a })
        } catch {
            // The row stays leased and is retried when the lease expires.
            logger.error("recording delivery outcome failed", metadata: meta.merging(["error": "\(error)"]) { a, _ in a })
        }
        return nil
    }

    /// For every held (sink, topic) whose bucket has a token again, replaces the
    /// held rows by one digest alert, atomically, and queues it for that sink.
    private func flushDigests() -> Int {
        var sent = 0
        let t = now()
        for key in flood.heldKeys {
            guard let policy = configuration.floodPolicy(for: key.sink) else {
                // Flood control was switched off by a reload: hand the held rows back.
                for item in flood.release(key, limit: Int.max) { try? outbox.retry(item, at: t, error: "released") }
                continue
            }
            guard flood.take(key, policy: policy, now: t) else { continue }
            let held = flood.peek(key, limit: policy.maxDigestItems)
            guard configuration.takes(.digest, sink: key.sink) else {
                // The sink's route leaves digests out: what flood control held back is dropped, as configured.
                do {
                    try outbox.drop(held.map(\.item), at: t)
                    _ = flood.release(key, limit: held.count)
                    logger.info("flood control: held alerts dropped (the sink's kinds leave out digest)",
                                metadata: ["alert.sink": "\(key.sink)", "topic": "\(key.topic)", "dropped": "\(held.count)"])
                } catch {
                    logger.error("dropping held alerts failed", metadata: ["alert.sink": "\(key.sink)", "error": "\(error)"])
                }
                continue
            }
            let digest = AlertDigest.make(topic: key.topic, sink: key.sink, items: held.map(\.alert), now: t)
            do {
                try outbox.queueDigest(digest, sink: key.sink, replacing: held.map(\.item), at: t)
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
