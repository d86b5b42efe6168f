import FeedwatchModel
import Foundation

/// Microsoft Teams through a Workflows ("When a Teams webhook request is received") URL: a
/// `message` whose one attachment is an Adaptive Card (1.4): headline, context, outlets, and an
/// "Open story" action carrying the link whole. The workflow URL (it embeds a signature) is the secret.
public struct TeamsSink: AlertSink {
    /// Cards are capped at 28 KB; the text of one stays well below.
    public static let limit = 8_000

    public let name: String
    private let url: String
    private let client: ChannelClient
    /// Configured templates (`template:`); without one the card is built below.
    public var templates = SinkTemplates()

    public init(name: String, url: String, client: ChannelClient) {
        self.name = name
        self.url = url
        self.client = client
    }

    public func deliver(_ alert: Alert, payload: Data) async throws(AlertError) {
        // A templated card is the whole payload, fitted to the 28 KB Teams accepts.
        let body: Data
        if let t = templates.body {
            body = Data(try t.message(alert, sink: name, fit: Self.cardFit).utf8)
        } else {
            body = try client.json(Self.message(alert))
        }
        try await client.send(client.request(url, body: body))
    }

    /// A templated card's budget: its bytes, the headline never beyond the 500 characters of the built-in card.
    static let cardFit = TemplateFit(limit: 28_000, measure: { $0.utf8.count }, headlineCap: 500)

    static func message(_ alert: Alert) -> [String: Any] {
        let m = AlertMessage(alert)
        let lines = m.lines.map { "- " + $0.outlet + ($0.title.map { ": \($0)" } ?? "") }
        let outlets = TextBudget(limit: limit).compose(
            head: { _ in m.context }, headLength: 0, lines: lines, unlisted: m.unlisted,
            more: AlertMessage.more, tail: "")
        var card: [String: Any] = [
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard", "version": "1.4",
            "body": [
                ["type": "TextBlock", "text": TextBudget.prefix(m.headline, 500), "weight": "Bolder", "size": "Medium",
                 "wrap": true],
                ["type": "TextBlock", "text": outlets, "wrap": true, "isSubtle": true],
            ],
        ]
        if let link = m.link { card["actions"] = [["type": "Action.OpenUrl", "title": "Open story", "url": link]] }
        return ["type": "message",
                "attachments": [["contentType": "application/vnd.microsoft.card.adaptive", "content": card]]]
    }
}
