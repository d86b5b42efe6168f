import FeedwatchModel
import FeedwatchStore
import FeedwatchTestSupport
import Foundation
import Synchronization
import Testing

/// A source whose content kills the process while it is parsed cannot crash-loop the service:
/// the built binary really dies (a debug-build trigger, `FEEDWATCH_TEST_CRASH_ON`), starts again,
/// and after the second crash quarantines the source while the healthy one keeps alerting.
@Suite(.serialized, .enabled(if: E2E.hasBinary, "needs .build/debug/feedwatch (swift build --build-tests)"))
struct PoisonSourceTests {
    static let marker = "POISON-PILL-FOR-TESTS"
    /// Item dates are fixed: the same content must give the same bytes at every poll.
    static let published = Date(timeIntervalSince1970: 1_800_000_000)

    /// Runs `feedwatch ARGS` to its end; returns its exit status (a signal as 128 + n) and stderr.
    /// The waiting happens on a thread of its own: blocking the few threads of Swift's
    /// cooperative pool would stall every other test running meanwhile.
    func feedwatch(_ args: [String], crashOn: String? = marker) async throws -> (status: Int32, stderr: String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try Self.runToEnd(args, crashOn: crashOn) })
            }
        }
    }

    static func runToEnd(_ args: [String], crashOn: String?) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: E2E.binary)
        process.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["FEEDWATCH_TEST_CRASH_ON"] = crashOn
        env["SWIFT_BACKTRACE"] = "enable=no"     // a dying child need not symbolicate its stack
        process.environment = env
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return (status, String(decoding: data, as: UTF8.self))
    }

    @Test func aPoisonedSourceIsQuarantinedAfterTwoCrashesAndTheHealthyOneKeepsAlerting() async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        try e2e.write("watchlist.yaml", E2E.watchlist)
        let poisoned = Atomic<Bool>(true)
        let second = E2E.Item(guid: "wire-mali-2", title: "Soldiers killed in second attack near Mopti, Mali",
                              body: "Gunmen attacked a checkpoint near Mopti in central Mali on Wednesday, killing four soldiers.")
        let round = Atomic<Int>(0)
        let feeds = try LoopbackHTTPServer { req in
            switch req.path {
            case "/poison.rss":
                let pill = poisoned.load(ordering: .relaxed) ? Self.marker : "clean"
                return .ok(E2E.rss("Poison", [E2E.Item(guid: "p-1", title: "Mali attack \(pill)", body: "Mali attack.", published: Self.published)]))
            case "/good.rss":
                return .ok(E2E.rss("Good", round.load(ordering: .relaxed) < 3 ? [E2E.mali] : [E2E.mali, second]))
            default: return .status(404)
            }
        }
        defer { feeds.stop() }
        let config = try e2e.config(sources: [("Poison", feeds.baseURL + "/poison.rss"), ("Good", feeds.baseURL + "/good.rss")],
                                    extra: "health: {alert_after: 100}\n")
        let statePath = (e2e.dir as NSString).appendingPathComponent("state")

        // Two starts die while parsing the poisoned feed (SIGABRT: 134).
        for n in 1...2 {
            round.store(n, ordering: .relaxed)
            let run = try await feedwatch(["run", "--once", "--config", config])
            #expect(run.status == 134, "run \(n): \(run.stderr)")
        }
        // The third start names the source, quarantines it and processes the healthy one.
        round.store(3, ordering: .relaxed)
        let third = try await feedwatch(["run", "--once", "--config", config])
        #expect(third.status == 0, "\(third.stderr)")
        #expect(third.stderr.contains("source QUARANTINED"))
        let store = try StateStore(directory: statePath)
        let poison = try #require(try store.sourceState(url: feeds.baseURL + "/poison.rss"))
        #expect(poison.isQuarantined && poison.strikes == 2)
        #expect(poison.lastError?.hasPrefix("quarantined:") == true)
        let good = try #require(try store.sourceState(url: feeds.baseURL + "/good.rss"))
        #expect(!good.isQuarantined && good.strikes == 0 && good.consecutiveFailures == 0)
        var alerts = e2e.loggedAlerts()
        #expect(Set(alerts.filter { $0.topic == "sahel" }.map(\.title)) == [E2E.mali.title, second.title])
        #expect(alerts.filter { $0.topic == "source-health" }.count == 1)
        #expect(alerts.first { $0.topic == "source-health" }?.title.contains("Poison is QUARANTINED") == true)

        // A fourth start, same content: not parsed (no crash), still quarantined, no second health alert.
        let fourth = try await feedwatch(["run", "--once", "--config", config])
        #expect(fourth.status == 0, "\(fourth.stderr)")
        #expect(try store.sourceState(url: feeds.baseURL + "/poison.rss")?.isQuarantined == true)
        alerts = e2e.loggedAlerts()
        #expect(alerts.filter { $0.topic == "source-health" }.count == 1)

        // `source release` lifts it; the next start parses the (now clean) content alone.
        let release = try await feedwatch(["source", "release", "Poison", "--config", config], crashOn: nil)
        #expect(release.status == 0, "\(release.stderr)")
        #expect(try store.sourceState(url: feeds.baseURL + "/poison.rss")?.isQuarantined == false)
        poisoned.store(false, ordering: .relaxed)
        let fifth = try await feedwatch(["run", "--once", "--config", config])
        #expect(fifth.status == 0, "\(fifth.stderr)")
        let released = try #require(try store.sourceState(url: feeds.baseURL + "/poison.rss"))
        #expect(!released.isQuarantined && released.strikes == 0 && released.lastSuccess != nil)
    }

    @Test func changedContentLiftsTheQuarantineAndParsesAlone() async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        try e2e.write("watchlist.yaml", E2E.watchlist)
        let poisoned = Atomic<Bool>(true)
        let feeds = try LoopbackHTTPServer { _ in
            .ok(E2E.rss("Poison", [E2E.Item(guid: "p-1", title: "Weather", body: poisoned.load(ordering: .relaxed) ? Self.marker : "calm",
                                               published: Self.published)]))
        }
        defer { feeds.stop() }
        let config = try e2e.config(sources: [("Poison", feeds.baseURL + "/feed.rss")])
        for _ in 1...2 { #expect(try await feedwatch(["run", "--once", "--config", config]).status == 134) }
        #expect(try await feedwatch(["run", "--once", "--config", config]).status == 0)
        let store = try StateStore(directory: (e2e.dir as NSString).appendingPathComponent("state"))
        #expect(try store.sourceState(url: feeds.baseURL + "/feed.rss")?.isQuarantined == true)
        poisoned.store(false, ordering: .relaxed)
        let run = try await feedwatch(["run", "--once", "--config", config])
        #expect(run.status == 0)
        #expect(run.stderr.contains("quarantined source's content changed and parsed cleanly: released"))
        #expect(try store.sourceState(url: feeds.baseURL + "/feed.rss")?.isQuarantined == false)
    }
}
