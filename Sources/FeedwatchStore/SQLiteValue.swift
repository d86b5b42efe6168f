import Foundation

/// A value that can be bound to a statement parameter.
///
/// Dates are stored as REAL seconds since 1970, which round-trips a `Date` exactly.
enum SQLiteValue {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob(Data)

    static func int(_ v: Int?) -> SQLiteValue { v.map { .integer(Int64($0)) } ?? .null }
    static func date(_ d: Date?) -> SQLiteValue { d.map { .real($0.timeIntervalSince1970) } ?? .null }
    static func string(_ s: String?) -> SQLiteValue { s.map { .text($0) } ?? .null }
    static func bool(_ b: Bool) -> SQLiteValue { .integer(b ? 1 : 0) }
}
