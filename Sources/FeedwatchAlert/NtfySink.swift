import FeedwatchModel
import Foundation

/// ntfy, published as JSON to the server's root (`POST {"topic", "title", "message", "priority",
/// "tags", "click"}`), so titles need no header encoding. Priority follows the score; the click
/// URL is the story's link. The message stays under ntfy's 4,096 bytes (beyond, it becomes an
/// attachment).
public struct NtfySink: AlertSink {
    public static let limit = 4_000

    public let name: String
    private let server: String
    private let topic: String
    private let token: String?
    /// A fixed priority (1–5) instead of one from the score.
    private let priority: Int?
    private let client: ChannelClient
    /// Configured templates (`subject_template:`, `body_template:`); without one the message is built below.
    public var templates = SinkTemplates()

    public init(name: String, server: String, topic: String, token: String?, priority: Int?, client: ChannelClient) {
        self.name = name
        self.server = server.hasSuffix("/") ? String(server.dropLast()) : server
        self.topic = topic
        self.token = token
        self.priority = priority
        self.client = client
    }

    public func deliver(_ alert: Alert, payload: Data) async throws(AlertError) {
        let title = try templates.subject?.message(alert, sink: name, fit: TemplateFit(limit: nil, headlineCap: 250))
            ?? Self.title(alert)
        let message = try templates.body?.message(alert, sink: name, fit: Self.messageFit) ?? Self.message(alert)
        var msg: [String: Any] = ["topic": topic, "title": title, "message": message,
                                  "priority": priority ?? Self.priority(alert), "tags": Self.tags(alert)]
        if let link = alert.link { msg["click"] = link }
        let headers = token.map { [(name: "Authorization", value: "Bearer \($0)")] } ?? []
        try await client.send(client.request(server + "/", body: try client.json(msg), headers: headers))
    }

    /// 5 (urgent) for a score of 4 or more, 4 from 2, 3 below; an update 2: it is news already sent.
    static func priority(_ alert: Alert) -> Int {
        switch AlertRoute.kind(of: alert) {
        case .update: return 2
        case .sourceHealth: return 3
        case .alert, .digest: return alert.score >= 4 ? 5 : alert.score >= 2 ? 4 : 3
        }
    }

    static func tags(_ alert: Alert) -> [String] {
        let kind = AlertRoute.kind(of: alert)
        return kind == .alert ? [alert.topic] : [alert.topic, kind.rawValue]
    }

    static func title(_ alert: Alert) -> String {
        TextBudget.prefix(AlertMessage(alert).headline, 250)
    }

    /// The message's budget: bytes, and the context line gives way (the headline is the title).
    static let messageFit = TemplateFit(limit: limit, measure: { $0.utf8.count }, shortened: .context)

    static func message(_ alert: Alert) -> String {
        let m = AlertMessage(alert)
        let lines = m.lines.map { "• " + $0.outlet + ($0.title.map { ": \($0)" } ?? "") }
        // The headline is the title: the body opens with the context.
        return TextBudget(limit: limit, measure: { $0.utf8.count }).compose(
            head: { TextBudget.prefix(m.context, $0) }, headLength: m.context.count, lines: lines,
            unlisted: m.unlisted, more: AlertMessage.more, tail: m.link ?? "")
    }
}
