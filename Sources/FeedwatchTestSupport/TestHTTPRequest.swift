import Foundation

/// A request as the loopback server received it.
public struct TestHTTPRequest: Sendable, Equatable {
    public var method: String
    /// The request target: path plus query, e.g. `/feed.xml?x=1`.
    public var path: String
    /// Header names lower-cased; repeated headers joined with ", ".
    public var headers: [String: String]
    public var body: Data

    public init(method: String, path: String, headers: [String: String] = [:], body: Data = Data()) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
    }

    /// The value of a header, looked up case-insensitively.
    public func header(_ name: String) -> String? { headers[name.lowercased()] }

    /// The body decoded as UTF-8.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
