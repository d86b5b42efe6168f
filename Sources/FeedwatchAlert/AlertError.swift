import Foundation

/// Every failure of alert delivery, classified for the dispatcher: transient
/// failures are retried with backoff, permanent ones go to the dead-letter file.
public struct AlertError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// Worth retrying: timeouts, connection failures, 408, 429, 5xx, a full disk.
        case transient
        /// Retrying cannot help: 4xx other than 408/429, an unusable payload.
        case permanent
        /// A sink or secret is misconfigured (reported at load time).
        case config
    }

    public var kind: Kind
    /// The sink's configured name (never its URL: it may carry a token).
    public var sink: String
    public var message: String
    /// The HTTP status, when there was one.
    public var status: Int?
    /// The receiver's Retry-After, if it sent one.
    public var retryAfter: Date?

    public init(kind: Kind, sink: String, message: String, status: Int? = nil, retryAfter: Date? = nil) {
        self.kind = kind
        self.sink = sink
        self.message = message
        self.status = status
        self.retryAfter = retryAfter
    }

    /// `alert: <sink>: <message>`.
    public var description: String { "alert: \(sink): \(message)" }
}
