/// A transport failure, classified so callers can decide on backoff, with a
/// one-line message that names the URL.
public struct HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case invalidURL = "invalid_url"
        case dns
        case connect
        case tls
        case timeout
        case tooLarge = "too_large"
        case httpStatus = "http_status"
        /// Too many redirects, or a redirect to a scheme other than http(s).
        case redirect
        /// Any other failure of the exchange (a broken response, a reset connection).
        case `protocol`
        case file
        case cancelled
    }

    public var kind: Kind
    public var url: String
    public var message: String
    /// Set for `.httpStatus`.
    public var status: Int?

    public init(kind: Kind, url: String, message: String, status: Int? = nil) {
        self.kind = kind
        self.url = url
        self.message = message
        self.status = status
    }

    /// `fetch: <url>: <message>`.
    public var description: String { "fetch: \(url): \(message)" }
}
