import CLibPQ
import Foundation

/// One row of a result, read in the text format. Valid only while its result is.
struct PGRow {
    let result: OpaquePointer
    let index: Int32

    func isNull(_ col: Int32) -> Bool { PQgetisnull(result, index, col) == 1 }

    func string(_ col: Int32) -> String? {
        guard !isNull(col), let p = PQgetvalue(result, index, col) else { return nil }
        return String(cString: p)
    }

    func int(_ col: Int32) -> Int { string(col).flatMap { Int($0) } ?? 0 }
    func int64(_ col: Int32) -> Int64 { string(col).flatMap { Int64($0) } ?? 0 }
    func bool(_ col: Int32) -> Bool { string(col) == "t" }
    func double(_ col: Int32) -> Double? { string(col).flatMap { Double($0) } }
    func date(_ col: Int32) -> Date? { double(col).map { Date(timeIntervalSince1970: $0) } }

    /// A bytea column (hex text form), unescaped.
    func data(_ col: Int32) -> Data? {
        guard !isNull(col), let p = PQgetvalue(result, index, col) else { return nil }
        var length = 0
        guard let raw = PQunescapeBytea(UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), &length) else {
            return nil
        }
        defer { PQfreemem(raw) }
        return Data(bytes: raw, count: length)
    }
}
