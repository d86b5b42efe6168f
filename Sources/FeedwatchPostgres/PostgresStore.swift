import FeedwatchStore
import Foundation

/// The daemon's state in a PostgreSQL database that several instances share: the same
/// operations as the SQLite `StateStore` (it conforms to `Store`), plus what sharing needs:
/// sources claimed with a lease (`claimDueSources`), outbox rows claimed with `SKIP LOCKED`,
/// and heartbeats.
///
/// Which decisions are serialised, and how:
/// - an alert is raised once: `alerts.id` is the primary key and `insertAlert` is
///   `INSERT … ON CONFLICT DO NOTHING`; a second instance inserting the same id waits for the
///   first one's transaction and then inserts nothing;
/// - an entry is new once: `seen` has (source, entry) as primary key, the same way;
/// - an alert's outlets are updated under its row lock (`SELECT … FOR UPDATE`), so two
///   instances adding outlets at once both land;
/// - a source or an outbox row is held by one instance at a time: claims take due rows
///   `FOR UPDATE SKIP LOCKED` and stamp a lease (owner, until); a crashed instance's rows come
///   back as soon as its connection is gone (`goneOwners`), at the latest when the lease runs out.
///
/// Thread safety as in `StateStore`: one connection, every call under a recursive lock.
/// Statements block the calling thread for a network round trip.
public final class PostgresStore: @unchecked Sendable {
    /// The schema version this build writes.
    public static var schemaVersion: Int { PostgresMigrations.steps.count }

    /// The URL without its password.
    public let location: String
    /// This instance's name in leases and heartbeats.
    public let instanceID: String
    let connection: PGConnection
    private let lock = NSRecursiveLock()

    /// Connects and migrates the schema to the current version (one instance at a time: the
    /// migration holds an advisory lock). Throws a one-line `StoreError` naming the database
    /// when it cannot be reached.
    /// - Parameter instanceID: unique per running instance; by default host, process id and a
    ///   random suffix.
    /// - Parameter migrate: false for readers (`status`): the schema must exist already and not
    ///   be newer than this build.
    public init(url: String, password: String? = nil, instanceID: String? = nil, connectTimeout: Int = 5,
                migrate: Bool = true) throws {
        location = Self.redact(url)
        self.instanceID = instanceID ?? Self.defaultInstanceID()
        connection = try PGConnection(url: url, password: password, location: location, connectTimeout: connectTimeout)
        if migrate {
            try self.migrate()
        } else {
            let exists = try connection.queryOne("SELECT to_regclass('schema_version') IS NOT NULL") { $0.bool(0) } ?? false
            guard exists else { throw StoreError(code: 0, path: location, message: "no feedwatch schema (has the daemon run?)") }
            let version = try schemaVersionFound()
            guard version <= PostgresMigrations.steps.count else { throw tooNew(version) }
        }
    }

    public static func defaultInstanceID() -> String {
        let host = ProcessInfo.processInfo.hostName
        return "\(host):\(getpid()):\(UUID().uuidString.prefix(8).lowercased())"
    }

    static func redact(_ url: String) -> String {
        guard let scheme = url.range(of: "://"),
              let at = url[scheme.upperBound...].firstIndex(of: "@") else { return url }
        let userinfo = url[scheme.upperBound..<at]
        guard let colon = userinfo.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }

    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try locked { try connection.transaction(body) }
    }

    /// The schema version found in the database (0 before the first migration).
    public func schemaVersionFound() throws -> Int {
        try locked {
            try connection.queryOne("SELECT coalesce(max(version), 0) FROM schema_version") { $0.int(0) } ?? 0
        }
    }

    // MARK: - Counters

    public func incrementCounter(_ name: String, by delta: Int = 1) throws {
        try locked {
            try connection.run("""
                INSERT INTO counters(name, value) VALUES($1, $2)
                ON CONFLICT(name) DO UPDATE SET value = counters.value + EXCLUDED.value
                """, [.text(name), .int(Int64(delta))])
        }
    }

    public func setCounter(_ name: String, to value: Int) throws {
        try locked {
            try connection.run("""
                INSERT INTO counters(name, value) VALUES($1, $2) ON CONFLICT(name) DO UPDATE SET value = EXCLUDED.value
                """, [.text(name), .int(Int64(value))])
        }
    }

    public func counter(_ name: String) throws -> Int {
        try locked {
            try connection.queryOne("SELECT value FROM counters WHERE name = $1", [.text(name)]) { $0.int(0) } ?? 0
        }
    }

    public func counters() throws -> [String: Int] {
        try locked {
            let rows = try connection.query("SELECT name, value FROM counters") { ($0.string(0) ?? "", $0.int(1)) }
            return Dictionary(rows, uniquingKeysWith: { a, _ in a })
        }
    }

    // MARK: - Upkeep

    @discardableResult
    public func prune(seenBefore: Date, alertsBefore: Date) throws -> PruneReport {
        let t = PGValue.date(alertsBefore)
        return try transaction {
            var r = PruneReport()
            r.seenEntries = try connection.run("DELETE FROM seen WHERE last_seen < $1", [.date(seenBefore)])
            r.outboxRows = try connection.run(Self.pruneOutbox, [t])
            r.alerts = try connection.run("""
                DELETE FROM alerts WHERE alerted_at < $1
                   AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.alert_id = alerts.id)
                """, [t])
            return r
        }
    }

    /// Deliveries settled before `$1`, found through the partial indexes of schema step 6.
    static let pruneOutbox = """
        DELETE FROM outbox WHERE (delivered_at IS NOT NULL AND delivered_at < $1)
           OR (dead_at IS NOT NULL AND dead_at < $1)
        """

    // MARK: - Internals

    @discardableResult
    func locked<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        if connection.reconnectIfNeeded() {
            // The old server process is gone, which the others read as this instance being gone.
            _ = try? connection.run("UPDATE instances SET backend_pid = pg_backend_pid() WHERE id = $1", [.text(instanceID)])
        }
        return try body()
    }

    /// The instances whose connection has ended: the server process that served it is gone, as
    /// it is within milliseconds of a crash or a SIGKILL, since the kernel closes the socket.
    /// Their leases are free at once. An instance cut off without its socket closing (a host that
    /// lost power) stays in this list's blind spot until its leases run out.
    static let goneOwners = """
        SELECT i.id FROM instances i WHERE i.backend_pid IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.pid = i.backend_pid)
        """

    /// The database's clock in seconds since 1970: leases and heartbeats use it, so instances
    /// whose clocks disagree still agree on when a lease ran out.
    static let dbNow = "extract(epoch from clock_timestamp())::float8"

    private func tooNew(_ version: Int) -> StoreError {
        StoreError(code: 0, path: location,
                   message: "schema version \(version) is newer than this feedwatch understands (\(PostgresMigrations.steps.count))")
    }

    private func migrate() throws {
        try locked {
            try connection.transaction {
                // One migrator at a time: instances starting together would otherwise race to
                // create the same tables. The lock ends with the transaction.
                try connection.exec("SELECT pg_advisory_xact_lock(7465727364)")
                try connection.exec("CREATE TABLE IF NOT EXISTS schema_version(version integer NOT NULL)")
                let version = try connection.queryOne("SELECT coalesce(max(version), 0) FROM schema_version") {
                    $0.int(0)
                } ?? 0
                guard version <= PostgresMigrations.steps.count else { throw tooNew(version) }
                for (i, step) in PostgresMigrations.steps.enumerated().dropFirst(version) {
                    try connection.exec(step)
                    try connection.run("DELETE FROM schema_version")
                    try connection.run("INSERT INTO schema_version(version) VALUES($1)", [.int(Int64(i + 1))])
                }
            }
        }
    }
}
