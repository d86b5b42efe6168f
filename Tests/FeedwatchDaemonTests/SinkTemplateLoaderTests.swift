import FeedwatchConfig
import FeedwatchDaemon
import FeedwatchTestSupport
import Foundation
import Testing

/// The templates a config names as the daemon loads them (SinkTemplateLoader): they resolve against the
/// config's folder and load; `feedwatch check` reports each problem with its place, and the daemon refuses
/// to build a sink whose template fails that check.
@Suite struct SinkTemplateLoaderTests {
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
            secret: \(WebhookSecret.sample)
            template: \(dir.file("j.mustache"))
        """)
        #expect(c.sinks[0].templates == TemplateFiles(body: dir.file("d.mustache")))
        #expect(c.sinks[1].templates == TemplateFiles(body: dir.file("b.mustache"), subject: dir.file("t.mustache")))
        #expect(c.sinks[2].templates == TemplateFiles(body: dir.file("h.mustache"), text: dir.file("x.mustache")))
        #expect(c.sinks[3].templates.body == dir.file("j.mustache"))
        #expect(try SinkTemplateLoader.load(c.sinks[1]).subject != nil)
        #expect(SinkTemplateLoader.problems(c).isEmpty)
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
            secret: \(WebhookSecret.sample)
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
