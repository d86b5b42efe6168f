import FeedwatchAlert
import FeedwatchConfig
import FeedwatchHTTP
import Foundation

/// Builds the alert sinks a config describes.
enum SinkFactory {
    /// Opens every sink; throws the first failure (e.g. an unwritable log directory),
    /// so a reload that cannot open its sinks is refused as a whole.
    static func make(_ config: Config, transport: any HTTPTransport,
                     mail: any MailTransport = CurlSMTPTransport()) throws -> [any AlertSink] {
        try config.sinks.map { sink throws -> any AlertSink in
            switch sink {
            case .file(let f):
                try FileManager.default.createDirectory(atPath: (f.path as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true)
                return try JSONLinesSink(name: sink.name, path: f.path)
            case .webhook(let w):
                let secret = try WebhookSecret(parsing: w.secret.value)
                let conf = WebhookSink.Configuration(
                    url: w.url, secret: secret, headers: w.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
                    connectTimeout: .milliseconds(Int64(min(w.timeout, config.limits.connectTimeout) * 1000)),
                    timeout: .milliseconds(Int64(w.timeout * 1000)))
                var hook = WebhookSink(name: sink.name, configuration: conf, transport: transport)
                hook.templates = try SinkTemplateLoader.load(sink)
                return hook
            case .channel(let c):
                return channelSink(c, name: sink.name, transport: transport, templates: try SinkTemplateLoader.load(sink),
                                   mail: mail)
            }
        }
    }

    /// A chat or push sink with its own rate limit; its secrets are handed to the client for redaction.
    static func channelSink(_ c: ChannelSinkConfig, name: String, transport: any HTTPTransport,
                            templates: SinkTemplates = SinkTemplates(),
                            mail: any MailTransport = CurlSMTPTransport()) -> any AlertSink {
        func client(_ secrets: [String]) -> ChannelClient {
            ChannelClient(sink: name, transport: transport, burst: c.burst, perMinute: c.perMinute, secrets: secrets,
                          timeout: c.timeout)
        }
        switch c.channel {
        case .slack(let url):
            var sink = SlackSink(name: name, url: url.value, client: client([url.value]))
            sink.templates = templates
            return sink
        case .discord(let url):
            var sink = DiscordSink(name: name, url: url.value, client: client([url.value]))
            sink.templates = templates
            return sink
        case .teams(let url):
            var sink = TeamsSink(name: name, url: url.value, client: client([url.value]))
            sink.templates = templates
            return sink
        case .telegram(let token, let chat, let api):
            var sink = TelegramSink(name: name, token: token.value, chatID: chat, apiBase: api, client: client([token.value]))
            sink.templates = templates
            return sink
        case .ntfy(let server, let topic, let token, let priority):
            var sink = NtfySink(name: name, server: server, topic: topic, token: token?.value, priority: priority,
                                client: client(token.map { [$0.value] } ?? []))
            sink.templates = templates
            return sink
        case .matrix(let home, let room, let token):
            var sink = MatrixSink(name: name, homeserver: home, room: room, token: token.value, client: client([token.value]))
            sink.templates = templates
            return sink
        case .email(let e):
            let conf = EmailSink.Configuration(url: e.url, from: e.from, to: e.to, cc: e.cc, user: e.user,
                                               password: e.password?.value,
                                               startTLS: SMTPRequest.StartTLS(rawValue: e.startTLS) ?? .required,
                                               caFile: e.caFile, timeout: c.timeout)
            var sink = EmailSink(name: name, configuration: conf, transport: mail,
                                 limiter: client(e.password.map { [$0.value] } ?? []))
            sink.templates = templates
            return sink
        }
    }

    /// Flood control from the config: `burst` at once, then `per_hour` an hour; and `alerts.update_interval`.
    static func dispatcherConfiguration(_ config: Config, retry: RetryPolicy) -> AlertDispatcher.Configuration {
        var c = AlertDispatcher.Configuration(retry: retry,
                                              flood: FloodPolicy(burst: config.flood.burst, interval: 3600 / config.flood.perHour),
                                              updateInterval: config.alerts.updateInterval)
        c.routes = SinkRoutes(config).byName
        for sink in config.sinks {
            if case .channel(let ch) = sink, case .email(let e) = ch.channel, let window = e.digest {
                c.digestWindows[sink.name] = window
            }
        }
        return c
    }

    /// Where permanently failed deliveries are written: beside the first file sink, else in the state directory.
    static func deadLetterPath(_ config: Config) -> String {
        for case .file(let f) in config.sinks {
            return ((f.path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("dead-letter.jsonl")
        }
        return (config.stateDir as NSString).appendingPathComponent("dead-letter.jsonl")
    }
}
