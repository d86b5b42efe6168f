import FeedwatchStore
import Foundation

extension PostgresStore {
    static let sourceColumns = """
        url, current_url, etag, last_modified, last_success, last_attempt,
        consecutive_failures, last_error, next_poll_at, gone, strikes, quarantined_at, quarantine_digest
        """

    public func sourceState(url: String) throws -> SourceState? {
        try locked {
            try connection.queryOne("SELECT \(Self.sourceColumns) FROM sources WHERE url = $1", [.text(url)],
                                    row: Self.sourceRow)
        }
    }

    public func allSourceStates() throws -> [SourceState] {
        try locked {
            try connection.query("SELECT \(Self.sourceColumns) FROM sources ORDER BY url", row: Self.sourceRow)
        }
    }

    /// Inserts or updates the state keyed by `s.url`; its lease, if any, is left alone.
    public func saveSourceState(_ s: SourceState) throws {
        try locked {
            try connection.run("""
                INSERT INTO sources(\(Self.sourceColumns)) VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)
                ON CONFLICT(url) DO UPDATE SET current_url = EXCLUDED.current_url, etag = EXCLUDED.etag,
                    last_modified = EXCLUDED.last_modified, last_success = EXCLUDED.last_success,
                    last_attempt = EXCLUDED.last_attempt, consecutive_failures = EXCLUDED.consecutive_failures,
                    last_error = EXCLUDED.last_error, next_poll_at = EXCLUDED.next_poll_at, gone = EXCLUDED.gone,
                    strikes = EXCLUDED.strikes, quarantined_at = EXCLUDED.quarantined_at,
                    quarantine_digest = EXCLUDED.quarantine_digest
                """, Self.sourceValues(s))
        }
    }

    public func releaseQuarantine(url: String) throws -> Bool {
        try locked {
            try connection.run("""
                UPDATE sources SET strikes = 0, quarantined_at = NULL, quarantine_digest = NULL,
                    consecutive_failures = 0, last_error = NULL, next_poll_at = NULL WHERE url = $1
                """, [.text(url)]) == 1
        }
    }

    public func deleteSourceState(url: String) throws {
        try locked { _ = try connection.run("DELETE FROM sources WHERE url = $1", [.text(url)]) }
    }

    static func sourceValues(_ s: SourceState) -> [PGValue] {
        [.text(s.url), .string(s.currentURL), .string(s.etag), .string(s.lastModified),
         .date(s.lastSuccess), .date(s.lastAttempt), .int(s.consecutiveFailures),
         .string(s.lastError), .date(s.nextPollAt), .bool(s.gone), .int(s.strikes),
         .date(s.quarantinedAt), .string(s.quarantineDigest)]
    }

    static func sourceRow(_ r: PGRow) -> SourceState {
        SourceState(url: r.string(0) ?? "", currentURL: r.string(1), etag: r.string(2), lastModified: r.string(3),
                    lastSuccess: r.date(4), lastAttempt: r.date(5), consecutiveFailures: r.int(6),
                    lastError: r.string(7), nextPollAt: r.date(8), gone: r.bool(9), strikes: r.int(10),
                    quarantinedAt: r.date(11), quarantineDigest: r.string(12))
    }
}
