import FeedwatchAlert
import FeedwatchDaemon
import FeedwatchHTTP
import FeedwatchModel
import FeedwatchStore
import FeedwatchTestSupport
import Foundation
import Synchronization
import Testing

func jsonObject(_ data: Data) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

/// Each chat and push sink against a receiver on 127.0.0.1 that checks the request the way the
/// service documents it, through the real transport.
@Suite("Chat and push sinks over HTTP", .serialized)
struct ChannelSinkTests {
    func client(_ name: String, _ transport: CurlTransport, secrets: [String] = [], burst: Int = 50,
                perMinute: Double = 6_000, now: @escaping @Sendable () -> Date = { Date() }) -> ChannelClient {
        ChannelClient(sink: name, transport: transport, burst: burst, perMinute: perMinute, secrets: secrets, timeout: 5,
                      now: now)
    }

    @Test("Telegram: sendMessage with the token in the path, HTML escaped, 4,096 characters, link whole")
    func telegram() async throws {
        let server = try LoopbackHTTPServer { req in
            guard req.method == "POST", req.path == "/bot123456:ABC-secret/sendMessage" else {
                return .status(404, #"{"ok":false,"error_code":404,"description":"Not Found"}"#)
            }
            return .status(200, #"{"ok":true,"result":{"message_id":1}}"#, headers: [("Content-Type", "application/json")])
        }
        defer { server.stop() }
        let transport = CurlTransport()
        let sink = TelegramSink(name: "tg", token: "123456:ABC-secret", chatID: "-1001234", apiBase: server.baseURL,
                                client: client("tg", transport))
        let alert = crowdedAlert("tg-1", reports: 100, beyond: 40)
        try await sink.deliver(alert, payload: Data())
        await transport.shutdown()
        let req = try #require(server.requests.first)
        #expect(req.header("content-type")?.hasPrefix("application/json") == true)
        let body = try jsonObject(req.body)
        #expect(body["chat_id"] as? String == "-1001234")
        #expect(body["parse_mode"] as? String == "HTML")
        let text = try #require(body["text"] as? String)
        #expect(text.utf16.count <= 4_096)
        #expect(text.hasPrefix("<b>Attack near Gao &lt;b&gt;&amp;&quot;ambush&quot;&lt;/b&gt; @everyone</b>"))
        #expect(text.hasSuffix("https://example.org/news/tg-1?from=rss&amp;lang=fr"))
        let listed = text.components(separatedBy: "\n• ").count - 1
        #expect(listed > 5)
        #expect(moreOutlets(text) == 99 - listed + 40)
        // No raw markup outside the tags feedwatch writes.
        #expect(!text.contains("<b>&"))
    }

    @Test("Discord: content within 2,000 characters, Markdown escaped, no mentions, 429 retry_after honoured")
    func discord() async throws {
        let calls = Mutex(0)
        let server = try LoopbackHTTPServer { req in
            guard req.method == "POST", req.path == "/api/webhooks/42/tok" else { return .status(404) }
            let n = calls.withLock { $0 += 1; return $0 }
            if n == 1 {
                return .status(429, #"{"message":"You are being rate limited.","retry_after":40.5,"global":false}"#,
                               headers: [("Content-Type", "application/json")])
            }
            return .status(204)
        }
        defer { server.stop() }
        let transport = CurlTransport()
        let f = try DispatchFixture()
        let sink = DiscordSink(name: "discord", url: server.baseURL + "/api/webhooks/42/tok",
                               client: client("discord", transport, now: f.clock.closure))
        let d = try f.dispatcher([sink], retry: RetryPolicy(initialDelay: 5, jitter: 0))
        let alert = crowdedAlert("dc-1", reports: 60)
        try f.raise(alert, to: ["discord"])
        #expect(await d.drain().retried == 1)
        let entry = try #require(try f.store.outboxEntry(alertID: alert.id, sink: "discord"))
        // The body's retry_after (40.5 s) beats the 5 s backoff.
        #expect(entry.nextAttemptAt.timeIntervalSince(f.clock.now) >= 40)
        f.clock.advance(30)
        #expect(await d.drain().claimed == 0)
        f.clock.advance(15)
        #expect(await d.drain().delivered == 1)
        await transport.shutdown()

        let reqs = server.requests
        #expect(reqs.count == 2)
        #expect(reqs[0].body == reqs[1].body)
        let body = try jsonObject(reqs[1].body)
        let content = try #require(body["content"] as? String)
        #expect(content.count <= 2_000 && content.utf16.count <= 2_000)
        #expect(content.hasPrefix(#"**Attack near Gao <b\>&"ambush"</b\> @everyone**"#))
        #expect(content.hasSuffix("\nhttps://example.org/news/dc-1?from=rss&lang=fr"))
        let listed = content.components(separatedBy: "\n• ").count - 1
        #expect(moreOutlets(content) == 59 - listed)
        #expect((body["allowed_mentions"] as? [String: Any])?["parse"] as? [String] == [])
    }

    @Test("Slack: mrkdwn escaped; invalid_payload is permanent and dead-lettered with Slack's text")
    func slack() async throws {
        let server = try LoopbackHTTPServer { req in
            guard req.method == "POST", req.path.hasPrefix("/services/T0/B0/") else { return .status(404, "no_service") }
            if req.path.hasSuffix("/bad") { return .status(400, "invalid_payload") }
            return .status(200, "ok")
        }
        defer { server.stop() }
        let transport = CurlTransport()
        let f = try DispatchFixture()
        let good = SlackSink(name: "slack", url: server.baseURL + "/services/T0/B0/good", client: client("slack", transport))
        let bad = SlackSink(name: "mm", url: server.baseURL + "/services/T0/B0/bad", client: client("mm", transport))
        let d = try f.dispatcher([good, bad])
        let alert = crowdedAlert("sl-1", reports: 3)
        try f.raise(alert, to: ["slack", "mm"])
        let r = await d.drain()
        await transport.shutdown()
        #expect(r.delivered == 1 && r.dead == 1)
        #expect(readLines(f.deadPath).first?.contains("HTTP 400: invalid_payload") == true)
        let body = try jsonObject(try #require(server.requests.first { $0.path.hasSuffix("/good") }).body)
        let text = try #require(body["text"] as? String)
        #expect(text.hasPrefix("*Attack near Gao &lt;b&gt;&amp;\"ambush\"&lt;/b&gt; @everyone*"))
        #expect(text.contains("• <https://outlet1.example/2026/12/06/story-1|outlet1.example: Report 1:"))
        #expect(text.hasSuffix("https://example.org/news/sl-1?from=rss&lang=fr"))
    }

    @Test("ntfy: JSON publish with topic, title, priority from the score, tags, click URL and bearer token")
    func ntfy() async throws {
        let server = try LoopbackHTTPServer { req in
            req.method == "POST" && req.path == "/" && req.header("authorization") == "Bearer tk_secret"
                ? .status(200, #"{"id":"x","event":"message"}"#) : .status(401, #"{"code":40101,"http":401}"#)
        }
        defer { server.stop() }
        let transport = CurlTransport()
        let sink = NtfySink(name: "ntfy", server: server.baseURL, topic: "sahel-alerts", token: "tk_secret",
                            priority: nil, client: client("ntfy", transport))
        try await sink.deliver(crowdedAlert("nt-1", reports: 400, score: 4.5), payload: Data())
        var update = crowdedAlert("nt-1", reports: 4)
        update.kind = .update
        update.update = 1
        try await sink.deliver(update, payload: Data())
        await transport.shutdown()
        let reqs = server.requests
        #expect(reqs.count == 2)
        let first = try jsonObject(reqs[0].body)
        #expect(first["topic"] as? String == "sahel-alerts")
        #expect(first["title"] as? String == #"Attack near Gao <b>&"ambush"</b> @everyone"#)
        #expect(first["priority"] as? Int == 5)
        #expect(first["tags"] as? [String] == ["sahel"])
        #expect(first["click"] as? String == "https://example.org/news/nt-1?from=rss&lang=fr")
        let message = try #require(first["message"] as? String)
        #expect(message.utf8.count <= 4_096)
        #expect(message.hasSuffix("https://example.org/news/nt-1?from=rss&lang=fr"))
        #expect(moreOutlets(message) != nil)
        let second = try jsonObject(reqs[1].body)
        #expect(second["priority"] as? Int == 2)
        #expect(second["tags"] as? [String] == ["sahel", "update"])
        #expect((second["title"] as? String)?.hasPrefix("Update 1: 4 outlets now report: Attack near Gao") == true)
    }

    @Test("Matrix: PUT m.room.message with formatted_body; a retry reuses the transaction id; an update has its own")
    func matrix() async throws {
        let calls = Mutex(0)
        let server = try LoopbackHTTPServer { req in
            guard req.method == "PUT", req.header("authorization") == "Bearer syt_secret" else {
                return .status(401, #"{"errcode":"M_UNKNOWN_TOKEN","error":"Unrecognised access token"}"#)
            }
            let n = calls.withLock { $0 += 1; return $0 }
            return n == 1 ? .status(429, #"{"errcode":"M_LIMIT_EXCEEDED","error":"Too Many Requests","retry_after_ms":20000}"#)
                          : .status(200, #"{"event_id":"$ev\#(n)"}"#)
        }
        defer { server.stop() }
        let transport = CurlTransport()
        let f = try DispatchFixture()
        let sink = MatrixSink(name: "matrix", homeserver: server.baseURL, room: "!room:example.org", token: "syt_secret",
                              client: client("matrix", transport, now: f.clock.closure))
        let d = try f.dispatcher([sink], retry: RetryPolicy(initialDelay: 5, jitter: 0))
        let alert = crowdedAlert("mx-1", reports: 3)
        try f.raise(alert, to: ["matrix"])
        #expect(await d.drain().retried == 1)
        let entry = try #require(try f.store.outboxEntry(alertID: alert.id, sink: "matrix"))
        #expect(entry.nextAttemptAt.timeIntervalSince(f.clock.now) >= 19)
        f.clock.advance(25)
        #expect(await d.drain().delivered == 1)
        var update = alert
        update.kind = .update
        update.update = 2
        try await sink.deliver(update, payload: Data())
        await transport.shutdown()

        let reqs = server.requests
        #expect(reqs.count == 3)
        let base = "/_matrix/client/v3/rooms/%21room%3Aexample.org/send/m.room.message/"
        #expect(reqs[0].path == base + "feedwatch-mx-1")
        #expect(reqs[1].path == reqs[0].path)
        #expect(reqs[2].path == base + "feedwatch-mx-1-u2")
        let body = try jsonObject(reqs[1].body)
        #expect(body["msgtype"] as? String == "m.text")
        #expect(body["format"] as? String == "org.matrix.custom.html")
        #expect((body["body"] as? String)?.hasPrefix(#"Attack near Gao <b>&"ambush"</b>"#) == true)
        let html = try #require(body["formatted_body"] as? String)
        #expect(html.hasPrefix("<strong>Attack near Gao &lt;b&gt;&amp;&quot;ambush&quot;&lt;/b&gt; @everyone</strong>"))
        #expect(html.hasSuffix(#"<a href="https://example.org/news/mx-1?from=rss&amp;lang=fr">https://example.org/news/mx-1?from=rss&amp;lang=fr</a>"#))
        let upd = try jsonObject(reqs[2].body)
        #expect((upd["body"] as? String)?.hasPrefix("Update 2: 3 outlets now report: Attack near Gao") == true)
    }

    @Test("Teams: a message with one Adaptive Card attachment and an Open story action")
    func teams() async throws {
        let server = try LoopbackHTTPServer { req in
            req.method == "POST" && req.path.hasPrefix("/workflows/") ? .status(202) : .status(404)
        }
        defer { server.stop() }
        let transport = CurlTransport()
        let sink = TeamsSink(name: "teams", url: server.baseURL + "/workflows/abc?sig=s3cr3t", client: client("teams", transport))
        try await sink.deliver(crowdedAlert("tm-1", reports: 5, beyond: 2), payload: Data())
        await transport.shutdown()
        let body = try jsonObject(try #require(server.requests.first).body)
        #expect(body["type"] as? String == "message")
        let att = try #require((body["attachments"] as? [[String: Any]])?.first)
        #expect(att["contentType"] as? String == "application/vnd.microsoft.card.adaptive")
        let card = try #require(att["content"] as? [String: Any])
        #expect(card["type"] as? String == "AdaptiveCard")
        #expect(card["version"] as? String == "1.4")
        let blocks = try #require(card["body"] as? [[String: Any]])
        #expect(blocks.first?["text"] as? String == #"Attack near Gao <b>&"ambush"</b> @everyone"#)
        #expect((blocks.last?["text"] as? String)?.contains("- outlet4.example: Report 4") == true)
        #expect(moreOutlets(blocks.last?["text"] as? String ?? "") == 2)
        let action = try #require((card["actions"] as? [[String: Any]])?.first)
        #expect(action["type"] as? String == "Action.OpenUrl")
        #expect(action["url"] as? String == "https://example.org/news/tm-1?from=rss&lang=fr")
    }

    @Test("A secret echoed back by the receiver never reaches the error, the log or the dead-letter file")
    func secretsRedacted() async throws {
        let server = try LoopbackHTTPServer { req in
            .status(401, #"{"ok":false,"error_code":401,"description":"Unauthorized: \#(req.path)"}"#)
        }
        defer { server.stop() }
        let transport = CurlTransport()
        let token = "987654:leaky-token"
        let f = try DispatchFixture()
        let sink = TelegramSink(name: "tg", token: token, chatID: "1", apiBase: server.baseURL,
                                client: client("tg", transport, secrets: [token]))
        let d = try f.dispatcher([sink])
        try f.raise(crowdedAlert("sr-1", reports: 1), to: ["tg"])
        #expect(await d.drain().dead == 1)
        await transport.shutdown()
        let dead = try #require(readLines(f.deadPath).first)
        #expect(dead.contains("Unauthorized: /bot<redacted>/sendMessage"))
        #expect(!dead.contains("leaky-token"))
    }

    @Test("The sink's own rate limit spaces messages: burst 2, then one per 100 ms")
    func rateLimit() async throws {
        let server = try LoopbackHTTPServer { _ in .status(204) }
        defer { server.stop() }
        let transport = CurlTransport()
        let sink = DiscordSink(name: "d", url: server.baseURL + "/h", client: client("d", transport, burst: 2, perMinute: 600))
        let start = ContinuousClock.now
        for i in 0..<5 { try await sink.deliver(crowdedAlert("rl-\(i)", reports: 1), payload: Data()) }
        let elapsed = ContinuousClock.now - start
        await transport.shutdown()
        #expect(server.requests.count == 5)
        // Three messages past the burst wait ~100 ms each.
        #expect(elapsed >= .milliseconds(250))
    }

    /// Discord answers a burst past its bucket with 429, `retry_after` in the JSON and a `Retry-After`
    /// header, and refuses content over 2,000 characters with a 400 (which would dead-letter the alert).
    @Test("25 alerts on one topic into a Discord webhook that allows 5 per second: all arrive, in order, once, none cut off",
          arguments: [false, true])
    func discordBurst(templated: Bool) async throws {
        let window = Mutex<[ContinuousClock.Instant]>([])
        let accepted = Mutex<[String]>([])
        let refused = Mutex(0)
        let server = try LoopbackHTTPServer { req in
            let content = ((try? JSONSerialization.jsonObject(with: req.body)) as? [String: Any])?["content"] as? String
            guard let content, content.utf16.count <= 2_000 else {
                return .status(400, #"{"content":["Must be 2000 or fewer in length."]}"#,
                               headers: [("Content-Type", "application/json")])
            }
            let now = ContinuousClock.now
            let allowed = window.withLock { w in
                w.removeAll { now - $0 > .seconds(1) }
                guard w.count < 5 else { return false }
                w.append(now)
                return true
            }
            guard allowed else {
                refused.withLock { $0 += 1 }
                return .status(429, #"{"message":"You are being rate limited.","retry_after":0.3,"global":false}"#,
                               headers: [("Retry-After", "1"), ("X-RateLimit-Remaining", "0"),
                                         ("Content-Type", "application/json")])
            }
            accepted.withLock { $0.append(content) }
            return .status(204)
        }
        defer { server.stop() }
        let transport = CurlTransport()
        let dir = StoreTempDir()
        let store = try StateStore(directory: dir.path)
        // The sink's own limit is looser than the server's, so the server's 429s are exercised too.
        var sink = DiscordSink(name: "discord", url: server.baseURL + "/api/webhooks/1/t",
                               client: client("discord", transport, burst: 10, perMinute: 600))
        if templated {
            sink.templates.body = try AlertTemplate(path: SourceTree.path("Config/templates/discord.mustache"), escaping: .markdown)
        }
        let d = AlertDispatcher(store: store, sinks: [sink], deadLetters: try DeadLetterLog(path: dir.file("dead.jsonl")),
                                configuration: .init(retry: RetryPolicy(initialDelay: 0.2, maxDelay: 1, jitter: 0), flood: nil),
                                logger: quietLogger)
        for i in 0..<25 {
            var a = crowdedAlert(String(format: "burst-%02d", i), reports: 120)
            // Every fifth headline alone is longer than Discord allows.
            let filler = i % 5 == 0 ? String(repeating: "very long headline ", count: 150) : String(repeating: "long headline ", count: 20)
            a.title = String(format: "Alert %02d ", i) + filler
            let payload = try AlertPayload.encode(a)
            try store.transaction {
                try store.insertAlert(a)
                try store.enqueue(alertID: a.id, sink: "discord", payload: payload, at: Date())
            }
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while accepted.withLock({ $0.count }) < 25 && ContinuousClock.now < deadline {
            await d.drain()
            try await Task.sleep(for: .milliseconds(100))
        }
        // A late duplicate would show up here.
        await d.drain()
        await transport.shutdown()
        let got = accepted.withLock { $0 }
        #expect(got.count == 25)
        #expect(Set(got).count == 25)
        #expect(got.map { String($0.dropFirst(2).prefix(8)) } == (0..<25).map { String(format: "Alert %02d", $0) })
        #expect(got.allSatisfy { $0.utf16.count <= 2_000 && $0.hasSuffix("?from=rss&lang=fr") })
        #expect(got.enumerated().allSatisfy { i, c in i % 5 != 0 || c.contains("…**") })
        #expect(refused.withLock { $0 } > 0)
        #expect(try store.outboxCounts().dead == 0)
        #expect(try store.outboxCounts().delivered == 25)
    }
}
