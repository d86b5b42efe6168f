import Foundation

/// One request for the transport. GET for feeds (with validators for a
/// conditional GET), POST for webhooks. `url` may be http(s)://, file:// or a plain path.
public struct HTTPRequest: Sendable, Equatable {
    public enum Method: String, Sendable { case get = "GET", post = "POST", put = "PUT" }

    public var url: String
    public var method: Method
    /// Extra headers, sent as given (webhook signatures, Content-Type).
    public var headers: [(name: String, value: String)]
    public var body: Data?
    /// Previous response's validators: sent back as If-None-Match / If-Modified-Since.
    public var validators: Validators
    public var connectTimeout: Duration
    public var totalTimeout: Duration
    /// Hard cap on the decoded body, enforced while downloading.
    public var maxBodyBytes: Int
    public var maxRedirects: Int
    /// Low-speed cut-off: the transfer fails with `.timeout` when it averages fewer
    /// than `lowSpeedLimit` bytes per second for `lowSpeedTime`.
    public var lowSpeedLimit: Int
    public var lowSpeedTime: Duration

    public init(url: String, method: Method = .get, headers: [(name: String, value: String)] = [],
                body: Data? = nil, validators: Validators = Validators(),
                connectTimeout: Duration = .seconds(10), totalTimeout: Duration = .seconds(30),
                maxBodyBytes: Int = 10 * 1024 * 1024, maxRedirects: Int = 5,
                lowSpeedLimit: Int = 256, lowSpeedTime: Duration = .seconds(15)) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.validators = validators
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxBodyBytes = maxBodyBytes
        self.maxRedirects = maxRedirects
        self.lowSpeedLimit = lowSpeedLimit
        self.lowSpeedTime = lowSpeedTime
    }

    public static func == (a: HTTPRequest, b: HTTPRequest) -> Bool {
        a.url == b.url && a.method == b.method && a.body == b.body && a.validators == b.validators
            && a.headers.map { "\($0.name):\($0.value)" } == b.headers.map { "\($0.name):\($0.value)" }
            && a.connectTimeout == b.connectTimeout && a.totalTimeout == b.totalTimeout
            && a.maxBodyBytes == b.maxBodyBytes && a.maxRedirects == b.maxRedirects
            && a.lowSpeedLimit == b.lowSpeedLimit && a.lowSpeedTime == b.lowSpeedTime
    }
}

/// HTTP cache validators, echoed back verbatim as RFC 9110 recommends.
public struct Validators: Sendable, Equatable, Codable {
    public var etag: String?
    public var lastModified: String?

    public init(etag: String? = nil, lastModified: String? = nil) {
        self.etag = etag
        self.lastModified = lastModified
    }

    public var isEmpty: Bool { etag == nil && lastModified == nil }
}
