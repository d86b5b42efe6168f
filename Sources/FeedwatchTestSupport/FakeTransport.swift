import FeedwatchHTTP
import Foundation
import Synchronization

/// An `HTTPTransport` that answers from a script instead of the network: per URL, a queue of
/// replies (the last one repeats; an unscripted URL gets a 404). It records every request it
/// was sent (URL, validators, headers) with the time on its clock, and how many were in flight.
/// Delays sleep on the given clock, so a test that owns a `ManualClock` decides when a slow
/// answer arrives; a cancelled request throws as `CurlTransport` does.
public final class FakeTransport: HTTPTransport, Sendable {
    public struct Reply: Sendable {
        public var status: Int
        public var headers: ResponseHeaders
        public var body: Data
        /// How long the answer takes, on the transport's clock.
        public var delay: Duration = .zero
        /// Thrown instead of answering.
        public var failure: HTTPError.Kind?
        public var failureMessage = ""
        /// Set as the response's `permanentURL` (a followed 301/308).
        public var permanentURL: String?

        public init(status: Int, headers: ResponseHeaders = ResponseHeaders(), body: Data = Data(),
                    delay: Duration = .zero, permanentURL: String? = nil) {
            self.status = status
            self.headers = headers
            self.body = body
            self.delay = delay
            self.permanentURL = permanentURL
        }

        public static func ok(_ body: String, headers: ResponseHeaders = ResponseHeaders()) -> Reply {
            Reply(status: 200, headers: headers, body: Data(body.utf8))
        }

        public static func status(_ code: Int, headers: ResponseHeaders = ResponseHeaders()) -> Reply {
            Reply(status: code, headers: headers)
        }

        public static func notModified(headers: ResponseHeaders = ResponseHeaders()) -> Reply {
            Reply(status: 304, headers: headers)
        }

        public static func fail(_ kind: HTTPError.Kind, _ message: String) -> Reply {
            var r = Reply(status: 0)
            r.failure = kind
            r.failureMessage = message
            return r
        }

        public func delayed(by d: Duration) -> Reply {
            var r = self
            r.delay = d
            return r
        }
    }

    /// One request as sent, and when (`clock.elapsed`; zero without a manual clock).
    public struct Record: Sendable {
        public var request: HTTPRequest
        public var at: Duration
        public var url: String { request.url }
    }

    private struct State {
        var script: [String: [Reply]] = [:]
        var records: [Record] = []
        var inFlight = 0
        var maxInFlight = 0
    }

    private let state = Mutex(State())
    private let clock: ManualClock?
    /// Throw `CancellationError` on cancellation, as a transport that checks `Task.checkCancellation()`
    /// does, instead of curl's `HTTPError(kind: .cancelled)`.
    private let throwsTaskCancellation: Bool

    public init(clock: ManualClock? = nil, throwsTaskCancellation: Bool = false) {
        self.clock = clock
        self.throwsTaskCancellation = throwsTaskCancellation
    }

    /// Answers requests for `url` with `replies` in turn; the last one repeats.
    public func script(_ url: String, _ replies: Reply...) {
        precondition(!replies.isEmpty, "a script needs at least one reply")
        state.withLock { $0.script[url] = replies }
    }

    public var records: [Record] { state.withLock { $0.records } }
    public var requests: [HTTPRequest] { records.map(\.request) }
    public func records(for url: String) -> [Record] { records.filter { $0.url == url } }
    public var inFlight: Int { state.withLock { $0.inFlight } }
    /// The most requests that were in flight at once.
    public var maxInFlight: Int { state.withLock { $0.maxInFlight } }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let reply = state.withLock { s -> Reply in
            s.records.append(Record(request: request, at: clock?.elapsed ?? .zero))
            s.inFlight += 1
            s.maxInFlight = max(s.maxInFlight, s.inFlight)
            guard var queue = s.script[request.url], let first = queue.first else { return .status(404) }
            if queue.count > 1 {
                queue.removeFirst()
                s.script[request.url] = queue
            }
            return first
        }
        defer { state.withLock { $0.inFlight -= 1 } }
        do {
            if reply.delay > .zero {
                if let clock { try await clock.sleep(for: reply.delay) } else { try await Task.sleep(for: reply.delay) }
            }
            try Task.checkCancellation()
        } catch {
            if throwsTaskCancellation { throw CancellationError() }
            throw HTTPError(kind: .cancelled, url: request.url, message: "cancelled")
        }
        if let kind = reply.failure {
            throw HTTPError(kind: kind, url: request.url, message: reply.failureMessage)
        }
        return HTTPResponse(status: reply.status, finalURL: reply.permanentURL ?? request.url,
                            permanentURL: reply.permanentURL, headers: reply.headers, body: reply.body)
    }
}
