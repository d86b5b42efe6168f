@testable import FeedwatchDaemon
import FeedwatchConfig
import FeedwatchHTTP
import FeedwatchStore
import FeedwatchTestSupport
import Foundation
import Logging
import Synchronization
import Testing

/// `PageReader`'s bounds: the cache, the conditional GET, the daily budget, the per-host limit.
@Suite(.serialized) struct PageReaderTests {
    final class Clock: Sendable {
        let t = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        func advance(_ s: TimeInterval) { t.withLock { $0 = $0.addingTimeInterval(s) } }
        var now: Date { t.withLock { $0 } }
    }

    static let page = FullTextEndToEndTests.articlePage(title: "Army camp stormed overnight",
                                                        paragraphs: FullTextEndToEndTests.sahelParagraphs)

    func reader(_ limits: FullTextLimits, clock: Clock) throws -> (PageReader, StateStore, String, CurlTransport) {
        let dir = NSTemporaryDirectory() + "fw-pages-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let store = try StateStore(directory: dir)
        let transport = CurlTransport(maxConcurrent: 8, maxPerHost: 8)
        var logger = Logger(label: "pages")
        logger.logLevel = .critical
        return (PageReader(transport: transport, store: store, limits: limits, logger: logger, now: { clock.now }),
                store, dir, transport)
    }

    @Test func cachedTextIsReusedThenRevalidatedWithAConditionalGet() async throws {
        let server = try LoopbackHTTPServer { req in
            switch req.path {
            case "/robots.txt": return .status(404)
            default:
                if req.header("if-none-match") == "\"v1\"" { return .notModified(headers: [("ETag", "\"v1\"")]) }
                return .ok(Self.page, contentType: "text/html", headers: [("ETag", "\"v1\"")])
            }
        }
        defer { server.stop() }
        let clock = Clock()
        let (reader, store, dir, transport) = try reader(FullTextLimits(), clock: clock)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let link = server.baseURL + "/news/a?utm_source=rss"
        guard case .text(let first) = await reader.read(link) else { Issue.record("no text"); return }
        #expect(first.contains("Sevare"))
        // The same article by another link to it (tracking parameters differ): from the cache.
        #expect(await reader.read(server.baseURL + "/news/a") == .text(first))
        #expect(server.requests.filter { $0.path.hasPrefix("/news/") }.count == 1)
        clock.advance(7 * 3600)             // past `recheck`
        #expect(await reader.read(link) == .text(first))
        let pages = server.requests.filter { $0.path.hasPrefix("/news/") }
        #expect(pages.count == 2)
        #expect(pages.last?.header("if-none-match") == "\"v1\"")
        #expect(try store.counter("pages.not_modified") == 1)
        #expect(try store.counter("pages.cached") == 1)
        #expect(server.requests.filter { $0.path == "/robots.txt" }.count == 1)     // once a day per host
        await transport.shutdown()
    }

    @Test func theDailyBudgetAndThePerHostLimitHold() async throws {
        let inFlight = Atomic<Int>(0), most = Atomic<Int>(0)
        let server = try LoopbackHTTPServer { req in
            if req.path == "/robots.txt" { return .status(404) }
            let now = inFlight.add(1, ordering: .relaxed).newValue
            _ = most.max(now, ordering: .relaxed)
            Thread.sleep(forTimeInterval: 0.15)
            inFlight.subtract(1, ordering: .relaxed)
            return .ok(Self.page, contentType: "text/html")
        }
        defer { server.stop() }
        var limits = FullTextLimits()
        limits.dailyPerHost = 5
        let clock = Clock()
        let (reader, store, dir, transport) = try reader(limits, clock: clock)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let results = await withTaskGroup(of: PageResult.self) { group in
            for i in 0..<8 { group.addTask { await reader.read(server.baseURL + "/news/\(i)") } }
            var all: [PageResult] = []
            for await r in group { all.append(r) }
            return all
        }
        #expect(results.filter { if case .text = $0 { true } else { false } }.count == 5)
        #expect(results.filter { $0 == .failed("daily page budget for 127.0.0.1 spent") }.count == 3)
        #expect(most.load(ordering: .relaxed) <= 2)                              // per_host: 2
        #expect(server.requests.filter { $0.path.hasPrefix("/news/") }.count == 5)
        #expect(try store.counter("pages.over_budget") == 3)
        clock.advance(86400)                                                     // the next UTC day
        guard case .text = await reader.read(server.baseURL + "/news/9") else { Issue.record("budget not renewed"); return }
        await transport.shutdown()
    }
}
