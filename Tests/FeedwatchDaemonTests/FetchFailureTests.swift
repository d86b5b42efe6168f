@testable import FeedwatchDaemon
import FeedwatchHTTP
import Foundation
import Testing

/// What a fetch came to, as a typed failure: the case scheduling switches on, and the one line
/// operators read in the log, `status` and `last_error` (unchanged from the untyped messages).
@Suite struct FetchFailureTests {
    static let url = "https://a.example/feed"
    static let at = Date(timeIntervalSince1970: 1_800_000_000)

    static func failure(_ result: Result<HTTPResponse, any Error>) -> FetchFailure? {
        guard case .failed(let f) = FetchResult.make(key: url, url: url, result: result, at: at).body else { return nil }
        return f
    }

    @Test func transportErrorsKeepTheirKindAndMessage() throws {
        let e = HTTPError(kind: .timeout, url: Self.url, message: "timed out (curl 28: Operation timed out)")
        let f = try #require(Self.failure(.failure(e)))
        #expect(f == .transport(e))
        #expect(f.description == "fetch: \(Self.url): timed out (curl 28: Operation timed out)")
        #expect(!f.isCancellation)
    }

    @Test func cancellationIsRecognisedWhicheverWayItIsThrown() throws {
        let curl = try #require(Self.failure(.failure(HTTPError(kind: .cancelled, url: Self.url, message: "transport is shut down"))))
        #expect(curl == .cancelled(url: Self.url, reason: "transport is shut down"))
        #expect(curl.description == "fetch: \(Self.url): transport is shut down")
        // A file:// read checks `Task.checkCancellation()`: its CancellationError is a cancellation too.
        let task = try #require(Self.failure(.failure(CancellationError())))
        #expect(task.isCancellation)
        #expect(task.description == "fetch: \(Self.url): cancelled")
    }

    @Test func anUnexpectedStatusCarriesItsRetryAfter() throws {
        let later = Self.at.addingTimeInterval(120)
        let response = HTTPResponse(status: 429, finalURL: Self.url, headers: ResponseHeaders(retryAfter: later))
        let f = try #require(Self.failure(.success(response)))
        #expect(f == .http(status: 429, url: Self.url, retryAfter: later))
        #expect(f.description == "fetch: \(Self.url): HTTP 429")
        let r = FetchResult.make(key: Self.url, url: Self.url, result: .success(response), at: Self.at)
        #expect(r.outcome(requestedURL: Self.url) == .failed(f))
        #expect(r.response?.body.isEmpty == true)
    }

    @Test func aBodyThatIsNotAFeedIsUnparseable() throws {
        let page = HTTPResponse(status: 200, finalURL: Self.url, body: Data("<html><body>maintenance</body></html>".utf8))
        let f = try #require(Self.failure(.success(page)))
        guard case .unparseable(let url, let reason) = f else { Issue.record("got \(f)"); return }
        #expect(url == Self.url)
        #expect(!reason.isEmpty)
        #expect(f.description == "parse: \(Self.url): \(reason)")
    }

    @Test func otherCasesRenderAsBefore() {
        #expect(FetchFailure.quarantined(digest: "abc-12").description
            == "quarantined: this content crashed feedwatch while being parsed and has not changed (abc-12); "
            + "`feedwatch source release` lifts the quarantine")
        struct Odd: Error, CustomStringConvertible { var description: String { "odd transport" } }
        #expect(FetchFailure(Odd(), url: Self.url) == .other("odd transport"))
    }

    /// Only a status response's Retry-After stretches the backoff; the same date on another
    /// failure is not there to be read.
    @Test func onlyAStatusFailureCanPostponeTheRetry() {
        let policy = PollPolicy()
        let health = SourceHealth()
        let later = Self.at.addingTimeInterval(3600)
        let http = policy.decide(outcome: .failed(.http(status: 503, url: Self.url, retryAfter: later)), interval: nil,
                                 health: health, now: Self.at, random: 0)
        #expect(http.nextPoll == later)
        #expect(http.health.lastError == "fetch: \(Self.url): HTTP 503")
        let timeout = policy.decide(outcome: .failed(.transport(HTTPError(kind: .timeout, url: Self.url, message: "timed out"))),
                                    interval: nil, health: health, now: Self.at, random: 0)
        #expect(timeout.nextPoll == Self.at.addingTimeInterval(300))
        #expect(timeout.health.consecutiveFailures == 1)
    }
}
