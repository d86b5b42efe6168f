import FeedwatchConfig
import FeedwatchModel

/// Every sink's name and route, in config order: which sinks an alert is queued for. Names are
/// unique (the config refuses duplicates), so an alert is queued at most once per sink however
/// many of its filters (two topics, two tags of its source) it satisfies.
struct SinkRoutes: Sendable {
    var sinks: [(name: String, route: AlertRoute)]

    init(_ sinks: [(name: String, route: AlertRoute)]) { self.sinks = sinks }

    init(_ config: Config) { self.init(config.sinks.map { ($0.name, $0.route) }) }

    /// The sinks that take `alert` from a source tagged `sourceTags`, about a story in `language`.
    func names(for alert: Alert, sourceTags: [String], language: String?) -> [String] {
        var seen: Set<String> = []
        return sinks.compactMap { s in
            s.route.takes(alert, sourceTags: sourceTags, language: language) && seen.insert(s.name).inserted ? s.name : nil
        }
    }

    /// Route by sink name (for updates and digests, decided in the dispatcher).
    var byName: [String: AlertRoute] { Dictionary(sinks.map { ($0.name, $0.route) }, uniquingKeysWith: { a, _ in a }) }
}
