import FeedwatchStore
import Foundation

extension PostgresStore {
    @discardableResult
    public func registerSources(_ urls: [String]) throws -> Int {
        guard !urls.isEmpty else { return 0 }
        return try locked {
            try connection.run("INSERT INTO sources(url) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING", [.texts(urls)])
        }
    }

    /// See `SharedStore.claimDueSources`. Due and lease times are read on the database's clock.
    /// With `perHost`, claims are serialised (an advisory lock to the end of the transaction) and
    /// take no source of a host whose live leases, this claim's included, would exceed it.
    public func claimDueSources(limit: Int, lease: TimeInterval, excluding: Set<String> = [],
                                perHost: Int? = nil) throws -> [SourceState] {
        let columns = Self.sourceColumns.split(separator: ",").map { "s." + $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .joined(separator: ", ")
        let due = """
            NOT gone AND (next_poll_at IS NULL OR next_poll_at <= \(Self.dbNow))
              AND (lease_until IS NULL OR lease_until <= \(Self.dbNow) OR lease_owner IN (\(Self.goneOwners)))
              AND url <> ALL($4::text[])
            """
        return try transaction {
            let rows: [(SourceState, Bool)]
            if let perHost, perHost > 0 {
                try connection.exec("SELECT pg_advisory_xact_lock(\(Self.claimLockKey))")
                rows = try connection.query("""
                    WITH busy AS (
                        SELECT host, count(*) AS n FROM sources
                        WHERE lease_owner IS NOT NULL AND lease_until > \(Self.dbNow)
                          AND lease_owner NOT IN (\(Self.goneOwners))
                        GROUP BY host
                    ), due AS (
                        SELECT url, host, next_poll_at, lease_owner AS previous FROM sources
                        WHERE \(due) AND (host IS NULL OR host NOT IN (SELECT host FROM busy WHERE n >= $5))
                        ORDER BY next_poll_at NULLS FIRST, url LIMIT $1 * 4 + 64
                        FOR UPDATE SKIP LOCKED
                    ), pick AS (
                        SELECT ranked.url, ranked.previous FROM (
                            SELECT due.*, row_number() OVER (PARTITION BY due.host ORDER BY due.next_poll_at NULLS FIRST, due.url) AS r
                            FROM due
                        ) ranked LEFT JOIN busy ON busy.host = ranked.host
                        WHERE ranked.r + coalesce(busy.n, 0) <= $5
                        ORDER BY ranked.next_poll_at NULLS FIRST, ranked.url LIMIT $1
                    )
                    UPDATE sources s SET lease_owner = $2, lease_until = \(Self.dbNow) + $3
                    FROM pick WHERE s.url = pick.url
                    RETURNING \(columns), pick.previous IS NOT NULL AND pick.previous <> $2
                    """, [.int(limit), .text(instanceID), .double(lease), .texts(excluding.sorted()), .int(perHost)]) { r in
                    (Self.sourceRow(r), r.bool(13))
                }
            } else {
                rows = try connection.query("""
                    WITH due AS (
                        SELECT url, lease_owner AS previous FROM sources WHERE \(due)
                        ORDER BY next_poll_at NULLS FIRST, url LIMIT $1
                        FOR UPDATE SKIP LOCKED
                    )
                    UPDATE sources s SET lease_owner = $2, lease_until = \(Self.dbNow) + $3
                    FROM due WHERE s.url = due.url
                    RETURNING \(columns), due.previous IS NOT NULL AND due.previous <> $2
                    """, [.int(limit), .text(instanceID), .double(lease), .texts(excluding.sorted())]) { r in
                    (Self.sourceRow(r), r.bool(13))
                }
            }
            let takeovers = rows.filter(\.1).count
            if takeovers > 0 { try incrementCounter("sources.lease_takeovers", by: takeovers) }
            return rows.map(\.0).sorted { $0.url < $1.url }
        }
    }

    /// The advisory lock that serialises claims under a per-host limit.
    static let claimLockKey: Int64 = 7_465_727_366

    public func renewSourceLeases(_ urls: [String], lease: TimeInterval) throws -> Set<String> {
        guard !urls.isEmpty else { return [] }
        return try locked {
            Set(try connection.query("""
                UPDATE sources SET lease_until = \(Self.dbNow) + $3 WHERE lease_owner = $1 AND url = ANY($2::text[])
                RETURNING url
                """, [.text(instanceID), .texts(urls), .double(lease)]) { $0.string(0) ?? "" })
        }
    }

    public func releaseSource(_ s: SourceState) throws -> Bool {
        try locked {
            try connection.run("""
                UPDATE sources SET current_url = $2, etag = $3, last_modified = $4, last_success = $5,
                    last_attempt = $6, consecutive_failures = $7, last_error = $8, next_poll_at = $9, gone = $10,
                    strikes = $11, quarantined_at = $12, quarantine_digest = $13, lease_owner = NULL, lease_until = NULL
                WHERE url = $1 AND lease_owner = $14
                """, Self.sourceValues(s) + [.text(instanceID)]) == 1
        }
    }

    @discardableResult
    public func releaseSources(_ urls: [String]) throws -> Int {
        guard !urls.isEmpty else { return 0 }
        return try locked {
            try connection.run("""
                UPDATE sources SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1 AND url = ANY($2::text[])
                """, [.text(instanceID), .texts(urls)])
        }
    }

    public func heartbeat(lastPoll: Date?) throws {
        try locked {
            try connection.run("""
                INSERT INTO instances(id, host, pid, started_at, heartbeat_at, last_poll_at, backend_pid)
                VALUES($1, $2, $3, \(Self.dbNow), \(Self.dbNow), $4, pg_backend_pid())
                ON CONFLICT(id) DO UPDATE SET heartbeat_at = EXCLUDED.heartbeat_at,
                    last_poll_at = coalesce(EXCLUDED.last_poll_at, instances.last_poll_at),
                    backend_pid = EXCLUDED.backend_pid
                """, [.text(instanceID), .text(ProcessInfo.processInfo.hostName), .int(Int(getpid())), .date(lastPoll)])
        }
    }

    public func reapInstances(silentFor: TimeInterval) throws -> [String] {
        try transaction {
            let dead = try connection.query("""
                DELETE FROM instances WHERE (heartbeat_at < \(Self.dbNow) - $1 OR id IN (\(Self.goneOwners))) AND id <> $2
                RETURNING id
                """, [.double(silentFor), .text(instanceID)]) { $0.string(0) ?? "" }
            if !dead.isEmpty {
                try connection.run("UPDATE outbox SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = ANY($1::text[])",
                                   [.texts(dead)])
            }
            return dead
        }
    }

    public func instances() throws -> [InstanceStatus] {
        try locked {
            try connection.query("""
                SELECT i.id, i.host, i.pid, i.started_at, i.heartbeat_at, i.last_poll_at,
                       (SELECT count(*) FROM sources s WHERE s.lease_owner = i.id AND s.lease_until > \(Self.dbNow))
                FROM instances i ORDER BY i.id
                """) { r in
                InstanceStatus(id: r.string(0) ?? "", host: r.string(1) ?? "", pid: r.int(2),
                               startedAt: r.date(3) ?? Date(timeIntervalSince1970: 0),
                               heartbeatAt: r.date(4) ?? Date(timeIntervalSince1970: 0), lastPollAt: r.date(5),
                               sourcesHeld: r.int(6))
            }
        }
    }

    public func retire() throws {
        try transaction {
            _ = try releaseLeases()
            try connection.run("DELETE FROM instances WHERE id = $1", [.text(instanceID)])
        }
    }
}

extension PostgresStore: SharedStore {}
