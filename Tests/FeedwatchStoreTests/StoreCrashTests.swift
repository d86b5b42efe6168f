import FeedwatchModel
import FeedwatchStore
import FeedwatchTestSupport
import Foundation
import Testing

/// kill -9 at an arbitrary instant: the test re-runs this test binary as a child
/// writer (only the `childWriter` test, enabled by an environment variable),
/// SIGKILLs it mid-writes, then checks the database.
@Suite("State store crash safety")
struct StoreCrashTests {
    static let childEnv = "FW_STORE_CRASH_CHILD"
    static let batch = 50

    /// One poll's effects per transaction, reported on stdout after each commit.
    @Test("child writer (runs only when spawned by the crash test)",
          .enabled(if: ProcessInfo.processInfo.environment[childEnv] != nil))
    func childWriter() throws {
        let path = try #require(ProcessInfo.processInfo.environment[Self.childEnv])
        let store = try StateStore(path: path)
        // Continue where the previous (killed) child stopped.
        let start = try store.alertCount()
        for i in start..<(start + 1_000_000) {
            try store.transaction {
                let ids = (0..<Self.batch).map { "e\(i)-\($0)" }
                try store.markSeen(sourceURL: "src", entryIDs: ids, at: Date())
                let alert = sampleAlert("alert-\(i)")
                try store.insertAlert(alert)
                try store.enqueue(alertID: alert.id, sink: "file", payload: Data("payload \(i)".utf8), at: Date())
                try store.saveSourceState(SourceState(url: "src", consecutiveFailures: i))
                try store.incrementCounter("polls")
            }
            let line = Array("FWCOMMIT \(i)\n".utf8)
            _ = line.withUnsafeBytes { write(1, $0.baseAddress, $0.count) }
        }
    }

    @Test("kill -9 mid-writes: integrity ok, every committed poll present, no partial poll")
    func killNine() throws {
        let dir = StoreTempDir()
        let db = dir.file("crash.db")
        for round in 0..<3 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            p.arguments = ["--testing-library", "swift-testing", "--filter", "StoreCrashTests/childWriter"]
            var env = ProcessInfo.processInfo.environment
            env[Self.childEnv] = db
            p.environment = env
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            try p.run()

            // Kill after a varying number of further commits, at whatever instant that is.
            let target = 15 + round * 23
            var lastCommitted = -1
            var startCount: Int?
            var buffer = ""
            let fd = out.fileHandleForReading.fileDescriptor
            let deadline = Date().addingTimeInterval(30)
            var chunk = [UInt8](repeating: 0, count: 4096)
            while Date() < deadline {
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&pfd, 1, 200) > 0 else { continue }
                let n = read(fd, &chunk, chunk.count)
                if n <= 0 { break }
                buffer += String(decoding: chunk[0..<n], as: UTF8.self)
                while let nl = buffer.firstIndex(of: "\n") {
                    let line = String(buffer[..<nl])
                    buffer.removeSubrange(...nl)
                    if let r = line.range(of: "FWCOMMIT "), let v = Int(line[r.upperBound...]) {
                        lastCommitted = v
                        if startCount == nil { startCount = v }
                    }
                }
                if let s = startCount, lastCommitted - s >= target { break }
            }
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            #expect(p.terminationReason == .uncaughtSignal)
            try #require(lastCommitted >= 0, "child never committed")

            let store = try StateStore(path: db)
            #expect(try store.integrityCheck() == "ok")
            let alerts = try store.alertCount()
            // The child may have committed one more poll than it managed to report.
            #expect(alerts == lastCommitted + 1 || alerts == lastCommitted + 2)
            #expect(try store.seenCount() == alerts * Self.batch)
            #expect(try store.outboxDepth() == alerts)
            #expect(try store.counter("polls") == alerts)
            #expect(try store.sourceState(url: "src")?.consecutiveFailures == alerts - 1)
            for i in 0...lastCommitted { #expect(try store.alert(id: "alert-\(i)") != nil) }
        }
    }
}
