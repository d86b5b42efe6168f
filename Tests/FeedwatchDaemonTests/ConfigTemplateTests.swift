import FeedwatchAlert
import FeedwatchConfig
import FeedwatchDaemon
import FeedwatchModel
import Foundation
import Testing

/// `template:` keys in the config, and what `feedwatch check` reports about the files they name.
@Suite struct ConfigTemplateTests {
    let base = ConfigTests()

    func config(_ dir: StoreTempDir, _ sinks: String, env: [String: String] = ["U": "https://chat.example.org/hook/x"])
        throws -> Config {
        try Config.parse(yaml: "watchlist: w.yaml\nsources:\n  - url: https://example.org/feed\nsinks:\n" + sinks,
                         file: dir.file("feedwatch.yaml"), displayName: "feedwatch.yaml", environment: env)
    }

    @Test func templateKeysResolveAgainstTheConfigFolder() throws {
        let dir = StoreTempDir()
        for f in ["d.mustache", "t.mustache", "b.mustache", "h.mustache", "x.mustache"] {
            try "{{title}}\n".write(toFile: dir.file(f), atomically: true, encoding: .utf8)
        }
        try "{\"t\": \"{{title}}\"}\n".write(toFile: dir.file("j.mustache"), atomically: true, encoding: .utf8)
        let c = try config(dir, """
          - type: discord
            url_env: U
            template: d.mustache
          - type: ntfy
            topic: t
            subject_template: t.mustache
            body_template: b.mustache
          - type: matrix
            homeserver: https://m.example.org
            room: "!r:example.org"
            token_env: U
            template: h.mustache
            text_template: x.mustache
          - type: webhook
            url: https://example.org/hook
            secret: \(ConfigTests.secret)
            template: \(dir.file("j.mustache"))
        """)
        #expect(c.sinks[0].templates == TemplateFiles(body: dir.file("d.mustache")))
        #expect(c.sinks[1].templates == TemplateFiles(body: dir.file("b.mustache"), subject: dir.file("t.mustache")))
        #expect(c.sinks[2].templates == TemplateFiles(body: dir.file("h.mustache"), text: dir.file("x.mustache")))
        #expect(c.sinks[3].templates.body == dir.file("j.mustache"))
        #expect(try SinkTemplateLoader.load(c.sinks[1]).subject != nil)
        #expect(SinkTemplateLoader.problems(c).isEmpty)
    }

    @Test func aMissingTemplateOrAKeyTheSinkDoesNotTakeIsAConfigErrorWithItsPlace() {
        let p = base.problems("""
        watchlist: w.yaml
        sources:
          - url: https://example.org/feed
        sinks:
          - type: slack
            url_env: U
            template: /nonexistent/slack.mustache
          - type: slack
            name: s2
            url_env: U
            subject_template: /nonexistent/s.mustache
          - type: file
            path: alerts.jsonl
            template: x.mustache
        """, env: ["U": "https://hooks.slack.com/services/T/B/x"])
        #expect(p.contains("feedwatch.yaml:7:15: cannot read template /nonexistent/slack.mustache (No such file or directory)")
                || p.contains("feedwatch.yaml:7:15: cannot read template /nonexistent/slack.mustache (no such file)"), "\(p)")
        #expect(p.contains { $0.hasPrefix("feedwatch.yaml:11:5: ") && $0.contains("subject_template") }, "\(p)")
        #expect(p.contains { $0.hasPrefix("feedwatch.yaml:14:5: ") && $0.contains("template") }, "\(p)")
    }

    @Test func checkReportsEachTemplateProblemAsFileLineColumnNamingTheSink() throws {
        let dir = StoreTempDir()
        try "Alert {{title}}\n{{#lines}}\n- {{outlet}} {{titel}}\n{{/lines}}\n".write(toFile: dir.file("typo.mustache"),
                                                                                     atomically: true, encoding: .utf8)
        try "{\"text\": \"{{title}}\",\n  {{#link}}\"url\": \"{{link}}\"{{/link}}\n}\n".write(
            toFile: dir.file("trailing.json.mustache"), atomically: true, encoding: .utf8)
        try "{{outlet}}\n".write(toFile: dir.file("context.mustache"), atomically: true, encoding: .utf8)
        let c = try config(dir, """
          - type: discord
            url_env: U
            template: typo.mustache
          - type: webhook
            url: https://example.org/hook
            secret: \(ConfigTests.secret)
            template: trailing.json.mustache
          - type: telegram
            token_env: U
            chat_id: "1"
            template: context.mustache
        """)
        let p = SinkTemplateLoader.problems(c)
        #expect(p.count == 3, "\(p)")
        #expect(p.contains("\(dir.file("typo.mustache")):3:14: unknown variable 'titel' (sink discord)"))
        // Valid when the sample has a link? No: a comma before the optional member is invalid JSON without one.
        #expect(p.contains { $0.hasPrefix("\(dir.file("trailing.json.mustache")): rendered invalid JSON: ")
                                && $0.hasSuffix("(sink webhook:example.org)") })
        #expect(p.contains("\(dir.file("context.mustache")):1:1: unknown variable 'outlet' (sink telegram)"))
        // The daemon refuses to build that sink, with the same place.
        #expect { _ = try SinkTemplateLoader.load(c.sinks[0]) } throws: { e in
            "\(e)" == "alert: discord: template \(dir.file("typo.mustache")):3:14: unknown variable 'titel'"
        }
    }
}
