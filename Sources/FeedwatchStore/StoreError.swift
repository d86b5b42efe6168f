/// Every failure of the state store: one line naming the database file.
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The SQLite primary result code (`SQLITE_BUSY` = 5, `SQLITE_CORRUPT` = 11…), or 0 when not from SQLite.
    public var code: Int32
    public var path: String
    public var message: String

    public init(code: Int32, path: String, message: String) {
        self.code = code
        self.path = path
        self.message = message
    }

    /// `store: <path>: <message>`.
    public var description: String { "store: \(path): \(message)" }
}
