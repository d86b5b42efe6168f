import Foundation

extension StateStore {
    /// The named blob (e.g. the dedup index snapshot), if saved.
    public func loadBlob(_ name: String) throws -> Data? {
        try locked {
            try connection.queryOne("SELECT data FROM blobs WHERE name = ?", [.text(name)]) { $0.data(0) } ?? nil
        }
    }

    /// Replaces the named blob.
    public func saveBlob(_ name: String, _ data: Data, at: Date = Date()) throws {
        try locked {
            try connection.run("INSERT OR REPLACE INTO blobs(name, data, updated_at) VALUES(?,?,?)",
                               [.text(name), .blob(data), .date(at)])
        }
    }

    /// Appends entries to the dedup journal (inside the caller's transaction, if any).
    public func appendJournal(_ entries: [Data]) throws {
        guard !entries.isEmpty else { return }
        try locked {
            for entry in entries { _ = try connection.run("INSERT INTO dedup_journal(data) VALUES(?)", [.blob(entry)]) }
        }
    }

    /// The dedup journal, oldest first.
    public func loadJournal() throws -> [Data] {
        try locked { try connection.query("SELECT data FROM dedup_journal ORDER BY seq") { $0.data(0) ?? Data() } }
    }

    /// Replaces the dedup snapshot with the pieces `write` hands over, in order, and empties the
    /// journal, all in one transaction: the snapshot holds everything the journal did. A snapshot
    /// saved whole under `legacyBlob` by older versions is dropped.
    public func saveSnapshot(legacyBlob: String, _ write: ((Data) throws -> Void) throws -> Void) throws {
        try transaction {
            try locked {
                _ = try connection.run("DELETE FROM dedup_snapshot")
                _ = try connection.run("DELETE FROM blobs WHERE name = ?", [.text(legacyBlob)])
            }
            var seq: Int64 = 0
            try write { piece in
                seq += 1
                try locked {
                    _ = try connection.run("INSERT INTO dedup_snapshot(seq, data) VALUES(?,?)", [.integer(seq), .blob(piece)])
                }
            }
            try locked { _ = try connection.run("DELETE FROM dedup_journal") }
        }
    }

    /// The piece of the dedup snapshot after piece `seq` (start at 0), if any.
    public func snapshotPiece(after seq: Int64) throws -> (seq: Int64, data: Data)? {
        try locked {
            try connection.queryOne("SELECT seq, data FROM dedup_snapshot WHERE seq > ? ORDER BY seq LIMIT 1",
                                    [.integer(seq)]) { row in (row.int64(0), row.data(1) ?? Data()) }
        }
    }
}
