import FeedwatchAlert
import FeedwatchModel
import FeedwatchStore
import Foundation

/// The durable alert outbox: one row per (alert, sink), the only road from a decision to a sink.
/// Every write to it is here, so how an alert is queued, claimed and settled reads in one file:
///
/// - **Queueing.** A new alert is stored with one row per sink whose route takes it, inside the
///   poll's transaction (`queue`): a crash leaves the alert and all its rows, or neither. The
///   store's unique alert id and unique (alert, sink) make it exactly once: a replayed poll queues
///   nothing. Updates of alerts whose reports grew (`queueUpdates`) and digests that replace the
///   rows flood control or a digest window held back (`queueDigest`) are queued here too.
/// - **Claiming.** Due rows are leased (`claim`), so one delivery of a row is attempted at a time,
///   by one instance; on a store several instances share, each claims only rows for the sinks it
///   has. A lease that runs out (a crash mid-delivery) makes the row due again.
/// - **Outcomes.** Delivered, retry at a time, handed back without an attempt, or dead. A row is
///   marked only after the sink answered, so delivery is at least once.
/// - **Leases.** At start, a crashed run's claims are handed back (`releaseLeases`): re-sent at
///   once, with the same alert ids.
///
/// What to do with an outcome (retry when, give up when, flood control, digests) is delivery
/// policy and lives in `AlertDispatcher`; recording it is here. A value over the store: the poll
/// service and the dispatcher each hold one, and no call waits on the other actor.
public struct Outbox: Sendable {
    public let store: any Store

    public init(store: any Store) { self.store = store }

    // MARK: - Queueing

    /// Stores a new alert and queues its payload for each of `sinks`, atomically (a savepoint
    /// inside the caller's poll transaction). Returns false and queues nothing if an alert with
    /// this id exists: a replayed poll cannot alert twice.
    @discardableResult
    public func queue(_ alert: Alert, to sinks: [String], at: Date, report: String? = nil) throws -> Bool {
        let payload = try AlertPayload.encode(alert)
        return try store.transaction {
            guard try store.insertAlert(alert, report: report) else { return false }
            for sink in sinks { try store.enqueue(alertID: alert.id, sink: sink, payload: payload, at: at) }
            try store.incrementCounter("alerts.raised")
            return true
        }
    }

    /// `queue(_:to:at:report:)` for the sinks whose routes take `alert`, from a source tagged
    /// `sourceTags`, about a story in `language`.
    @discardableResult
    func queue(_ alert: Alert, routes: SinkRoutes, sourceTags: [String], language: String?, at: Date,
               report: String? = nil) throws -> Bool {
        try queue(alert, to: routes.names(for: alert, sourceTags: sourceTags, language: language), at: at, report: report)
    }

    /// Queues an update for every alert whose reports grew since its last delivery, once that
    /// delivery was before `sentBefore`: at most one update per alert per interval, carrying every
    /// outlet and report seen so far, so a story picked up by thirty outlets in ten minutes makes
    /// one update, not thirty. Each goes to every sink in `sinks` (those whose route takes updates)
    /// the alert itself was queued for, keyed by its `deliveryID`. Returns how many alerts were updated.
    public func queueUpdates(sentBefore: Date, at t: Date, limit: Int, sinks: [String]) throws -> Int {
        // Read first: a round with nothing due (nearly every one) opens no write transaction.
        let due = try store.dueUpdates(sentBefore: sentBefore, limit: limit)
        guard !due.isEmpty else { return 0 }
        return try store.transaction {
            for id in due {
                guard let (number, stored) = try store.takeUpdate(alertID: id, at: t) else { continue }
                let update = Self.update(of: stored, number: number, at: t)
                let payload = try AlertPayload.encode(update)
                for sink in sinks {
                    guard try store.outboxEntry(alertID: id, sink: sink) != nil else { continue }
                    try store.enqueue(alertID: update.deliveryID, sink: sink, payload: payload, at: t)
                }
                try store.incrementCounter("alerts.updates")
            }
            return due.count
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

    /// Replaces `held` (claimed rows of one sink) by one `digest` alert queued for `sink`, in one
    /// transaction: a crash before the commit leaves the held rows pending, to be claimed again.
    public func queueDigest(_ digest: Alert, sink: String, replacing held: [OutboxItem], at t: Date) throws {
        let payload = try AlertPayload.encode(digest)
        try store.transaction {
            try store.insertAlert(digest)
            try store.enqueue(alertID: digest.id, sink: sink, payload: payload, at: t)
            for item in held { try store.markDelivered(id: item.id, at: t) }
            try store.incrementCounter("alerts.digested", by: held.count)
        }
    }

    /// Settles `held` without delivering them: the sink's route leaves out the digest they were
    /// held back for.
    public func drop(_ held: [OutboxItem], at t: Date) throws {
        try store.transaction {
            for item in held { try store.markDelivered(id: item.id, at: t) }
            try store.incrementCounter("alerts.dropped_by_route", by: held.count)
        }
    }

    // MARK: - Claiming

    /// Leases up to `limit` due rows for `lease` seconds, each counted as an attempt. `busy`: sinks
    /// not to be given more now. `sinks`: the sinks this instance has; on a shared store only their
    /// rows are claimed, since instances may configure different sinks and none should hand back
    /// (or dead-letter) another's deliveries. A single instance claims every sink's rows: one for a
    /// sink it lacks is a sink being added by a reload, or removed for good.
    public func claim(now: Date, limit: Int, lease: TimeInterval, excluding busy: Set<String>,
                      sinks: Set<String>) throws -> [OutboxItem] {
        if let shared = store as? any SharedStore {
            return try shared.claimDue(now: now, limit: limit, lease: lease, excluding: busy, only: sinks)
        }
        return try store.claimDue(now: now, limit: limit, lease: lease, excluding: busy)
    }

    /// Hands back every claim a previous run of this process left (it crashed, or was killed mid-
    /// delivery): those rows are due again at once. The number released.
    @discardableResult
    public func releaseLeases() throws -> Int { try store.releaseLeases() }

    // MARK: - Outcomes

    /// The sink took `item`.
    public func delivered(_ item: OutboxItem, at t: Date) throws {
        try store.markDelivered(id: item.id, at: t)
        try store.incrementCounter("alerts.delivered")
    }

    /// The attempt failed; `item` is due again at `next`, its attempt counted.
    public func retry(_ item: OutboxItem, at next: Date, error: String) throws {
        try store.markRetry(id: item.id, at: next, error: error)
    }

    /// `item` goes back unattempted, due at `due`: its claimed attempt is not counted.
    public func handBack(_ item: OutboxItem, due: Date, reason: String) throws {
        try store.releaseClaim(id: item.id, at: due, reason: reason)
    }

    /// Given up on: written to the dead-letter file, then marked dead. File first: a crash between
    /// the two writes duplicates a dead letter, never loses one.
    public func dead(_ item: OutboxItem, reason: String, at t: Date, deadLetters: DeadLetterLog?) throws {
        try deadLetters?.append(sink: item.sink, alertID: item.alertID, attempts: item.attempts, error: reason,
                                payload: item.payload, at: t)
        try store.markDead(id: item.id, error: reason, at: t)
        try store.incrementCounter("alerts.dead")
    }
}
