import FeedwatchConfig
import FeedwatchDaemon
import FeedwatchTestSupport
import Foundation
import Testing

/// `/metrics`: off by default; when `metrics.listen` is set, the Prometheus text format with
/// polls by outcome, the fetch and latency histograms, the outbox per sink, the dedup index size
/// and lease takeovers; read by scraping it over HTTP as Prometheus would.
struct MetricsTests {
    /// GET `path` from 127.0.0.1:`port` on a thread of its own: the status line and the whole answer.
    static func scrape(port: Int, path: String = "/metrics") async throws -> String {
        try await PGTestURL.offPool {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var addr = sockaddr_in()
            addr.sin_family = sa_family_t(AF_INET)
            addr.sin_port = UInt16(port).bigEndian
            inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr)
            let ok = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard ok == 0 else { throw POSIXError(.ECONNREFUSED) }
            let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
            _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            var answer = [UInt8]()
            var buf = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = recv(fd, &buf, buf.count, 0)
                if n <= 0 { break }
                answer += buf[0..<n]
            }
            return String(decoding: answer, as: UTF8.self)
        }
    }

    @Test func scrapedAfterAPassItCountsWhatHappened() async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        let feeds = try LoopbackHTTPServer { req in
            req.path == "/wire.rss" ? .ok(E2E.rss("Wire", [E2E.mali, E2E.weather])) : .status(404)
        }
        defer { feeds.stop() }
        let config = try e2e.config(sources: [("Wire", feeds.baseURL + "/wire.rss")],
                                    extra: "metrics: {listen: \"127.0.0.1:0\"}\n")
        let d = try await e2e.daemon(config)
        defer { d.stopMetrics() }
        let port = try #require(d.metricsPort)
        let (processed, delivered) = await d.runOnce(keepRunning: true)
        #expect(processed.alerts == 1 && delivered.delivered == 1)
        let text = try await Self.scrape(port: port)
        #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(text.contains("Content-Type: text/plain; version=0.0.4"))
        let lines = Set(text.split(separator: "\n").map(String.init))
        #expect(lines.contains("feedwatch_polls_total{outcome=\"fetched\"} 1"), "\(text)")
        #expect(lines.contains("feedwatch_polls_total{outcome=\"not_modified\"} 0"))
        #expect(lines.contains("# TYPE feedwatch_fetch_duration_seconds histogram"))
        #expect(lines.contains("feedwatch_fetch_duration_seconds_count 1"))
        #expect(lines.contains("feedwatch_fetch_duration_seconds_bucket{le=\"+Inf\"} 1"))
        // The Mali entry was published half an hour before it alerted.
        #expect(lines.contains("feedwatch_alert_latency_seconds_count 1"))
        #expect(lines.contains("feedwatch_alert_latency_seconds_bucket{le=\"600\"} 0"))
        #expect(lines.contains("feedwatch_alert_latency_seconds_bucket{le=\"3600\"} 1"))
        #expect(lines.contains { $0.hasPrefix("feedwatch_outbox_depth{sink=\"") && $0.hasSuffix("} 0") }, "\(text)")
        #expect(lines.contains { $0.hasPrefix("feedwatch_dedup_index_stories ") })
        #expect(lines.contains("feedwatch_lease_takeovers_total 0"))
        #expect(try await Self.scrape(port: port, path: "/").hasPrefix("HTTP/1.1 404 Not Found\r\n"))
    }

    @Test func offByDefaultAndABadAddressIsRefusedWithItsLine() async throws {
        let e2e = try E2E()
        defer { e2e.cleanup() }
        let plain = try e2e.config(sources: [("Wire", "http://127.0.0.1:9/wire.rss")])
        let d = try await e2e.daemon(plain)
        #expect(d.metricsPort == nil)
        let bad = try e2e.config(sources: [("Wire", "http://127.0.0.1:9/wire.rss")],
                                 extra: "metrics: {listen: \"localhost:9464\"}\n")
        do {
            _ = try Config.load(path: bad)
            Issue.record("a listen address that is not an IPv4 address was taken")
        } catch let e as ConfigError {
            #expect(e.diagnostics.map(\.description).contains { $0.contains("feedwatch.yaml:") && $0.contains("metrics.listen") },
                    "\(e.diagnostics)")
        }
    }
}
