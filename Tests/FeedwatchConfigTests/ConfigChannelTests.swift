import FeedwatchConfig
import FeedwatchModel
import FeedwatchTestSupport
import Foundation
import Testing

/// Chat and push sinks in the config: their keys, secrets only from files or the environment,
/// routes, and errors as `file:line:column: message`.
@Suite struct ConfigChannelTests {
    let base = ConfigTests()

    func yaml(_ sinks: String) -> String {
        "watchlist: w.yaml\nsources:\n  - url: https://example.org/feed\nsinks:\n" + sinks
    }

    @Test func everyChannelParsesWithItsSecretAndRoute() throws {
        let dir = StoreTempDir()
        let tokenFile = dir.file("tg-token")
        try "123:ABC\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let c = try base.parse(yaml("""
          - type: slack
            url_env: SLACK_URL
            topics: [sahel]
            min_score: 2
            kinds: [alert, update]
          - type: discord
            url_env: DISCORD_URL
            burst: 2
            per_minute: 10
          - type: telegram
            token_file: \(tokenFile)
            chat_id: "-100123"
            tags: [sahel, mali]
            languages: [FR, en]
          - type: ntfy
            topic: sahel-alerts
            priority: 4
          - type: matrix
            homeserver: https://matrix.example.org
            room: "!abc:example.org"
            token_env: MX
            kinds: source-health
          - type: teams
            name: ops-teams
            url_env: TEAMS_URL
        """), env: ["SLACK_URL": "https://hooks.slack.com/services/T/B/x", "DISCORD_URL": "https://discord.com/api/webhooks/1/t",
                    "MX": "syt_x", "TEAMS_URL": "https://prod.example.logic.azure.com/workflows/1?sig=s"])
        #expect(c.sinks.map(\.name) == ["slack", "discord", "telegram", "ntfy", "matrix", "ops-teams"])
        #expect(c.sinks[0].route == AlertRoute(topics: ["sahel"], minScore: 2, kinds: [.alert, .update]))
        #expect(c.sinks[2].route == AlertRoute(tags: ["sahel", "mali"], languages: ["fr", "en"]))
        #expect(c.sinks[4].route.kinds == [.sourceHealth])
        guard case .channel(let tg) = c.sinks[2], case .telegram(let token, let chat, let api) = tg.channel else {
            Issue.record("no telegram"); return
        }
        #expect(token.value == "123:ABC" && chat == "-100123" && api == "https://api.telegram.org")
        #expect(!"\(tg)".contains("123:ABC"))
        guard case .channel(let dc) = c.sinks[1] else { Issue.record("no discord"); return }
        #expect(dc.burst == 2 && dc.perMinute == 10)
        guard case .channel(let nt) = c.sinks[3], case .ntfy(let server, "sahel-alerts", nil, 4) = nt.channel else {
            Issue.record("no ntfy"); return
        }
        #expect(server == "https://ntfy.sh")
    }

    @Test func badChannelConfigIsOneLinePerProblemWithFileLineColumn() {
        let p = base.problems(yaml("""
          - type: slack
            url: https://hooks.slack.com/services/T/B/secret
          - type: telegram
            token_env: NOPE
          - type: matrix
            homeserver: https://m.example.org
            room: "#alias:example.org"
            token_env: MX
          - type: discord
            url_env: D
            kinds: [alert, gossip]
            min_score: lots
        """), env: ["MX": "x", "D": "https://discord.com/api/webhooks/1/t"])
        #expect(p.contains("feedwatch.yaml:6:5: the slack url is a secret: give url_file or url_env instead of url"))
        #expect(p.contains("feedwatch.yaml:8:16: environment variable NOPE (token_env) is not set"))
        #expect(p.contains("feedwatch.yaml:7:5: a telegram sink needs 'chat_id'"))
        #expect(p.contains("feedwatch.yaml:11:11: room must be a room id such as !abc123:example.org (not an alias)"))
        #expect(p.contains("feedwatch.yaml:15:20: unknown alert kind 'gossip' (alert, update, digest, source-health)"))
        #expect(p.contains("feedwatch.yaml:16:16: min_score must be a number"))
        #expect(!p.joined().contains("secret\n") && !p.joined().contains("services/T/B/secret"))
    }
}
