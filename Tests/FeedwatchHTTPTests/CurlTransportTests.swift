import FeedwatchHTTP
import FeedwatchTestSupport
import Foundation
import Testing

/// Exchanges that succeed: every HTTP status comes back as a response.
struct CurlTransportTests {
    private static let feed = "<rss version=\"2.0\"><channel><title>t</title></channel></rss>"

    @Test("conditional GET: validators come back, are echoed verbatim, and give a 304")
    func conditionalGet() async throws {
        let etag = "W/\"feed-v1\""
        let lastModified = "Sun, 06 Nov 1994 08:49:37 GMT"
        let server = try LoopbackHTTPServer { request in
            if request.header("if-none-match") == etag { return .notModified(headers: [("ETag", etag)]) }
            return .ok(Self.feed, headers: [("ETag", etag), ("Last-Modified", lastModified)])
        }
        defer { server.stop() }
        let transport = CurlTransport()
        let first = try await transport.send(HTTPRequest(url: server.baseURL + "/feed.xml"))
        #expect(first.status == 200)
        #expect(first.body == Data(Self.feed.utf8))
        #expect(first.headers.validators == Validators(etag: etag, lastModified: lastModified))

        let second = try await transport.send(HTTPRequest(url: server.baseURL + "/feed.xml",
                                                          validators: first.headers.validators))
        #expect(second.isNotModified)
        #expect(second.body.isEmpty)
        #expect(second.headers.etag == etag)
        let sent = server.requests
        #expect(sent.count == 2)
        #expect(sent[0].header("if-none-match") == nil)
        #expect(sent[1].header("if-none-match") == etag)
        #expect(sent[1].header("if-modified-since") == lastModified)
        await transport.shutdown()
    }

    @Test("gzip bodies are decoded, fixed-length or chunked", arguments: [false, true])
    func gzipDecoded(chunked: Bool) async throws {
        let text = String(repeating: "<item><title>Sahel</title></item>\n", count: 5_000)
        let server = try LoopbackHTTPServer { _ in
            let response = TestHTTPResponse.ok(text).gzipped()
            return chunked ? response.chunked(chunkSize: 7_000) : response
        }
        defer { server.stop() }
        let transport = CurlTransport()
        let response = try await transport.send(HTTPRequest(url: server.baseURL + "/big"))
        #expect(response.status == 200)
        #expect(response.body == Data(text.utf8))
        #expect(response.wireBytes > response.body.count)  // stored deflate blocks add framing
        #expect(response.timings.total > 0 && response.timings.firstByte <= response.timings.total)
        #expect(response.timings.connect <= response.timings.firstByte)
        #expect(server.requests.first?.header("accept-encoding")?.contains("gzip") == true)
        await transport.shutdown()
    }

    /// `chain`: the statuses of /h0, /h1… each redirecting to the next; the last path serves the feed.
    /// `moved`: the hop whose URL is the permanent target (after the leading run of 301/308), or nil.
    @Test("redirect chain: final URL, and only a leading run of 301/308 is a permanent move", arguments: [
        ([301], 1), ([308], 1), ([302], nil), ([303], nil), ([307], nil),
        ([301, 302], 1),          // the temporary hop's target is not the new home
        ([302, 301], nil),        // temporarily redirected: the source has not moved
        ([301, 308], 2), ([308, 301, 307], 2), ([307, 308, 301], nil),
    ] as [([Int], Int?)])
    func redirectChain(chain: [Int], moved: Int?) async throws {
        let server = try LoopbackHTTPServer { request in
            guard request.path.hasPrefix("/h"), let i = Int(request.path.dropFirst(2)) else { return .status(404) }
            if i < chain.count {
                return TestHTTPResponse.redirect(to: "/h\(i + 1)", status: chain[i]).adding("ETag", "\"hop\"")
            }
            return .ok(Self.feed, headers: [("Cache-Control", "max-age=600")])
        }
        defer { server.stop() }
        let transport = CurlTransport()
        let response = try await transport.send(HTTPRequest(url: server.baseURL + "/h0"))
        #expect(response.status == 200)
        #expect(response.finalURL == server.baseURL + "/h\(chain.count)")
        #expect(response.permanentURL == moved.map { server.baseURL + "/h\($0)" })
        #expect(response.permanentRedirect == (moved != nil))
        #expect(response.headers.etag == nil)              // the redirect hops' headers are dropped
        #expect(response.headers.maxAge == 600)
        #expect(server.requests.map(\.path) == (0...chain.count).map { "/h\($0)" })
        await transport.shutdown()
    }

    @Test("the permanent target is the URL libcurl followed: absolute across hosts, or relative with dot-segments")
    func permanentTargetAcrossHosts() async throws {
        let newHome = try LoopbackHTTPServer { request in
            switch request.path {
            case "/feeds/new/index.xml": .redirect(to: "../../cdn/feed.xml", status: 302)
            case "/cdn/feed.xml": .ok(Self.feed)
            default: .status(404)
            }
        }
        defer { newHome.stop() }
        let target = newHome.baseURL + "/feeds/new/index.xml"
        let old = try LoopbackHTTPServer { _ in .redirect(to: target, status: 301) }
        defer { old.stop() }
        let transport = CurlTransport()
        let response = try await transport.send(HTTPRequest(url: old.baseURL + "/rss"))
        #expect(response.status == 200)
        #expect(response.finalURL == newHome.baseURL + "/cdn/feed.xml")
        #expect(response.permanentURL == target)
        await transport.shutdown()
    }

    @Test("a permanent redirect to a 304 still reports the move")
    func permanentThenNotModified() async throws {
        let server = try LoopbackHTTPServer { request in
            request.path == "/old" ? .redirect(to: "/new", status: 308) : .notModified(headers: [("ETag", "\"v\"")])
        }
        defer { server.stop() }
        let transport = CurlTransport()
        let response = try await transport.send(HTTPRequest(url: server.baseURL + "/old",
                                                            validators: Validators(etag: "\"v\"")))
        #expect(response.isNotModified)
        #expect(response.permanentURL == server.baseURL + "/new")
        await transport.shutdown()
    }

    @Test("a final 301 that is not followed is not reported as a permanent redirect")
    func unfollowedRedirect() async throws {
        let server = try LoopbackHTTPServer { _ in .redirect(to: "/elsewhere", status: 301) }
        defer { server.stop() }
        let transport = CurlTransport()
        let response = try await transport.send(HTTPRequest(url: server.baseURL + "/a", maxRedirects: 0))
        #expect(response.status == 301)
        #expect(response.permanentURL == nil)
        #expect(response.permanentRedirect == false)
        #expect(server.requests.count == 1)
        await transport.shutdown()
    }

    @Test("429 carries Retry-After, in seconds or as an HTTP-date", arguments: [
        ("120", nil), ("Wed, 21 Oct 2037 07:28:00 GMT", Date(timeIntervalSince1970: 2_139_722_880)),
    ] as [(String, Date?)])
    func tooManyRequests(retryAfter: String, absolute: Date?) async throws {
        let server = try LoopbackHTTPServer { _ in .status(429, "slow down", headers: [("Retry-After", retryAfter)]) }
        defer { server.stop() }
        let transport = CurlTransport()
        let before = Date()
        let response = try await transport.send(HTTPRequest(url: server.baseURL + "/feed"))
        let after = Date()
        #expect(response.status == 429)
        let when = try #require(response.headers.retryAfter)
        if let absolute {
            #expect(when == absolute)
        } else {
            #expect(when >= before.addingTimeInterval(119) && when <= after.addingTimeInterval(121))
        }
        await transport.shutdown()
    }

    @Test("a 500 is a response, not an error")
    func serverError() async throws {
        let server = try LoopbackHTTPServer { _ in .status(500, "boom") }
        defer { server.stop() }
        let transport = CurlTransport()
        let response = try await transport.send(HTTPRequest(url: server.baseURL + "/feed"))
        #expect(response.status == 500)
        #expect(!response.isSuccess)
        #expect(String(decoding: response.body, as: UTF8.self) == "boom")
        await transport.shutdown()
    }

    @Test("POST sends body, headers and the User-Agent; no 100-continue")
    func postBody() async throws {
        let server = try LoopbackHTTPServer { _ in .status(204) }
        defer { server.stop() }
        let transport = CurlTransport()
        let payload = Data((0..<4_000).map { UInt8(truncatingIfNeeded: $0) })   // binary, with NULs
        let response = try await transport.send(HTTPRequest(
            url: server.baseURL + "/hook", method: .post,
            headers: [("Content-Type", "application/json"), ("X-Feedwatch-Signature", "sha256=abc")],
            body: payload))
        #expect(response.status == 204)
        let received = try #require(server.requests.first)
        #expect(received.method == "POST")
        #expect(received.path == "/hook")
        #expect(received.body == payload)
        #expect(received.header("content-type") == "application/json")
        #expect(received.header("x-feedwatch-signature") == "sha256=abc")
        #expect(received.header("expect") == nil)
        #expect(received.header("user-agent")?.hasPrefix("feedwatch/") == true)
        await transport.shutdown()
    }

    @Test("200 concurrent requests all complete within the per-host window")
    func manyConcurrent() async throws {
        let server = try LoopbackHTTPServer { request in .ok("feed \(request.path)") }
        defer { server.stop() }
        let transport = CurlTransport(maxConcurrent: 16, maxPerHost: 6)
        let results = try await withThrowingTaskGroup(of: (Int, HTTPResponse).self) { group in
            for i in 0..<200 {
                group.addTask { (i, try await transport.send(HTTPRequest(url: server.baseURL + "/f/\(i)"))) }
            }
            return try await group.reduce(into: [Int: HTTPResponse]()) { $0[$1.0] = $1.1 }
        }
        #expect(results.count == 200)
        for (i, response) in results {
            #expect(response.status == 200)
            #expect(String(decoding: response.body, as: UTF8.self) == "feed /f/\(i)")
        }
        #expect(server.requests.count == 200)
        // Keep-alive plus the Swift-side window: never more connections than the host limit.
        let connections = results.values.reduce(0) { $0 + $1.newConnections }
        #expect(connections >= 1 && connections <= 6)
        await transport.shutdown()
    }
}
