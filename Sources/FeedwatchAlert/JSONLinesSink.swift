import FeedwatchModel
import Foundation

/// The alert log: one alert per line of JSON, appended atomically; what
/// `feedwatch tail` reads. Reopened on SIGHUP/SIGUSR1 for logrotate.
public struct JSONLinesSink: AlertSink {
    public let name: String
    private let writer: JSONLinesWriter

    /// Opens `path` for appending (created 0640 if missing).
    public init(name: String = "file", path: String) throws(AlertError) {
        self.name = name
        do {
            writer = try JSONLinesWriter(path: path)
        } catch {
            throw AlertError(kind: .config, sink: name, message: error.message)
        }
    }

    public var path: String { writer.path }

    public func deliver(_ alert: Alert, payload: Data) async throws(AlertError) {
        // A payload is compact JSON; re-encode anything that would break the one-line framing.
        let line = payload.contains(UInt8(ascii: "\n")) || payload.isEmpty ? try AlertPayload.encode(alert) : payload
        do {
            try writer.append(line)
        } catch {
            throw AlertError(kind: .transient, sink: name, message: error.message)
        }
    }

    public func reopen() throws(AlertError) {
        do { try writer.reopen() } catch { throw AlertError(kind: .config, sink: name, message: error.message) }
    }
}
