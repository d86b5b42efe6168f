import FeedwatchModel
import Foundation

/// A Slack (or Mattermost) incoming webhook: `POST {"text": …}` in mrkdwn, `&`, `<`, `>` escaped
/// as Slack asks, links as `<url|label>`. The webhook URL is the secret.
public struct SlackSink: AlertSink {
    /// Slack truncates `text` beyond 40,000 characters and advises 4,000: keep to that.
    public static let limit = 4_000

    public let name: String
    private let url: String
    private let client: ChannelClient
    /// Configured templates (`template:`); without one the message is built below.
    public var templates = SinkTemplates()

    public init(name: String, url: String, client: ChannelClient) {
        self.name = name
        self.url = url
        self.client = client
    }

    public func deliver(_ alert: Alert, payload: Data) async throws(AlertError) {
        let text = try templates.body?.message(alert, sink: name, fit: TemplateFit(limit: Self.limit)) ?? Self.text(alert)
        let body = try client.json(["text": text, "unfurl_links": false])
        try await client.send(client.request(url, body: body))
    }

    /// Slack's three control characters; everything else is literal.
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    static func text(_ alert: Alert) -> String {
        let m = AlertMessage(alert)
        let lines = m.lines.map { l in
            let label = escape(l.outlet + (l.title.map { ": \($0)" } ?? ""))
            return "• " + (l.link.map { "<\($0)|\(label)>" } ?? label)
        }
        return TextBudget(limit: limit).compose(
            head: { "*\(escape(TextBudget.prefix(m.headline, $0)))*\n_\(escape(m.context))_" },
            headLength: m.headline.count, lines: lines, unlisted: m.unlisted,
            more: { escape(AlertMessage.more($0)) }, tail: m.link ?? "")
    }
}
