import FeedwatchDaemon
import Foundation
import Logging
import Testing

@Suite("journald-aware log handler")
struct SdNotifyJournalLogTests {
    let date = Date(timeIntervalSince1970: 1_790_000_000)

    @Test("Style follows JOURNAL_STREAM")
    func style() {
        #expect(FeedwatchLogHandler.style(environment: ["JOURNAL_STREAM": "8:12345"]) == .journal)
        #expect(FeedwatchLogHandler.style(environment: [:]) == .human)
    }

    @Test("Journal lines carry the syslog priority on every line", arguments: [
        (Logger.Level.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2),
    ])
    func journal(level: Logger.Level, priority: Int) {
        let line = FeedwatchLogHandler.format(level: level, message: "fetch failed\nsecond", metadata:
            ["source.id": "rfi", "error": "HTTP 503 Service Unavailable"], label: "feedwatch", style: .journal, date: date)
        #expect(line == "<\(priority)>fetch failed\n<\(priority)>second error=\"HTTP 503 Service Unavailable\" source.id=rfi\n")
    }

    @Test("Human lines carry a UTC time, level and label")
    func human() {
        let line = FeedwatchLogHandler.format(level: .warning, message: "slow", metadata: [:], label: "poll",
                                              style: .human, date: date)
        #expect(line == "2026-09-21T14:13:20Z warning poll: slow\n")
    }

    @Test("The handler writes whole lines to its descriptor")
    func writes() throws {
        var fds: [Int32] = [0, 0]
        try #require(pipe(&fds) == 0)
        defer { close(fds[0]) }
        var logger = Logger(label: "t") { FeedwatchLogHandler(label: $0, style: .journal, level: .info, fileDescriptor: fds[1]) }
        logger[metadataKey: "topic"] = "sahel"
        logger.debug("hidden")
        logger.warning("shown", metadata: ["n": "2"])
        close(fds[1])
        var buf = [UInt8](repeating: 0, count: 1024)
        let n = read(fds[0], &buf, buf.count)
        #expect(String(decoding: buf[0..<max(n, 0)], as: UTF8.self) == "<4>shown n=2 topic=sahel\n")
    }
}
