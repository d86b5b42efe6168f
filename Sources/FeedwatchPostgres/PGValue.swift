import Foundation

/// A statement parameter, sent with its type so the server never has to guess one.
///
/// Dates travel as float8 seconds since 1970, as in the SQLite store: exact both ways.
enum PGValue {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case text(String)
    case bytes(Data)
    case texts([String])

    static func int(_ v: Int?) -> PGValue { v.map { .int(Int64($0)) } ?? .null }
    static func date(_ d: Date?) -> PGValue { d.map { .double($0.timeIntervalSince1970) } ?? .null }
    static func string(_ s: String?) -> PGValue { s.map { .text($0) } ?? .null }

    /// The type OID sent with the value (`pg_type.oid`); 0 lets the server infer it.
    var oid: UInt32 {
        switch self {
        case .null: return 0
        case .bool: return 16       // bool
        case .int: return 20        // int8
        case .double: return 701    // float8
        case .text: return 25       // text
        case .bytes: return 17      // bytea
        case .texts: return 1009    // text[]
        }
    }

    /// The value in the text format, or the raw bytes (binary format) for bytea; nil for NULL.
    var wire: (bytes: [UInt8], binary: Bool)? {
        switch self {
        case .null: return nil
        case .bool(let b): return (Array((b ? "t" : "f").utf8), false)
        case .int(let n): return (Array(String(n).utf8), false)
        case .double(let d): return (Array("\(d)".utf8), false)
        case .text(let s): return (Array(s.utf8), false)
        case .bytes(let d): return ([UInt8](d), true)
        case .texts(let a):
            // An array literal: every element quoted, with `"` and `\` escaped.
            let items = a.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "\"", with: "\\\"") + "\"" }
            return (Array(("{" + items.joined(separator: ",") + "}").utf8), false)
        }
    }
}
