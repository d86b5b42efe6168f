import FeedwatchConfig
import FeedwatchDaemon
import FeedwatchTestSupport
import Foundation
import Logging
import Synchronization
import Testing

/// `notify-test` against receivers on 127.0.0.1: a sample alert per sink through the outbox and
/// retries, one result per sink.
@Suite("notify-test")
struct NotifyTestTests {
    @Test("Each sink's outcome: delivered, delivered after a 429, failed with the channel's error")
    func outcomes() async throws {
        let tgCalls = Mutex(0)
        let server = try LoopbackHTTPServer { req in
            switch req.path {
            case "/discord": return .status(204)
            case "/bot1:T/sendMessage":
                let n = tgCalls.withLock { $0 += 1; return $0 }
                return n == 1 ? .status(429, #"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}"#)
                              : .status(200, #"{"ok":true}"#)
            default: return .status(400, "invalid_payload")
            }
        }
        defer { server.stop() }
        let config = try Config.parse(yaml: """
        watchlist: w.yaml
        sources:
          - url: https://example.org/feed
        sinks:
          - type: discord
            url_env: D
          - type: telegram
            token_env: T
            chat_id: "42"
            api_url: \(server.baseURL)
          - type: slack
            url_env: S
        """, file: "/tmp/fw.yaml", displayName: "fw.yaml",
            environment: ["D": server.baseURL + "/discord", "T": "1:T", "S": server.baseURL + "/slack"])
        let logger = Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() })
        let results = try await NotifyTest.run(config: config, only: nil, timeout: 20, logger: logger)
        #expect(results.map(\.line) == [
            "discord: delivered (1 attempt)",
            "telegram: delivered (2 attempts)",
            "slack: failed after 1 attempt: HTTP 400: invalid_payload",
        ])
        let one = try await NotifyTest.run(config: config, only: "discord", timeout: 5, logger: logger)
        #expect(one.map(\.sink) == ["discord"])
        await #expect(throws: NotifyTestError.self) {
            _ = try await NotifyTest.run(config: config, only: "nope", timeout: 5, logger: logger)
        }
    }
}
