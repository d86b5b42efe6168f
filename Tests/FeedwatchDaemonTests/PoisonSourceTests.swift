import FeedwatchDaemon
import FeedwatchStore
import Foundation
import Testing

/// A source whose content really crashes the process (a debug-build trigger), beside a healthy
/// one, across restarts: the healthy one keeps alerting, the poisoned one is quarantined after
/// two crashes, and `feedwatch source release` lets it back in.
@Suite(.serialized, .enabled(if: E2E.hasBinary, "needs .build/debug/feedwatch (swift build --build-tests)"))
struct PoisonSourceTests {
    static let marker = "FW-TEST-CRASH-7d1f"

    @Test func aPoisonedSourceIsQuarantinedAfterTwoCrashesAndTheHealthyOneKeepsAlerting() async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        try e2e.write("poison.rss", E2E.rss("Poison", [E2E.weather]).replacingOccurrences(of: "Lagos", with: Self.marker))
        try e2e.write("wire.rss", E2E.rss("Wire", [E2E.mali]))
        let config = try e2e.config(sources: [("Poison", "poison.rss"), ("Wire", "wire.rss")])
        func runOnce() async throws -> (status: Int32?, crashed: Bool, stderr: String) {
            let child = try DaemonProcessTests.Child(["run", "--once", "--config", config],
                                                     environment: ["FEEDWATCH_TEST_CRASH_MARKER": Self.marker])
            let status = await child.wait(timeout: .seconds(60))
            return (status, child.process.terminationReason == .uncaughtSignal, child.stderr)
        }
        let first = try await runOnce()
        #expect(first.crashed, "\(first.stderr)")
        let second = try await runOnce()
        #expect(second.crashed, "\(second.stderr)")
        #expect(second.stderr.contains("strike"), "\(second.stderr)")
        let third = try await runOnce()
        #expect(!third.crashed && third.status == 0, "\(third.stderr)")
        #expect(third.stderr.contains("source quarantined"), "\(third.stderr)")
        let strikes = PoisonLedger.strikes(stateDir: e2e.dir + "/state")
        #expect(strikes.keys.contains { $0.hasSuffix("poison.rss") })
        #expect(strikes.first { $0.key.hasSuffix("poison.rss") }?.value.1 == true)
        #expect(!strikes.keys.contains { $0.hasSuffix("wire.rss") })
        // The healthy source alerted once, whatever the crashes interrupted.
        #expect(e2e.loggedAlerts().map(\.source) == ["Wire"])
        // And the quarantine is said where an operator looks.
        let store = try StateStore(path: e2e.dir + "/state/feedwatch.db")
        let poison = try #require(try store.allSourceStates().first { $0.url.hasSuffix("poison.rss") })
        #expect(poison.lastError?.contains("quarantined") == true)

        let release = try DaemonProcessTests.Child(["source", "release", "Poison", "--config", config])
        #expect(await release.wait() == 0)
        #expect(PoisonLedger.strikes(stateDir: e2e.dir + "/state").isEmpty)
    }
}
