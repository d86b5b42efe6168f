import CSQLite
import Foundation

/// The daemon's durable state in one SQLite database (WAL): sources' validators
/// and health, seen entry ids, named blobs (the dedup index), alerts, the alert
/// outbox and counters.
///
/// Thread safety: the store owns exactly one connection, opened
/// `SQLITE_OPEN_NOMUTEX`, and every method takes `lock` for its whole duration,
/// so the connection (and its statement cache) is only ever used by one thread
/// at a time. The lock is recursive so that the body of `transaction` can call
/// the store's own methods; each call is short (microseconds), so callers on the
/// cooperative pool block only briefly. That is what makes `@unchecked Sendable` sound.
///
/// Durability: WAL with `synchronous=NORMAL` survives a process crash (kill -9)
/// at any instant with every committed transaction intact; power loss may roll
/// back the last few commits, never corrupts.
public final class StateStore: @unchecked Sendable {
    /// The database file name inside the state directory.
    public static let fileName = "feedwatch.db"
    /// The schema version this build writes.
    public static var schemaVersion: Int { Migrations.steps.count }

    public let path: String
    public let isReadOnly: Bool
    let db: SQLiteDatabase
    private let lock = NSRecursiveLock()
    /// The descriptor holding `<path>.lock`, when opened with `exclusive`.
    private let lockFD: Int32

    /// Opens (creating if needed) the database at `path` for reading and writing and
    /// migrates it to the current schema. With `exclusive`, also takes a lock on
    /// `<path>.lock` (released when the store is released or the process dies) so a
    /// second daemon on the same state directory fails fast instead of double-sending.
    public init(path: String, exclusive: Bool = false) throws {
        self.path = path
        isReadOnly = false
        lockFD = exclusive ? try Self.takeLock(path + ".lock") : -1
        db = try SQLiteDatabase(path: path, readOnly: false)
        // temp_store=MEMORY: a savepoint's undo pages (each store call nests one) went to a
        // temporary file, twenty thousand writes in a cold pass of 1,000 feeds.
        try db.execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=OFF; PRAGMA temp_store=MEMORY;")
        try migrate()
    }

    /// Opens the database at `path` read-only, for `feedwatch status` while the daemon runs.
    /// WAL lets this reader see the last committed state without blocking the writer.
    public init(readOnlyPath path: String) throws {
        self.path = path
        isReadOnly = true
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError(code: SQLITE_CANTOPEN, path: path, message: "no state database (has the daemon run?)")
        }
        lockFD = -1
        db = try SQLiteDatabase(path: path, readOnly: true)
        try db.execute("PRAGMA query_only=ON;")
        let version = try userVersion()
        guard version <= Migrations.steps.count else { throw tooNew(version) }
    }

    /// Opens `<directory>/feedwatch.db`, creating the directory if needed.
    public convenience init(directory: String, exclusive: Bool = false) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try self.init(path: (directory as NSString).appendingPathComponent(StateStore.fileName), exclusive: exclusive)
    }

    deinit {
        if lockFD >= 0 { close(lockFD) }
    }

    /// Runs `body` as one transaction: everything it writes through this store
    /// commits together or, if it throws, not at all. Nested calls become savepoints.
    /// The body must not await (it is synchronous) and should be short.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try locked { try db.transaction(body) }
    }

    /// `PRAGMA integrity_check`: "ok" for a healthy database.
    public func integrityCheck() throws -> String {
        try locked {
            try db.query("PRAGMA integrity_check") { $0.string(0) ?? "" }.joined(separator: "\n")
        }
    }

    /// The schema version found in the file.
    public func userVersion() throws -> Int {
        try locked { try db.queryOne("PRAGMA user_version") { $0.int(0) } ?? 0 }
    }

    /// Deletes what retention no longer needs: seen entries not seen since
    /// `before`, delivered or dead outbox rows finished before it, and alerts
    /// raised before it that have no pending delivery.
    @discardableResult
    public func prune(before: Date) throws -> PruneReport {
        try prune(seenBefore: before, alertsBefore: before)
    }

    /// `prune(before:)` with separate horizons for seen entries and for alerts and deliveries.
    @discardableResult
    public func prune(seenBefore: Date, alertsBefore: Date) throws -> PruneReport {
        let t = SQLiteValue.date(alertsBefore)
        return try transaction {
            var r = PruneReport()
            r.seenEntries = try db.run("DELETE FROM seen WHERE last_seen < ?", [.date(seenBefore)])
            r.outboxRows = try db.run(Self.pruneOutbox, [t])
            r.alerts = try db.run("""
                DELETE FROM alerts WHERE alerted_at < ?1
                   AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.alert_id = alerts.id)
                """, [t])
            return r
        }
    }

    /// Deliveries settled before `?1`: found through the partial indexes of migration 8, so a
    /// prune reads what it deletes, not the outbox's whole history.
    static let pruneOutbox = """
        DELETE FROM outbox WHERE (delivered_at IS NOT NULL AND delivered_at < ?1)
           OR (dead_at IS NOT NULL AND dead_at < ?1)
        """

    /// Checkpoints the WAL into the database and truncates it (after a prune, or
    /// at shutdown). Readers in progress may keep part of it; that is not an error.
    public func checkpoint() throws {
        try locked { try db.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
    }

    // MARK: - Counters

    /// Adds `delta` to the named counter (created at 0).
    public func incrementCounter(_ name: String, by delta: Int = 1) throws {
        try locked {
            try db.run("""
                INSERT INTO counters(name, value) VALUES(?1, ?2)
                ON CONFLICT(name) DO UPDATE SET value = value + ?2
                """, [.text(name), .integer(Int64(delta))])
        }
    }

    /// Sets the named counter to `value`: a gauge (the dedup index's size), not a running total.
    public func setCounter(_ name: String, to value: Int) throws {
        try locked {
            try db.run("INSERT INTO counters(name, value) VALUES(?1, ?2) ON CONFLICT(name) DO UPDATE SET value = ?2",
                       [.text(name), .integer(Int64(value))])
        }
    }

    /// The named counter, 0 if never incremented.
    public func counter(_ name: String) throws -> Int {
        try locked { try db.queryOne("SELECT value FROM counters WHERE name = ?", [.text(name)]) { $0.int(0) } ?? 0 }
    }

    /// Every counter by name.
    public func counters() throws -> [String: Int] {
        try locked {
            let rows = try db.query("SELECT name, value FROM counters") { ($0.string(0) ?? "", $0.int(1)) }
            return Dictionary(rows, uniquingKeysWith: { a, _ in a })
        }
    }

    // MARK: - Internals

    @discardableResult
    func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// The connection, for the extensions; call only inside `locked`.
    var connection: SQLiteDatabase { db }

    private func migrate() throws {
        let version = try userVersion()
        guard version <= Migrations.steps.count else { throw tooNew(version) }
        for (i, step) in Migrations.steps.enumerated().dropFirst(version) {
            try db.transaction {
                try db.execute(step)
                try db.execute("PRAGMA user_version = \(i + 1)")
            }
        }
    }

    private static func takeLock(_ lockPath: String) throws -> Int32 {
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw StoreError(code: SQLITE_CANTOPEN, path: lockPath, message: "open: \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let e = errno
            close(fd)
            throw StoreError(code: SQLITE_BUSY, path: lockPath,
                             message: e == EWOULDBLOCK ? "another feedwatch process is using this state directory"
                                                       : "lock: \(String(cString: strerror(e)))")
        }
        return fd
    }

    private func tooNew(_ version: Int) -> StoreError {
        StoreError(code: 0, path: path,
                   message: "schema version \(version) is newer than this feedwatch understands (\(Migrations.steps.count))")
    }
}
