import FeedwatchHTTP
import FeedwatchModel
import Foundation

/// POSTs each alert's JSON to a URL, signed the Standard Webhooks way
/// (`webhook-id` = the stable alert id, so receivers dedup re-deliveries; an update has an id
/// of its own, `<alert id>-u<n>`, and its body the alert's `id`, to upsert by).
public struct WebhookSink: AlertSink {
    public struct Configuration: Sendable {
        public var url: String
        /// Nil sends unsigned requests.
        public var secret: WebhookSecret?
        /// Extra headers, sent as given after the standard ones.
        public var headers: [(name: String, value: String)]
        public var connectTimeout: Duration
        public var timeout: Duration

        public init(url: String, secret: WebhookSecret? = nil, headers: [(name: String, value: String)] = [],
                    connectTimeout: Duration = .seconds(5), timeout: Duration = .seconds(15)) {
            self.url = url
            self.secret = secret
            self.headers = headers
            self.connectTimeout = connectTimeout
            self.timeout = timeout
        }
    }

    public let name: String
    public let configuration: Configuration
    private let transport: any HTTPTransport
    private let now: @Sendable () -> Date
    /// `template:`: the body is the rendered JSON (checked), signed like the alert's own JSON.
    public var templates = SinkTemplates()

    public init(name: String, configuration: Configuration, transport: any HTTPTransport,
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.name = name
        self.configuration = configuration
        self.transport = transport
        self.now = now
    }

    /// The request for one delivery attempt: signed with the current time, as the
    /// receiver checks the timestamp against replays.
    public func request(for alert: Alert, payload: Data) -> HTTPRequest {
        let timestamp = Int(now().timeIntervalSince1970)
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"),
            ("User-Agent", FeedwatchVersion.userAgent),
            ("webhook-id", alert.deliveryID),
            ("webhook-timestamp", String(timestamp)),
        ]
        if let secret = configuration.secret {
            headers.append(("webhook-signature",
                            WebhookSignature.sign(id: alert.deliveryID, timestamp: timestamp, body: payload, secret: secret)))
        }
        headers += configuration.headers
        return HTTPRequest(url: configuration.url, method: .post, headers: headers, body: payload,
                           connectTimeout: configuration.connectTimeout, totalTimeout: configuration.timeout,
                           maxBodyBytes: 1 << 20, maxRedirects: 0)
    }

    public func deliver(_ alert: Alert, payload: Data) async throws(AlertError) {
        var body = payload
        if let t = templates.body { body = Data(try t.message(alert, sink: name, payload: payload).utf8) }
        let response: HTTPResponse
        do {
            response = try await transport.send(request(for: alert, payload: body))
        } catch let e as HTTPError {
            let kind: AlertError.Kind = e.kind == .invalidURL ? .permanent : .transient
            throw AlertError(kind: kind, sink: name, message: "\(e.kind.rawValue): \(e.message)")
        } catch {
            throw AlertError(kind: .transient, sink: name, message: "\(error)")
        }
        try Self.check(response, sink: name)
    }

    /// 2xx is success; 408, 429 and 5xx (and redirects, which are not followed) are
    /// worth retrying; any other 4xx is permanent.
    static func check(_ r: HTTPResponse, sink: String) throws(AlertError) {
        if r.isSuccess { return }
        let snippet = String(decoding: r.body.prefix(200), as: UTF8.self)
            .replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        let message = "HTTP \(r.status)" + (snippet.isEmpty ? "" : ": \(snippet)")
        let permanent = (400..<500).contains(r.status) && r.status != 408 && r.status != 429
        throw AlertError(kind: permanent ? .permanent : .transient, sink: sink, message: message,
                         status: r.status, retryAfter: r.headers.retryAfter)
    }
}
