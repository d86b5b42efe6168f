import FeedwatchAlert
@testable import FeedwatchDaemon
import FeedwatchModel
@testable import FeedwatchStore
import FeedwatchTestSupport
import Foundation
import Testing

/// Later reports of an alerted story become updates of the alert: coalesced to one per
/// `alerts.update_interval`, sent only when the reports grew, never when the interval is 0.
@Suite("Alert updates")
struct AlertUpdateTests {
    enum Step: Sendable, CustomStringConvertible {
        /// At `t` seconds after the alert, `outlet` carries the story at `link`.
        case report(Double, String, String)
        /// At `t`, the dispatcher runs a round.
        case pump(Double)

        var description: String {
            switch self {
            case .report(let t, let o, _): "report \(o)@\(Int(t))"
            case .pump(let t): "pump@\(Int(t))"
            }
        }
    }

    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var interval: TimeInterval
        var steps: [Step]
        /// Per update sent, in order: the report count it carried.
        var updates: [Int]
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "no later report, no update", interval: 600, steps: [.pump(0), .pump(700)], updates: []),
        Case(name: "a report waits for the interval since the alert", interval: 600,
             steps: [.report(60, "B", "b"), .pump(60), .pump(599), .pump(600)], updates: [2]),
        Case(name: "reports within one interval make one update", interval: 600,
             steps: [.report(60, "B", "b"), .pump(61), .report(120, "C", "c"), .pump(121), .report(300, "D", "d"), .pump(601)],
             updates: [4]),
        Case(name: "after an update the next waits a whole interval", interval: 600,
             steps: [.report(60, "B", "b"), .pump(600), .report(610, "C", "c"), .pump(700), .pump(1199), .pump(1200)],
             updates: [2, 3]),
        Case(name: "nothing new since the update: nothing sent", interval: 600,
             steps: [.report(60, "B", "b"), .pump(600), .pump(1300), .pump(5000)], updates: [2]),
        Case(name: "a report after a quiet spell goes at once", interval: 600,
             steps: [.pump(300), .report(5000, "B", "b"), .pump(5000)], updates: [2]),
        Case(name: "0 means never", interval: 0,
             steps: [.report(60, "B", "b"), .pump(600), .report(700, "C", "c"), .pump(100_000)], updates: []),
        Case(name: "the same outlet and link again is not a new report", interval: 600,
             steps: [.report(60, "A", "https://example.org/first"), .pump(700)], updates: []),
        Case(name: "the same outlet with a new report (a higher toll) is one", interval: 60,
             steps: [.report(30, "A", "a-later"), .pump(60)], updates: [2]),
    ]

    @Test(arguments: cases)
    func coalescing(_ c: Case) async throws {
        let f = try DispatchFixture()
        let t0 = f.clock.now
        let sink = MemorySink(name: "file")
        let dispatcher = AlertDispatcher(store: f.store, sinks: [sink], deadLetters: nil,
                                         configuration: .init(flood: nil, updateInterval: c.interval),
                                         logger: quietLogger, now: f.clock.closure)
        let alert = Self.alert(at: t0)
        try f.raise(alert, to: ["file"])
        for step in c.steps {
            switch step {
            case .report(let t, let outlet, let link):
                f.clock.advance(t0.addingTimeInterval(t).timeIntervalSince(f.clock.now))
                #expect(try f.store.addOutlet(alertID: alert.id, outlet: outlet, link: link, title: "Report by \(outlet)"))
            case .pump(let t):
                f.clock.advance(t0.addingTimeInterval(t).timeIntervalSince(f.clock.now))
                await dispatcher.drain()
            }
        }
        let sent = try sink.payloads.map { try AlertPayload.decode($0) }
        #expect(sent.first == alert)
        let updates = Array(sent.dropFirst())
        #expect(updates.map(\.kind) == updates.map { _ in .update })
        #expect(updates.map { $0.reportCount ?? -1 } == c.updates)
        #expect(updates.map { $0.update ?? -1 } == Array(1..<(c.updates.count + 1)))
        #expect(updates.allSatisfy { $0.id == alert.id && $0.deliveryID != alert.id })
        #expect(try f.store.outboxDepth() == 0)
    }

    static func alert(at t: Date) -> Alert {
        Alert(id: "fw-1", topic: "sahel", score: 5, matched: ["Mali"], story: "s1", title: "Attack in Mali",
              link: "https://example.org/first", source: "A", outlets: ["A"], published: t, fetched: t, alerted: t,
              reports: [Alert.Report(outlet: "A", link: "https://example.org/first", title: "Attack in Mali")], reportCount: 1)
    }

    @Test func anUpdateListsEveryOutletAndReportAndKeepsTheAlertsShape() async throws {
        let f = try DispatchFixture()
        let t0 = f.clock.now
        let sink = MemorySink(name: "hook")
        let dispatcher = AlertDispatcher(store: f.store, sinks: [sink], deadLetters: nil,
                                         configuration: .init(flood: FloodPolicy(burst: 1, interval: 3600), updateInterval: 60),
                                         logger: quietLogger, now: f.clock.closure)
        let alert = Self.alert(at: t0)
        try f.raise(alert, to: ["hook"])
        try f.store.addOutlet(alertID: alert.id, outlet: "B", link: "https://b.example/1", title: "Mali attack")
        try f.store.addOutlet(alertID: alert.id, outlet: "C", link: nil, title: nil)
        f.clock.advance(60)
        let report = await dispatcher.drain()
        #expect(report.updates == 1)
        #expect(report.held == 0)                 // flood control's one token went to the alert; updates pass
        #expect(sink.payloads.count == 2)
        let json = try #require(try JSONSerialization.jsonObject(with: sink.payloads[1]) as? [String: Any])
        #expect(json["kind"] as? String == "update")
        #expect(json["id"] as? String == alert.id)
        #expect(json["update"] as? Int == 1)
        #expect(json["outlets"] as? [String] == ["A", "B", "C"])
        #expect(json["outlet_count"] as? Int == 3)
        #expect(json["report_count"] as? Int == 3)
        #expect(json["alerted"] as? String == RFC3339.format(t0))
        #expect(json["updated"] as? String == RFC3339.format(t0.addingTimeInterval(60)))
        let reports = try #require(json["reports"] as? [[String: Any]])
        #expect(reports.map { $0["outlet"] as? String } == ["A", "B", "C"])
        #expect(reports.map { $0["link"] as? String } == ["https://example.org/first", "https://b.example/1", nil])
        let first = try #require(try JSONSerialization.jsonObject(with: sink.payloads[0]) as? [String: Any])
        #expect(first["kind"] as? String == "alert")
        #expect(first["outlet_count"] as? Int == 1)
        #expect(try f.store.updateState(alertID: alert.id).map { [$0.reports, $0.sent, $0.updates] } == [3, 3, 1])
        #expect(try f.store.outboxEntry(alertID: "fw-1-u1", sink: "hook")?.deliveredAt != nil)
        #expect(try f.store.counter("alerts.updates") == 1)
    }

    @Test func anAlertStoredBeforeReportsWereListedGainsItsOwnFirst() throws {
        let f = try DispatchFixture()
        var old = sampleAlert("old")
        old.reports = nil
        try f.store.insertAlert(old)
        #expect(try f.store.addOutlet(alertID: "old", outlet: "B", link: "https://b.example/x", title: "T"))
        let stored = try #require(try f.store.alert(id: "old"))
        #expect(stored.reports?.map(\.outlet) == ["rfi.fr", "B"])
        #expect(stored.reports?.first?.link == "https://example.org/old")
        #expect(stored.reportCount == 2)
        #expect(stored.outlets == ["rfi.fr", "B"])
    }

    @Test func reportsAreCappedButCounted() throws {
        let f = try DispatchFixture()
        try f.store.insertAlert(Self.alert(at: f.clock.now))
        for i in 0..<(Alert.maxReports + 5) {
            try f.store.addOutlet(alertID: "fw-1", outlet: "o\(i)", link: "l\(i)", title: nil)
        }
        let stored = try #require(try f.store.alert(id: "fw-1"))
        #expect(stored.reports?.count == Alert.maxReports)
        #expect(stored.reportCount == Alert.maxReports + 6)
        #expect(stored.outlets.count == Alert.maxReports + 6)
    }
}

/// Upgrading a state database from before alert updates (schema 4).
@Suite struct AlertUpdateMigrationTests {
    @Test func oldAlertsCountAsSentAndUpdateOnlyWhenANewReportArrives() throws {
        let dir = StoreTempDir()
        let path = dir.file(StateStore.fileName)
        let old = sampleAlert("old")
        let json = String(decoding: try JSONEncoder().encode(old), as: UTF8.self)
        let schema4 = Migrations.steps.prefix(4).joined(separator: "\n")
        let script = """
            import sqlite3, sys
            c = sqlite3.connect(sys.argv[1])
            c.executescript(sys.argv[2])
            c.execute("INSERT INTO alerts(id, topic, story, alerted_at, copies, json) VALUES('old', 'sahel', 's', ?, 3, ?)",
                      (float(sys.argv[3]), sys.argv[4].encode()))
            c.execute("PRAGMA user_version=4")
            c.commit()
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = ["-c", script, path, schema4, String(old.alerted.timeIntervalSince1970), json]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)

        let store = try StateStore(path: path)
        #expect(try store.userVersion() == StateStore.schemaVersion)
        let later = old.alerted.addingTimeInterval(86_400)
        #expect(try store.dueUpdates(sentBefore: later, limit: 10).isEmpty)     // no burst of updates on upgrade
        #expect(try store.updateState(alertID: "old").map { [$0.reports, $0.sent, $0.updates] } == [1, 1, 0])
        #expect(try store.addOutlet(alertID: "old", outlet: "B", link: "https://b.example/1", title: nil))
        #expect(try store.dueUpdates(sentBefore: old.alerted.addingTimeInterval(-1), limit: 10).isEmpty)
        #expect(try store.dueUpdates(sentBefore: later, limit: 10) == ["old"])
        let taken = try #require(try store.takeUpdate(alertID: "old", at: later))
        #expect(taken.number == 1)
        #expect(taken.alert.reports?.map(\.outlet) == ["rfi.fr", "B"])
        #expect(try store.dueUpdates(sentBefore: later, limit: 10).isEmpty)
    }
}

/// How `tail` renders an update.
@Suite struct AlertUpdateFormatTests {
    @Test func anUpdateUnderItsAlertNamesOutletsAndTheLatestReports() {
        let t = Date(timeIntervalSince1970: 1_790_000_000)
        var u = AlertUpdateTests.alert(at: t)
        u.kind = .update
        u.update = 2
        u.updated = t.addingTimeInterval(1200)
        for i in 1...10 {
            u.outlets.append("o\(i)")
            u.reports?.append(Alert.Report(outlet: "o\(i)", link: "https://o\(i).example/x", title: i == 10 ? "Toll rises" : u.title))
        }
        u.reportCount = 11
        let under = AlertFormatter(colour: false).format(u, underAlert: true).split(separator: "\n").map(String.init)
        #expect(under.first == "    ↳ update 2 2026-09-21 14:33Z: 11 outlets, 11 reports (A, o1, o2, o3, o4, o5, o6, o7, o8, o9, o10)")
        #expect(under[1] == "      … 2 earlier")
        #expect(under[2] == "      + o3  https://o3.example/x")
        #expect(under.last == "      + o10: Toll rises  https://o10.example/x")
        #expect(under.count == 2 + AlertFormatter.reportsShown)
        let alone = AlertFormatter(colour: false).format(u).split(separator: "\n").map(String.init)
        #expect(alone.first?.hasSuffix("sahel 5.0 Attack in Mali") == true)
        #expect(alone[1] == under[0])
    }
}
