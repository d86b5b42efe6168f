import FeedwatchHTTP
import Foundation

/// Why a poll gave neither a feed, a 304 nor a 410. Scheduling switches on the case
/// (`PollPolicy`), shutdown recognises a cancellation by its case, not by its text; the text
/// operators see in the log, `status` and `last_error` is `description`, one line.
public enum FetchFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The transport could not complete the exchange; `HTTPError.kind` says how (dns, connect,
    /// tls, timeout, too_large, redirect, invalid_url, file, protocol).
    case transport(HTTPError)
    /// The fetch was cancelled with its task (shutdown) or by the transport shutting down:
    /// it says nothing about the source.
    case cancelled(url: String, reason: String)
    /// A status other than 2xx, 304 and 410, with the response's Retry-After (429, 503).
    case http(status: Int, url: String, retryAfter: Date?)
    /// A 2xx body that is not a feed.
    case unparseable(url: String, reason: String)
    /// The content that crashed feedwatch while being parsed, unchanged (or a 304 for it): not parsed.
    case quarantined(digest: String)
    /// An error a transport threw that is not an `HTTPError`.
    case other(String)

    /// Classifies what a transport threw for `url`.
    public init(_ error: any Error, url: String) {
        switch error {
        case let e as HTTPError where e.kind == .cancelled:
            self = .cancelled(url: e.url, reason: e.message)
        case let e as HTTPError:
            self = .transport(e)
        case is CancellationError:
            self = .cancelled(url: url, reason: "cancelled")
        case let e as FetchFailure:
            self = e
        default:
            self = .other("\(error)")
        }
    }

    public var isCancellation: Bool {
        if case .cancelled = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .transport(let e): "\(e)"
        case .cancelled(let url, let reason): "fetch: \(url): \(reason)"
        case .http(let status, let url, _): "fetch: \(url): HTTP \(status)"
        case .unparseable(let url, let reason): "parse: \(url): \(reason)"
        case .quarantined(let digest):
            "quarantined: this content crashed feedwatch while being parsed and has not changed (\(digest)); "
                + "`feedwatch source release` lifts the quarantine"
        case .other(let message): message
        }
    }
}
