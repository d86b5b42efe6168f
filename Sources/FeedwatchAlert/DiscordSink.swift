import FeedwatchModel
import Foundation

/// A Discord webhook: `POST {"content": …}`, at most 2,000 characters, Markdown escaped,
/// mentions disabled (`allowed_mentions`), so a headline with "@everyone" pings nobody.
public struct DiscordSink: AlertSink {
    public static let limit = 2_000

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
        let content = try templates.body?.message(alert, sink: name, fit: TemplateFit(limit: Self.limit)) ?? Self.content(alert)
        let body = try client.json(["content": content, "allowed_mentions": ["parse": [String]()]])
        try await client.send(client.request(url, body: body))
    }

    /// Backslash before every Markdown character Discord acts on.
    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            if "\\*_~`|>#[]()-".contains(c) { out.append("\\") }
            out.append(c)
        }
        return out
    }

    static func content(_ alert: Alert) -> String {
        let m = AlertMessage(alert)
        // Links in angle brackets: one preview card (the story's own) rather than one per outlet.
        let lines = m.lines.map { l in
            "• " + escape(l.outlet + (l.title.map { ": \($0)" } ?? "")) + (l.link.map { " <\($0)>" } ?? "")
        }
        return TextBudget(limit: limit).compose(
            head: { "**\(escape(TextBudget.prefix(m.headline, $0)))**\n\(escape(m.context))" },
            headLength: m.headline.count, lines: lines, unlisted: m.unlisted,
            more: { AlertMessage.more($0) }, tail: m.link ?? "")
    }
}
