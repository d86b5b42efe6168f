import FeedwatchConfig
import FeedwatchTestSupport
import Foundation
import Testing

@Suite struct ConfigTests {
    static let secret = WebhookSecret.sample

    func parse(_ yaml: String, env: [String: String] = [:]) throws -> Config {
        try Config.parse(yaml: yaml, file: "/etc/feedwatch/feedwatch.yaml", displayName: "feedwatch.yaml", environment: env)
    }

    func problems(_ yaml: String, env: [String: String] = [:]) -> [String] {
        configProblems { try parse(yaml, env: env) }
    }

    @Test func fullConfigResolvesPathsAndDefaults() throws {
        let c = try parse("""
        watchlist: lists/watch.yaml
        state_dir: ../state
        sources:
          - name: RFI Afrique
            url: https://www.rfi.fr/fr/afrique/rss
            language: fr
            tags: [sahel, fr]
            interval: 10m
          - url: samples/bbc.xml
          - url: file:///srv/feeds/x.xml
        sinks:
          - type: file
            path: alerts.jsonl
          - type: webhook
            url: https://hooks.example.org/in
            secret_env: FW_SECRET
            headers: {X-Team: sahel}
            timeout: 5s
        limits: {max_body: 2MiB, concurrency: 8, per_host: 2}
        schedule: {default_interval: 15m, backoff_cap: 3h}
        catch_up: {max_age: 12h}
        retention: {stories: 3d, max_stories: 250000}
        """, env: ["FW_SECRET": Self.secret])
        #expect(c.watchlist == "/etc/feedwatch/lists/watch.yaml")
        #expect(c.stateDir == "/etc/state")
        #expect(c.sources.map(\.name) == ["RFI Afrique", "bbc.xml", "x.xml"])
        #expect(c.sources[0].interval == 600)
        #expect(c.sources[0].tags == ["sahel", "fr"])
        #expect(c.sources[0].language == "fr")
        #expect(c.sources[1].url == "file:///etc/feedwatch/samples/bbc.xml")
        #expect(c.sources[2].url == "file:///srv/feeds/x.xml")
        #expect(c.sinks.count == 2)
        guard case .webhook(let w) = c.sinks[1] else { Issue.record("no webhook"); return }
        #expect(w.secret.value == Self.secret)
        #expect(!"\(w.secret)".contains("whsec_"))
        #expect(w.headers == ["X-Team": "sahel"])
        #expect(w.timeout == 5)
        #expect(c.limits.maxBodyBytes == 2 * 1024 * 1024)
        #expect(c.limits.concurrency == 8)
        #expect(c.limits.timeout == 30)
        #expect(c.schedule.defaultInterval == 900)
        #expect(c.schedule.backoffCap == 3 * 3600)
        #expect(c.schedule.minInterval == 60)
        #expect(c.catchUp.maxAge == 12 * 3600)
        #expect(c.flood == FloodControl())
        #expect(c.retention.stories == 3 * 86_400)
        #expect(c.retention.maxStories == 250_000)
        #expect(c.retention.seen == Retention().seen)
    }

    @Test func everyProblemIsReportedWithItsPosition() {
        let got = problems("""
        sources:
          - name: A
            url: https://a.example/rss
          - name: B
            url: ftp://example.org/feed
            intervall: 5m
          - name: A
            url: https://c.example/rss
            interval: soon
        sinks:
          - type: webhook
            url: https://hooks.example/x
            secret: hunter2
          - type: pigeon
        limits:
          concurrency: 0
        colour: blue
        """)
        #expect(got == [
            "feedwatch.yaml:5:10: unsupported URL scheme 'ftp' (use http, https or file)",
            "feedwatch.yaml:6:5: unknown key 'intervall' in a source (did you mean 'interval'?)",
            "feedwatch.yaml:7:11: duplicate source name 'A' (first at line 2)",
            "feedwatch.yaml:9:15: interval must be a duration such as 30s, 5m, 6h or 7d",
            "feedwatch.yaml:13:13: webhook secret (secret) must be whsec_ followed by base64 of at least 16 bytes",
            "feedwatch.yaml:14:11: unknown sink type 'pigeon' (file, webhook, slack, discord, telegram, ntfy, matrix, teams, email)",
            "feedwatch.yaml:16:16: limits.concurrency must be between 1 and 1024",
            "feedwatch.yaml:17:1: unknown key 'colour' in the config file",
        ])
        #expect(!got.joined().contains("hunter2"))
    }

    @Test func syntaxErrorsCarryTheirPosition() {
        let got = problems("""
        sources:
          - url: https://a.example/rss
            name: [unclosed
        sinks: []
        """)
        #expect(got.count == 1)
        #expect(got.first?.hasPrefix("feedwatch.yaml:4:") == true, "\(got)")
        #expect(got.first?.contains("YAML syntax") == true)
    }

    @Test func duplicateKeysAreErrors() {
        let got = problems("""
        sources:
          - url: https://a.example/rss
        sinks:
          - {type: file, path: a.jsonl}
        sinks:
          - {type: file, path: b.jsonl}
        """)
        #expect(got.count == 1)
        #expect(got.first?.contains("duplicate key 'sinks'") == true, "\(got)")
    }

    @Test func missingSectionsAndSecretsAreNamed() {
        let got = problems("""
        sinks:
          - type: webhook
            url: https://hooks.example/x
            secret_env: NOT_SET_ANYWHERE
          - type: file
        """)
        #expect(got == [
            "feedwatch.yaml:1:1: missing 'sources' (the feeds to poll)",
            "feedwatch.yaml:4:17: environment variable NOT_SET_ANYWHERE (secret_env) is not set",
            "feedwatch.yaml:5:5: a file sink needs a 'path'",
        ])
    }

    @Test func secretFileIsReadRelativeToTheConfig() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fw-config-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try (Self.secret + "\n").write(to: dir.appendingPathComponent("hook.secret"), atomically: true, encoding: .utf8)
        let yaml = """
        sources: [{url: feed.xml}]
        sinks:
          - {type: webhook, url: "http://127.0.0.1:9/x", secret_file: hook.secret}
        """
        try yaml.write(to: dir.appendingPathComponent("fw.yaml"), atomically: true, encoding: .utf8)
        let c = try Config.load(path: dir.appendingPathComponent("fw.yaml").path)
        guard case .webhook(let w) = c.sinks[0] else { Issue.record("no webhook"); return }
        #expect(w.secret.value == Self.secret)
        #expect(c.sources[0].url == "file://" + dir.appendingPathComponent("feed.xml").path)
    }

    @Test func commandLineDirectoriesOverride() throws {
        let c = try parse("""
        state_dir: /var/lib/x
        sources: [{url: "https://a.example/rss"}]
        sinks: [{type: file, path: alerts.jsonl}, {type: file, path: /abs/a.jsonl}]
        """).overriding(stateDir: "/run/state", logDir: "/var/log/feedwatch")
        #expect(c.stateDir == "/run/state")
        #expect(c.sinks == [.file(FileSinkConfig(path: "/var/log/feedwatch/alerts.jsonl", written: "alerts.jsonl")),
                            .file(FileSinkConfig(path: "/abs/a.jsonl", written: "/abs/a.jsonl"))])
    }

    @Test(arguments: [("90", 90.0), ("30s", 30), ("5m", 300), ("1h30m", 5400), ("2d", 172_800), ("250ms", 0.25)])
    func durations(_ text: String, _ seconds: Double) {
        #expect(Quantity.duration(text) == seconds)
    }

    @Test(arguments: ["", "m", "5x", "-3", "5m3"])
    func badDurations(_ text: String) {
        #expect(Quantity.duration(text) == nil)
    }

    @Test(arguments: [("1048576", 1_048_576), ("10MiB", 10_485_760), ("512KiB", 524_288), ("2MB", 2_000_000)])
    func sizes(_ text: String, _ bytes: Int) {
        #expect(Quantity.bytes(text) == bytes)
    }
}

@Suite struct ConfigSecretsTests {
    @Test func pathsOnlyLoadingSkipsSecrets() throws {
        let yaml = """
        sources: [{url: "https://a.example/rss"}]
        sinks: [{type: webhook, url: "https://h.example/x", secret_env: UNSET_FOR_STATUS}]
        """
        #expect(throws: ConfigError.self) { try Config.parse(yaml: yaml, file: "/etc/fw.yaml") }
        let c = try Config.parse(yaml: yaml, file: "/etc/fw.yaml", secrets: false)
        #expect(c.sinks.count == 1)
    }
}
