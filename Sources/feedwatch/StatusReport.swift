import FeedwatchConfig
import FeedwatchModel
import FeedwatchStore
import Foundation

/// What `feedwatch status` shows; its JSON form is the `--json` contract.
struct StatusReport: Encodable {
    struct Source: Encodable {
        var name: String
        var url: String
        var currentURL: String?
        var state: String
        var lastSuccess: String?
        var lastAttempt: String?
        var consecutiveFailures: Int
        var lastError: String?
        var nextPoll: String?

        enum CodingKeys: String, CodingKey {
            case name, url, state, currentURL = "current_url", lastSuccess = "last_success", lastAttempt = "last_attempt"
            case consecutiveFailures = "consecutive_failures", lastError = "last_error", nextPoll = "next_poll"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(url, forKey: .url)
            try c.encode(currentURL, forKey: .currentURL)
            try c.encode(state, forKey: .state)
            try c.encode(lastSuccess, forKey: .lastSuccess)
            try c.encode(lastAttempt, forKey: .lastAttempt)
            try c.encode(consecutiveFailures, forKey: .consecutiveFailures)
            try c.encode(lastError, forKey: .lastError)
            try c.encode(nextPoll, forKey: .nextPoll)
        }
    }

    struct Outbox: Encodable {
        var pending: Int
        var delivered: Int
        var dead: Int
    }

    /// One sink: its queue depth, dead letters, last success and last error.
    struct Sink: Encodable {
        var name: String
        /// The config `type`; nil for a sink the config no longer lists.
        var type: String?
        var pending: Int
        var delivered: Int
        var dead: Int
        var lastSuccess: String?
        var lastError: String?
        /// When the delivery that failed last was given up on (a dead letter)…
        var lastErrorDeadAt: String?
        /// …or when it is tried again.
        var nextAttempt: String?

        enum CodingKeys: String, CodingKey {
            case name, type, pending, delivered, dead, lastSuccess = "last_success", lastError = "last_error"
            case lastErrorDeadAt = "last_error_dead_at", nextAttempt = "next_attempt"
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(type, forKey: .type)
            try c.encode(pending, forKey: .pending)
            try c.encode(delivered, forKey: .delivered)
            try c.encode(dead, forKey: .dead)
            try c.encode(lastSuccess, forKey: .lastSuccess)
            try c.encode(lastError, forKey: .lastError)
            try c.encode(lastErrorDeadAt, forKey: .lastErrorDeadAt)
            try c.encode(nextAttempt, forKey: .nextAttempt)
        }
    }

    struct RecentAlert: Encodable {
        var alert: Alert
        var copies: Int
        func encode(to encoder: any Encoder) throws {
            try alert.encode(to: encoder)
            var c = encoder.container(keyedBy: Key.self)
            try c.encode(copies, forKey: Key(stringValue: "copies")!)
        }
        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
    }

    var database: String
    var sources: [Source]
    var counters: [String: Int]
    var outbox: Outbox
    var sinks: [Sink] = []
    var alerts: Int
    var recentAlerts: [RecentAlert]
    /// Instances sharing a PostgreSQL store; absent for SQLite.
    var instances: [Instance]?

    struct Instance: Encodable {
        var id: String
        var host: String
        var pid: Int
        var started: String
        var heartbeat: String
        var lastPoll: String?
        var sourcesHeld: Int

        enum CodingKeys: String, CodingKey {
            case id, host, pid, started, heartbeat, lastPoll = "last_poll", sourcesHeld = "sources_held"
        }
    }

    enum CodingKeys: String, CodingKey {
        case database, sources, counters, outbox, sinks, alerts, recentAlerts = "recent_alerts", instances
    }

    static func read(store: any Store, config: Config?, alerts limit: Int, now: Date) throws -> StatusReport {
        let states = Dictionary(try store.allSourceStates().map { ($0.url, $0) }, uniquingKeysWith: { a, _ in a })
        var sources: [Source] = []
        // Configured sources in config order (never-polled ones too), then any the config no longer lists.
        let configured = config?.sources ?? []
        for s in configured {
            sources.append(source(name: s.name, url: s.url, state: states[s.url], now: now))
        }
        let known = Set(configured.map(\.url))
        for (url, st) in states.sorted(by: { $0.key < $1.key }) where !known.contains(url) {
            // Known only by URL: named as the config would name it (a file's name, not a truncated file:/// URL).
            let name = SourceConfig.defaultName(url: url)
            sources.append(source(name: config == nil ? name : "\(name) (not in config)", url: url, state: st, now: now))
        }
        let counts = try store.outboxCounts()
        let recent = try store.recentAlerts(limit: limit).map { a in RecentAlert(alert: a, copies: (try? store.copies(alertID: a.id)) ?? 1) }
        let instances = try (store as? any SharedStore)?.instances().map { i in
            Instance(id: i.id, host: i.host, pid: i.pid, started: RFC3339.format(i.startedAt),
                     heartbeat: RFC3339.format(i.heartbeatAt), lastPoll: i.lastPollAt.map(RFC3339.format),
                     sourcesHeld: i.sourcesHeld)
        }
        return StatusReport(database: store.location, sources: sources, counters: try store.counters(),
                            outbox: Outbox(pending: counts.pending, delivered: counts.delivered, dead: counts.dead),
                            sinks: try sinks(store: store, config: config),
                            alerts: try store.alertCount(), recentAlerts: recent, instances: instances)
    }

    /// Configured sinks in config order (those never used too), then any the outbox still holds rows for.
    static func sinks(store: any Store, config: Config?) throws -> [Sink] {
        let summaries = Dictionary(try store.sinkSummaries().map { ($0.sink, $0) }, uniquingKeysWith: { a, _ in a })
        func sink(_ name: String, type: String?) -> Sink {
            let s = summaries[name] ?? SinkOutboxSummary(sink: name)
            return Sink(name: name, type: type, pending: s.pending, delivered: s.delivered, dead: s.dead,
                        lastSuccess: s.lastSuccess.map(RFC3339.format), lastError: s.lastError,
                        lastErrorDeadAt: s.lastErrorDeadAt.map(RFC3339.format), nextAttempt: s.lastErrorNextAttempt.map(RFC3339.format))
        }
        var out = (config?.sinks ?? []).map { sink($0.name, type: $0.type) }
        let known = Set(out.map(\.name))
        out += summaries.keys.sorted().filter { !known.contains($0) }.map { sink($0, type: nil) }
        return out
    }

    static func source(name: String, url: String, state: SourceState?, now: Date) -> Source {
        let label: String
        switch state {
        case nil: label = "never polled"
        case let s? where s.gone: label = "GONE (410): not polled"
        case let s? where s.isQuarantined: label = "QUARANTINED: its content crashed feedwatch; not parsed until it changes"
        case let s? where s.strikes > 0: label = "suspect: parsed alone after a crash"
        case let s? where s.consecutiveFailures > 0: label = "failing"
        case let s? where s.lastSuccess != nil: label = "ok"
        default: label = "pending"
        }
        return Source(name: name, url: url, currentURL: state?.currentURL, state: label,
                      lastSuccess: state?.lastSuccess.map(RFC3339.format), lastAttempt: state?.lastAttempt.map(RFC3339.format),
                      consecutiveFailures: state?.consecutiveFailures ?? 0, lastError: state?.lastError,
                      nextPoll: state?.nextPollAt.map(RFC3339.format))
    }

    /// Sources listed one per line at most, unless all are asked for: beyond it the text lists the
    /// sources that need attention (failing, gone, or moved) and counts the healthy ones (a farm of thousands of feeds
    /// would otherwise bury the counters and alerts under them).
    static let listedSources = 30

    /// - Parameter allSources: list every source, however many there are.
    func text(colour: Bool, allSources: Bool = false) -> String {
        func paint(_ s: String, _ code: String) -> String { colour ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s }
        let byState = Dictionary(grouping: sources, by: \.state).mapValues(\.count)
        let summary = byState.sorted { ($0.key == "ok" ? 0 : 1, $0.key) < ($1.key == "ok" ? 0 : 1, $1.key) }
            .map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        var out = "state: \(database)\n\nSOURCES (\(sources.count)\(sources.isEmpty ? "" : ": " + summary))\n"
        // A source that moved (301) needs its config edited, however healthy it is.
        let listed = allSources || sources.count <= Self.listedSources ? sources
            : sources.filter { $0.state != "ok" || $0.currentURL != nil }
        let width = min(32, listed.map(\.name.count).max() ?? 0)
        for s in listed {
            let name = s.name.count > width ? String(s.name.prefix(width - 1)) + "…" : s.name.padding(toLength: width, withPad: " ", startingAt: 0)
            let code = s.state == "ok" ? "32" : s.state == "failing" || s.state.hasPrefix("GONE") ? "31" : "33"
            var line = "  \(name)  \(paint(s.state.padding(toLength: 8, withPad: " ", startingAt: 0), code))"
            if let t = s.lastSuccess { line += "  last ok \(t)" }
            if s.consecutiveFailures > 0 { line += "  \(s.consecutiveFailures) failures" }
            if let n = s.nextPoll { line += "  next \(n)" }
            out += line + "\n"
            if let e = s.lastError { out += "      \(paint(e, "2"))\n" }
            if let moved = s.currentURL { out += "      moved to \(moved)\n" }
        }
        if listed.count < sources.count {
            out += "  (\(sources.count - listed.count) healthy sources not listed; --all-sources lists them)\n"
        }
        if let instances {
            out += "\nINSTANCES (\(instances.count))\n"
            for i in instances {
                out += "  \(i.id)  heartbeat \(i.heartbeat)  holds \(i.sourcesHeld) sources"
                    + (i.lastPoll.map { "  last poll \($0)" } ?? "") + "\n"
            }
        }
        out += "\nCOUNTERS\n"
        for (k, v) in counters.sorted(by: { $0.key < $1.key }) { out += "  \(k) \(v)\n" }
        out += "\nOUTBOX  pending \(outbox.pending)  delivered \(outbox.delivered)  dead \(outbox.dead)\n"
        if !sinks.isEmpty {
            out += "\nSINKS\n"
            let width = min(32, sinks.map(\.name.count).max() ?? 0)
            for s in sinks {
                let name = s.name.count > width ? String(s.name.prefix(width - 1)) + "…" : s.name.padding(toLength: width, withPad: " ", startingAt: 0)
                var line = "  \(name)  \(s.type ?? "(not in config)")  queue \(s.pending)  dead \(s.dead)"
                line += s.lastSuccess.map { "  last ok \($0)" } ?? "  never delivered"
                out += line + "\n"
                if let e = s.lastError {
                    let when = s.lastErrorDeadAt.map { "dead letter since \($0)" } ?? s.nextAttempt.map { "retrying, next \($0)" } ?? ""
                    out += "      \(paint("last error: \(e)" + (when.isEmpty ? "" : " (\(when))"), s.lastErrorDeadAt == nil ? "33" : "31"))\n"
                }
            }
        }
        out += "\nLAST ALERTS (\(recentAlerts.count) of \(alerts))\n"
        for r in recentAlerts {
            let a = r.alert
            out += "  \(RFC3339.format(a.alerted))  \(paint(a.topic, "36"))  \(a.title)\n"
            out += "      \(a.outlets.joined(separator: ", "))" + (r.copies > 1 ? "  (\(r.copies) reports)" : "") + "\n"
        }
        return out
    }
}
