import FeedwatchModel
import Foundation

/// The Telegram Bot API: `POST {api}/bot<token>/sendMessage` with `chat_id`, `text` in HTML parse
/// mode (`&`, `<`, `>`, `"` escaped) and at most 4,096 characters. The bot token is the secret.
public struct TelegramSink: AlertSink {
    public static let limit = 4_096

    public let name: String
    private let url: String
    private let chatID: String
    private let client: ChannelClient
    /// Configured templates (`template:`); without one the message is built below.
    public var templates = SinkTemplates()

    /// `apiBase` is `https://api.telegram.org` but for tests or a local Bot API server.
    public init(name: String, token: String, chatID: String, apiBase: String = "https://api.telegram.org",
                client: ChannelClient) {
        self.name = name
        self.url = "\(apiBase)/bot\(token)/sendMessage"
        self.chatID = chatID
        self.client = client
    }

    public func deliver(_ alert: Alert, payload: Data) async throws(AlertError) {
        let text = try templates.body?.message(alert, sink: name, fit: TemplateFit(limit: Self.limit)) ?? Self.text(alert)
        let body = try client.json(["chat_id": chatID, "text": text, "parse_mode": "HTML"])
        try await client.send(client.request(url, body: body))
    }

    static func text(_ alert: Alert) -> String {
        let m = AlertMessage(alert)
        let e = ChannelEscape.html
        let lines = m.lines.map { l in
            let label = e(l.outlet + (l.title.map { ": \($0)" } ?? ""))
            return "• " + (l.link.map { "<a href=\"\(e($0))\">\(label)</a>" } ?? label)
        }
        return TextBudget(limit: limit).compose(
            head: { "<b>\(e(TextBudget.prefix(m.headline, $0)))</b>\n<i>\(e(m.context))</i>" },
            headLength: m.headline.count, lines: lines, unlisted: m.unlisted,
            more: { e(AlertMessage.more($0)) }, tail: m.link.map(e) ?? "")
    }
}
