import Foundation
import Yams

/// Turns the composed YAML tree into a `Config`, one section at a time.
struct ConfigBuilder {
    let reader: YAMLReader
    /// The config file's directory: relative paths resolve against it.
    let baseDir: String
    let environment: [String: String]
    /// False: webhook secrets are checked for presence only, not read.
    var resolveSecrets = true

    static let topKeys: Set<String> = [
        "sources", "watchlist", "sinks", "state_dir", "limits", "schedule", "catch_up", "flood", "retention", "health",
        "alerts", "store", "full_text", "metrics",
    ]

    func build(_ root: Node, file: String) -> Config? {
        guard let top = reader.mapping(root, what: "the config file", allowed: Self.topKeys) else { return nil }
        var sources: [SourceConfig] = []
        if let node = top["sources"]?.value {
            sources = self.sources(node)
        } else {
            reader.error(root, "missing 'sources' (the feeds to poll)")
        }
        var sinks: [SinkConfig] = []
        if let node = top["sinks"]?.value {
            sinks = self.sinks(node)
        } else {
            reader.error(root, "missing 'sinks' (where alerts go: a file, a webhook)")
        }
        let watchlist = top["watchlist"].flatMap { reader.string($0.value, what: "watchlist") } ?? "watchlist.yaml"
        let stateDir = top["state_dir"].flatMap { reader.string($0.value, what: "state_dir") } ?? "/var/lib/feedwatch"
        var config = Config(file: file, sources: sources, watchlist: path(watchlist), sinks: sinks, stateDir: path(stateDir))
        if let n = top["limits"]?.value { config.limits = limits(n) }
        if let n = top["schedule"]?.value { config.schedule = schedule(n) }
        if let n = top["catch_up"]?.value { config.catchUp = catchUp(n) }
        if let n = top["flood"]?.value { config.flood = flood(n) }
        if let n = top["retention"]?.value { config.retention = retention(n) }
        if let n = top["health"]?.value { config.health = health(n) }
        if let n = top["alerts"]?.value { config.alerts = alerts(n) }
        if let n = top["store"]?.value { config.store = store(n) }
        if let n = top["full_text"]?.value { config.fullText = fullText(n) }
        if let n = top["metrics"]?.value { config.metricsListen = metrics(n) }
        return config
    }

    /// A path from the config made absolute against its directory.
    func path(_ p: String) -> String {
        let expanded = p.hasPrefix("~/") ? (p as NSString).expandingTildeInPath : p
        return Config.absolute(expanded, base: baseDir)
    }

    func limits(_ node: Node) -> Limits {
        var l = Limits()
        guard let m = reader.mapping(node, what: "limits",
                                     allowed: ["max_body", "concurrency", "per_host", "connect_timeout", "timeout"])
        else { return l }
        if let n = m["max_body"]?.value, let v = reader.bytes(n, what: "limits.max_body") { l.maxBodyBytes = v }
        if let n = m["concurrency"]?.value, let v = reader.int(n, what: "limits.concurrency", range: 1...1024) { l.concurrency = v }
        if let n = m["per_host"]?.value, let v = reader.int(n, what: "limits.per_host", range: 1...64) { l.perHost = v }
        if let n = m["connect_timeout"]?.value, let v = reader.duration(n, what: "limits.connect_timeout", min: 0.1) {
            l.connectTimeout = v
        }
        if let n = m["timeout"]?.value, let v = reader.duration(n, what: "limits.timeout", min: 0.1) { l.timeout = v }
        if l.connectTimeout > l.timeout { reader.error(node, "limits.connect_timeout is longer than limits.timeout") }
        return l
    }

    func fullText(_ node: Node) -> FullTextLimits {
        var f = FullTextLimits()
        guard let m = reader.mapping(node, what: "full_text", allowed: [
            "concurrency", "per_host", "max_page", "timeout", "daily_per_host", "recheck", "teaser_words",
        ]) else { return f }
        if let n = m["concurrency"]?.value, let v = reader.int(n, what: "full_text.concurrency", range: 1...256) { f.concurrency = v }
        if let n = m["per_host"]?.value, let v = reader.int(n, what: "full_text.per_host", range: 1...16) { f.perHost = v }
        if let n = m["max_page"]?.value, let v = reader.bytes(n, what: "full_text.max_page") { f.maxPageBytes = v }
        if let n = m["timeout"]?.value, let v = reader.duration(n, what: "full_text.timeout", min: 0.1) { f.timeout = v }
        if let n = m["daily_per_host"]?.value, let v = reader.int(n, what: "full_text.daily_per_host", range: 0...1_000_000) {
            f.dailyPerHost = v
        }
        if let n = m["recheck"]?.value, let v = reader.duration(n, what: "full_text.recheck") { f.recheck = v }
        if let n = m["teaser_words"]?.value, let v = reader.int(n, what: "full_text.teaser_words", range: 0...10_000) {
            f.teaserWords = v
        }
        return f
    }

    func schedule(_ node: Node) -> Schedule {
        var s = Schedule()
        guard let m = reader.mapping(node, what: "schedule", allowed: [
            "default_interval", "min_interval", "max_interval", "backoff_cap", "jitter",
        ]) else { return s }
        if let n = m["default_interval"]?.value, let v = reader.duration(n, what: "schedule.default_interval", min: 1) {
            s.defaultInterval = v
        }
        if let n = m["min_interval"]?.value, let v = reader.duration(n, what: "schedule.min_interval", min: 1) { s.minInterval = v }
        if let n = m["max_interval"]?.value, let v = reader.duration(n, what: "schedule.max_interval", min: 1) { s.maxInterval = v }
        if let n = m["backoff_cap"]?.value, let v = reader.duration(n, what: "schedule.backoff_cap", min: 1) { s.backoffCap = v }
        if let n = m["jitter"]?.value, let v = reader.double(n, what: "schedule.jitter", range: 0...0.5) { s.jitter = v }
        if s.minInterval > s.maxInterval {
            reader.error(m["min_interval"]?.key ?? node, "schedule.min_interval is longer than schedule.max_interval")
        }
        if s.backoffCap < s.minInterval {
            reader.error(m["backoff_cap"]?.key ?? node, "schedule.backoff_cap is shorter than schedule.min_interval")
        }
        return s
    }

    func catchUp(_ node: Node) -> CatchUp {
        var c = CatchUp()
        guard let m = reader.mapping(node, what: "catch_up", allowed: ["max_age"]) else { return c }
        if let n = m["max_age"]?.value, let v = reader.duration(n, what: "catch_up.max_age", min: 60) { c.maxAge = v }
        return c
    }

    func flood(_ node: Node) -> FloodControl {
        var f = FloodControl()
        guard let m = reader.mapping(node, what: "flood", allowed: ["burst", "per_hour"]) else { return f }
        if let n = m["burst"]?.value, let v = reader.int(n, what: "flood.burst", range: 1...100_000) { f.burst = v }
        if let n = m["per_hour"]?.value, let v = reader.double(n, what: "flood.per_hour", range: 0.01...1_000_000) { f.perHour = v }
        return f
    }

    func retention(_ node: Node) -> Retention {
        var r = Retention()
        guard let m = reader.mapping(node, what: "retention", allowed: ["seen", "stories", "max_stories", "alerts"]) else { return r }
        if let n = m["seen"]?.value, let v = reader.duration(n, what: "retention.seen", min: 3600) { r.seen = v }
        if let n = m["stories"]?.value, let v = reader.duration(n, what: "retention.stories", min: 3600) { r.stories = v }
        if let n = m["max_stories"]?.value, let v = reader.int(n, what: "retention.max_stories", range: 1_000...100_000_000) {
            r.maxStories = v
        }
        if let n = m["alerts"]?.value, let v = reader.duration(n, what: "retention.alerts", min: 3600) { r.alerts = v }
        return r
    }

    func health(_ node: Node) -> HealthAlerts {
        var h = HealthAlerts()
        guard let m = reader.mapping(node, what: "health", allowed: ["alert_after"]) else { return h }
        if let n = m["alert_after"]?.value {
            h.alertAfterFailures = reader.int(n, what: "health.alert_after", range: 1...100_000)
        }
        return h
    }

    func alerts(_ node: Node) -> AlertSettings {
        var a = AlertSettings()
        guard let m = reader.mapping(node, what: "alerts", allowed: ["update_interval"]) else { return a }
        if let n = m["update_interval"]?.value, let v = reader.duration(n, what: "alerts.update_interval") { a.updateInterval = v }
        return a
    }
}
