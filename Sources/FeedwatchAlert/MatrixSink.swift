import FeedwatchModel
import Foundation

/// Matrix, through the client-server API: `PUT {homeserver}/_matrix/client/v3/rooms/{room}/send/
/// m.room.message/{txn}` with a plain `body` and an HTML `formatted_body`. The transaction id is the
/// alert's delivery id (the alert id, plus the update number for an update), so a retry after a lost
/// answer is the same transaction, which the homeserver does not post twice.
public struct MatrixSink: AlertSink {
    /// Events are capped at 64 KiB; a notice needs far less.
    public static let limit = 16_000

    public let name: String
    private let homeserver: String
    private let room: String
    private let token: String
    private let client: ChannelClient
    /// Configured templates: `template:` for `formatted_body`, `text_template:` for the plain `body`.
    public var templates = SinkTemplates()

    public init(name: String, homeserver: String, room: String, token: String, client: ChannelClient) {
        self.name = name
        self.homeserver = homeserver.hasSuffix("/") ? String(homeserver.dropLast()) : homeserver
        self.room = room
        self.token = token
        self.client = client
    }

    /// The transaction id of a delivery: stable across retries and restarts.
    public static func transactionID(_ alert: Alert) -> String { "feedwatch-" + alert.deliveryID }

    static func pathSegment(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }

    public func url(for alert: Alert) -> String {
        "\(homeserver)/_matrix/client/v3/rooms/\(Self.pathSegment(room))/send/m.room.message/"
            + Self.pathSegment(Self.transactionID(alert))
    }

    public func deliver(_ alert: Alert, payload: Data) async throws(AlertError) {
        let fit = TemplateFit(limit: Self.limit)
        let plain = try templates.text?.message(alert, sink: name, fit: fit) ?? Self.plain(alert)
        let html = try templates.body?.message(alert, sink: name, fit: fit) ?? Self.html(alert)
        let body = try client.json(["msgtype": "m.text", "body": plain,
                                    "format": "org.matrix.custom.html", "formatted_body": html])
        try await client.send(client.request(url(for: alert), method: .put, body: body,
                                             headers: [("Authorization", "Bearer \(token)")]))
    }

    static func plain(_ alert: Alert) -> String {
        let m = AlertMessage(alert)
        let lines = m.lines.map { "• " + $0.outlet + ($0.title.map { ": \($0)" } ?? "") + ($0.link.map { " \($0)" } ?? "") }
        return TextBudget(limit: limit).compose(
            head: { TextBudget.prefix(m.headline, $0) + "\n" + m.context }, headLength: m.headline.count,
            lines: lines, unlisted: m.unlisted, more: AlertMessage.more, tail: m.link ?? "")
    }

    static func html(_ alert: Alert) -> String {
        let m = AlertMessage(alert)
        let e = ChannelEscape.html
        let lines = m.lines.map { l in
            let label = e(l.outlet + (l.title.map { ": \($0)" } ?? ""))
            return "• " + (l.link.map { "<a href=\"\(e($0))\">\(label)</a>" } ?? label)
        }
        return TextBudget(limit: limit, separator: "<br>").compose(
            head: { "<strong>\(e(TextBudget.prefix(m.headline, $0)))</strong><br><em>\(e(m.context))</em>" },
            headLength: m.headline.count, lines: lines, unlisted: m.unlisted, more: { e(AlertMessage.more($0)) },
            tail: m.link.map { "<a href=\"\(e($0))\">\(e($0))</a>" } ?? "")
    }
}
