import FeedwatchHTTP
import FeedwatchParse
import Foundation

/// One source's fetch, parsed off the processing path: what the pipeline
/// and the scheduler need, and nothing of the body once parsed.
public struct FetchResult: Sendable {
    public enum Body: Sendable {
        /// 2xx and a feed came out of it (possibly flagged damaged).
        case feed(ParsedFeed)
        /// 304.
        case notModified
        /// 410.
        case gone
        /// Anything else: transport error, unexpected status, not a feed, cancelled.
        case failed(FetchFailure)
    }

    /// The source's key (its configured URL).
    public var key: String
    public var body: Body
    public var response: HTTPResponse?
    public var fetchedAt: Date
    /// The feed's unseen entries, prepared by the fetch task (by entry id).
    var prepared: [String: PreparedEntry] = [:]

    public init(key: String, body: Body, response: HTTPResponse?, fetchedAt: Date) {
        self.key = key
        self.body = body
        self.response = response
        self.fetchedAt = fetchedAt
    }

    /// The scheduling view of this result.
    public func outcome(requestedURL: String) -> PollOutcome {
        let headers = response?.headers
        let hints = CacheHints(ttlMinutes: nil, maxAge: headers?.maxAge, expires: headers?.expires,
                               retryAfter: headers?.retryAfter)
        switch body {
        case .feed(let parsed):
            var h = hints
            h.ttlMinutes = parsed.ttl
            // Only where a leading run of 301/308 hops led: a later temporary hop is not the new home.
            if let r = response, let moved = r.permanentURL, moved != requestedURL {
                return .moved(newURL: moved, h)
            }
            return .fetched(h)
        case .notModified:
            if let r = response, let moved = r.permanentURL, moved != requestedURL {
                return .moved(newURL: moved, hints)
            }
            return .notModified(hints)
        case .gone:
            return .gone
        case .failed(let failure):
            return .failed(failure)
        }
    }

    /// Classifies a transport outcome and parses a 2xx body.
    public static func make(key: String, url: String, result: Result<HTTPResponse, any Error>, at: Date) -> FetchResult {
        switch result {
        case .failure(let error):
            return FetchResult(key: key, body: .failed(FetchFailure(error, url: url)), response: nil, fetchedAt: at)
        case .success(var response):
            let body: Body
            switch response.status {
            case 304:
                body = .notModified
            case 410:
                body = .gone
            case 200..<300:
                do {
                    let base = response.finalURL.hasPrefix("file:") ? nil : response.finalURL
                    body = .feed(try FeedParser.parse(response.body, baseURL: base, charset: response.headers.charset))
                } catch {
                    body = .failed(.unparseable(url: url, reason: "\(error)"))
                }
            default:
                body = .failed(.http(status: response.status, url: url, retryAfter: response.headers.retryAfter))
            }
            // Bodies are not kept past parsing: memory stays flat with thousands of sources.
            response.body = Data()
            return FetchResult(key: key, body: body, response: response, fetchedAt: at)
        }
    }
}
