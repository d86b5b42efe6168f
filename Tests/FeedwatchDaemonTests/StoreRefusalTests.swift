import FeedwatchDaemon
import FeedwatchModel
@testable import FeedwatchStore
import FeedwatchTestSupport
import Foundation
import Testing

/// A store that refuses a write (disk full, read-only remount) must not make the daemon believe
/// the feed was processed: once the store takes writes again, the feed's entries are processed
/// and alert, once.
@Suite struct StoreRefusalTests {
    /// `refuse`: SQL that makes this connection refuse the pass's writes, `accept` its undoing.
    @Test(arguments: [
        // The transaction begins, then the first seen mark is refused: the feed's savepoint fails.
        ("CREATE TEMP TRIGGER refuse BEFORE INSERT ON seen BEGIN SELECT RAISE(ABORT, 'refused'); END",
         "DROP TRIGGER temp.refuse"),
        // No transaction can begin at all.
        ("PRAGMA query_only = ON", "PRAGMA query_only = OFF"),
    ])
    func aPassTheStoreRefusedIsProcessedAgainOnceItAccepts(refuse: String, accept: String) async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        // With an ETag: a daemon that kept the refused pass's validators would be answered 304
        // and never see those entries again.
        let feeds = try LoopbackHTTPServer { req in
            if req.header("If-None-Match") == "\"v1\"" { return .notModified(headers: [("ETag", "\"v1\"")]) }
            return .ok(E2E.rss("Wire", [E2E.mali, E2E.weather]), headers: [("ETag", "\"v1\"")])
        }
        defer { feeds.stop() }
        let daemon = try await e2e.daemon(try e2e.config(sources: [("Wire", feeds.baseURL + "/wire.rss")]))
        let store = try #require(daemon.stateStore as? StateStore)
        try store.locked { try store.connection.execute(refuse) }
        let (refused, _) = await daemon.runOnce(keepRunning: true)
        #expect(refused.alerts == 0)
        #expect(e2e.loggedAlerts().isEmpty)
        try store.locked { try store.connection.execute(accept) }
        let (accepted, _) = await daemon.runOnce(keepRunning: true)
        #expect(accepted.alerts == 1)
        #expect(e2e.loggedAlerts().map(\.title) == [E2E.mali.title])
        #expect(feeds.requests.map { $0.header("If-None-Match") } == [nil, nil])
        let (again, _) = await daemon.runOnce()
        #expect(again.alerts == 0)
        #expect(e2e.loggedAlerts().count == 1)
    }
}
