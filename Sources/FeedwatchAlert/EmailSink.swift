import FeedwatchHTTP
import FeedwatchModel
import Foundation

/// E-mail over SMTP (libcurl): one multipart/alternative message per alert, update or digest.
/// The Message-ID is derived from the delivery id, so a retry after a lost answer sends the same
/// message again, which clients thread and most deduplicate; an update is a reply to its alert
/// (`In-Reply-To`/`References` = the alert's Message-ID, "Re: " + the alert's subject), so every
/// update of a story lands in one thread. A 5xx reply (unknown recipient, login refused) will not
/// change on a retry: it is permanent, dead-lettered with the server's text; anything else is retried.
public struct EmailSink: AlertSink {
    public struct Configuration: Sendable {
        /// `smtp://host:587` (STARTTLS) or `smtps://host:465`.
        public var url: String
        public var from: EmailAddress
        public var to: [EmailAddress]
        public var cc: [EmailAddress]
        public var user: String?
        public var password: String?
        public var startTLS: SMTPRequest.StartTLS
        public var caFile: String?
        public var timeout: TimeInterval

        public init(url: String, from: EmailAddress, to: [EmailAddress], cc: [EmailAddress] = [], user: String? = nil,
                    password: String? = nil, startTLS: SMTPRequest.StartTLS = .required, caFile: String? = nil,
                    timeout: TimeInterval = 30) {
            self.url = url
            self.from = from
            self.to = to
            self.cc = cc
            self.user = user
            self.password = password
            self.startTLS = startTLS
            self.caFile = caFile
            self.timeout = timeout
        }
    }

    public let name: String
    /// Configured templates: `subject_template:` (the Subject line), `template:`/`body_template:`
    /// (the HTML part), `text_template:` (the plain-text part); a part without one is built below.
    public var templates = SinkTemplates()
    private let configuration: Configuration
    private let transport: any MailTransport
    /// The sink's own rate limit (its HTTP side is unused) and the password's redaction.
    private let limiter: ChannelClient?

    public init(name: String, configuration: Configuration, transport: any MailTransport, limiter: ChannelClient? = nil) {
        self.name = name
        self.configuration = configuration
        self.transport = transport
        self.limiter = limiter
    }

    public func deliver(_ alert: Alert, payload: Data) async throws(AlertError) {
        try await limiter?.acquire()
        let c = configuration
        let request = SMTPRequest(url: c.url, from: c.from.address, recipients: (c.to + c.cc).map(\.address),
                                  user: c.user, password: c.password, startTLS: c.startTLS, caFile: c.caFile,
                                  message: try message(for: alert).encoded(),
                                  connectTimeout: .milliseconds(Int64(min(c.timeout, 10) * 1000)),
                                  totalTimeout: .milliseconds(Int64(c.timeout * 1000)))
        do {
            try await transport.send(request)
        } catch {
            var text = "\(Self.redactedURL(c.url)): \(error.message)"
            if let p = c.password, p.count >= 4 { text = text.replacingOccurrences(of: p, with: "<redacted>") }
            // The reply code stays in the text: `status` means an HTTP status to every reader of AlertError.
            throw AlertError(kind: error.isPermanent ? .permanent : .transient, sink: name, message: text)
        }
    }

    static func redactedURL(_ url: String) -> String {
        guard var c = URLComponents(string: url) else { return "smtp" }
        c.user = nil
        c.password = nil
        return c.string ?? "smtp"
    }

    // MARK: - The message

    /// The Message-ID of a delivery: `<feedwatch.{delivery id}@{from domain}>`.
    public func messageID(_ deliveryID: String) -> String {
        let local = String(deliveryID.unicodeScalars.map {
            CharacterSet.alphanumerics.contains($0) && $0.isASCII || "-._".unicodeScalars.contains($0) ? Character($0) : "_"
        })
        return "<feedwatch.\(local)@\(configuration.from.domain)>"
    }

    /// `[topic] title`; an update, "Re: " + its alert's subject.
    static func subject(_ alert: Alert) -> String {
        let title = TextBudget.prefix(alert.title.split(whereSeparator: \.isWhitespace).joined(separator: " "), 200)
        let base = "[\(alert.topic)] \(title)"
        return alert.kind == .update ? "Re: " + base : base
    }

    public func message(for alert: Alert) throws(AlertError) -> MIMEMessage {
        // A header is one line: a template's line breaks and runs of spaces become one space.
        let subject = try templates.subject.map { t throws(AlertError) in
            try t.message(alert, sink: name, fit: TemplateFit(limit: nil, headlineCap: 200))
                .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        } ?? Self.subject(alert)
        let text = try templates.text?.message(alert, sink: name) ?? Self.text(alert)
        let html = try templates.body?.message(alert, sink: name) ?? Self.html(alert)
        var headers: [(name: String, value: String)] = [
            ("From", configuration.from.header),
            ("To", configuration.to.map(\.header).joined(separator: ", ")),
        ]
        if !configuration.cc.isEmpty { headers.append(("Cc", configuration.cc.map(\.header).joined(separator: ", "))) }
        headers += [
            ("Subject", subject),
            ("Date", MIMEMessage.date(alert.updated ?? alert.alerted)),
            ("Message-ID", messageID(alert.deliveryID)),
        ]
        if alert.kind == .update {
            headers.append(("In-Reply-To", messageID(alert.id)))
            headers.append(("References", messageID(alert.id)))
        }
        // RFC 3834: vacation responders and the like must not answer.
        headers.append(("Auto-Submitted", "auto-generated"))
        headers.append(("X-Feedwatch-Alert", alert.deliveryID))
        let boundary = "=_feedwatch_" + AlertDigest.sha256Hex(Array(alert.deliveryID.utf8)).prefix(24)
        return MIMEMessage(headers: headers, text: text, html: html, boundary: boundary)
    }

    /// One outlet line's label: `outlet: title`.
    private static func label(_ l: AlertMessage.Line) -> String { l.outlet + (l.title.map { ": \($0)" } ?? "") }

    static func text(_ alert: Alert) -> String {
        let m = AlertMessage(alert)
        var out = [m.headline, m.context]
        if let link = m.link { out += ["", link] }
        if !m.lines.isEmpty {
            out += ["", alert.kind == .digest ? "Alerts:" : "Also reported by:"]
            for l in m.lines {
                out.append("• " + label(l))
                if let link = l.link { out.append("  " + link) }
            }
            if m.unlisted > 0 { out.append(AlertMessage.more(m.unlisted)) }
        }
        if !alert.matched.isEmpty { out += ["", "Matched: " + alert.matched.joined(separator: ", ")] }
        if let note = alert.linkNote { out.append("Link: " + note) }
        out += ["", "-- ", "feedwatch · \(alert.kind.rawValue) \(alert.deliveryID)"]
        return out.joined(separator: "\n") + "\n"
    }

    static func html(_ alert: Alert) -> String {
        let m = AlertMessage(alert)
        let e = ChannelEscape.html
        var out = ["<!DOCTYPE html>", "<html><head><meta charset=\"utf-8\"><title>\(e(subject(alert)))</title></head>",
                   "<body style=\"font-family:sans-serif\">"]
        let head = m.link.map { "<a href=\"\(e($0))\">\(e(m.headline))</a>" } ?? e(m.headline)
        out.append("<h3>\(head)</h3>")
        out.append("<p><em>\(e(m.context))</em></p>")
        if !m.lines.isEmpty {
            out.append("<p>\(alert.kind == .digest ? "Alerts:" : "Also reported by:")</p>")
            out.append("<ul>")
            for l in m.lines {
                let inner = l.link.map { "<a href=\"\(e($0))\">\(e(label(l)))</a>" } ?? e(label(l))
                out.append("<li>\(inner)</li>")
            }
            out.append("</ul>")
            if m.unlisted > 0 { out.append("<p>\(e(AlertMessage.more(m.unlisted)))</p>") }
        }
        if !alert.matched.isEmpty { out.append("<p style=\"color:#555\">Matched: \(e(alert.matched.joined(separator: ", ")))</p>") }
        out.append("<p style=\"color:#888;font-size:small\">feedwatch · \(e(alert.kind.rawValue)) \(e(alert.deliveryID))</p>")
        out.append("</body></html>")
        return out.joined(separator: "\n") + "\n"
    }
}
