import FeedwatchModel
import FeedwatchStore
import FeedwatchTestSupport
import Foundation
import Synchronization
import Testing

/// The built binary as a subprocess, where signals and kill -9 are involved.
@Suite(.serialized, .enabled(if: E2E.hasBinary, "needs .build/debug/feedwatch (swift build --build-tests)"))
struct DaemonProcessTests {
    /// A running `feedwatch` with its stderr captured.
    final class Child: @unchecked Sendable {
        let process = Process()
        private let lock = NSLock()
        private var err = ""

        init(_ args: [String], environment: [String: String] = [:]) throws {
            process.executableURL = URL(fileURLWithPath: E2E.binary)
            process.arguments = args
            var env = ProcessInfo.processInfo.environment
            for (k, v) in environment { env[k] = v }
            env["NO_COLOR"] = "1"
            process.environment = env
            let pipe = Pipe()
            process.standardError = pipe
            process.standardOutput = FileHandle.nullDevice
            pipe.fileHandleForReading.readabilityHandler = { [weak self] h in
                let d = h.availableData
                guard !d.isEmpty, let self else { return }
                self.lock.withLock { self.err += String(decoding: d, as: UTF8.self) }
            }
            try process.run()
        }

        var stderr: String { lock.withLock { err } }
        func signal(_ s: Int32) { kill(process.processIdentifier, s) }

        func wait(timeout: Duration = .seconds(15)) async -> Int32? {
            let end = ContinuousClock.now + timeout
            while process.isRunning && ContinuousClock.now < end { try? await Task.sleep(for: .milliseconds(50)) }
            if process.isRunning { signal(SIGKILL); process.waitUntilExit(); return nil }
            return process.terminationStatus
        }
    }

    @Test func sighupWithABrokenWatchlistKeepsTheOldOneRunning() async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        let feed = try e2e.write("wire.rss", E2E.rss("Wire", [E2E.weather]))
        let config = try e2e.config(sources: [("Wire", "wire.rss")],
                                    extra: "schedule: {default_interval: 1s, min_interval: 1s, jitter: 0}\n")
        let child = try Child(["run", "--config", config])
        defer { if child.process.isRunning { child.signal(SIGKILL) } }
        #expect(await eventually { child.stderr.contains("feedwatch started") })

        try e2e.write("watchlist.yaml", "topics:\n  sahel:\n    threshold: 3\n    terms:\n      Mali: lots\n")
        child.signal(SIGHUP)
        #expect(await eventually { child.stderr.contains("reload refused") })
        #expect(child.stderr.contains("watchlist.yaml:5:"))
        // Still running the old watchlist: a new Mali story alerts under `sahel`.
        try E2E.rss("Wire", [E2E.mali, E2E.weather]).write(toFile: feed, atomically: true, encoding: .utf8)
        // file:// validators are Last-Modified to the second: make the change visible even within the same second.
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(5)], ofItemAtPath: feed)
        #expect(await eventually { e2e.loggedAlerts().map(\.topic) == ["sahel"] })

        // A valid new watchlist is taken, and the change is logged.
        try e2e.write("watchlist.yaml", E2E.watchlist + "\n  weather:\n    threshold: 1\n    terms:\n      rain: 1\n")
        child.signal(SIGHUP)
        #expect(await eventually { child.stderr.contains("topics added: weather") }, "\(child.stderr)")
        // An edited topic is named; moving lines alone is not an edit.
        try e2e.write("watchlist.yaml", "# moved down a line\n" + E2E.watchlist
                      + "\n  weather:\n    threshold: 2\n    terms:\n      rain: 2\n")
        child.signal(SIGHUP)
        #expect(await eventually { child.stderr.contains("topics edited: weather") }, "\(child.stderr)")
        #expect(!child.stderr.contains("topics edited: sahel"))
        child.signal(SIGTERM)
        #expect(await child.wait() == 0)
        #expect(child.stderr.contains("feedwatch stopped"))
    }

    @Test func killBeforeTheIndexSnapshotStillKnowsTheStoryAfterRestart() async throws {
        // The dedup index is snapshotted once a minute; a kill -9 between snapshots must not make
        // a story already seen (and alerted) unknown, or its copy from another outlet alerts again.
        let e2e = try E2E()
        defer { e2e.cleanup() }
        _ = try e2e.write("wire.rss", E2E.rss("Wire", [E2E.mali]))
        _ = try e2e.write("other.rss", E2E.rss("Other", [E2E.maliCopy]))
        let first = try e2e.config(sources: [("Wire", "wire.rss")])
        let child = try Child(["run", "--config", first])
        defer { if child.process.isRunning { child.signal(SIGKILL) } }
        #expect(await eventually { e2e.loggedAlerts().count == 1 })
        child.signal(SIGKILL)
        _ = await child.wait()

        let both = try e2e.config(sources: [("Wire", "wire.rss"), ("Other", "other.rss")])
        let (report, _) = try await e2e.daemon(both).runOnce()
        #expect(report.alerts == 0)
        #expect(report.copies == 1)
        #expect(e2e.loggedAlerts().count == 1)
    }

    @Test func killDuringDispatchThenRestartLosesNothingAndMintsNoNewIDs() async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        let items = [
            E2E.mali,
            E2E.Item(guid: "g1", title: "Mali: convoy of soldiers ambushed on the road between Gao and Ansongo",
                     body: "A logistics convoy escorted by Malian soldiers was ambushed on Sunday on the road linking Gao to Ansongo, with an improvised explosive device followed by gunfire, regional officials said. Several trucks carrying fuel were destroyed."),
            E2E.Item(guid: "g2", title: "Drone attack hits wedding gathering in Kidal region, Mali",
                     body: "Witnesses in the Kidal region said a drone attack struck a wedding gathering near the town of Aguelhok on Saturday evening. Tuareg rebel groups accused the army of targeting civilians; the government denied it."),
            E2E.Item(guid: "g3", title: "Hostage released in Timbuktu after eight months, Mali officials say",
                     body: "An aid worker kidnapped near Timbuktu in March has been freed after mediation by community leaders, according to the governor's office. The attackers had demanded a ransom, which officials say was not paid. Soldiers escorted the freed hostage to Bamako."),
            E2E.Item(guid: "g4", title: "Mali and Niger launch joint military operation in Menaka border zone",
                     body: "The armies of Mali and Niger began a joint operation in the Menaka area along their shared border this week, targeting Islamic State Sahel fighters blamed for an attack on herders. About 1,500 soldiers are taking part, the joint command said."),
        ]
        let body = E2E.rss("Wire", items)
        let feeds = try LoopbackHTTPServer { _ in .ok(body) }
        let answering = Atomic<Bool>(false)
        let hook = try LoopbackHTTPServer { _ in answering.load(ordering: .relaxed) ? .status(200) : .stall }
        defer { feeds.stop(); hook.stop() }
        let config = try e2e.config(sources: [("Wire", feeds.baseURL + "/wire.rss")], webhook: hook.baseURL + "/in",
                                    extra: "flood: {burst: 100}\n")
        let first = try Child(["run", "--config", config, "--once"])
        defer { if first.process.isRunning { first.signal(SIGKILL) } }
        // The webhook is stalled mid-delivery: kill the process right there.
        #expect(await eventually { !hook.requests.isEmpty })
        first.signal(SIGKILL)
        _ = await first.wait()

        let db = e2e.dir + "/state/" + StateStore.fileName
        let before = try StateStore(readOnlyPath: db)
        let ids = Set(try before.recentAlerts(limit: 100).map(\.id))
        #expect(ids.count == 5)
        #expect(try before.outboxDepth() > 0)

        answering.store(true, ordering: .relaxed)
        let second = try Child(["run", "--config", config, "--once"])
        #expect(await second.wait() == 0)
        let after = try StateStore(readOnlyPath: db)
        #expect(try after.integrityCheck() == "ok")
        #expect(Set(try after.recentAlerts(limit: 100).map(\.id)) == ids)   // nothing alerted twice under a new id
        #expect(try after.outboxDepth() == 0)                                // nothing lost
        let delivered = Set(hook.requests.compactMap { $0.header("webhook-id") })
        #expect(delivered == ids)
        #expect(Set(e2e.loggedAlerts().map(\.id)) == ids)
    }

    @Test func checkPrintsEveryProblemOfBothFiles() async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        try e2e.write("watchlist.yaml", "topics:\n  sahel:\n    threshold: -1\n    terms:\n      Mali: 1\n")
        let config = try e2e.write("fw.yaml", "sources:\n  - url: feed.xml\n    colour: red\nsinks: [{type: file, path: a.jsonl}]\n")
        let child = try Child(["check", "--config", config])
        #expect(await child.wait() == 1)
        let lines = child.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains("\(config):3:5: unknown key 'colour' in a source"))
        #expect(lines.contains { $0.hasPrefix(e2e.dir + "/watchlist.yaml:3:") })
        #expect(lines.last == "check: 2 problems found")

        try e2e.write("watchlist.yaml", E2E.watchlist)
        try e2e.write("fw.yaml", "sources:\n  - url: feed.xml\nsinks: [{type: file, path: a.jsonl}]\n")
        let ok = try Child(["check", "--config", config])
        #expect(await ok.wait() == 0)

        // Templates: rendered against sample alerts, each problem at its file:line:column with its sink.
        let typo = try e2e.write("typo.mustache", "{{headline}}\n{{#lines}}\n- {{outlet}}: {{titel}}\n{{/lines}}\n")
        try e2e.write("fw.yaml", """
            sources:
              - url: feed.xml
            sinks:
              - {type: file, path: a.jsonl}
              - {type: webhook, url: "https://example.org/hook", secret: "\(WebhookSecret.sample)", template: typo.mustache}
            """)
        let bad = try Child(["check", "--config", config])
        #expect(await bad.wait() == 1)
        #expect(bad.stderr.contains("\(typo):3:15: unknown variable 'titel' (sink webhook:example.org)\ncheck: 1 problem found"))
    }

    @Test func statusReadsTheStateReadOnly() async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        try e2e.write("wire.rss", E2E.rss("Wire", [E2E.mali, E2E.weather]))
        let config = try e2e.config(sources: [("Wire", "wire.rss"), ("Missing", "missing.rss")])
        #expect(await (try Child(["run", "--config", config, "--once"])).wait() == 0)
        let out = e2e.dir + "/status.json"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        let child = Process()
        child.executableURL = URL(fileURLWithPath: E2E.binary)
        child.arguments = ["status", "--config", config, "--json"]
        child.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        try child.run()
        child.waitUntilExit()
        #expect(child.terminationStatus == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        let sources = try #require(json["sources"] as? [[String: Any]])
        #expect(sources.map { $0["name"] as? String } == ["Wire", "Missing"])
        #expect(sources.map { $0["state"] as? String } == ["ok", "failing"])
        #expect(sources[1]["consecutive_failures"] as? Int == 1)
        #expect((sources[1]["last_error"] as? String)?.contains("missing.rss") == true)
        #expect((json["counters"] as? [String: Int])?["alerts"] == 1)
        // The dedup index's size as gauges: the Mali story alone, pinned by its alert. The weather
        // story matched no topic, so it was never indexed.
        #expect((json["counters"] as? [String: Int])?["dedup.stories"] == 1)
        #expect((json["counters"] as? [String: Int])?["dedup.pinned"] == 1)
        #expect((json["counters"] as? [String: Int])?["dedup.max_stories"] == 15_000)
        #expect((json["outbox"] as? [String: Int])?["pending"] == 0)
        let recent = try #require(json["recent_alerts"] as? [[String: Any]])
        #expect(recent.first?["topic"] as? String == "sahel")
        #expect(recent.first?["copies"] as? Int == 1)

        // Per sink: the file sink's last success; a webhook the config no longer lists, with a dead
        // letter and a delivery being retried.
        do {
            let store = try StateStore(directory: e2e.dir + "/state")
            for id in ["gone-1", "gone-2"] {
                try store.insertAlert(sampleAlert(id))
                _ = try store.enqueue(alertID: id, sink: "old-hook", payload: Data("{}".utf8), at: Date())
            }
            let dead = try #require(try store.outboxEntry(alertID: "gone-1", sink: "old-hook"))
            try store.markDead(id: dead.id, error: "HTTP 401: invalid token", at: Date(timeIntervalSince1970: 1_790_000_000))
            let retry = try #require(try store.outboxEntry(alertID: "gone-2", sink: "old-hook"))
            try store.markRetry(id: retry.id, at: Date(timeIntervalSince1970: 1_790_000_600), error: "HTTP 503")
        }
        func statusJSON(_ args: [String]) throws -> [String: Any] {
            _ = FileManager.default.createFile(atPath: out, contents: nil)
            let child = Process()
            child.executableURL = URL(fileURLWithPath: E2E.binary)
            child.arguments = ["status", "--json"] + args
            child.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
            try child.run()
            child.waitUntilExit()
            return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any])
        }
        let withSinks = try statusJSON(["--config", config])
        let sinks = try #require(withSinks["sinks"] as? [[String: Any]])
        #expect(sinks.map { $0["name"] as? String } == ["file:alerts.jsonl", "old-hook"])
        #expect(sinks[0]["type"] as? String == "file" && sinks[0]["delivered"] as? Int == 1 && sinks[0]["pending"] as? Int == 0)
        #expect(sinks[0]["last_success"] is String && sinks[0]["last_error"] is NSNull)
        #expect(sinks[1]["type"] is NSNull && sinks[1]["pending"] as? Int == 1 && sinks[1]["dead"] as? Int == 1)
        #expect(sinks[1]["last_error"] as? String == "HTTP 503")
        #expect(sinks[1]["next_attempt"] as? String == "2026-09-21T14:23:20Z")
        #expect((withSinks["outbox"] as? [String: Int])?["dead"] == 1)
        do {
            _ = FileManager.default.createFile(atPath: out, contents: nil)
            let child = Process()
            child.executableURL = URL(fileURLWithPath: E2E.binary)
            child.arguments = ["status", "--config", config]
            child.environment = ["NO_COLOR": "1"]
            child.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
            try child.run()
            child.waitUntilExit()
            let text = try String(contentsOfFile: out, encoding: .utf8)
            #expect(text.contains("\nSINKS\n  file:alerts.jsonl  file  queue 0  dead 0  last ok 20"), "\(text)")
            #expect(text.contains("  old-hook           (not in config)  queue 1  dead 1  never delivered\n"
                                  + "      last error: HTTP 503 (retrying, next 2026-09-21T14:23:20Z)\n"), "\(text)")
        }
        // Without the config, sources known only by URL are named as the config would name them.
        let bare = try statusJSON(["--state-dir", e2e.dir + "/state"])
        let names = try #require(bare["sources"] as? [[String: Any]]).compactMap { $0["name"] as? String }
        #expect(names.sorted() == ["missing.rss", "wire.rss"])
    }

    @Test func statusTextCountsHealthySourcesBeyondThirtyAndListsTheOthers() async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        for i in 1...34 { try e2e.write("wire\(i).rss", E2E.rss("Wire", [E2E.mali, E2E.weather])) }
        var sources = (1...34).map { ("Wire \($0)", "wire\($0).rss") }
        sources.append(("Missing", "missing.rss"))
        let config = try e2e.config(sources: sources)
        #expect(await (try Child(["run", "--config", config, "--once"])).wait() == 0)

        func status(_ extra: [String]) throws -> String {
            let out = e2e.dir + "/status.txt"
            _ = FileManager.default.createFile(atPath: out, contents: nil)
            let child = Process()
            child.executableURL = URL(fileURLWithPath: E2E.binary)
            child.arguments = ["status", "--config", config] + extra
            child.environment = ["NO_COLOR": "1"]
            child.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
            try child.run()
            child.waitUntilExit()
            #expect(child.terminationStatus == 0)
            return try String(contentsOfFile: out, encoding: .utf8)
        }
        // A healthy source that moved (a 301 was followed) is listed too: its config needs editing.
        do {
            let store = try StateStore(directory: e2e.dir + "/state")
            var moved = try #require(try store.allSourceStates().first { $0.url.hasSuffix("/wire7.rss") })
            moved.currentURL = "https://example.org/wire7-new.rss"
            try store.saveSourceState(moved)
        }
        let short = try status([])
        #expect(short.contains("SOURCES (35: 34 ok, 1 failing)"))
        #expect(short.contains("  Missing"))
        #expect(!short.contains("  Wire 1 "))
        #expect(short.contains("  Wire 7 ") && short.contains("moved to https://example.org/wire7-new.rss"))
        #expect(short.contains("(33 healthy sources not listed; --all-sources lists them)"))
        let all = try status(["--all-sources"])
        #expect((1...34).allSatisfy { all.contains("  Wire \($0) ") })
        #expect(!all.contains("not listed"))
    }
}
