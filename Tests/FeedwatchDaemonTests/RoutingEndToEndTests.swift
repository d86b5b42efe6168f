import FeedwatchDaemon
import FeedwatchModel
import FeedwatchTestSupport
import Foundation
import Synchronization
import Testing

/// Routing through the daemon: a feed tagged with two groups, polled once, its alert pushed to
/// ntfy sinks routed by group, topic and language on a receiver on 127.0.0.1.
@Suite(.serialized) struct RoutingEndToEndTests {
    @Test func aSourceInTwoGroupsReachesEachMatchingSinkOnce() async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        let feeds = try LoopbackHTTPServer { _ in .ok(E2E.rss("Wire", [E2E.mali, E2E.weather])) }
        let push = try LoopbackHTTPServer { _ in .status(200, #"{"id":"x"}"#) }
        defer { feeds.stop(); push.stop() }
        func ntfy(_ topic: String, _ route: String) -> String {
            "  - {type: ntfy, name: \(topic), server: \"\(push.baseURL)\", topic: \(topic), \(route)}\n"
        }
        let config = try e2e.write("feedwatch.yaml", """
        watchlist: watchlist.yaml
        state_dir: state
        sources:
          - {name: Wire, url: "\(feeds.baseURL)/wire.rss", tags: [sahel, mali]}
        sinks:
          - {type: file, path: alerts.jsonl, kinds: [alert]}

        """ + ntfy("group-sahel", "tags: [sahel]") + ntfy("group-mali", "tags: [mali]")
            + ntfy("both-groups", "tags: [sahel, mali]") + ntfy("group-niger", "tags: [niger]")
            + ntfy("topic-sahel", "topics: [sahel]") + ntfy("topic-piracy", "topics: [piracy]")
            + ntfy("english", "languages: [en]") + ntfy("french", "languages: [fr]")
            + ntfy("urgent", "min_score: 100") + ntfy("ops", "kinds: [source-health]")
            + "limits: {timeout: 2s, connect_timeout: 1s, max_body: 1MiB}\n")
        let daemon = try await e2e.daemon(config)
        let (processed, report) = await daemon.runOnce()
        #expect(processed.alerts == 1)
        #expect(report.delivered == 6)      // the file and five ntfy sinks
        let topics = try push.requests.map { r -> String in
            try #require((try JSONSerialization.jsonObject(with: r.body) as? [String: Any])?["topic"] as? String)
        }
        #expect(topics.sorted() == ["both-groups", "english", "group-mali", "group-sahel", "topic-sahel"])
        #expect(e2e.loggedAlerts().count == 1)
    }
}
