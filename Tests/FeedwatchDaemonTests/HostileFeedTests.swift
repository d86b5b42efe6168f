import FeedwatchModel
import FeedwatchTestSupport
import Foundation
import Testing

/// A hostile publisher beside honest ones: the daemon survives its feed, the honest feed
/// still alerts, and a link no one should click never reaches an alert.
@Suite(.serialized) struct HostileFeedTests {
    static let deep = 100_000

    @Test func aDeeplyNestedFeedBesideAGoodOneLeavesTheGoodOneAlerting() async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        let nested = String(repeating: "<x>", count: Self.deep) + String(repeating: "</x>", count: Self.deep)
        let deepHTML = String(repeating: "<b>", count: Self.deep) + String(repeating: "</b>", count: Self.deep)
        let poison = E2E.rss("Poison", [E2E.weather])
            .replacingOccurrences(of: "<language>en</language>", with: "<language>en</language>" + nested)
            .replacingOccurrences(of: "<p>", with: "<p>" + deepHTML)
        let feeds = try LoopbackHTTPServer { req in
            switch req.path {
            case "/poison.rss": return .ok(poison)
            case "/wire.rss": return .ok(E2E.rss("Wire", [E2E.mali]))
            default: return .status(404)
            }
        }
        defer { feeds.stop() }
        let config = try e2e.config(sources: [("Poison", feeds.baseURL + "/poison.rss"), ("Wire", feeds.baseURL + "/wire.rss")])
        let daemon = try await e2e.daemon(config)
        let (processed, _) = await daemon.runOnce()
        #expect(processed.alerts == 1)
        #expect(e2e.loggedAlerts().map(\.source) == ["Wire"])
    }

    @Test func aJavascriptLinkNeverReachesAnAlert() async throws {
        for bad in ["javascript:alert(document.cookie)", "JavaScript:alert(1)", "data:text/html,<b>x</b>",
                    "vbscript:msgbox", "file:///etc/passwd", " javascript:alert(1)"] {
            let e2e = try E2E()
            defer { e2e.cleanup() }
            let escaped = bad.replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            let feed = E2E.rss("Wire", [E2E.mali])
                .replacingOccurrences(of: "<link>https://example.org/wire-mali-1</link>", with: "<link>\(escaped)</link>")
            let hook = try LoopbackHTTPServer { _ in .status(204) }
            let feeds = try LoopbackHTTPServer { _ in .ok(feed) }
            defer { feeds.stop(); hook.stop() }
            let config = try e2e.config(sources: [("Wire", feeds.baseURL + "/wire.rss")], webhook: hook.baseURL + "/in")
            let (processed, _) = try await e2e.daemon(config).runOnce()
            #expect(processed.alerts == 1, "\(bad)")
            let alert = try #require(e2e.loggedAlerts().first)
            #expect(alert.link == "https://example.org/", "\(bad)")
            #expect(alert.linkNote?.hasSuffix("the feed's link instead") == true, "\(bad)")
            let posted = try #require(hook.requests.first)
            #expect(!String(decoding: posted.body, as: UTF8.self).lowercased().contains(bad.trimmingCharacters(in: .whitespaces).lowercased()))
        }
    }

    @Test func aReloadRefusesAnAliasedDeepOrExplodingWatchlistAndKeepsTheOldOne() async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        try e2e.write("wire.rss", E2E.rss("Wire", [E2E.weather]))
        let config = try e2e.write("feedwatch.yaml", """
            watchlist: watchlist.yaml
            state_dir: state
            sources:
              - {name: Wire, url: wire.rss}
            sinks:
              - {type: file, path: alerts.jsonl}

            """)
        let daemon = try await e2e.daemon(config)
        let before = await daemon.topicNames
        var aliases = "sets:\n  l0: &l0 [Mali, Niger]\n"
        for i in 1...9 { aliases += "  l\(i): &l\(i) [" + Array(repeating: "*l\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }
        aliases += "topics:\n  other:\n    threshold: 1\n    terms:\n      Mali: 1\n"
        var doubling = "sets:\n  s_0: [Mali, Niger]\n"
        for k in 1...30 { doubling += "  s_\(k): [\"@s_\(k - 1)\", \"@s_\(k - 1)\"]\n" }
        doubling += "topics:\n  other:\n    threshold: 1\n    terms:\n      \"@s_30\": 1\n"
        let parens = "topics:\n  other:\n    threshold: 1\n    terms:\n      Mali: 1\n    require: \""
            + String(repeating: "(", count: Self.deep) + "Mali" + String(repeating: ")", count: Self.deep) + "\"\n"
        for bad in [aliases, doubling, parens] {
            try e2e.write("watchlist.yaml", bad)
            let start = Date()
            await daemon.reload()
            #expect(Date().timeIntervalSince(start) < 10)
            #expect(await daemon.topicNames == before)
        }
    }
}
