import FeedwatchHTTP
import FeedwatchModel
import Foundation
import Synchronization

/// What every chat and push sink shares: its own rate limit (a token bucket, so a burst of alerts
/// is spread out before the service has to refuse it), one HTTP attempt, and the classification of
/// the answer, with a 429's wait read from the `Retry-After` header or the service's JSON
/// (`retry_after` seconds for Discord, `parameters.retry_after` for Telegram, `retry_after_ms` for
/// Matrix). Secrets in the URL or headers are blanked out of every error message.
public final class ChannelClient: Sendable {
    public let sink: String
    private let transport: any HTTPTransport
    private let bucket: Mutex<TokenBucket>
    /// The longest this sink waits for its own rate limit before handing the alert back to the outbox.
    private let maxWait: TimeInterval
    private let secrets: [String]
    private let now: @Sendable () -> Date
    private let timeout: Duration

    /// `burst` messages at once, then `perMinute`.
    public init(sink: String, transport: any HTTPTransport, burst: Int, perMinute: Double, secrets: [String],
                timeout: TimeInterval = 10, maxWait: TimeInterval = 30, now: @escaping @Sendable () -> Date = { Date() }) {
        self.timeout = .milliseconds(Int64(timeout * 1000))
        self.sink = sink
        self.transport = transport
        self.bucket = Mutex(TokenBucket(capacity: burst, refillInterval: 60 / max(perMinute, 0.001), now: now()))
        self.maxWait = maxWait
        self.secrets = secrets.filter { $0.count >= 4 }
        self.now = now
    }

    /// Waits for a token (up to `maxWait`), sends, and throws unless the answer is a success.
    @discardableResult
    public func send(_ request: HTTPRequest) async throws(AlertError) -> HTTPResponse {
        try await acquire()
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch let e as HTTPError {
            let kind: AlertError.Kind = e.kind == .invalidURL ? .permanent : .transient
            throw AlertError(kind: kind, sink: sink, message: redact("\(e.kind.rawValue): \(e.message)"))
        } catch {
            throw AlertError(kind: .transient, sink: sink, message: redact("\(error)"))
        }
        try check(response)
        return response
    }

    /// Waits for this sink's rate limit (public for channels that do not speak HTTP, such as e-mail).
    public func acquire() async throws(AlertError) {
        while true {
            let t = now()
            let next: Date? = bucket.withLock { b in b.take(now: t) ? nil : b.nextToken(now: t) }
            guard let next else { return }
            let wait = next.timeIntervalSince(t)
            guard wait <= maxWait else {
                throw AlertError(kind: .transient, sink: sink, message: "rate limit: next message allowed in \(Int(wait)) s",
                                 retryAfter: next)
            }
            do { try await Task.sleep(for: .milliseconds(Int64(max(wait, 0.001) * 1000))) } catch {
                throw AlertError(kind: .transient, sink: sink, message: "interrupted while rate limited")
            }
        }
    }

    /// 2xx is success; 408, 429 and 5xx are worth retrying (after the service's wait, if it named
    /// one); any other 4xx (a bad token, an unknown chat, a payload refused) is permanent.
    func check(_ r: HTTPResponse) throws(AlertError) {
        if r.isSuccess { return }
        let snippet = redact(String(decoding: r.body.prefix(300), as: UTF8.self)
            .replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces))
        let message = "HTTP \(r.status)" + (snippet.isEmpty ? "" : ": \(snippet)")
        let permanent = (400..<500).contains(r.status) && r.status != 408 && r.status != 429
        let retryAfter = r.headers.retryAfter ?? Self.bodyRetryAfter(r.body).map { now().addingTimeInterval($0) }
        throw AlertError(kind: permanent ? .permanent : .transient, sink: sink, message: message,
                         status: r.status, retryAfter: retryAfter)
    }

    /// Seconds to wait, as the JSON answer of Discord, Telegram or Matrix names them.
    static func bodyRetryAfter(_ body: Data) -> TimeInterval? {
        guard body.first == UInt8(ascii: "{"),
              let json = try? JSONSerialization.jsonObject(with: body) as? [String: Any] else { return nil }
        if let s = (json["retry_after"] as? NSNumber)?.doubleValue { return s }
        if let p = json["parameters"] as? [String: Any], let s = (p["retry_after"] as? NSNumber)?.doubleValue { return s }
        if let ms = (json["retry_after_ms"] as? NSNumber)?.doubleValue { return ms / 1000 }
        return nil
    }

    /// `text` with every configured secret replaced: a curl error may quote the URL.
    public func redact(_ text: String) -> String {
        secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: "<redacted>") }
    }

    /// JSON bytes of a payload built from plain values.
    public func json(_ object: Any) throws(AlertError) -> Data {
        do { return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) }
        catch { throw AlertError(kind: .permanent, sink: sink, message: "cannot encode message: \(error)") }
    }

    /// A request with the standard JSON headers, this sink's timeout, no redirects followed.
    public func request(_ url: String, method: HTTPRequest.Method = .post, body: Data,
                        headers: [(name: String, value: String)] = [],
                        contentType: String = "application/json; charset=utf-8") -> HTTPRequest {
        HTTPRequest(url: url, method: method,
                    headers: [("Content-Type", contentType), ("User-Agent", FeedwatchVersion.userAgent)] + headers,
                    body: body, connectTimeout: min(timeout, .seconds(10)), totalTimeout: timeout,
                    maxBodyBytes: 1 << 20, maxRedirects: 0)
    }

    /// The standard headers of a JSON request.
    public static func jsonHeaders(_ extra: [(name: String, value: String)] = []) -> [(name: String, value: String)] {
        [("Content-Type", "application/json; charset=utf-8"), ("User-Agent", FeedwatchVersion.userAgent)] + extra
    }
}

/// Escaping shared by the channels whose markup is HTML (Telegram, Matrix, Teams' text).
public enum ChannelEscape {
    /// `&`, `<`, `>` and `"` as entities: all Telegram's HTML mode accepts, and safe in attributes.
    public static func html(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
