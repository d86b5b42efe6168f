import FeedwatchAlert
@testable import FeedwatchDaemon
import FeedwatchModel
import FeedwatchPostgres
import FeedwatchStore
import FeedwatchTestSupport
import Foundation
import Testing

/// The stores an `Outbox` runs on: SQLite always; PostgreSQL when `FEEDWATCH_TEST_PG_URL` is set
/// (`scripts/pg run …`), and required under CI like the other PostgreSQL tests.
enum OutboxBackend: String, Sendable, CustomTestStringConvertible {
    case sqlite, postgresql

    static var available: [OutboxBackend] { PGTestURL.enabled ? [.sqlite, .postgresql] : [.sqlite] }

    var testDescription: String { rawValue }
}

/// One backend's database, empty, and the means to open it again as a restarted instance would.
final class OutboxDatabase: @unchecked Sendable {
    let backend: OutboxBackend
    let dir = StoreTempDir()
    let url: String?
    let instance = "outbox-test-" + UUID().uuidString.prefix(8).lowercased()
    let store: any Store
    var outbox: Outbox { Outbox(store: store) }

    init(_ backend: OutboxBackend) throws {
        self.backend = backend
        switch backend {
        case .sqlite:
            url = nil
            store = try StateStore(directory: dir.path)
        case .postgresql:
            let url = try PGTestURL.fresh()
            self.url = url
            store = try PostgresStore(url: url, instanceID: instance)
        }
    }

    /// The same database through a new connection: this instance after a restart.
    func reopen() throws -> any Store {
        guard let url else { return try StateStore(directory: dir.path) }
        return try PostgresStore(url: url, instanceID: instance)
    }
}

@Suite("Outbox: queue, claim, outcomes, leases (each store)")
struct OutboxStoresTests {
    let t = Date(timeIntervalSince1970: 1_790_000_000)

    @Test("An alert is queued once: the alert and one row per sink, and a replay adds nothing", arguments: OutboxBackend.available)
    func queuesOnce(_ backend: OutboxBackend) throws {
        let db = try OutboxDatabase(backend)
        let a = sampleAlert("q1")
        #expect(try db.outbox.queue(a, to: ["file", "hook"], at: t))
        #expect(try !db.outbox.queue(a, to: ["file", "hook"], at: t))
        #expect(try !db.outbox.queue(a, to: ["mail"], at: t))
        #expect(try db.store.alert(id: "q1") == a)
        #expect(try db.store.outboxDepth() == 2)
        #expect(try db.store.outboxEntry(alertID: "q1", sink: "file") != nil)
        #expect(try db.store.outboxEntry(alertID: "q1", sink: "mail") == nil)
        #expect(try db.store.counter("alerts.raised") == 1)
    }

    @Test("Routing: rows only for the sinks whose route takes the alert", arguments: OutboxBackend.available)
    func queuesByRoute(_ backend: OutboxBackend) throws {
        let db = try OutboxDatabase(backend)
        let routes = SinkRoutes([("all", AlertRoute()), ("french", AlertRoute(languages: ["fr"])),
                                 ("other-topic", AlertRoute(topics: ["elections"])), ("tagged", AlertRoute(tags: ["mali"]))])
        #expect(try db.outbox.queue(sampleAlert("r1"), routes: routes, sourceTags: ["mali"], language: "en", at: t))
        let sinks = try ["all", "french", "other-topic", "tagged"].filter {
            try db.store.outboxEntry(alertID: "r1", sink: $0) != nil
        }
        #expect(sinks == ["all", "tagged"])
    }

    @Test("Claims lease due rows, skip busy sinks, and record each outcome", arguments: OutboxBackend.available)
    func claimAndOutcomes(_ backend: OutboxBackend) throws {
        let db = try OutboxDatabase(backend)
        let outbox = db.outbox
        try outbox.queue(sampleAlert("a"), to: ["file"], at: t)
        try outbox.queue(sampleAlert("b"), to: ["file"], at: t)
        try outbox.queue(sampleAlert("c"), to: ["hook"], at: t)
        let all: Set<String> = ["file", "hook"]

        let first = try outbox.claim(now: t, limit: 10, lease: 300, excluding: ["hook"], sinks: all)
        #expect(first.map(\.alertID) == ["a", "b"])
        #expect(first.map(\.attempts) == [1, 1])
        // Leased: not claimed again; the busy sink's row is still there.
        #expect(try outbox.claim(now: t, limit: 10, lease: 300, excluding: ["hook"], sinks: all).isEmpty)
        let a = first[0], b = first[1]

        try outbox.delivered(a, at: t)
        #expect(try db.store.outboxEntry(alertID: "a", sink: "file")?.deliveredAt != nil)
        #expect(try db.store.counter("alerts.delivered") == 1)

        try outbox.retry(b, at: t.addingTimeInterval(60), error: "HTTP 503")
        #expect(try outbox.claim(now: t.addingTimeInterval(30), limit: 10, lease: 300, excluding: [], sinks: all)
            .map(\.alertID) == ["c"])
        let again = try outbox.claim(now: t.addingTimeInterval(61), limit: 10, lease: 300, excluding: [], sinks: all)
        #expect(again.map(\.alertID) == ["b"])
        #expect(again.first?.attempts == 2)
        #expect(try db.store.outboxEntry(alertID: "b", sink: "file")?.lastError == "HTTP 503")

        // Handed back unattempted: the claim's attempt is taken back.
        try outbox.handBack(again[0], due: t.addingTimeInterval(61), reason: "sink backing off")
        let third = try outbox.claim(now: t.addingTimeInterval(61), limit: 10, lease: 300, excluding: [], sinks: all)
        #expect(third.map(\.attempts) == [2])

        let deadPath = db.dir.file("dead.jsonl")
        try outbox.dead(third[0], reason: "HTTP 410", at: t.addingTimeInterval(62), deadLetters: try DeadLetterLog(path: deadPath))
        let letters = readLines(deadPath)
        #expect(letters.count == 1)
        #expect(letters.first?.contains(#""alert_id":"b""#) == true)
        #expect(letters.first?.contains("HTTP 410") == true)
        #expect(try db.store.counter("alerts.dead") == 1)
        #expect(try db.store.outboxCounts() == OutboxCounts(pending: 1, delivered: 1, dead: 1))
        // Dead is final: never claimed again.
        #expect(try outbox.claim(now: t.addingTimeInterval(10_000), limit: 10, lease: 300, excluding: [], sinks: all)
            .map(\.alertID) == ["c"])
    }

    @Test("A claim's lease runs out, or a restart hands it back; either way the row is due again", arguments: OutboxBackend.available)
    func leases(_ backend: OutboxBackend) throws {
        let db = try OutboxDatabase(backend)
        try db.outbox.queue(sampleAlert("a"), to: ["file"], at: t)
        #expect(try db.outbox.claim(now: t, limit: 10, lease: 300, excluding: [], sinks: ["file"]).count == 1)
        #expect(try db.outbox.claim(now: t.addingTimeInterval(299), limit: 10, lease: 300, excluding: [], sinks: ["file"]).isEmpty)
        let expired = try db.outbox.claim(now: t.addingTimeInterval(301), limit: 10, lease: 300, excluding: [], sinks: ["file"])
        #expect(expired.map(\.attempts) == [2])

        // The instance dies holding that claim; started again, it hands back what it held.
        let restarted = Outbox(store: try db.reopen())
        #expect(try restarted.claim(now: t.addingTimeInterval(302), limit: 10, lease: 300, excluding: [], sinks: ["file"]).isEmpty)
        #expect(try restarted.releaseLeases() == 1)
        let resent = try restarted.claim(now: t.addingTimeInterval(302), limit: 10, lease: 300, excluding: [], sinks: ["file"])
        #expect(resent.map(\.alertID) == ["a"])
        #expect(try restarted.releaseLeases() == 1)
        #expect(try restarted.releaseLeases() == 0)
    }

    @Test("Sinks this instance lacks: claimed by a lone instance, left to the others on a shared store",
          arguments: OutboxBackend.available)
    func claimsOnlyItsSinksWhenShared(_ backend: OutboxBackend) throws {
        let db = try OutboxDatabase(backend)
        try db.outbox.queue(sampleAlert("a"), to: ["file", "hook"], at: t)
        let mine = try db.outbox.claim(now: t, limit: 10, lease: 300, excluding: [], sinks: ["file"])
        switch backend {
        case .sqlite:
            // Alone, the row for "hook" is its dispatcher's to wait for (a reload adding the sink) or dead-letter.
            #expect(mine.map(\.sink) == ["file", "hook"])
        case .postgresql:
            #expect(mine.map(\.sink) == ["file"])
            let other = Outbox(store: try PostgresStore(url: try #require(db.url), instanceID: db.instance + "-b"))
            #expect(try other.claim(now: t, limit: 10, lease: 300, excluding: [], sinks: ["hook"]).map(\.sink) == ["hook"])
        }
    }

    @Test("A digest replaces the rows it carries; held rows a route leaves out are dropped", arguments: OutboxBackend.available)
    func digestsAndDrops(_ backend: OutboxBackend) throws {
        let db = try OutboxDatabase(backend)
        let outbox = db.outbox
        for id in ["m1", "m2"] { try outbox.queue(sampleAlert(id), to: ["mail"], at: t) }
        let held = try outbox.claim(now: t, limit: 10, lease: 300, excluding: [], sinks: ["mail", "chat"])
        let alerts = try held.map { try AlertPayload.decode($0.payload) }
        let digest = AlertDigest.make(topic: "sahel", sink: "mail", items: alerts, now: t.addingTimeInterval(60))
        try outbox.queueDigest(digest, sink: "mail", replacing: held, at: t.addingTimeInterval(60))
        #expect(try db.store.outboxEntry(alertID: "m1", sink: "mail")?.deliveredAt != nil)
        #expect(try db.store.outboxEntry(alertID: "m2", sink: "mail")?.deliveredAt != nil)
        #expect(try db.store.counter("alerts.digested") == 2)
        let next = try outbox.claim(now: t.addingTimeInterval(60), limit: 10, lease: 300, excluding: [], sinks: ["mail"])
        #expect(next.map(\.alertID) == [digest.id])
        #expect(try AlertPayload.decode(next[0].payload).items?.map(\.id) == ["m1", "m2"])

        try outbox.queue(sampleAlert("c1"), to: ["chat"], at: t)
        let chat = try outbox.claim(now: t.addingTimeInterval(60), limit: 10, lease: 300, excluding: [], sinks: ["chat"])
        try outbox.drop(chat, at: t.addingTimeInterval(61))
        #expect(try db.store.outboxEntry(alertID: "c1", sink: "chat")?.deliveredAt != nil)
        #expect(try db.store.counter("alerts.dropped_by_route") == 1)
    }

    @Test("An alert with new reports gets one update, for the sinks it went to that take updates",
          arguments: OutboxBackend.available)
    func updates(_ backend: OutboxBackend) throws {
        let db = try OutboxDatabase(backend)
        let outbox = db.outbox
        try outbox.queue(sampleAlert("u1"), to: ["file", "hook"], at: t)
        #expect(try outbox.queueUpdates(sentBefore: t.addingTimeInterval(86_400), at: t, limit: 10, sinks: ["file", "hook"]) == 0)
        #expect(try db.store.addOutlet(alertID: "u1", outlet: "second outlet"))
        #expect(try outbox.queueUpdates(sentBefore: t.addingTimeInterval(-86_400), at: t, limit: 10, sinks: ["file", "hook"]) == 0)
        // "mail" took updates but never had the alert; "hook" had it but its route leaves updates out.
        #expect(try outbox.queueUpdates(sentBefore: t.addingTimeInterval(86_400), at: t.addingTimeInterval(600), limit: 10,
                                        sinks: ["file", "mail"]) == 1)
        #expect(try outbox.queueUpdates(sentBefore: t.addingTimeInterval(86_400), at: t.addingTimeInterval(600), limit: 10,
                                        sinks: ["file", "mail"]) == 0)
        #expect(try db.store.counter("alerts.updates") == 1)
        let rows = try outbox.claim(now: t.addingTimeInterval(600), limit: 10, lease: 300, excluding: [],
                                    sinks: ["file", "hook", "mail"])
        let updates = try rows.map { ($0.sink, try AlertPayload.decode($0.payload)) }.filter { $0.1.kind == .update }
        #expect(updates.map(\.0) == ["file"])
        #expect(updates.first?.1.update == 1)
        #expect(updates.first?.1.outlets.contains("second outlet") == true)
    }
}
