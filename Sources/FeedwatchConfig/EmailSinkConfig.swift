import FeedwatchModel
import Foundation

/// An e-mail sink's settings (`type: email`): the SMTP server, the login (its password only from
/// `password_file` or `password_env`), the addresses, and an optional digest window.
public struct EmailSinkConfig: Sendable, Equatable {
    /// `smtp://host[:port]` (STARTTLS) or `smtps://host[:port]` (TLS from the start).
    public var url: String
    public var from: EmailAddress
    public var to: [EmailAddress]
    public var cc: [EmailAddress]
    public var user: String?
    public var password: Secret?
    /// `required` (the default) or `never`, for an `smtp://` relay on this host.
    public var startTLS: String
    /// A PEM bundle of the CA that signed the server's certificate, when it is not a public one.
    public var caFile: String?
    /// Batch alerts per topic and send one message per topic every this many seconds; nil: one each.
    public var digest: TimeInterval?

    public init(url: String, from: EmailAddress, to: [EmailAddress], cc: [EmailAddress] = [], user: String? = nil,
                password: Secret? = nil, startTLS: String = "required", caFile: String? = nil, digest: TimeInterval? = nil) {
        self.url = url
        self.from = from
        self.to = to
        self.cc = cc
        self.user = user
        self.password = password
        self.startTLS = startTLS
        self.caFile = caFile
        self.digest = digest
    }
}
