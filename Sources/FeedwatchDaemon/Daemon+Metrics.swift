import FeedwatchConfig
import FeedwatchStore
import Foundation

extension PollService {
    /// What `/metrics` reads from the poller.
    func metricsSnapshot() -> (stats: LiveStats, fetch: Histogram, latency: Histogram) {
        (stats, fetchSeconds, pipeline.alertLatency)
    }
}

extension Daemon {
    /// `/metrics`, when `metrics.listen` is set: started with the daemon, stopped with it.
    static func startMetrics(_ config: Config, service: PollService, store: any Store) throws -> MetricsServer? {
        guard let listen = config.metricsListen, let address = MetricsAddress(listen) else { return nil }
        return try MetricsServer(address) { await Self.metricsText(service: service, store: store) }
    }

    /// The Prometheus text format. Polls, fetches and latencies count since this process started;
    /// the outbox, the dedup index and lease takeovers are read from the store (on a shared
    /// store: every instance's). Labels stay few: outcome and sink names.
    static func metricsText(service: PollService, store: any Store) async -> String {
        let (stats, fetch, latency) = await service.metricsSnapshot()
        var s = "# HELP feedwatch_polls_total Polls since start, by outcome.\n# TYPE feedwatch_polls_total counter\n"
        for (outcome, n) in [("fetched", stats.fetched), ("not_modified", stats.notModified), ("failed", stats.errors)] {
            s += "feedwatch_polls_total{outcome=\"\(outcome)\"} \(n)\n"
        }
        s += "# HELP feedwatch_sources Configured sources.\n# TYPE feedwatch_sources gauge\nfeedwatch_sources \(stats.sources)\n"
        s += "# HELP feedwatch_alerts_total Alerts raised by this process since start.\n# TYPE feedwatch_alerts_total counter\n"
        s += "feedwatch_alerts_total \(stats.alerts)\n"
        s += fetch.render("feedwatch_fetch_duration_seconds", help: "Time to fetch a feed, from request to last byte.")
        s += latency.render("feedwatch_alert_latency_seconds", help: "From an entry's published time to its alert.")
        if let sinks = try? store.sinkSummaries() {
            s += "# HELP feedwatch_outbox_depth Deliveries waiting in the outbox, by sink.\n# TYPE feedwatch_outbox_depth gauge\n"
            for sink in sinks.sorted(by: { $0.sink < $1.sink }) {
                s += "feedwatch_outbox_depth{sink=\"\(escape(sink.sink))\"} \(sink.pending)\n"
            }
        }
        if let counters = try? store.counters() {
            s += "# HELP feedwatch_dedup_index_stories Stories in the dedup index at its last save.\n"
            s += "# TYPE feedwatch_dedup_index_stories gauge\nfeedwatch_dedup_index_stories \(counters["dedup.stories"] ?? 0)\n"
            s += "# HELP feedwatch_lease_takeovers_total Sources taken over from another instance (lease ran out or connection gone).\n"
            s += "# TYPE feedwatch_lease_takeovers_total counter\n"
            s += "feedwatch_lease_takeovers_total \(counters["sources.lease_takeovers"] ?? 0)\n"
        }
        return s
    }

    private static func escape(_ label: String) -> String {
        label.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    /// The port `/metrics` is served on (nil when off): tests ask for port 0.
    public nonisolated var metricsPort: Int? { metrics?.port }

    /// Stops serving `/metrics` (`run` and `runOnce` do at their end).
    public nonisolated func stopMetrics() { metrics?.stop() }
}
