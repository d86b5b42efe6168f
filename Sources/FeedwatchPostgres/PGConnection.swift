import CLibPQ
import FeedwatchStore
import Foundation

/// One libpq connection with nestable transactions. Blocking, like the SQLite store: the owner
/// (`PostgresStore`) serialises every use behind its lock.
final class PGConnection {
    /// The URL without its password, for messages.
    let location: String
    private let handle: OpaquePointer
    private var depth = 0

    /// Connects, or throws one line saying why (`connection to server at "127.0.0.1", port 1 failed: …`).
    init(url: String, password: String?, location: String, connectTimeout: Int = 5) throws {
        self.location = location
        // Earlier keywords are defaults the URL (expanded from `dbname`) may override; the
        // password comes after it, so only the password file can set it.
        var keys = ["connect_timeout", "application_name", "dbname"]
        var values = [String(connectTimeout), "feedwatch", url]
        if let password {
            keys.append("password")
            values.append(password)
        }
        let conn = Self.withCStrings(keys) { k in Self.withCStrings(values) { v in PQconnectdbParams(k, v, 1) } }
        guard let conn else { throw StoreError(code: 0, path: location, message: "connect: out of memory") }
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = Self.oneLine(String(cString: PQerrorMessage(conn)))
            PQfinish(conn)
            throw StoreError(code: 0, path: location, message: "cannot connect: \(message)")
        }
        handle = conn
        // Notices (e.g. "relation already exists, skipping") would go to stderr.
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
    }

    deinit { PQfinish(handle) }

    var isInTransaction: Bool { depth > 0 }

    /// Reconnects when the connection broke (the server restarted): only between transactions,
    /// since a transaction cut off is already rolled back by the server.
    /// - Returns: true when it reconnected (a new server process serves this connection).
    @discardableResult
    func reconnectIfNeeded() -> Bool {
        guard depth == 0, PQstatus(handle) != CONNECTION_OK else { return false }
        PQreset(handle)
        return PQstatus(handle) == CONNECTION_OK
    }

    /// Runs one statement; its rows through `row`.
    @discardableResult
    func query<T>(_ sql: String, _ params: [PGValue] = [], row: (PGRow) throws -> T) throws -> [T] {
        let result = try execute(sql, params)
        defer { PQclear(result) }
        var out: [T] = []
        let n = PQntuples(result)
        out.reserveCapacity(Int(n))
        for i in 0..<n { out.append(try row(PGRow(result: result, index: i))) }
        return out
    }

    func queryOne<T>(_ sql: String, _ params: [PGValue] = [], row: (PGRow) throws -> T) throws -> T? {
        try query(sql, params, row: row).first
    }

    /// Runs one statement; the rows it changed.
    @discardableResult
    func run(_ sql: String, _ params: [PGValue] = []) throws -> Int {
        let result = try execute(sql, params)
        defer { PQclear(result) }
        return Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    /// Runs statements without parameters (schema, transaction control).
    func exec(_ sql: String) throws {
        guard let result = PQexec(handle, sql) else { throw failure(sql, nil) }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else { throw failure(sql, result) }
    }

    /// `body` atomically: the outermost level is BEGIN … COMMIT, inner levels savepoints.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        let outer = depth == 0
        if outer { reconnectIfNeeded() }
        let savepoint = "fw_sp\(depth)"
        try exec(outer ? "BEGIN" : "SAVEPOINT \(savepoint)")
        depth += 1
        let rollback = outer ? "ROLLBACK" : "ROLLBACK TO SAVEPOINT \(savepoint); RELEASE SAVEPOINT \(savepoint)"
        let result: T
        do {
            result = try body()
        } catch {
            depth -= 1
            try? exec(rollback)
            throw error
        }
        depth -= 1
        do {
            try exec(outer ? "COMMIT" : "RELEASE SAVEPOINT \(savepoint)")
        } catch {
            try? exec(rollback)
            throw error
        }
        return result
    }

    private func execute(_ sql: String, _ params: [PGValue]) throws -> OpaquePointer {
        let wires = params.map(\.wire)
        let types = params.map(\.oid)
        let lengths = wires.map { Int32($0?.bytes.count ?? 0) }
        let formats = wires.map { Int32($0?.binary == true ? 1 : 0) }
        // Text values need a terminating NUL; bytea goes by length.
        let buffers: [UnsafeMutablePointer<CChar>?] = wires.map { w in
            guard let w else { return nil }
            let p = UnsafeMutablePointer<CChar>.allocate(capacity: w.bytes.count + 1)
            w.bytes.withUnsafeBufferPointer { src in
                src.withMemoryRebound(to: CChar.self) { p.update(from: $0.baseAddress!, count: w.bytes.count) }
            }
            p[w.bytes.count] = 0
            return p
        }
        defer { buffers.forEach { $0?.deallocate() } }
        let values = buffers.map { UnsafePointer($0) }
        let result = PQexecParams(handle, sql, Int32(params.count), types, values, lengths, formats, 0)
        guard let result else { throw failure(sql, nil) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            let error = failure(sql, result)
            PQclear(result)
            throw error
        }
        return result
    }

    /// The server's message on one line, with its SQLSTATE and the statement's start.
    private func failure(_ sql: String, _ result: OpaquePointer?) -> StoreError {
        // The primary message alone: the full one repeats the severity and adds CONTEXT lines.
        var message = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "M"))) }.map { String(cString: $0) } ?? ""
        if message.isEmpty { message = String(cString: PQerrorMessage(handle)) }
        let state = result.flatMap { PQresultErrorField($0, Int32(UInt8(ascii: "C"))) }.map { String(cString: $0) }
        let lost = PQstatus(handle) != CONNECTION_OK
        let what = sql.split(whereSeparator: \.isWhitespace).prefix(6).joined(separator: " ")
        return StoreError(code: 0, path: location,
                          message: (lost ? "connection lost: " : "") + "\(what): \(Self.oneLine(message))"
                            + (state.map { " (SQLSTATE \($0))" } ?? ""))
    }

    static func oneLine(_ s: String) -> String {
        s.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
    }

    private static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers: [UnsafePointer<CChar>?] = copies.map { UnsafePointer($0) } + [nil]
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
