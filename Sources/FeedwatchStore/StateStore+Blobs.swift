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
}
