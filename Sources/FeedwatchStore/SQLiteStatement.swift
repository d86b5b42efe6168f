import CSQLite
import Foundation

/// One prepared statement. Owned by its `SQLiteDatabase` and used only under the store's lock.
final class SQLiteStatement {
    let handle: OpaquePointer
    // Unowned: the database caches its statements, so a strong reference would be a cycle
    // and the connection would never close.
    private unowned let db: SQLiteDatabase

    init(handle: OpaquePointer, db: SQLiteDatabase) {
        self.handle = handle
        self.db = db
    }

    deinit { sqlite3_finalize(handle) }

    func bind(_ values: [SQLiteValue]) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (i, v) in values.enumerated() {
            let idx = Int32(i + 1)
            let rc: Int32
            switch v {
            case .null: rc = sqlite3_bind_null(handle, idx)
            case .integer(let n): rc = sqlite3_bind_int64(handle, idx, n)
            case .real(let d): rc = sqlite3_bind_double(handle, idx, d)
            case .text(let s): rc = sqlite3_bind_text(handle, idx, s, -1, fw_sqlite_transient())
            case .blob(let d):
                rc = d.withUnsafeBytes { raw in
                    // A zero-length blob needs a non-NULL pointer or SQLite stores NULL.
                    sqlite3_bind_blob(handle, idx, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1),
                                      Int32(raw.count), fw_sqlite_transient())
                }
            }
            guard rc == SQLITE_OK else { throw db.error(rc, "bind parameter \(idx)") }
        }
    }

    /// Steps once: true when a row is available, false when done.
    func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            sqlite3_reset(handle)
            throw db.error(rc, "step")
        }
    }

    func reset() { sqlite3_reset(handle) }

    func isNull(_ col: Int32) -> Bool { sqlite3_column_type(handle, col) == SQLITE_NULL }
    func int64(_ col: Int32) -> Int64 { sqlite3_column_int64(handle, col) }
    func int(_ col: Int32) -> Int { Int(sqlite3_column_int64(handle, col)) }
    func double(_ col: Int32) -> Double { sqlite3_column_double(handle, col) }

    func string(_ col: Int32) -> String? {
        guard let p = sqlite3_column_text(handle, col) else { return nil }
        return String(cString: p)
    }

    func date(_ col: Int32) -> Date? {
        isNull(col) ? nil : Date(timeIntervalSince1970: sqlite3_column_double(handle, col))
    }

    func data(_ col: Int32) -> Data? {
        if isNull(col) { return nil }
        let n = Int(sqlite3_column_bytes(handle, col))
        guard n > 0, let p = sqlite3_column_blob(handle, col) else { return Data() }
        return Data(bytes: p, count: n)
    }
}
