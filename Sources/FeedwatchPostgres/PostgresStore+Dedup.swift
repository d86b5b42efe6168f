import Foundation

extension PostgresStore {
    public func loadBlob(_ name: String) throws -> Data? {
        try locked {
            try connection.queryOne("SELECT data FROM blobs WHERE name = $1", [.text(name)]) { $0.data(0) } ?? nil
        }
    }

    public func saveBlob(_ name: String, _ data: Data, at: Date = Date()) throws {
        try locked {
            try connection.run("""
                INSERT INTO blobs(name, data, updated_at) VALUES($1, $2, $3)
                ON CONFLICT(name) DO UPDATE SET data = EXCLUDED.data, updated_at = EXCLUDED.updated_at
                """, [.text(name), .bytes(data), .date(at)])
        }
    }

    public func appendJournal(_ entries: [Data]) throws {
        guard !entries.isEmpty else { return }
        try locked {
            for entry in entries { try connection.run("INSERT INTO dedup_journal(data) VALUES($1)", [.bytes(entry)]) }
        }
    }

    public func loadJournal() throws -> [Data] {
        try locked { try connection.query("SELECT data FROM dedup_journal ORDER BY seq") { $0.data(0) ?? Data() } }
    }

    /// Replaces the snapshot with the pieces `write` hands over and empties the journal, in one
    /// transaction: for one instance alone (tests, tools). The daemon on a shared database saves
    /// with `saveSharedSnapshot`, which never drops entries another instance has not folded in.
    public func saveSnapshot(legacyBlob: String, _ write: ((Data) throws -> Void) throws -> Void) throws {
        try transaction {
            try replaceSnapshot(legacyBlob: legacyBlob, write)
            try connection.run("DELETE FROM dedup_journal")
        }
    }

    /// Replaces the stored snapshot (and the old one-blob format) with the pieces `write` hands
    /// over, numbered in order. Inside the caller's transaction.
    func replaceSnapshot(legacyBlob: String, _ write: ((Data) throws -> Void) throws -> Void) throws {
        try connection.run("DELETE FROM dedup_snapshot")
        try connection.run("DELETE FROM blobs WHERE name = $1", [.text(legacyBlob)])
        var seq: Int64 = 0
        try write { piece in
            seq += 1
            try locked {
                _ = try connection.run("INSERT INTO dedup_snapshot(seq, data) VALUES($1, $2)", [.int(seq), .bytes(piece)])
            }
        }
    }

    public func snapshotPiece(after seq: Int64) throws -> (seq: Int64, data: Data)? {
        try locked {
            try connection.queryOne("SELECT seq, data FROM dedup_snapshot WHERE seq > $1 ORDER BY seq LIMIT 1",
                                    [.int(seq)]) { row in (row.int64(0), row.data(1) ?? Data()) }
        }
    }
}
