import Foundation

/// What the loopback server answers, including misbehaviours a fetcher must survive.
public struct TestHTTPResponse: Sendable {
    /// How the body goes on the wire.
    public enum Mode: Sendable, Equatable {
        /// `Content-Length` and the body in one piece.
        case fixed
        /// `Transfer-Encoding: chunked`, the body in pieces of `chunkSize` bytes.
        case chunked(chunkSize: Int)
        /// Chunked bytes forever, until the client disconnects or the server stops.
        case endless
        /// Chunked, one byte every `interval`, forever: a server too slow to be worth waiting for.
        case trickle(interval: Duration)
        /// Read the request, then never answer until the client disconnects or the server stops.
        case stall
    }

    public var status: Int
    public var headers: [(String, String)]
    public var body: Data
    public var mode: Mode
    /// Waited before the status line is written.
    public var delay: Duration
    /// Sends the body gzip-encoded with `Content-Encoding: gzip`.
    public var gzip: Bool
    /// Closes the connection after this response (otherwise HTTP/1.1 keep-alive).
    public var closeConnection: Bool

    public init(status: Int = 200, headers: [(String, String)] = [], body: Data = Data(), mode: Mode = .fixed,
                delay: Duration = .zero, gzip: Bool = false, closeConnection: Bool = false) {
        self.status = status
        self.headers = headers
        self.body = body
        self.mode = mode
        self.delay = delay
        self.gzip = gzip
        self.closeConnection = closeConnection
    }

    /// 200 with a text body.
    public static func ok(_ body: String, contentType: String = "application/rss+xml; charset=utf-8",
                          headers: [(String, String)] = []) -> TestHTTPResponse {
        TestHTTPResponse(status: 200, headers: [("Content-Type", contentType)] + headers, body: Data(body.utf8))
    }

    /// A redirect to `location` (absolute or relative).
    public static func redirect(to location: String, status: Int = 302) -> TestHTTPResponse {
        TestHTTPResponse(status: status, headers: [("Location", location)])
    }

    /// Any status with an optional plain-text body.
    public static func status(_ status: Int, _ body: String = "", headers: [(String, String)] = []) -> TestHTTPResponse {
        TestHTTPResponse(status: status, headers: [("Content-Type", "text/plain")] + headers, body: Data(body.utf8))
    }

    /// 304 Not Modified, echoing the validators the client should keep.
    public static func notModified(headers: [(String, String)] = []) -> TestHTTPResponse {
        TestHTTPResponse(status: 304, headers: headers)
    }

    /// Accepts the request and never answers.
    public static var stall: TestHTTPResponse { TestHTTPResponse(mode: .stall) }

    /// A 200 whose chunked body never ends.
    public static func endless(contentType: String = "application/rss+xml") -> TestHTTPResponse {
        TestHTTPResponse(status: 200, headers: [("Content-Type", contentType)], mode: .endless)
    }

    /// A 200 whose body arrives one byte per `interval`, never ending.
    public static func trickle(every interval: Duration = .milliseconds(200)) -> TestHTTPResponse {
        TestHTTPResponse(status: 200, headers: [("Content-Type", "application/rss+xml")], mode: .trickle(interval: interval))
    }

    /// The same response, gzip-encoded on the wire.
    public func gzipped() -> TestHTTPResponse { var r = self; r.gzip = true; return r }

    /// The same response, sent chunked.
    public func chunked(chunkSize: Int = 4096) -> TestHTTPResponse {
        var r = self; r.mode = .chunked(chunkSize: max(1, chunkSize)); return r
    }

    /// The same response after a pause.
    public func delayed(by delay: Duration) -> TestHTTPResponse { var r = self; r.delay = delay; return r }

    /// The same response with one more header.
    public func adding(_ name: String, _ value: String) -> TestHTTPResponse {
        var r = self; r.headers.append((name, value)); return r
    }
}
