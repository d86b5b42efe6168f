import FeedwatchStore
import Foundation

/// The dedup index several instances share. Each instance keeps the index in memory; the
/// journal table is the shared log of what was indexed, in the order the decisions were made.
/// Every writer of the journal or the snapshot holds one advisory lock until its transaction
/// ends (`lockDedupIndex`), so journal sequence numbers are in commit order and an instance that
/// reads the entries after the last one it folded in, under the lock, decides against everything
/// decided before it.
extension PostgresStore {
    /// The advisory lock's key: any constant no other part of the schema uses.
    static let dedupLockKey: Int64 = 7_465_727_365

    public func lockDedupIndex() throws {
        try locked { try connection.exec("SELECT pg_advisory_xact_lock(\(Self.dedupLockKey))") }
    }

    public func journal(after seq: Int64) throws -> [(seq: Int64, data: Data)] {
        try locked {
            try connection.query("SELECT seq, data FROM dedup_journal WHERE seq > $1 ORDER BY seq", [.int(seq)]) {
                ($0.int64(0), $0.data(1) ?? Data())
            }
        }
    }

    /// Appends entries in order; the sequence number of the last one.
    public func appendSharedJournal(_ entries: [Data]) throws -> Int64? {
        guard !entries.isEmpty else { return nil }
        return try locked {
            var last: Int64?
            for entry in entries {
                last = try connection.queryOne("INSERT INTO dedup_journal(data) VALUES($1) RETURNING seq",
                                               [.bytes(entry)]) { $0.int64(0) }
            }
            return last
        }
    }

    public func snapshotMarks() throws -> (through: Int64, compacted: Int64) {
        try locked {
            let c = try counters(["dedup.snapshot_through", "dedup.journal_compacted_through"])
            return (Int64(c["dedup.snapshot_through"] ?? 0), Int64(c["dedup.journal_compacted_through"] ?? 0))
        }
    }

    private func counters(_ names: [String]) throws -> [String: Int] {
        let rows = try connection.query("SELECT name, value FROM counters WHERE name = ANY($1::text[])", [.texts(names)]) {
            ($0.string(0) ?? "", $0.int(1))
        }
        return Dictionary(rows, uniquingKeysWith: { a, _ in a })
    }

    /// Replaces the snapshot with the pieces `write` hands over, as holding every journal entry up
    /// to `through`. Journal entries are deleted one snapshot late: those the previous snapshot
    /// held. An instance that had not folded them in yet (its last entry is before the
    /// compacted mark) reloads the index from the snapshot instead of tailing the journal.
    /// The caller holds `lockDedupIndex` and has folded in the journal up to `through`.
    public func saveSharedSnapshot(through: Int64, legacyBlob: String,
                                   _ write: ((Data) throws -> Void) throws -> Void) throws {
        try transaction {
            let previous = try snapshotMarks().through
            try replaceSnapshot(legacyBlob: legacyBlob, write)
            let compacted = min(previous, through)
            try connection.run("DELETE FROM dedup_journal WHERE seq <= $1", [.int(compacted)])
            try setCounter("dedup.snapshot_through", to: Int(through))
            try setCounter("dedup.journal_compacted_through", to: Int(compacted))
        }
    }
}
