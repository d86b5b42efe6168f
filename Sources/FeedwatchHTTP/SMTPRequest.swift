import Foundation

/// One message to submit over SMTP: where, as whom, to whom, and the finished RFC 5322 bytes.
/// Lives beside the HTTP types because libcurl (imported only here) speaks both.
public struct SMTPRequest: Sendable {
    /// How an `smtp://` connection is secured. `smtps://` is TLS from the first byte whatever this says.
    public enum StartTLS: String, Sendable, CaseIterable {
        /// STARTTLS or fail (libcurl's CURLUSESSL_ALL): nothing, the login least of all, goes out in clear.
        case required
        /// Plain SMTP: only for a relay on the same host (the config refuses it with a login elsewhere).
        case never
    }

    /// `smtp://host[:port]` or `smtps://host[:port]`.
    public var url: String
    /// The envelope sender (MAIL FROM), a bare address.
    public var from: String
    /// The envelope recipients (RCPT TO), bare addresses: To and Cc together.
    public var recipients: [String]
    public var user: String?
    public var password: String?
    public var startTLS: StartTLS
    /// A PEM bundle to verify the server with instead of the system's CAs (a private CA).
    public var caFile: String?
    /// The message, CRLF line endings; libcurl dot-stuffs it.
    public var message: Data
    public var connectTimeout: Duration
    public var totalTimeout: Duration

    public init(url: String, from: String, recipients: [String], user: String? = nil, password: String? = nil,
                startTLS: StartTLS = .required, caFile: String? = nil, message: Data,
                connectTimeout: Duration = .seconds(10), totalTimeout: Duration = .seconds(30)) {
        self.url = url
        self.from = from
        self.recipients = recipients
        self.user = user
        self.password = password
        self.startTLS = startTLS
        self.caFile = caFile
        self.message = message
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
    }
}

/// An SMTP submission that failed, with the server's own reply when it sent one.
public struct SMTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case invalidURL = "invalid_url"
        case connect
        case tls
        case timeout
        /// The login was refused (535 and the like).
        case auth
        /// The server refused the sender, a recipient or the message.
        case rejected
        case `protocol`
        case cancelled
    }

    public var kind: Kind
    /// The server's reply code to the failed command (0 when it never answered).
    public var reply: Int
    /// One line: what failed, and the server's text when there is one.
    public var message: String

    public init(kind: Kind, reply: Int = 0, message: String) {
        self.kind = kind
        self.reply = reply
        self.message = message
    }

    /// A 5xx reply: the same message will be refused again (unknown recipient, bad login).
    public var isPermanent: Bool { (500..<600).contains(reply) || kind == .invalidURL }

    public var description: String { "smtp: \(message)" }
}

/// Submits finished messages: the seam between the e-mail sink and the network.
public protocol MailTransport: Sendable {
    func send(_ request: SMTPRequest) async throws(SMTPError)
}
