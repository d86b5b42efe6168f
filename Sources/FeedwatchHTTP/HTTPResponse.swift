import Foundation

/// A completed exchange. Any HTTP status comes back as a response; only
/// transport failures (DNS, connect, TLS, timeout, size cap) throw.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    /// The URL after redirects.
    public var finalURL: String
    /// Where the source has permanently moved: the target of the leading run of
    /// followed 301/308 redirects (301 → 308 → 302 → 200 gives the 308's target).
    /// nil when the first hop was not a followed 301/308 — a 302 → 301 chain was
    /// only temporarily redirected. The caller may store it as the source's new URL;
    /// `finalURL` may be a temporary hop's target and must not be stored.
    public var permanentURL: String?
    /// True when the request began with a followed permanent redirect (`permanentURL` is set).
    public var permanentRedirect: Bool { permanentURL != nil }
    public var headers: ResponseHeaders
    public var body: Data
    public var timings: Timings
    /// Body bytes of the final hop as they arrived on the wire (before content decoding).
    public var wireBytes: Int
    /// New TCP connections this exchange opened (0 when a kept-alive one was reused).
    public var newConnections: Int

    public init(status: Int, finalURL: String, permanentURL: String? = nil,
                headers: ResponseHeaders = ResponseHeaders(), body: Data = Data(), timings: Timings = Timings(),
                wireBytes: Int = 0, newConnections: Int = 0) {
        self.status = status
        self.finalURL = finalURL
        self.permanentURL = permanentURL
        self.headers = headers
        self.body = body
        self.timings = timings
        self.wireBytes = wireBytes
        self.newConnections = newConnections
    }

    public var isNotModified: Bool { status == 304 }
    public var isSuccess: Bool { (200..<300).contains(status) }
}

/// The response headers that matter to polling policy and decoding.
public struct ResponseHeaders: Sendable, Equatable {
    public var etag: String?
    public var lastModified: String?
    /// Cache-Control max-age, in seconds.
    public var maxAge: Int?
    /// Expires, parsed.
    public var expires: Date?
    /// Retry-After, as an absolute time (delta-seconds are added to the response time).
    public var retryAfter: Date?
    public var contentType: String?
    /// The charset parameter of Content-Type, lower-cased.
    public var charset: String?

    public init(etag: String? = nil, lastModified: String? = nil, maxAge: Int? = nil, expires: Date? = nil,
                retryAfter: Date? = nil, contentType: String? = nil, charset: String? = nil) {
        self.etag = etag
        self.lastModified = lastModified
        self.maxAge = maxAge
        self.expires = expires
        self.retryAfter = retryAfter
        self.contentType = contentType
        self.charset = charset
    }

    public var validators: Validators { Validators(etag: etag, lastModified: lastModified) }
}

/// Where the time went, in seconds from the start of the transfer.
public struct Timings: Sendable, Equatable {
    public var dns: Double = 0
    public var connect: Double = 0
    public var tls: Double = 0
    public var firstByte: Double = 0
    public var total: Double = 0

    public init(dns: Double = 0, connect: Double = 0, tls: Double = 0, firstByte: Double = 0, total: Double = 0) {
        self.dns = dns
        self.connect = connect
        self.tls = tls
        self.firstByte = firstByte
        self.total = total
    }
}
