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

    /// Replaces the named blob and empties the journal in one transaction: the snapshot holds
    /// everything the journal did.
    public func saveSnapshot(_ name: String, _ data: Data, at: Date = Date()) throws {
        try transaction {
            try saveBlob(name, data, at: at)
            try locked { _ = try connection.run("DELETE FROM dedup_journal") }
        }
    }
}
