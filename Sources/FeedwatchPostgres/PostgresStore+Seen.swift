import Foundation

extension PostgresStore {
    /// Records that `sourceURL` listed `entryIDs` at `at` and returns the ids it had never listed
    /// before; known ids get their last-seen time refreshed (at most hourly). One statement: the
    /// primary key decides, so when two instances mark the same entry at once exactly one of
    /// them gets it back as new.
    @discardableResult
    public func markSeen(sourceURL: String, entryIDs: [String], at: Date) throws -> Set<String> {
        guard !entryIDs.isEmpty else { return [] }
        var unique = Set<String>()
        let ids = entryIDs.filter { unique.insert($0).inserted }
        return try locked {
            let fresh = try connection.query("""
                WITH ins AS (
                    INSERT INTO seen(source_url, entry_id, first_seen, last_seen)
                    SELECT $1, id, $3, $3 FROM unnest($2::text[]) AS id
                    ON CONFLICT DO NOTHING RETURNING entry_id
                ), touched AS (
                    UPDATE seen SET last_seen = $3
                    WHERE source_url = $1 AND entry_id = ANY($2::text[]) AND last_seen < $3 - 3600
                )
                SELECT entry_id FROM ins
                """, [.text(sourceURL), .texts(ids), .date(at)]) { $0.string(0) ?? "" }
            return Set(fresh)
        }
    }

    public func unseen(sourceURL: String, entryIDs: [String]) throws -> Set<String> {
        guard !entryIDs.isEmpty else { return [] }
        return try locked {
            Set(try connection.query("""
                SELECT id FROM unnest($2::text[]) AS id
                WHERE NOT EXISTS (SELECT 1 FROM seen WHERE source_url = $1 AND entry_id = id)
                """, [.text(sourceURL), .texts(entryIDs)]) { $0.string(0) ?? "" })
        }
    }

    public func seenCount(sourceURL: String? = nil) throws -> Int {
        try locked {
            if let sourceURL {
                return try connection.queryOne("SELECT count(*) FROM seen WHERE source_url = $1",
                                               [.text(sourceURL)]) { $0.int(0) } ?? 0
            }
            return try connection.queryOne("SELECT count(*) FROM seen") { $0.int(0) } ?? 0
        }
    }
}
