import FeedwatchModel
@testable import FeedwatchPostgres
import FeedwatchStore
import FeedwatchTestSupport
import Foundation
import Synchronization
import Testing

/// Three `feedwatch run` processes on one PostgreSQL database, polling a loopback farm of
/// outlets that report the same stories (each story on three outlets, appearing while the
/// instances run); one instance is killed with SIGKILL at a random moment, twice, and
/// restarted. Afterwards every story was alerted exactly once, no alert was lost, and no source
/// waited longer than its interval plus the lease between polls.
@Suite(.serialized, .enabled(if: PGTestURL.enabled && E2E.hasBinary, "needs FEEDWATCH_TEST_PG_URL and .build/debug/feedwatch"))
struct MultiInstanceTests {
    static let outlets = 9
    static let stories = 20
    static let storyEvery: TimeInterval = 0.8
    static let interval: TimeInterval = 2
    static let lease: TimeInterval = 5

    /// Which outlets carry story `k`: three of them, a different set for neighbouring stories.
    static func outlets(of k: Int) -> [Int] { [k % outlets, (k + 3) % outlets, (k + 5) % outlets] }

    /// Story `k`'s text: forty made-up words drawn with seed `k` from some 300,000 (distinct
    /// stories share no run of words), with the watched term.
    static func body(_ k: Int) -> String {
        let consonants = Array("bdfgklmnprstvz"), vowels = Array("aeiou")
        var g = SplitMix(seed: UInt64(k) &* 7919 &+ 11)
        func word() -> String {
            String((0..<(2 + Int(g.next() % 2))).flatMap { _ in
                [consonants[Int(g.next() % 14)], vowels[Int(g.next() % 5)]]
            })
        }
        return "The zorblat committee reported " + (0..<40).map { _ in word() }.joined(separator: " ") + "."
    }

    static func title(_ k: Int) -> String {
        "Zorblat report \(k): " + body(k).split(separator: " ").dropFirst(4).prefix(5).joined(separator: " ")
    }

    @Test func threeInstancesWithKillsAlertEveryStoryOnce() async throws {
        let url = try PGTestURL.fresh()
        let e2e = try E2E()
        defer { e2e.cleanup() }
        try e2e.write("watchlist.yaml", "topics:\n  zorblat:\n    threshold: 1\n    terms:\n      zorblat: 1\n")
        let start = Date()
        // The machine may stall (shared cores, a paused VM): the longest stall widens the bound
        // on gaps between polls, which is about feedwatch, not about the host.
        let stall = Mutex<TimeInterval>(0)
        let watching = Mutex(true)
        Thread.detachNewThread {
            var last = Date()
            while watching.withLock({ $0 }) {
                Thread.sleep(forTimeInterval: 0.05)
                let now = Date()
                stall.withLock { $0 = max($0, now.timeIntervalSince(last) - 0.05) }
                last = now
            }
        }
        defer { watching.withLock { $0 = false } }
        let polls = Mutex<[Int: [Date]]>([:])
        let farm = try LoopbackHTTPServer { req in
            guard req.path.hasPrefix("/outlet/"), let o = Int(req.path.dropFirst("/outlet/".count).prefix { $0.isNumber }),
                  o < Self.outlets else { return .status(404) }
            let now = Date()
            // A slow answer: a kill then often catches fetches in flight, whose leases must run out.
            Thread.sleep(forTimeInterval: 0.4)
            polls.withLock { $0[o, default: []].append(now) }
            let visible = Int(now.timeIntervalSince(start) / Self.storyEvery) + 1
            let items = (0..<min(visible, Self.stories)).reversed().filter { Self.outlets(of: $0).contains(o) }.map { k in
                E2E.Item(guid: "o\(o)-s\(k)", title: Self.title(k), body: Self.body(k),
                         published: start.addingTimeInterval(Double(k) * Self.storyEvery))
            }
            return .ok(E2E.rss("Outlet \(o)", items))
        }
        defer { farm.stop() }
        var configs: [String] = []
        for slot in 0..<3 {
            var y = "watchlist: watchlist.yaml\nstate_dir: state-\(slot)\nsources:\n"
            for o in 0..<Self.outlets { y += "  - {name: \"Outlet \(o)\", url: \"\(farm.baseURL)/outlet/\(o)\"}\n" }
            y += "sinks:\n  - {type: file, name: out, path: alerts-\(slot).jsonl}\n"
            y += "limits: {timeout: 2s, connect_timeout: 1s}\n"
            // Flood control counts per instance (a limit no test of delivery should hit here).
            y += "flood: {burst: 1000, per_hour: 100000}\n"
            y += "schedule: {default_interval: \(Int(Self.interval))s, min_interval: 1s, jitter: 0}\n"
            y += "store: {url: \"\(url)\", lease: \(Int(Self.lease))s}\n"
            configs.append(try e2e.write("feedwatch-\(slot).yaml", y))
        }
        var children = try configs.map { try DaemonProcessTests.Child(["run", "--config", $0]) }
        defer { for c in children where c.process.isRunning { c.signal(SIGKILL) } }
        for c in children { #expect(await eventually { c.stderr.contains("feedwatch started") }, "\(c.stderr)") }

        // Two kills at random moments while stories keep appearing, each of an instance that holds
        // a source's lease at that moment (a fetch in flight), when one does within a second.
        let store = try PostgresStore(url: url, migrate: false)
        var g = SplitMix(seed: UInt64(Date().timeIntervalSince1970))
        var killed: [String] = []
        var gone: [DaemonProcessTests.Child] = []
        var caughtHolding = 0
        for window in [(3.0, 7.0), (9.0, 13.0)] {
            let at = window.0 + Double(g.next() % 1000) / 1000 * (window.1 - window.0)
            let wait = at - Date().timeIntervalSince(start)
            if wait > 0 { try await Task.sleep(for: .milliseconds(Int64(wait * 1000))) }
            var slot = Int(g.next() % 3)
            let until = Date().addingTimeInterval(1)
            search: while Date() < until {
                for i in try store.instances() where i.sourcesHeld > 0 {
                    if let s = children.firstIndex(where: { Int($0.process.processIdentifier) == i.pid }) {
                        slot = s
                        caughtHolding += 1
                        break search
                    }
                }
                try await Task.sleep(for: .milliseconds(10))
            }
            children[slot].signal(SIGKILL)
            _ = await children[slot].wait()
            gone.append(children[slot])
            killed.append("instance \(slot) at \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
            children[slot] = try DaemonProcessTests.Child(["run", "--config", configs[slot]])
        }

        func storyNumber(_ a: Alert) -> Int? {
            guard let r = a.title.range(of: "Zorblat report ") else { return nil }
            return Int(a.title[r.upperBound...].prefix { $0.isNumber })
        }
        let allAlerted = await eventually(.seconds(40)) {
            Set(((try? store.recentAlerts(limit: 1000)) ?? []).compactMap(storyNumber)).count == Self.stories
        }
        #expect(allAlerted, "killed \(killed)")
        // Every story's later copies reach its alert before it is judged (the last story appears
        // on its third outlet within an interval plus a lease of appearing).
        try await Task.sleep(for: .seconds(Self.interval + 2))
        // A killed instance's claimed deliveries are handed back once it is silent for 15 s.
        let outboxSettled = await eventually(.seconds(40)) {
            let c = try? store.outboxCounts()
            return c.map { $0.pending == 0 && $0.dead == 0 } ?? false
        }
        let stoppedAt = Date()
        for c in children { c.signal(SIGTERM) }
        for c in children { #expect(await c.wait() == 0, "\(c.stderr.suffix(2000))") }

        let alerts = try store.recentAlerts(limit: 1000)
        let numbers = alerts.compactMap(storyNumber)
        // Exactly once: as many alerts as stories, and no story under two ids.
        #expect(alerts.count == Self.stories, "killed \(killed): \(alerts.map(\.title))")
        #expect(numbers.count == alerts.count)
        #expect(Set(numbers) == Set(0..<Self.stories), "killed \(killed)")
        // Each alert names the outlets that carried its story (copies were found, not alerted).
        for a in alerts {
            guard let k = storyNumber(a) else { continue }
            #expect(a.outlets.count == 3, "story \(k): \(a.outlets)")
        }
        // No alert lost: every alert was delivered to a sink by some instance.
        let stuck = try store.connection.query("""
            SELECT alert_id, lease_owner, lease_until - extract(epoch from now()), next_attempt_at - extract(epoch from now()),
                   attempts, coalesce(last_error, '') FROM outbox WHERE delivered_at IS NULL
            """) { r in "\(r.string(0) ?? "") owner=\(r.string(1) ?? "-") lease=\(r.string(2) ?? "-") next=\(r.string(3) ?? "-") attempts=\(r.int(4)) \(r.string(5) ?? "")" }
        let inst = try store.instances().map { "\($0.id) hb=\($0.heartbeatAt.timeIntervalSinceNow)" }
        #expect(outboxSettled, "\(stuck) instances: \(inst)")
        var delivered = Set<String>()
        for slot in 0..<3 {
            let text = (try? String(contentsOfFile: e2e.dir + "/alerts-\(slot).jsonl", encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") {
                if let a = try? JSONDecoder().decode(Alert.self, from: Data(line.utf8)) { delivered.insert(a.id) }
            }
        }
        #expect(delivered == Set(alerts.map(\.id)), "killed \(killed)")
        // No source waited longer than its interval plus the lease (plus a claim tick and a fetch).
        let stalled = stall.withLock { $0 }
        let limit = Self.interval + Self.lease + 2.5 + (stalled > 0.5 ? stalled + Self.lease : 0)
        let seen = polls.withLock { $0 }
        var longest: TimeInterval = 0
        for o in 0..<Self.outlets {
            let times = [start] + (seen[o] ?? []) + [stoppedAt]
            let gaps = zip(times, times.dropFirst()).map { $1.timeIntervalSince($0) }
            let logged = (gone + children).flatMap { $0.stderr.split(separator: "\n").filter { !$0.contains("info") } }
            let note = "outlet \(o): a gap of \(String(format: "%.1f", gaps.max() ?? 0)) s (killed \(killed)); polls at "
                    + "\(times.map { String(format: "%.1f", $0.timeIntervalSince(start)) }); \(logged.suffix(30))"
            #expect(gaps.max() ?? .infinity <= limit, "\(note)")
            longest = max(longest, gaps.max() ?? 0)
        }
        // The killed instances' leases ran out and others took their sources over.
        let takeovers = try store.counter("sources.lease_takeovers")
        #expect(takeovers >= caughtHolding.signum(), "killed \(caughtHolding) instances holding leases")
        print("multi-instance: \(seen.values.map(\.count).reduce(0, +)) polls, \(alerts.count) alerts, "
              + "longest host stall \(String(format: "%.2f", stalled)) s, "
              + "longest gap between polls of an outlet \(String(format: "%.1f", longest)) s (bound \(String(format: "%.1f", limit)) s), "
              + "\(takeovers) lease takeovers, killed \(killed)")
    }
}
