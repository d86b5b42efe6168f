import CSQLite
import Foundation

/// One sqlite3 connection with a statement cache and nestable transactions.
///
/// Not thread-safe on its own: the connection is opened `SQLITE_OPEN_NOMUTEX`
/// and `StateStore` serialises every use of it behind its lock.
final class SQLiteDatabase {
    let path: String
    private let handle: OpaquePointer
    private var cache: [String: SQLiteStatement] = [:]
    private var depth = 0

    init(path: String, readOnly: Bool, busyTimeoutMillis: Int32 = 5_000) throws {
        self.path = path
        var h: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
            | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        let rc = sqlite3_open_v2(path, &h, flags, nil)
        guard rc == SQLITE_OK, let h else {
            let msg = h.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close_v2(h)
            throw StoreError(code: rc & 0xff, path: path, message: "open: \(msg)")
        }
        handle = h
        sqlite3_extended_result_codes(h, 1)
        sqlite3_busy_timeout(h, busyTimeoutMillis)
    }

    deinit {
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    func error(_ rc: Int32, _ what: String) -> StoreError {
        StoreError(code: rc & 0xff, path: path, message: "\(what): \(String(cString: sqlite3_errmsg(handle)))")
    }

    /// Runs one or more statements without parameters (schema, pragmas).
    func execute(_ sql: String) throws {
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &err)
        guard rc == SQLITE_OK else {
            let msg = err.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_free(err)
            throw StoreError(code: rc & 0xff, path: path, message: "\(sql.prefix(60)): \(msg)")
        }
    }

    /// A cached prepared statement for `sql`, reset and bound to `values`.
    func statement(_ sql: String, _ values: [SQLiteValue] = []) throws -> SQLiteStatement {
        let stmt: SQLiteStatement
        if let cached = cache[sql] {
            stmt = cached
        } else {
            var p: OpaquePointer?
            let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &p, nil)
            guard rc == SQLITE_OK, let p else { throw error(rc, "prepare \(sql.prefix(60))") }
            stmt = SQLiteStatement(handle: p, db: self)
            cache[sql] = stmt
        }
        try stmt.bind(values)
        return stmt
    }

    /// Executes a statement that returns no rows; the number of rows changed.
    @discardableResult
    func run(_ sql: String, _ values: [SQLiteValue] = []) throws -> Int {
        let stmt = try statement(sql, values)
        defer { stmt.reset() }
        while try stmt.step() {}
        return Int(sqlite3_changes(handle))
    }

    /// Collects every row through `row`.
    func query<T>(_ sql: String, _ values: [SQLiteValue] = [], row: (SQLiteStatement) throws -> T) throws -> [T] {
        let stmt = try statement(sql, values)
        defer { stmt.reset() }
        var out: [T] = []
        while try stmt.step() { out.append(try row(stmt)) }
        return out
    }

    /// The first row, if any.
    func queryOne<T>(_ sql: String, _ values: [SQLiteValue] = [], row: (SQLiteStatement) throws -> T) throws -> T? {
        let stmt = try statement(sql, values)
        defer { stmt.reset() }
        return try stmt.step() ? try row(stmt) : nil
    }

    /// Rows changed by the last INSERT/UPDATE/DELETE.
    var changes: Int { Int(sqlite3_changes(handle)) }

    var isInTransaction: Bool { depth > 0 }

    /// Runs `body` atomically. The outermost level is `BEGIN IMMEDIATE` (takes the
    /// write lock up front, so no SQLITE_BUSY upgrade deadlock); inner levels are
    /// savepoints. Any error thrown rolls that level back and is rethrown.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        let outer = depth == 0
        let savepoint = "fw_sp\(depth)"
        try execute(outer ? "BEGIN IMMEDIATE" : "SAVEPOINT \(savepoint)")
        depth += 1
        let rollback = outer ? "ROLLBACK" : "ROLLBACK TO \(savepoint); RELEASE \(savepoint)"
        let result: T
        do {
            result = try body()
        } catch {
            depth -= 1
            try? execute(rollback)
            throw error
        }
        depth -= 1
        do {
            try execute(outer ? "COMMIT" : "RELEASE \(savepoint)")
        } catch {
            try? execute(rollback)
            throw error
        }
        return result
    }
}
