import FeedwatchAlert
import FeedwatchDaemon
import FeedwatchModel
import FeedwatchStore
import FeedwatchTestSupport
import Foundation
import Testing

/// Delivers `stallAfter` alerts, then hangs inside a delivery, so the kill is
/// certain to land mid-dispatch however loaded the machine is.
struct StallingSink: AlertSink {
    let inner: JSONLinesSink
    let path: String
    let stallAfter: Int
    var name: String { inner.name }

    func deliver(_ alert: Alert, payload: Data) async throws(AlertError) {
        if readLines(path).count >= stallAfter { try? await Task.sleep(for: .seconds(3_600)) }
        try await inner.deliver(alert, payload: payload)
    }
}

/// kill -9 during dispatch, then restart: every alert reaches the log, under its
/// own id, and at most the claimed-but-unsettled batch is written twice.
@Suite("Outbox crash safety")
struct OutboxCrashTests {
    static let childEnv = "FW_OUTBOX_CRASH_CHILD"
    static let total = 300
    static let batch = 10
    /// Not a multiple of the batch size: the kill lands with a batch half delivered.
    static let stallAfter = 105

    @Test("child dispatcher (runs only when spawned by the crash test)",
          .enabled(if: ProcessInfo.processInfo.environment[childEnv] != nil))
    func childDispatcher() async throws {
        let dir = try #require(ProcessInfo.processInfo.environment[Self.childEnv])
        let store = try StateStore(directory: dir)
        let path = (dir as NSString).appendingPathComponent("alerts.jsonl")
        let sink = StallingSink(inner: try JSONLinesSink(path: path), path: path, stallAfter: Self.stallAfter)
        let d = AlertDispatcher(store: store, sinks: [sink], deadLetters: nil,
                                configuration: .init(batchSize: Self.batch, flood: nil), logger: quietLogger)
        while true { await d.drain() }
    }

    @Test("kill -9 mid-dispatch, restart: nothing lost, no new ids, bounded duplicates")
    func killDuringDispatch() async throws {
        let dir = StoreTempDir()
        let log = dir.file("alerts.jsonl")
        let ids = (0..<Self.total).map { "crash-\($0)" }
        do {
            let store = try StateStore(directory: dir.path)
            try store.transaction {
                for id in ids { try Outbox(store: store).queue(sampleAlert(id), to: ["file"], at: Date()) }
            }
        }

        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        p.arguments = ["--testing-library", "swift-testing", "--filter", "OutboxCrashTests/childDispatcher"]
        var env = ProcessInfo.processInfo.environment
        env[Self.childEnv] = dir.path
        p.environment = env
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(30)
        while readLines(log).count < Self.stallAfter && Date() < deadline && p.isRunning {
            try await Task.sleep(for: .milliseconds(2))
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(p.terminationReason == .uncaughtSignal)
        let before = readLines(log).count
        try #require(before > 0 && before < Self.total, "kill did not land mid-dispatch (\(before) lines)")

        // Restart: leases of the killed run are released, the rest is delivered.
        let store = try StateStore(directory: dir.path)
        #expect(try store.integrityCheck() == "ok")
        try Outbox(store: store).releaseLeases()
        let d = AlertDispatcher(store: store, sinks: [try JSONLinesSink(path: log)], deadLetters: nil,
                                configuration: .init(batchSize: Self.batch, flood: nil), logger: quietLogger)
        await d.drain()
        #expect(try store.outboxDepth() == 0)

        let delivered = try readLines(log).map { try AlertPayload.decode(Data($0.utf8)).id }
        #expect(Set(delivered) == Set(ids))
        #expect(delivered.count - ids.count <= Self.batch)
    }
}
