import Foundation

extension StateStore {
    private static let sourceColumns = """
        url, current_url, etag, last_modified, last_success, last_attempt,
        consecutive_failures, last_error, next_poll_at, gone, strikes, quarantined_at, quarantine_digest
        """

    /// The stored state of the source configured as `url`, if it was ever polled.
    public func sourceState(url: String) throws -> SourceState? {
        try locked {
            try connection.queryOne("SELECT \(Self.sourceColumns) FROM sources WHERE url = ?", [.text(url)],
                                    row: Self.sourceRow)
        }
    }

    /// Every stored source, ordered by URL.
    public func allSourceStates() throws -> [SourceState] {
        try locked {
            try connection.query("SELECT \(Self.sourceColumns) FROM sources ORDER BY url", row: Self.sourceRow)
        }
    }

    /// Inserts or replaces the state keyed by `state.url`.
    public func saveSourceState(_ s: SourceState) throws {
        try locked {
            try connection.run("""
                INSERT OR REPLACE INTO sources(\(Self.sourceColumns)) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)
                """, [.text(s.url), .string(s.currentURL), .string(s.etag), .string(s.lastModified),
                      .date(s.lastSuccess), .date(s.lastAttempt), .int(s.consecutiveFailures),
                      .string(s.lastError), .date(s.nextPollAt), .bool(s.gone), .int(s.strikes),
                      .date(s.quarantinedAt), .string(s.quarantineDigest)])
        }
    }

    /// Lifts a source's quarantine (`feedwatch source release`): strikes cleared, polled at once.
    /// Returns false when the store knows no such source.
    public func releaseQuarantine(url: String) throws -> Bool {
        try locked {
            try connection.run("""
                UPDATE sources SET strikes = 0, quarantined_at = NULL, quarantine_digest = NULL,
                    consecutive_failures = 0, last_error = NULL, next_poll_at = NULL WHERE url = ?
                """, [.text(url)]) == 1
        }
    }

    /// Forgets a source (e.g. removed from the config); its seen entries stay until pruned.
    public func deleteSourceState(url: String) throws {
        try locked { _ = try connection.run("DELETE FROM sources WHERE url = ?", [.text(url)]) }
    }

    private static func sourceRow(_ r: SQLiteStatement) -> SourceState {
        SourceState(url: r.string(0) ?? "", currentURL: r.string(1), etag: r.string(2), lastModified: r.string(3),
                    lastSuccess: r.date(4), lastAttempt: r.date(5), consecutiveFailures: r.int(6),
                    lastError: r.string(7), nextPollAt: r.date(8), gone: r.int(9) != 0, strikes: r.int(10),
                    quarantinedAt: r.date(11), quarantineDigest: r.string(12))
    }
}
