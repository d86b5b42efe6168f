import FeedwatchAlert
import FeedwatchConfig
import FeedwatchHTTP
import Foundation

/// Builds the alert sinks a config describes.
enum SinkFactory {
    /// Opens every sink; throws the first failure (e.g. an unwritable log directory),
    /// so a reload that cannot open its sinks is refused as a whole.
    static func make(_ config: Config, transport: any HTTPTransport) throws -> [any AlertSink] {
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
                return WebhookSink(name: sink.name, configuration: conf, transport: transport)
            }
        }
    }

    /// Flood control from the config: `burst` at once, then `per_hour` an hour; and `alerts.update_interval`.
    static func dispatcherConfiguration(_ config: Config, retry: RetryPolicy) -> AlertDispatcher.Configuration {
        AlertDispatcher.Configuration(retry: retry,
                                      flood: FloodPolicy(burst: config.flood.burst, interval: 3600 / config.flood.perHour),
                                      updateInterval: config.alerts.updateInterval)
    }

    /// Where permanently failed deliveries are written: beside the first file sink, else in the state directory.
    static func deadLetterPath(_ config: Config) -> String {
        for case .file(let f) in config.sinks {
            return ((f.path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("dead-letter.jsonl")
        }
        return (config.stateDir as NSString).appendingPathComponent("dead-letter.jsonl")
    }
}
