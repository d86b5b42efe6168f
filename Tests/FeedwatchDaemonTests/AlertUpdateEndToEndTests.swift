import FeedwatchAlert
import FeedwatchDaemon
import FeedwatchModel
import FeedwatchTestSupport
import Foundation
import Testing

/// Three outlets carry one story over two polls: the file and the webhook each get the alert once,
/// then one update listing all three outlets; `tail` shows the update under its alert.
@Suite(.serialized) struct AlertUpdateEndToEndTests {
    /// A third outlet's copy: its own headline over the wire's first sentences.
    static let third = E2E.Item(guid: "third-55", title: "Gunmen attack army camp near Mopti in central Mali",
                                body: E2E.maliText.split(separator: ".").prefix(5).joined(separator: ".") + ".")

    @Test func threeOutletsOverTwoPollsMakeOneAlertAndOneUpdate() async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        let feeds = try LoopbackHTTPServer { req in
            switch req.path {
            case "/wire.rss": return .ok(E2E.rss("Wire", [E2E.mali]))
            case "/other.rss": return .ok(E2E.rss("Other", [E2E.maliCopy]))
            case "/third.rss": return .ok(E2E.rss("Third", [Self.third]))
            default: return .status(404)
            }
        }
        let hook = try LoopbackHTTPServer { _ in .status(204) }
        defer { feeds.stop(); hook.stop() }
        let two = [("Wire", feeds.baseURL + "/wire.rss"), ("Other", feeds.baseURL + "/other.rss")]
        // First poll: an hour's interval, so the second outlet cannot make an update however slow the poll.
        let first = try e2e.config(sources: two, webhook: hook.baseURL + "/in", extra: "alerts: {update_interval: 1h}\n")
        do {
            let (p1, r1) = try await e2e.daemon(first).runOnce()
            #expect(p1.alerts == 1)
            #expect(p1.copies == 1)
            #expect(r1.updates == 0)
            #expect(r1.delivered == 2)
        }
        try await Task.sleep(for: .milliseconds(1100))
        let all = try e2e.config(sources: two + [("Third", feeds.baseURL + "/third.rss")], webhook: hook.baseURL + "/in",
                                 extra: "alerts: {update_interval: 1s}\n")
        let d2 = try await e2e.daemon(all)
        let (p2, r2) = await d2.runOnce()
        #expect(p2.alerts == 0)
        #expect(p2.copies == 1)
        #expect(r2.updates == 1)
        #expect(r2.delivered == 2)

        let logged = e2e.loggedAlerts()
        #expect(logged.map(\.kind) == [.alert, .update])
        let alert = try #require(logged.first), update = try #require(logged.last)
        #expect(update.id == alert.id)
        #expect(alert.outlets.count == 1)
        #expect(Set(update.outlets) == ["Wire", "Other", "Third"])
        #expect(update.outlets.last == "Third")
        #expect(update.reportCount == 3)
        #expect(update.update == 1)
        let links = Dictionary(uniqueKeysWithValues: (update.reports ?? []).map { ($0.outlet, $0.link) })
        #expect(links["Third"] == "https://example.org/third-55")
        #expect(links["Other"] == "https://example.org/other-778")
        #expect(links["Wire"] == "https://example.org/wire-mali-1")

        let posts = hook.requests
        #expect(posts.count == 2)
        let bodies = try posts.map { try JSONDecoder().decode(Alert.self, from: $0.body) }
        #expect(bodies == logged)                                      // the same bytes' meaning on both sinks
        #expect(posts.map { $0.header("webhook-id") } == [alert.id, alert.id + "-u1"])
        let post = try #require(posts.last)
        let ts = try #require(post.header("webhook-timestamp").flatMap { Int($0) })
        #expect(WebhookSignature.verify(header: post.header("webhook-signature") ?? "", id: alert.id + "-u1", timestamp: ts,
                                        body: post.body, secret: try WebhookSecret(parsing: E2E.secret), now: Date()))

        // A third pass with nothing new sends nothing more.
        let (p3, r3) = await d2.runOnce()
        #expect(p3.copies == 0 && r3.updates == 0)
        #expect(e2e.loggedAlerts().count == 2 && hook.requests.count == 2)

        guard BuiltCLI.path != nil else { return }
        // The first poll fetched Wire and Other in either order: the alert is whichever came first.
        let human = try BuiltCLI.run(["tail", "--file", e2e.alertsPath])
        let lines = human.stdout.split(separator: "\n").map(String.init)
        let at = try #require(lines.firstIndex { $0.contains("↳ update 1") })
        #expect(lines[at].contains("3 outlets, 3 reports (\(update.outlets.joined(separator: ", ")))"))
        #expect(lines[..<at].contains { $0.contains(alert.title) })
        #expect(lines.filter { $0.contains(alert.title) }.count == 1)   // the update does not repeat the headline
        #expect(lines.contains { $0.contains("+ Third: \(Self.third.title)") })
    }

    @Test(.enabled(if: BuiltCLI.path != nil, "needs the built feedwatch binary"))
    func tailPutsEachUpdateUnderItsAlert() throws {
        let dir = NSTemporaryDirectory() + "fw-tail-upd-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let t = Date(timeIntervalSince1970: 1_790_000_000)
        func alert(_ id: String) -> Alert {
            Alert(id: id, topic: "sahel", score: 4, matched: ["Mali"], story: id, title: "Story \(id)", link: nil,
                  source: "Wire", outlets: ["Wire"], published: t, fetched: t, alerted: t,
                  reports: [Alert.Report(outlet: "Wire", link: nil, title: nil)], reportCount: 1)
        }
        var update = alert("a")
        update.kind = .update
        update.update = 1
        update.updated = t.addingTimeInterval(600)
        update.outlets = ["Wire", "Other"]
        update.reports?.append(Alert.Report(outlet: "Other", link: "https://other.example/a", title: "Other's headline"))
        update.reportCount = 2
        let path = dir + "/alerts.jsonl"
        let text = try [alert("a"), alert("b"), update].map { String(decoding: try AlertPayload.encode($0), as: UTF8.self) + "\n" }
        try text.joined().write(toFile: path, atomically: true, encoding: .utf8)

        let json = try BuiltCLI.run(["tail", "--json", "--file", path])
        let decoded = json.stdout.split(separator: "\n").compactMap { try? JSONDecoder().decode(Alert.self, from: Data($0.utf8)) }
        #expect(decoded.map { "\($0.id):\($0.kind.rawValue)" } == ["a:alert", "a:update", "b:alert"])
        let human = try BuiltCLI.run(["tail", "--file", path]).stdout.split(separator: "\n").map(String.init)
        let a = try #require(human.firstIndex { $0.contains("Story a") })
        let u = try #require(human.firstIndex { $0.contains("↳ update 1") })
        let b = try #require(human.firstIndex { $0.contains("Story b") })
        #expect(a < u && u < b)
        #expect(human[u].contains("2 outlets, 2 reports (Wire, Other)"))
        #expect(human.contains { $0.contains("+ Other: Other's headline  https://other.example/a") })
    }
}
