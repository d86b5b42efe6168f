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

    @Test("Templates on the real path: a webhook posts the receiver's own JSON, signed; a template naming a field out of its context fails only its sink")
    func templates() async throws {
        let posted = Mutex<[(path: String, body: Data, signature: String?)]>([])
        let server = try LoopbackHTTPServer { req in
            posted.withLock { $0.append((req.path, req.body, req.header("webhook-signature"))) }
            return .status(req.path == "/slack" ? 200 : 204)
        }
        defer { server.stop() }
        let dir = StoreTempDir()
        try """
        {{! A receiver that wants its own shape. }}
        {
          "summary": "[{{topic}}] {{truncate20(headline)}}",
          "url": {{#link}}"{{link}}"{{/link}}{{^link}}null{{/link}},
          "outlets": [{{#outlets}}"{{.}}"{{^last()}}, {{/last()}}{{/outlets}}]
        }
        """.write(toFile: dir.file("hook.json.mustache"), atomically: true, encoding: .utf8)
        try "{{headline}}\n{{outlet}}\n".write(toFile: dir.file("slack.mustache"), atomically: true, encoding: .utf8)
        let config = try Config.parse(yaml: """
        watchlist: w.yaml
        sources:
          - url: https://example.org/feed
        sinks:
          - type: webhook
            name: hook
            url: \(server.baseURL)/hook
            secret: \(WebhookSecret.sample)
            template: hook.json.mustache
          - type: slack
            url_env: S
            template: slack.mustache
          - type: discord
            url_env: D
        """, file: dir.file("fw.yaml"), displayName: "fw.yaml",
            environment: ["D": server.baseURL + "/discord", "S": server.baseURL + "/slack"])
        let logger = Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() })
        let results = try await NotifyTest.run(config: config, only: nil, timeout: 20, logger: logger)
        #expect(results.map(\.line) == [
            "hook: delivered (1 attempt)",
            "slack: failed after 1 attempt: template \(dir.file("slack.mustache")):2:1: unknown variable 'outlet'",
            "discord: delivered (1 attempt)",
        ])
        let hook = try #require(posted.withLock { $0 }.first { $0.path == "/hook" })
        let json = try #require(try JSONSerialization.jsonObject(with: hook.body) as? [String: Any])
        #expect(json["summary"] as? String == "[notify-test] feedwatch test alert…")
        #expect(json["url"] as? String == "https://example.org/feedwatch/notify-test")
        #expect(json["outlets"] as? [String] == ["feedwatch", "second outlet", "third outlet"])
        #expect(String(decoding: hook.body, as: UTF8.self).hasPrefix(#"{"summary":"#))
        #expect(hook.signature?.hasPrefix("v1,") == true)
        #expect(!posted.withLock { $0 }.contains { $0.path == "/slack" })
    }
}
