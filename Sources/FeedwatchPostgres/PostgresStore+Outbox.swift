import FeedwatchStore
import Foundation

extension PostgresStore {
    @discardableResult
    public func enqueue(alertID: String, sink: String, payload: Data, at: Date) throws -> Bool {
        try locked {
            try connection.run("""
                INSERT INTO outbox(alert_id, sink, payload, created_at, next_attempt_at) VALUES($1, $2, $3, $4, $4)
                ON CONFLICT(alert_id, sink) DO NOTHING
                """, [.text(alertID), .text(sink), .bytes(payload), .date(at)]) == 1
        }
    }

    /// Claims up to `limit` due deliveries for this instance, leased until `now + lease`. Rows
    /// another instance is claiming at this moment are skipped (`SKIP LOCKED`), not waited for,
    /// and a row whose lease is live is not due: each delivery has one holder at a time. `now`
    /// is the caller's clock, as for the SQLite store.
    public func claimDue(now: Date, limit: Int, lease: TimeInterval = 300,
                         excluding: Set<String> = []) throws -> [OutboxItem] {
        try claim(now: now, limit: limit, lease: lease, excluding: excluding, only: nil)
    }

    public func claimDue(now: Date, limit: Int, lease: TimeInterval, excluding: Set<String>,
                         only: Set<String>) throws -> [OutboxItem] {
        try claim(now: now, limit: limit, lease: lease, excluding: excluding, only: only)
    }

    private func claim(now: Date, limit: Int, lease: TimeInterval, excluding: Set<String>,
                       only: Set<String>?) throws -> [OutboxItem] {
        try locked {
            try connection.query("""
                WITH due AS (
                    SELECT id FROM outbox
                    WHERE delivered_at IS NULL AND dead_at IS NULL AND next_attempt_at <= $1
                      AND (lease_until IS NULL OR lease_until <= $1 OR lease_owner IN (\(Self.goneOwners)))
                      AND sink <> ALL($4::text[])
                      AND ($6 OR sink = ANY($7::text[]))
                    ORDER BY next_attempt_at, id LIMIT $3
                    FOR UPDATE SKIP LOCKED
                )
                UPDATE outbox o SET attempts = o.attempts + 1, lease_until = $2, lease_owner = $5
                FROM due WHERE o.id = due.id
                RETURNING o.id, o.alert_id, o.sink, o.payload, o.attempts, o.created_at
                """, [.date(now), .date(now.addingTimeInterval(lease)), .int(limit), .texts(excluding.sorted()),
                      .text(instanceID), .bool(only == nil), .texts((only ?? []).sorted())]) { r in
                OutboxItem(id: r.int64(0), alertID: r.string(1) ?? "", sink: r.string(2) ?? "",
                           payload: r.data(3) ?? Data(), attempts: r.int(4), createdAt: r.date(5) ?? now)
            }.sorted { $0.id < $1.id }
        }
    }

    /// Clears the leases this instance holds (outbox rows and sources): what another instance
    /// holds stays held, and a crashed instance's leases run out by themselves.
    @discardableResult
    public func releaseLeases() throws -> Int {
        try transaction {
            let rows = try connection.run("UPDATE outbox SET lease_until = NULL, lease_owner = NULL WHERE lease_owner = $1",
                                          [.text(instanceID)])
            return rows + (try connection.run("""
                UPDATE sources SET lease_until = NULL, lease_owner = NULL WHERE lease_owner = $1
                """, [.text(instanceID)]))
        }
    }

    public func markDelivered(id: Int64, at: Date) throws {
        try locked {
            _ = try connection.run("""
                UPDATE outbox SET delivered_at = $1, lease_until = NULL, lease_owner = NULL, last_error = NULL WHERE id = $2
                """, [.date(at), .int(id)])
        }
    }

    public func markRetry(id: Int64, at: Date, error: String) throws {
        try locked {
            _ = try connection.run("""
                UPDATE outbox SET next_attempt_at = $1, lease_until = NULL, lease_owner = NULL, last_error = $2 WHERE id = $3
                """, [.date(at), .text(error), .int(id)])
        }
    }

    public func releaseClaim(id: Int64, at: Date, reason: String) throws {
        try locked {
            _ = try connection.run("""
                UPDATE outbox SET next_attempt_at = $1, lease_until = NULL, lease_owner = NULL, last_error = $2,
                                  attempts = greatest(attempts - 1, 0) WHERE id = $3
                """, [.date(at), .text(reason), .int(id)])
        }
    }

    public func markDead(id: Int64, error: String, at: Date) throws {
        try locked {
            _ = try connection.run("""
                UPDATE outbox SET dead_at = $1, lease_until = NULL, lease_owner = NULL, last_error = $2 WHERE id = $3
                """, [.date(at), .text(error), .int(id)])
        }
    }

    public func outboxDepth() throws -> Int {
        try locked {
            try connection.queryOne("SELECT count(*) FROM outbox WHERE delivered_at IS NULL AND dead_at IS NULL") {
                $0.int(0)
            } ?? 0
        }
    }

    public func outboxCounts() throws -> OutboxCounts {
        try locked {
            try connection.queryOne("""
                SELECT count(*) FILTER (WHERE delivered_at IS NULL AND dead_at IS NULL),
                       count(*) FILTER (WHERE delivered_at IS NOT NULL), count(*) FILTER (WHERE dead_at IS NOT NULL)
                FROM outbox
                """) { OutboxCounts(pending: $0.int(0), delivered: $0.int(1), dead: $0.int(2)) }
                ?? OutboxCounts(pending: 0, delivered: 0, dead: 0)
        }
    }

    public func outboxEntry(alertID: String, sink: String) throws -> OutboxEntry? {
        try locked {
            try connection.queryOne("""
                SELECT id, alert_id, sink, attempts, next_attempt_at, delivered_at, dead_at, last_error
                FROM outbox WHERE alert_id = $1 AND sink = $2
                """, [.text(alertID), .text(sink)]) { r in
                OutboxEntry(id: r.int64(0), alertID: r.string(1) ?? "", sink: r.string(2) ?? "", attempts: r.int(3),
                            nextAttemptAt: r.date(4) ?? Date(timeIntervalSince1970: 0), deliveredAt: r.date(5),
                            deadAt: r.date(6), lastError: r.string(7))
            }
        }
    }

    public func sinkSummaries() throws -> [SinkOutboxSummary] {
        try locked {
            var out: [String: SinkOutboxSummary] = [:]
            for summary in try connection.query("""
                SELECT sink, count(*) FILTER (WHERE delivered_at IS NULL AND dead_at IS NULL),
                       count(*) FILTER (WHERE delivered_at IS NOT NULL), count(*) FILTER (WHERE dead_at IS NOT NULL),
                       max(delivered_at)
                FROM outbox GROUP BY sink
                """, row: { r in
                    SinkOutboxSummary(sink: r.string(0) ?? "", pending: r.int(1), delivered: r.int(2), dead: r.int(3),
                                      lastSuccess: r.date(4))
                }) {
                out[summary.sink] = summary
            }
            // The most recent undelivered row with an error, per sink.
            for (name, error, deadAt, nextAttempt) in try connection.query("""
                SELECT DISTINCT ON (sink) sink, last_error, dead_at, next_attempt_at
                FROM outbox WHERE last_error IS NOT NULL AND delivered_at IS NULL
                ORDER BY sink, coalesce(dead_at, next_attempt_at) DESC
                """, row: { r in (r.string(0) ?? "", r.string(1), r.date(2), r.date(3)) }) {
                out[name, default: SinkOutboxSummary(sink: name)].lastError = error
                out[name]?.lastErrorDeadAt = deadAt
                out[name]?.lastErrorNextAttempt = deadAt == nil ? nextAttempt : nil
            }
            return out.values.sorted { $0.sink < $1.sink }
        }
    }
}
