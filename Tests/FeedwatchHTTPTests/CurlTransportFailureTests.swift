import FeedwatchHTTP
import FeedwatchTestSupport
import Foundation
import Testing

/// Exchanges that fail: each must end with a classified `HTTPError` naming the URL.
struct CurlTransportFailureTests {
    private func failure(_ transport: CurlTransport, _ request: HTTPRequest) async throws -> HTTPError {
        do {
            let response = try await transport.send(request)
            Issue.record("expected an error, got HTTP \(response.status)")
            throw CancellationError()
        } catch let error as HTTPError {
            #expect(error.url == request.url)
            #expect(error.description.hasPrefix("fetch: \(request.url): "))
            #expect(!error.description.contains("\n"))
            return error
        }
    }

    @Test func redirectLoopFailsCleanly() async throws {
        let server = try LoopbackHTTPServer { _ in .redirect(to: "/loop", status: 302) }
        defer { server.stop() }
        let transport = CurlTransport()
        let error = try await failure(transport, HTTPRequest(url: server.baseURL + "/loop", maxRedirects: 4))
        #expect(error.kind == .redirect)
        #expect(error.message.contains("more than 4 redirects"))
        #expect(server.requests.count == 5)
        await transport.shutdown()
    }

    @Test("a remote redirect to file:// is refused", arguments: ["file:///etc/passwd", "ftp://127.0.0.1/x"])
    func redirectToOtherScheme(location: String) async throws {
        let server = try LoopbackHTTPServer { _ in .redirect(to: location, status: 301) }
        defer { server.stop() }
        let transport = CurlTransport()
        let error = try await failure(transport, HTTPRequest(url: server.baseURL + "/feed"))
        #expect(error.kind == .redirect)
        #expect(error.message.contains("non-HTTP(S)"))
        await transport.shutdown()
    }

    @Test("a stalled or slow server times out", arguments: [
        TestHTTPResponse.stall, TestHTTPResponse.ok("late").delayed(by: .seconds(5)),
    ])
    func timeout(response: TestHTTPResponse) async throws {
        let server = try LoopbackHTTPServer { _ in response }
        defer { server.stop() }
        let transport = CurlTransport()
        let error = try await failure(transport, HTTPRequest(url: server.baseURL + "/slow",
                                                             totalTimeout: .milliseconds(400)))
        #expect(error.kind == .timeout)
        await transport.shutdown()
    }

    @Test("a server trickling bytes below the low-speed limit is cut off as a timeout")
    func lowSpeed() async throws {
        let server = try LoopbackHTTPServer { _ in .trickle(every: .milliseconds(100)) }
        defer { server.stop() }
        let transport = CurlTransport()
        let error = try await failure(transport, HTTPRequest(url: server.baseURL + "/slow", totalTimeout: .seconds(30),
                                                             lowSpeedLimit: 1_000, lowSpeedTime: .seconds(1)))
        #expect(error.kind == .timeout)
        #expect(error.message.contains("too slow"))
        await transport.shutdown()
    }

    @Test("the body cap stops endless, chunked-gzip and declared-length bodies", arguments: [
        TestHTTPResponse.endless(),
        TestHTTPResponse.ok(String(repeating: "a", count: 3 << 20)).gzipped().chunked(chunkSize: 60_000),
        TestHTTPResponse.ok(String(repeating: "b", count: 3 << 20)),
    ])
    func tooLarge(response: TestHTTPResponse) async throws {
        let server = try LoopbackHTTPServer { _ in response }
        defer { server.stop() }
        let transport = CurlTransport()
        let error = try await failure(transport, HTTPRequest(url: server.baseURL + "/huge", maxBodyBytes: 1 << 20))
        #expect(error.kind == .tooLarge)
        #expect(error.message.contains("1048576-byte cap"))
        await transport.shutdown()
    }

    @Test func connectionRefused() async throws {
        let server = try LoopbackHTTPServer { _ in .ok("") }
        let url = server.baseURL + "/feed"
        server.stop()                                      // the port is now closed
        let transport = CurlTransport()
        let error = try await failure(transport, HTTPRequest(url: url))
        #expect(error.kind == .connect)
        await transport.shutdown()
    }

    @Test("https to a server that does not speak TLS is a .tls error")
    func tlsFailure() async throws {
        let server = try LoopbackHTTPServer { _ in .status(400, "plain HTTP here") }
        defer { server.stop() }
        let transport = CurlTransport()
        let url = server.baseURL.replacingOccurrences(of: "http://", with: "https://") + "/feed"
        let error = try await failure(transport, HTTPRequest(url: url, totalTimeout: .seconds(10)))
        #expect(error.kind == .tls)
        await transport.shutdown()
    }

    @Test("unsupported or empty URLs are rejected before any I/O", arguments: ["ftp://127.0.0.1/x", "", "file://host/x"])
    func invalidURL(url: String) async throws {
        let transport = CurlTransport()
        let error = try await failure(transport, HTTPRequest(url: url))
        #expect(error.kind == .invalidURL)
        await transport.shutdown()
    }

    @Test func cancellingAnInFlightRequest() async throws {
        let server = try LoopbackHTTPServer { _ in .stall }
        defer { server.stop() }
        let transport = CurlTransport()
        let task = Task { try await transport.send(HTTPRequest(url: server.baseURL + "/stall")) }
        _ = await server.waitForRequests(count: 1)
        task.cancel()
        let result = await task.result
        #expect(throws: HTTPError(kind: .cancelled, url: server.baseURL + "/stall", message: "cancelled")) {
            try result.get()
        }
        await transport.shutdown()
    }

    @Test("cancelling a request still waiting for a slot; the window then moves on")
    func cancellingAQueuedRequest() async throws {
        let server = try LoopbackHTTPServer { request in request.path == "/stall" ? .stall : .ok("fine") }
        defer { server.stop() }
        let transport = CurlTransport(maxConcurrent: 1)
        let stalled = Task { try await transport.send(HTTPRequest(url: server.baseURL + "/stall")) }
        _ = await server.waitForRequests(count: 1)
        let queued = Task { try await transport.send(HTTPRequest(url: server.baseURL + "/queued")) }
        try await Task.sleep(for: .milliseconds(50))
        queued.cancel()
        await #expect(throws: HTTPError.self) { try await queued.value }
        stalled.cancel()
        await #expect(throws: HTTPError.self) { try await stalled.value }
        let next = try await transport.send(HTTPRequest(url: server.baseURL + "/next"))
        #expect(next.status == 200)
        #expect(server.requests.map(\.path) == ["/stall", "/next"])
        await transport.shutdown()
    }

    @Test("a host at its window limit queues its own requests without holding up other hosts")
    func perHostWindow() async throws {
        let slow = try LoopbackHTTPServer { _ in .stall }
        defer { slow.stop() }
        let fast = try LoopbackHTTPServer { _ in .ok("fast") }
        defer { fast.stop() }
        let transport = CurlTransport(maxConcurrent: 4, maxPerHost: 2)
        let stuck = (0..<3).map { i in
            Task { try await transport.send(HTTPRequest(url: slow.baseURL + "/\(i)")) }
        }
        _ = await slow.waitForRequests(count: 2)
        let response = try await transport.send(HTTPRequest(url: fast.baseURL + "/feed"))
        #expect(response.status == 200)
        #expect(slow.requests.count == 2)                 // the third waits in the Swift-side queue
        for task in stuck { task.cancel() }
        for task in stuck { await #expect(throws: HTTPError.self) { try await task.value } }
        await transport.shutdown()
    }

    @Test("after shutdown, in-flight and new requests fail as cancelled")
    func shutdownFailsOutstanding() async throws {
        let server = try LoopbackHTTPServer { _ in .stall }
        defer { server.stop() }
        let transport = CurlTransport()
        let pending = Task { try await transport.send(HTTPRequest(url: server.baseURL + "/stall")) }
        _ = await server.waitForRequests(count: 1)
        await transport.shutdown()
        await #expect(throws: HTTPError.self) { try await pending.value }
        let error = try await failure(transport, HTTPRequest(url: server.baseURL + "/after"))
        #expect(error.kind == .cancelled)
        await transport.shutdown()                         // idempotent
    }
}
