import FeedwatchModel
import Foundation
import Logging

/// The production `HTTPTransport`: libcurl's multi interface on one dedicated
/// thread, bridged to async/await.
///
/// - http(s) goes through libcurl with bounded concurrency (`maxConcurrent` in
///   total, `maxPerHost` per scheme+host), keep-alive, compression, redirects
///   limited to http(s), TLS verification, proxies from the usual environment
///   variables (`http_proxy`, `https_proxy`, `no_proxy`…, libcurl's default).
/// - `file://` URLs and plain paths are read directly, with the same size cap.
/// - Cancelling the calling task aborts the transfer; the call throws `HTTPError`
///   with kind `.cancelled`.
///
/// Call `shutdown()` before dropping the last reference to wait for libcurl to be
/// released; dropping it without also stops the thread, asynchronously.
public final class CurlTransport: HTTPTransport, @unchecked Sendable {
    private let loop: CurlMultiLoop

    /// - Parameters:
    ///   - maxConcurrent: transfers in flight at once; more wait in a Swift-side queue.
    ///   - maxPerHost: transfers in flight per `scheme://host:port`.
    ///   - userAgent: sent on every request unless a request header overrides it.
    ///   - logger: receives a debug line per exchange.
    public init(maxConcurrent: Int = 16, maxPerHost: Int = 6, userAgent: String = FeedwatchVersion.userAgent,
                logger: Logger? = nil) {
        CurlGlobal.initialize()
        guard let loop = CurlMultiLoop(maxConcurrent: maxConcurrent, maxPerHost: maxPerHost,
                                       userAgent: userAgent, logger: logger) else {
            fatalError("libcurl: curl_multi_init failed (out of memory or curl_global_init failed)")
        }
        self.loop = loop
        loop.start()
    }

    deinit { loop.requestStop() }

    /// Performs `request`. Any HTTP status is a response; transport failures throw `HTTPError`.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        switch RequestTarget(request.url) {
        case .http(let hostKey):
            return try await loop.perform(request, hostKey: hostKey)
        case .file(let path):
            try Task.checkCancellation()
            // A blocking read: keep it off the cooperative pool.
            return try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async {
                    continuation.resume(with: Result { () throws(HTTPError) in
                        try LocalFileReader.read(path: path, request: request)
                    }.mapError { $0 as any Error })
                }
            }
        case .invalid(let reason):
            throw HTTPError(kind: .invalidURL, url: request.url, message: reason)
        }
    }

    /// Time since the libcurl thread last went round its loop (at least once a
    /// second while running, even when idle). A watchdog can require it to be small
    /// before reporting the process healthy; it grows without bound after `shutdown()`.
    public var heartbeatAge: Duration { loop.heartbeatAge }

    /// Fails outstanding requests with `.cancelled`, stops the thread and frees libcurl.
    /// Later `send` calls throw `.cancelled`. Idempotent.
    public func shutdown() async {
        await loop.shutdown()
    }
}
