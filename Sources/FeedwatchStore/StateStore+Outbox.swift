import Foundation

/// The delivery state of one (alert, sink) pair.
public struct OutboxEntry: Sendable, Equatable {
    public var id: Int64
    public var alertID: String
    public var sink: String
    public var attempts: Int
    public var nextAttemptAt: Date
    public var deliveredAt: Date?
    public var deadAt: Date?
    public var lastError: String?

    public init(id: Int64, alertID: String, sink: String, attempts: Int, nextAttemptAt: Date,
                deliveredAt: Date? = nil, deadAt: Date? = nil, lastError: String? = nil) {
        self.id = id
        self.alertID = alertID
        self.sink = sink
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.deliveredAt = deliveredAt
        self.deadAt = deadAt
        self.lastError = lastError
    }
}

extension StateStore {
    /// Queues `payload` for delivery of `alertID` to `sink`, due at `at`.
    /// Idempotent per (alertID, sink): returns false if that pair was already queued,
    /// whatever its state, so replaying a poll never delivers twice.
    @discardableResult
    public func enqueue(alertID: String, sink: String, payload: Data, at: Date) throws -> Bool {
        try locked {
            try connection.run("""
                INSERT OR IGNORE INTO outbox(alert_id, sink, payload, created_at, next_attempt_at) VALUES(?,?,?,?4,?4)
                """, [.text(alertID), .text(sink), .blob(payload), .date(at)]) == 1
        }
    }

    /// Atomically claims up to `limit` due deliveries (oldest due first), counts an
    /// attempt on each and leases them for `lease` seconds so a second dispatcher
    /// pass does not take them again. A crash mid-delivery leaves the row pending:
    /// it is claimed again when the lease expires (or at once after `releaseLeases()`).
    /// - Parameter excluding: sinks whose rows are not claimed now (a sink still working
    ///   through rows it holds: claiming more would only count attempts it has not made).
    public func claimDue(now: Date, limit: Int, lease: TimeInterval = 300,
                         excluding: Set<String> = []) throws -> [OutboxItem] {
        let skip = excluding.sorted()
        let notIn = skip.isEmpty ? ""
            : " AND sink NOT IN (" + skip.indices.map { "?\($0 + 4)" }.joined(separator: ",") + ")"
        return try locked {
            try connection.query("""
                UPDATE outbox SET attempts = attempts + 1, lease_until = ?2
                WHERE id IN (SELECT id FROM outbox
                             WHERE delivered_at IS NULL AND dead_at IS NULL AND next_attempt_at <= ?1
                               AND (lease_until IS NULL OR lease_until <= ?1)\(notIn)
                             ORDER BY next_attempt_at, id LIMIT ?3)
                RETURNING id, alert_id, sink, payload, attempts, created_at
                """, [.date(now), .date(now.addingTimeInterval(lease)), .int(limit)] + skip.map { .text($0) }) { r in
                OutboxItem(id: r.int64(0), alertID: r.string(1) ?? "", sink: r.string(2) ?? "",
                           payload: r.data(3) ?? Data(), attempts: r.int(4), createdAt: r.date(5) ?? now)
            }.sorted { $0.id < $1.id }
        }
    }

    /// Clears every lease: call once at startup, when no delivery can be in flight,
    /// so what a crashed run had claimed is retried immediately.
    @discardableResult
    public func releaseLeases() throws -> Int {
        try locked { try connection.run("UPDATE outbox SET lease_until = NULL WHERE lease_until IS NOT NULL") }
    }

    /// Records a successful delivery.
    public func markDelivered(id: Int64, at: Date) throws {
        try locked {
            _ = try connection.run("UPDATE outbox SET delivered_at = ?, lease_until = NULL, last_error = NULL WHERE id = ?",
                                   [.date(at), .integer(id)])
        }
    }

    /// Records a failed attempt; the delivery is due again at `at`.
    public func markRetry(id: Int64, at: Date, error: String) throws {
        try locked {
            _ = try connection.run("UPDATE outbox SET next_attempt_at = ?, lease_until = NULL, last_error = ? WHERE id = ?",
                                   [.date(at), .text(error), .integer(id)])
        }
    }

    /// Hands a claimed row back untried, due at `at`: the attempt its claim counted is taken back.
    public func releaseClaim(id: Int64, at: Date, reason: String) throws {
        try locked {
            _ = try connection.run("""
                UPDATE outbox SET next_attempt_at = ?, lease_until = NULL, last_error = ?,
                                  attempts = max(attempts - 1, 0) WHERE id = ?
                """, [.date(at), .text(reason), .integer(id)])
        }
    }

    /// Gives up on a delivery (permanent failure); it is never claimed again.
    public func markDead(id: Int64, error: String, at: Date) throws {
        try locked {
            _ = try connection.run("UPDATE outbox SET dead_at = ?, lease_until = NULL, last_error = ? WHERE id = ?",
                                   [.date(at), .text(error), .integer(id)])
        }
    }

    /// Deliveries not yet done nor given up on.
    public func outboxDepth() throws -> Int {
        try locked {
            try connection.queryOne("SELECT count(*) FROM outbox WHERE delivered_at IS NULL AND dead_at IS NULL") {
                $0.int(0)
            } ?? 0
        }
    }

    /// Pending, delivered and dead totals.
    public func outboxCounts() throws -> OutboxCounts {
        try locked {
            try connection.queryOne("""
                SELECT coalesce(sum(delivered_at IS NULL AND dead_at IS NULL), 0),
                       coalesce(sum(delivered_at IS NOT NULL), 0), coalesce(sum(dead_at IS NOT NULL), 0) FROM outbox
                """) { OutboxCounts(pending: $0.int(0), delivered: $0.int(1), dead: $0.int(2)) }
                ?? OutboxCounts(pending: 0, delivered: 0, dead: 0)
        }
    }

    /// The delivery state of (alertID, sink), if queued.
    public func outboxEntry(alertID: String, sink: String) throws -> OutboxEntry? {
        try locked {
            try connection.queryOne("""
                SELECT id, alert_id, sink, attempts, next_attempt_at, delivered_at, dead_at, last_error
                FROM outbox WHERE alert_id = ? AND sink = ?
                """, [.text(alertID), .text(sink)]) { r in
                OutboxEntry(id: r.int64(0), alertID: r.string(1) ?? "", sink: r.string(2) ?? "", attempts: r.int(3),
                            nextAttemptAt: r.date(4) ?? Date(timeIntervalSince1970: 0), deliveredAt: r.date(5),
                            deadAt: r.date(6), lastError: r.string(7))
            }
        }
    }
}
