import FeedwatchModel
import Foundation

/// A chat or push sink. Its secret (a webhook URL that grants posting, a bot or access token) is
/// read from a `*_file` or `*_env` key, never written in the config itself.
public struct ChannelSinkConfig: Sendable, Equatable {
    public enum Channel: Sendable, Equatable {
        /// Slack or Mattermost incoming webhook.
        case slack(url: Secret)
        case discord(url: Secret)
        case telegram(token: Secret, chatID: String, apiBase: String)
        case ntfy(server: String, topic: String, token: Secret?, priority: Int?)
        case matrix(homeserver: String, room: String, token: Secret)
        /// A Teams Workflows webhook URL.
        case teams(url: Secret)
        /// E-mail over SMTP.
        case email(EmailSinkConfig)

        /// The config `type`.
        public var type: String {
            switch self {
            case .slack: "slack"
            case .discord: "discord"
            case .telegram: "telegram"
            case .ntfy: "ntfy"
            case .matrix: "matrix"
            case .teams: "teams"
            case .email: "email"
            }
        }

        /// Messages at once, then per minute: below what each service documents, so its own
        /// limiter rarely has to refuse (Slack 1/s per webhook, Discord 5 per 2 s and ~30/min per
        /// channel, Telegram 20/min in a group, ntfy.sh 60 burst then 1 per 5 s).
        public var defaultRate: (burst: Int, perMinute: Double) {
            switch self {
            case .slack: (3, 60)
            case .discord: (5, 30)
            case .telegram: (3, 20)
            case .ntfy: (10, 12)
            case .matrix: (5, 30)
            case .teams: (4, 60)
            case .email: (5, 20)
            }
        }
    }

    public var name: String?
    public var channel: Channel
    public var burst: Int
    public var perMinute: Double
    public var timeout: TimeInterval = 10
    public var route = AlertRoute()
    public var templates = TemplateFiles()

    public init(name: String? = nil, channel: Channel, burst: Int? = nil, perMinute: Double? = nil) {
        self.name = name
        self.channel = channel
        self.burst = burst ?? channel.defaultRate.burst
        self.perMinute = perMinute ?? channel.defaultRate.perMinute
    }
}
