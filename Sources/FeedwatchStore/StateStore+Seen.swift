import Foundation

extension StateStore {
    /// Records that `sourceURL` listed `entryIDs` at `at` and returns the ids it
    /// had never listed before. Ids already known get their last-seen time
    /// refreshed (at most hourly, to keep re-polls cheap), so an entry a feed keeps
    /// listing is never pruned and re-alerted. One transaction (a savepoint inside
    /// an enclosing one).
    @discardableResult
    public func markSeen(sourceURL: String, entryIDs: [String], at: Date) throws -> Set<String> {
        guard !entryIDs.isEmpty else { return [] }
        let src = SQLiteValue.text(sourceURL)
        let t = SQLiteValue.date(at)
        return try transaction {
            // Prepared once per call, bound per id: this is the hot path of a cold poll.
            let insert = try connection.statement(
                "INSERT OR IGNORE INTO seen(source_url, entry_id, first_seen, last_seen) VALUES(?1, ?2, ?3, ?3)")
            let touch = try connection.statement("""
                UPDATE seen SET last_seen = ?3 WHERE source_url = ?1 AND entry_id = ?2 AND last_seen < ?3 - 3600
                """)
            var fresh = Set<String>()
            for id in entryIDs {
                let values: [SQLiteValue] = [src, .text(id), t]
                try insert.bind(values)
                _ = try insert.step()
                if connection.changes == 1 {
                    fresh.insert(id)
                } else {
                    try touch.bind(values)
                    _ = try touch.step()
                }
            }
            insert.reset()
            touch.reset()
            return fresh
        }
    }

    /// The ids of `entryIDs` that `sourceURL` never listed, without recording anything: what a
    /// fetch task may prepare ahead of `markSeen`, which stays the authority.
    public func unseen(sourceURL: String, entryIDs: [String]) throws -> Set<String> {
        guard !entryIDs.isEmpty else { return [] }
        return try locked {
            let known = try connection.statement("SELECT 1 FROM seen WHERE source_url = ?1 AND entry_id = ?2")
            defer { known.reset() }
            var result = Set<String>()
            for id in entryIDs {
                try known.bind([.text(sourceURL), .text(id)])
                if try !known.step() { result.insert(id) }
            }
            return result
        }
    }

    /// How many entry ids are remembered for `sourceURL` (nil: all sources).
    public func seenCount(sourceURL: String? = nil) throws -> Int {
        try locked {
            if let sourceURL {
                return try connection.queryOne("SELECT count(*) FROM seen WHERE source_url = ?",
                                               [.text(sourceURL)]) { $0.int(0) } ?? 0
            }
            return try connection.queryOne("SELECT count(*) FROM seen") { $0.int(0) } ?? 0
        }
    }
}
