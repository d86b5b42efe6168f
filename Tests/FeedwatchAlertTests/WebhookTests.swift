import FeedwatchAlert
import FeedwatchHTTP
import FeedwatchModel
import FeedwatchTestSupport
import Foundation
import Synchronization
import Testing

/// Answers webhook POSTs from a script and records the requests.
final class FakeWebhookTransport: HTTPTransport {
    private let state = Mutex<(requests: [HTTPRequest], replies: [Result<HTTPResponse, HTTPError>])>(([], []))

    init(_ replies: [Result<HTTPResponse, HTTPError>] = []) { state.withLock { $0.replies = replies } }

    var requests: [HTTPRequest] { state.withLock { $0.requests } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let reply = state.withLock { s -> Result<HTTPResponse, HTTPError> in
            s.requests.append(request)
            return s.replies.isEmpty ? .success(HTTPResponse(status: 204, finalURL: request.url)) : s.replies.removeFirst()
        }
        return try reply.get()
    }
}

func header(_ r: HTTPRequest, _ name: String) -> String? {
    r.headers.first { $0.name.lowercased() == name.lowercased() }?.value
}

@Suite("Webhook sink and signing")
struct WebhookTests {
    static let secretText = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    let clock = AlertTestClock()

    func sink(_ transport: FakeWebhookTransport, headers: [(name: String, value: String)] = []) throws -> WebhookSink {
        let cfg = WebhookSink.Configuration(url: "http://127.0.0.1:9/hook",
                                            secret: try WebhookSecret(parsing: Self.secretText), headers: headers)
        return WebhookSink(name: "hook", configuration: cfg, transport: transport, now: clock.closure)
    }

    @Test("HMAC-SHA256 matches a known vector (RFC 4231 test case 2)")
    func hmacVector() {
        let mac = WebhookSignature.hmacSHA256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(mac.map { String(format: "%02x", $0) }.joined()
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test("A signed POST verifies with an independent implementation (Python hmac)")
    func signatureVerifiesInPython() async throws {
        let t = FakeWebhookTransport()
        var a = sampleAlert("alert-é-1")
        a.title = "Attaque près de Ménaka — « JNIM »"
        let payload = try AlertPayload.encode(a)
        try await sink(t).deliver(a, payload: payload)
        let r = try #require(t.requests.first)
        #expect(r.method == .post)
        #expect(r.body == payload)
        #expect(header(r, "webhook-id") == a.id)
        #expect(header(r, "webhook-timestamp") == "1790000000")
        #expect(header(r, "content-type") == "application/json")
        let sig = try #require(header(r, "webhook-signature"))
        #expect(sig.hasPrefix("v1,"))
        #expect(try pythonVerifies(secret: Self.secretText, id: a.id, timestamp: "1790000000", body: payload, signature: sig))
        // Tampering is detected by the same verifier.
        #expect(try !pythonVerifies(secret: Self.secretText, id: a.id, timestamp: "1790000001", body: payload, signature: sig))
        // And by ours, which also rejects replays outside the tolerance.
        let secret = try WebhookSecret(parsing: Self.secretText)
        #expect(WebhookSignature.verify(header: sig, id: a.id, timestamp: 1_790_000_000, body: payload,
                                        secret: secret, now: clock.now))
        #expect(!WebhookSignature.verify(header: sig, id: a.id, timestamp: 1_790_000_000, body: payload,
                                         secret: secret, now: clock.now.addingTimeInterval(600)))
    }

    @Test("Extra headers are sent; the secret appears in no header")
    func extraHeaders() async throws {
        let t = FakeWebhookTransport()
        try await sink(t, headers: [("Authorization", "Bearer abc"), ("X-Team", "sahel")])
            .deliver(sampleAlert("a"), payload: Data("{}".utf8))
        let r = try #require(t.requests.first)
        #expect(header(r, "Authorization") == "Bearer abc")
        #expect(header(r, "X-Team") == "sahel")
        let key = Self.secretText.dropFirst(6)
        #expect(!r.headers.contains { $0.value.contains(key) })
        #expect(r.maxRedirects == 0)
    }

    @Test("Status classification", arguments: [
        (200, nil), (204, nil), (404, AlertError.Kind.permanent), (400, .permanent), (401, .permanent),
        (408, .transient), (429, .transient), (500, .transient), (503, .transient), (302, .transient),
    ] as [(Int, AlertError.Kind?)])
    func statuses(status: Int, expected: AlertError.Kind?) async throws {
        let t = FakeWebhookTransport([.success(HTTPResponse(status: status, finalURL: "x",
                                                            body: Data("no such hook".utf8)))])
        let s = try sink(t)
        do {
            try await s.deliver(sampleAlert("a"), payload: Data("{}".utf8))
            #expect(expected == nil)
        } catch {
            #expect(error.kind == expected)
            #expect(error.status == status)
            #expect(error.description == "alert: hook: HTTP \(status): no such hook")
        }
    }

    @Test("429 carries the receiver's Retry-After; transport errors are transient")
    func retryAfterAndTransport() async throws {
        let later = clock.now.addingTimeInterval(120)
        let t = FakeWebhookTransport([
            .success(HTTPResponse(status: 429, finalURL: "x", headers: ResponseHeaders(retryAfter: later))),
            .failure(HTTPError(kind: .timeout, url: "http://127.0.0.1:9/hook", message: "timed out after 15 s")),
            .failure(HTTPError(kind: .invalidURL, url: "bogus", message: "bad URL")),
        ])
        let s = try sink(t)
        await #expect(throws: AlertError(kind: .transient, sink: "hook", message: "HTTP 429", status: 429,
                                         retryAfter: later)) {
            try await s.deliver(sampleAlert("a"), payload: Data())
        }
        await #expect(throws: AlertError(kind: .transient, sink: "hook", message: "timeout: timed out after 15 s")) {
            try await s.deliver(sampleAlert("a"), payload: Data())
        }
        await #expect(throws: AlertError(kind: .permanent, sink: "hook", message: "invalid_url: bad URL")) {
            try await s.deliver(sampleAlert("a"), payload: Data())
        }
    }

    @Test("Secrets: whsec_ form, from a file or the environment, never printed")
    func secrets() throws {
        let s = try WebhookSecret(parsing: Self.secretText)
        #expect(s.key == Array(Data(base64Encoded: String(Self.secretText.dropFirst(6)))!))
        #expect(try WebhookSecret(parsing: String(Self.secretText.dropFirst(6))) == s)
        #expect("\(s)" == "whsec_<redacted>")
        #expect(String(reflecting: s) == "WebhookSecret(<redacted>)")
        let cfg = WebhookSink.Configuration(url: "https://hooks.example/x", secret: s)
        var dumped = ""
        dump(cfg, to: &dumped)
        for text in [dumped, "\(cfg)", String(reflecting: cfg)] {
            #expect(!text.contains(String(Self.secretText.dropFirst(6))))
            #expect(!text.contains("key"))
        }
        #expect(dumped.contains("WebhookSecret(<redacted>)"))
        #expect(throws: AlertError.self) { try WebhookSecret(parsing: "whsec_***not base64***") }

        let dir = StoreTempDir()
        let file = dir.file("secret")
        try (Self.secretText + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try WebhookSecret.load(value: nil, file: file, environmentVariable: nil) == s)
        #expect(try WebhookSecret.load(value: nil, file: nil, environmentVariable: "FW_HOOK",
                                       environment: ["FW_HOOK": Self.secretText]) == s)
        #expect(try WebhookSecret.load(value: Self.secretText, file: nil, environmentVariable: nil) == s)
        #expect(try WebhookSecret.load(value: nil, file: nil, environmentVariable: nil) == nil)
        do {
            _ = try WebhookSecret.load(value: nil, file: nil, environmentVariable: "FW_UNSET", environment: [:])
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("FW_UNSET"))
        }
        #expect(throws: AlertError.self) {
            try WebhookSecret.load(value: nil, file: dir.file("nope"), environmentVariable: nil)
        }
        let generated = WebhookSecret.generate()
        #expect(generated.hasPrefix("whsec_"))
        #expect(try WebhookSecret(parsing: generated).key.count == 32)
    }
}
