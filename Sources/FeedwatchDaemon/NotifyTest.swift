import FeedwatchAlert
import FeedwatchConfig
import FeedwatchHTTP
import FeedwatchModel
import FeedwatchStore
import Foundation
import Logging

/// `feedwatch notify-test`: one sample alert through the path a real alert takes (the sinks the
/// config builds, an outbox, the dispatcher's retries and backoff, Retry-After), to every sink or
/// one, and each sink's outcome. The outbox is a scratch database, so the daemon's state is not
/// touched; routes are not applied (a test names the sinks it wants).
public enum NotifyTest {
    public struct Result: Sendable, Equatable {
        public var sink: String
        /// `delivered`, `failed` (dead-lettered) or `pending` (still retrying when time ran out).
        public var outcome: String
        public var attempts: Int
        public var error: String?

        /// `slack: delivered (1 attempt)`, `tg: failed after 1 attempt: HTTP 400: …`.
        public var line: String {
            let tries = "\(attempts) attempt\(attempts == 1 ? "" : "s")"
            switch outcome {
            case "delivered": return "\(sink): delivered (\(tries))"
            case "failed": return "\(sink): failed after \(tries): \(error ?? "?")"
            default: return "\(sink): still pending after \(tries): \(error ?? "?")"
            }
        }
    }

    /// The sample: a story alert with three outlets; its id is new each run, so receivers that drop
    /// repeats (Matrix transactions, webhook ids) still show it.
    public static func sampleAlert(now: Date = Date()) -> Alert {
        let id = "notify-test-\(Int(now.timeIntervalSince1970))"
        let reports = [
            Alert.Report(outlet: "feedwatch", link: "https://example.org/feedwatch/notify-test",
                         title: "feedwatch test alert: if you read this, the sink works"),
            Alert.Report(outlet: "second outlet", link: "https://example.org/second", title: "The same story, reported again"),
            Alert.Report(outlet: "third outlet", link: nil, title: nil),
        ]
        return Alert(id: id, topic: "notify-test", score: 1, matched: ["test"], story: id,
                     title: reports[0].title!, link: reports[0].link, source: "feedwatch",
                     outlets: reports.map(\.outlet), published: now, fetched: now, alerted: now,
                     reports: reports, reportCount: reports.count)
    }

    /// Sends the sample to `only` (every sink when nil) and waits up to `timeout` for each to be
    /// delivered or given up on. Throws `ConfigError`-like text for an unknown sink name.
    public static func run(config: Config, only: String?, timeout: TimeInterval, logger: Logger) async throws -> [Result] {
        var config = config
        if let only {
            config.sinks = config.sinks.filter { $0.name == only }
            guard !config.sinks.isEmpty else { throw NotifyTestError(message: "no sink named '\(only)'") }
        }
        let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("feedwatch-notify-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let transport = CurlTransport(maxConcurrent: 8, maxPerHost: 2)
        let store = try StateStore(path: (dir as NSString).appendingPathComponent("notify-test.db"))
        let sinks = try SinkFactory.make(config, transport: transport)
        let names = sinks.map(\.name)
        let dispatcher = AlertDispatcher(
            store: store, sinks: sinks, deadLetters: try DeadLetterLog(path: (dir as NSString).appendingPathComponent("dead.jsonl")),
            configuration: .init(retry: RetryPolicy(initialDelay: 1, maxDelay: 10, maxRetryAfter: timeout, maxAttempts: 5),
                                 flood: nil, updateInterval: 0),
            logger: logger)
        let alert = sampleAlert()
        try Outbox(store: store).queue(alert, to: names, at: Date())
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            await dispatcher.drain()
            let open = try names.filter { try store.outboxEntry(alertID: alert.id, sink: $0).map { $0.deliveredAt == nil && $0.deadAt == nil } ?? false }
            if open.isEmpty || Date() >= deadline { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        await dispatcher.shutdown()
        await transport.shutdown()
        return try names.map { name in
            let e = try store.outboxEntry(alertID: alert.id, sink: name)
            let outcome = e?.deliveredAt != nil ? "delivered" : e?.deadAt != nil ? "failed" : "pending"
            return Result(sink: name, outcome: outcome, attempts: e?.attempts ?? 0, error: e?.lastError)
        }
    }
}

public struct NotifyTestError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { "notify-test: \(message)" }
}
