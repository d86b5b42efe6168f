import FeedwatchAlert
import FeedwatchModel
import FeedwatchTestSupport
import Foundation
import Synchronization
import Testing

@Suite("JSON Lines alert sink")
struct AlertSinkTests {
    let dir = StoreTempDir()

    @Test("One alert per line, decodable back to the same alert")
    func linesRoundTrip() async throws {
        let path = dir.file("alerts.jsonl")
        let sink = try JSONLinesSink(path: path)
        let alerts = [sampleAlert("a1"), sampleAlert("a2", topic: "niger")]
        for a in alerts { try await sink.deliver(a, payload: try AlertPayload.encode(a)) }
        let lines = readLines(path)
        #expect(lines.count == 2)
        #expect(try lines.map { try AlertPayload.decode(Data($0.utf8)) } == alerts)
        #expect(lines[0].contains(#""link":"https://example.org/a1""#))
    }

    @Test("A payload with a newline is re-encoded so framing holds")
    func newlinePayload() async throws {
        let path = dir.file("alerts.jsonl")
        let sink = try JSONLinesSink(path: path)
        let a = sampleAlert("multi")
        try await sink.deliver(a, payload: Data("{\n\"id\": \"multi\"\n}".utf8))
        let lines = readLines(path)
        #expect(lines.count == 1)
        #expect(try AlertPayload.decode(Data(lines[0].utf8)) == a)
    }

    @Test("Concurrent appends from two writers never interleave")
    func concurrentAppends() async throws {
        let path = dir.file("alerts.jsonl")
        let s1 = try JSONLinesSink(name: "one", path: path)
        let s2 = try JSONLinesSink(name: "two", path: path)
        let long = String(repeating: "x", count: 3_000)
        await withTaskGroup(of: Void.self) { g in
            for (k, sink) in [s1, s2].enumerated() {
                g.addTask {
                    for i in 0..<200 {
                        var a = sampleAlert("s\(k)-\(i)")
                        a.title = long
                        try? await sink.deliver(a, payload: try AlertPayload.encode(a))
                    }
                }
            }
        }
        let lines = readLines(path)
        #expect(lines.count == 400)
        #expect(Set(try lines.map { try AlertPayload.decode(Data($0.utf8)).id }).count == 400)
    }

    @Test("reopen() after logrotate's rename writes to a new file at the path")
    func reopenAfterRotate() async throws {
        let path = dir.file("alerts.jsonl")
        let sink = try JSONLinesSink(path: path)
        try await sink.deliver(sampleAlert("before"), payload: try AlertPayload.encode(sampleAlert("before")))
        try FileManager.default.moveItem(atPath: path, toPath: path + ".1")
        // Until reopened, lines still follow the renamed file (the open descriptor).
        try await sink.deliver(sampleAlert("late"), payload: try AlertPayload.encode(sampleAlert("late")))
        try sink.reopen()
        try await sink.deliver(sampleAlert("after"), payload: try AlertPayload.encode(sampleAlert("after")))
        #expect(readLines(path + ".1").map { $0.contains("before") || $0.contains("late") } == [true, true])
        #expect(readLines(path).count == 1)
        #expect(readLines(path).first?.contains(#""id":"after""#) == true)
    }

    @Test("An unwritable path is a config error naming the file")
    func unwritable() throws {
        do {
            _ = try JSONLinesSink(path: dir.file("missing-dir/alerts.jsonl"))
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .config)
            #expect(error.description.contains("missing-dir/alerts.jsonl"))
        }
    }

    @Test("Dead letters carry the alert and the reason")
    func deadLetters() throws {
        let path = dir.file("dead.jsonl")
        let log = try DeadLetterLog(path: path)
        let a = sampleAlert("d1")
        try log.append(sink: "hook", alertID: a.id, attempts: 3, error: "HTTP 404: no such hook",
                       payload: try AlertPayload.encode(a), at: Date(timeIntervalSince1970: 1_790_000_000))
        let lines = readLines(path)
        #expect(lines.count == 1)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(obj["sink"] as? String == "hook")
        #expect(obj["alert_id"] as? String == "d1")
        #expect(obj["attempts"] as? Int == 3)
        #expect(obj["error"] as? String == "HTTP 404: no such hook")
        #expect(obj["at"] as? String == "2026-09-21T14:13:20Z")
        let embedded = try JSONSerialization.data(withJSONObject: try #require(obj["alert"]))
        #expect(try AlertPayload.decode(embedded) == a)
    }
}
