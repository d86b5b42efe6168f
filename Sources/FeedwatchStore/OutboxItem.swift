import Foundation

/// One pending delivery of one alert to one sink, as claimed from the outbox.
public struct OutboxItem: Sendable, Equatable {
    public var id: Int64
    public var alertID: String
    public var sink: String
    /// The exact bytes to deliver (the alert's JSON), fixed at enqueue time.
    public var payload: Data
    /// Attempts so far, this claim included.
    public var attempts: Int
    public var createdAt: Date

    public init(id: Int64, alertID: String, sink: String, payload: Data, attempts: Int, createdAt: Date) {
        self.id = id
        self.alertID = alertID
        self.sink = sink
        self.payload = payload
        self.attempts = attempts
        self.createdAt = createdAt
    }
}

/// How many rows `StateStore.prune(before:)` removed.
public struct PruneReport: Sendable, Equatable {
    public var seenEntries: Int
    public var outboxRows: Int
    public var alerts: Int

    public init(seenEntries: Int = 0, outboxRows: Int = 0, alerts: Int = 0) {
        self.seenEntries = seenEntries
        self.outboxRows = outboxRows
        self.alerts = alerts
    }
}

/// Outbox totals for `feedwatch status`.
public struct OutboxCounts: Sendable, Equatable {
    /// Waiting for (re)delivery.
    public var pending: Int
    public var delivered: Int
    /// Given up on: permanent failures, also in the dead-letter file.
    public var dead: Int

    public init(pending: Int, delivered: Int, dead: Int) {
        self.pending = pending
        self.delivered = delivered
        self.dead = dead
    }
}
