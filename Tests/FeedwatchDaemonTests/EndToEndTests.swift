import FeedwatchAlert
import FeedwatchDaemon
import FeedwatchModel
import FeedwatchStore
import FeedwatchTestSupport
import Foundation
import Synchronization
import Testing

@Suite(.serialized) struct EndToEndTests {
    @Test func alertsReachTheFileAndTheWebhookSignedAndCopiesAddOutlets() async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        let feeds = try LoopbackHTTPServer { req in
            switch req.path {
            case "/wire.rss": return .ok(E2E.rss("Wire", [E2E.mali, E2E.weather]))
            case "/other.rss": return .ok(E2E.rss("Other", [E2E.maliCopy]))
            default: return .status(404)
            }
        }
        let hook = try LoopbackHTTPServer { _ in .status(204) }
        defer { feeds.stop(); hook.stop() }
        // Two passes, so the copy arrives after the original whatever the fetch order.
        let first = try e2e.config(sources: [("Wire", feeds.baseURL + "/wire.rss")], webhook: hook.baseURL + "/in")
        do {
            // Released at the end of the scope: the state directory is exclusive to one daemon.
            let (p1, r1) = try await e2e.daemon(first).runOnce()
            #expect(p1.alerts == 1)
            #expect(r1.delivered == 2)                 // file + webhook
        }
        let both = try e2e.config(sources: [("Wire", feeds.baseURL + "/wire.rss"), ("Other", feeds.baseURL + "/other.rss")],
                                  webhook: hook.baseURL + "/in")
        let d2 = try await e2e.daemon(both)
        let (p2, _) = await d2.runOnce()
        #expect(p2.alerts == 0)
        #expect(p2.copies == 1)
        #expect(p2.duplicates == 1)

        let logged = e2e.loggedAlerts()
        #expect(logged.count == 1)
        let alert = try #require(logged.first)
        #expect(alert.topic == "sahel")
        #expect(alert.title == E2E.mali.title)
        #expect(alert.source == "Wire")
        #expect(alert.id == AlertID.make(topic: "sahel", cluster: alert.story))
        let stored = try #require(try d2.stateStore.alert(id: alert.id))
        #expect(stored.outlets == ["Wire", "Other"])
        #expect(try d2.stateStore.copies(alertID: alert.id) == 2)

        let posts = hook.requests
        #expect(posts.count == 1)
        let post = try #require(posts.first)
        #expect(post.method == "POST")
        #expect(post.header("X-Test") == "e2e")
        #expect(post.header("webhook-id") == alert.id)
        let ts = try #require(post.header("webhook-timestamp").flatMap { Int($0) })
        let secret = try WebhookSecret(parsing: E2E.secret)
        #expect(WebhookSignature.verify(header: post.header("webhook-signature") ?? "", id: alert.id, timestamp: ts,
                                        body: post.body, secret: secret, now: Date()))
        #expect(!WebhookSignature.verify(header: post.header("webhook-signature") ?? "", id: alert.id, timestamp: ts,
                                         body: post.body + Data("x".utf8), secret: secret, now: Date()))
        let sent = try JSONDecoder().decode(Alert.self, from: post.body)
        #expect(sent.id == alert.id)
    }

    @Test func receiverDownThenUpIsDeliveredOnceBack() async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        let feeds = try LoopbackHTTPServer { _ in .ok(E2E.rss("Wire", [E2E.mali])) }
        let up = Atomic<Bool>(false)
        let hook = try LoopbackHTTPServer { _ in up.load(ordering: .relaxed) ? .status(200) : .status(503) }
        defer { feeds.stop(); hook.stop() }
        let config = try e2e.config(sources: [("Wire", feeds.baseURL + "/wire.rss")], webhook: hook.baseURL + "/in")
        let daemon = try await e2e.daemon(config)
        let (processed, first) = await daemon.runOnce(keepRunning: true)
        #expect(processed.alerts == 1)
        #expect(first.retried == 1)                      // the webhook; the file went through
        #expect(try daemon.stateStore.outboxDepth() == 1)
        up.store(true, ordering: .relaxed)
        var delivered = 0
        let end = ContinuousClock.now + .seconds(10)
        while delivered == 0 && ContinuousClock.now < end {
            try await Task.sleep(for: .milliseconds(100))
            delivered += await daemon.deliverDue().delivered
        }
        #expect(delivered == 1)
        #expect(try daemon.stateStore.outboxDepth() == 0)
        let posts = hook.requests
        #expect(posts.count >= 2)
        #expect(Set(posts.compactMap { $0.header("webhook-id") }).count == 1)   // retried with the same id
    }

    @Test func badSourcesDoNotStopTheOthers() async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        let feeds = try LoopbackHTTPServer { req in
            switch req.path {
            case "/good.rss": return .ok(E2E.rss("Good", [E2E.mali]))
            case "/garbage": return .ok("<html><body>Service temporarily unavailable</body></html>", contentType: "text/html")
            case "/endless": return .endless()
            case "/stall": return .stall
            case "/gone": return .status(410)
            case "/old": return .redirect(to: "/good2.rss", status: 301)
            case "/good2.rss": return .ok(E2E.rss("Moved", [E2E.weather]))
            default: return .status(404)
            }
        }
        defer { feeds.stop() }
        let config = try e2e.config(sources: [
            ("Garbage", feeds.baseURL + "/garbage"), ("Endless", feeds.baseURL + "/endless"),
            ("Stall", feeds.baseURL + "/stall"), ("Gone", feeds.baseURL + "/gone"),
            ("Moved", feeds.baseURL + "/old"), ("Good", feeds.baseURL + "/good.rss"),
        ])
        let daemon = try await e2e.daemon(config)
        let (processed, _) = await daemon.runOnce()
        #expect(processed.alerts == 1)
        #expect(e2e.loggedAlerts().map(\.source) == ["Good"])
        let store = daemon.stateStore
        func state(_ path: String) throws -> SourceState { try #require(try store.sourceState(url: feeds.baseURL + path)) }
        #expect(try state("/good.rss").consecutiveFailures == 0)
        #expect(try state("/garbage").consecutiveFailures == 1)
        #expect(try state("/garbage").lastError?.contains("parse") == true)
        #expect(try state("/endless").lastError?.contains("cap") == true || (try state("/endless").lastError?.contains("large") == true))
        #expect(try state("/stall").lastError != nil)
        let gone = try state("/gone")
        #expect(gone.gone)
        #expect(gone.nextPollAt == nil)
        let moved = try state("/old")
        #expect(moved.currentURL == feeds.baseURL + "/good2.rss")
        #expect(moved.consecutiveFailures == 0)
        // Backoff, not disabling: every failing source has a next poll.
        for p in ["/garbage", "/endless", "/stall"] { #expect(try state(p).nextPollAt != nil) }
    }

    @Test func secondPassNeitherRealertsNorRefetchesBodiesNeedlessly() async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        let feeds = try LoopbackHTTPServer { req in
            if req.header("If-None-Match") == "\"v1\"" { return .notModified(headers: [("ETag", "\"v1\"")]) }
            return .ok(E2E.rss("Wire", [E2E.mali]), headers: [("ETag", "\"v1\"")])
        }
        defer { feeds.stop() }
        let config = try e2e.config(sources: [("Wire", feeds.baseURL + "/wire.rss")])
        let (first, _) = try await e2e.daemon(config).runOnce()
        let firstAttempt: Date?
        do {
            let d = try await e2e.daemon(config)
            firstAttempt = try d.stateStore.sourceState(url: feeds.baseURL + "/wire.rss")?.lastAttempt
        }
        try await Task.sleep(for: .milliseconds(20))
        let second: ProcessReport
        do {
            let d = try await e2e.daemon(config)
            (second, _) = await d.runOnce()
            // A not-modified poll's state is written with the pass (batched), not lost.
            let state = try #require(try d.stateStore.sourceState(url: feeds.baseURL + "/wire.rss"))
            #expect(state.lastAttempt.map { $0 > firstAttempt! } == true)
            #expect(try d.stateStore.counter("not_modified") == 1)
        }
        #expect(first.alerts == 1)
        #expect(second.alerts == 0)
        #expect(second.entries == 0)                     // 304: nothing parsed
        #expect(feeds.requests.last?.header("If-None-Match") == "\"v1\"")
        #expect(e2e.loggedAlerts().count == 1)
    }
}

@Suite struct CatchUpTests {
    @Test func oldEntriesFeedDedupButDoNotAlert() async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        var old = E2E.mali
        old.published = Date().addingTimeInterval(-3 * 86400)
        let fresh = E2E.Item(guid: "fresh-1", title: "Soldiers killed in attack on Mali army post near Mopti, again",
                             body: "A second attack on soldiers near Mopti in central Mali killed four, the army said on Friday. "
                                 + "Gunmen on motorbikes stormed a checkpoint at dawn in the Bandiagara area.")
        // An old story off every topic counts as backlog all the same (and is never indexed).
        let offTopic = E2E.Item(guid: "old-2", title: "Harvest festival opens in Ségou",
                                body: "Farmers gathered in Ségou for the annual harvest festival on Saturday.",
                                published: Date().addingTimeInterval(-5 * 86400))
        let a = E2E.rss("A", [fresh, old, offTopic]), b = E2E.rss("B", [E2E.maliCopy])
        let feeds = try LoopbackHTTPServer { req in req.path == "/a.rss" ? .ok(a) : .ok(b) }
        defer { feeds.stop() }
        let first = try e2e.config(sources: [("A", feeds.baseURL + "/a.rss")], extra: "catch_up: {max_age: 24h}\n")
        let (p1, _) = try await e2e.daemon(first).runOnce()
        #expect(p1.alerts == 1)
        #expect(p1.backlog == 2)
        #expect(e2e.loggedAlerts().map(\.title) == [fresh.title])
        // The old story is in the dedup index: a fresh copy of it elsewhere is a duplicate, not a new story.
        let both = try e2e.config(sources: [("A", feeds.baseURL + "/a.rss"), ("B", feeds.baseURL + "/b.rss")],
                                  extra: "catch_up: {max_age: 24h}\n")
        let (p2, _) = try await e2e.daemon(both).runOnce()
        #expect(p2.duplicates == 1)
        // The fresh copy alerts on the old story's cluster. A restart pins both again, as the run
        // did: the cluster and the report that raised the alert (and the first run's alert).
        #expect(p2.alerts == 1)
        let store = try StateStore(readOnlyPath: e2e.dir + "/state/feedwatch.db")
        let copyID = AlertID.sourcePrefix(feeds.baseURL + "/b.rss") + ":" + E2E.maliCopy.guid
        let onA = AlertID.sourcePrefix(feeds.baseURL + "/a.rss")
        #expect(try store.alertedStories() == [onA + ":" + fresh.guid, onA + ":" + old.guid, copyID])
    }
}

@Suite struct SourceHealthAlertTests {
    @Test func aFailingStreakAlertsOnceWhenItReachesTheThreshold() async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        let feeds = try LoopbackHTTPServer { _ in .status(500, "boom") }
        defer { feeds.stop() }
        let config = try e2e.config(sources: [("Flaky", feeds.baseURL + "/flaky.rss")], extra: "health: {alert_after: 2}\n")
        let daemon = try await e2e.daemon(config)
        for _ in 0..<4 { _ = await daemon.runOnce(keepRunning: true) }
        let alerts = e2e.loggedAlerts()
        #expect(alerts.map(\.topic) == ["source-health"])
        #expect(alerts.first?.title.contains("Flaky is failing (2 polls in a row)") == true)
        #expect(alerts.first?.title.contains("HTTP 500") == true)
        #expect(try daemon.stateStore.sourceState(url: feeds.baseURL + "/flaky.rss")?.consecutiveFailures == 4)
    }
}
