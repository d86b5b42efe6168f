import FeedwatchModel
import Foundation

/// Where alerts go: the one I/O edge of this stage. The dispatcher calls
/// `deliver` at least once per (alert, sink); receivers dedup on `alert.id`.
public protocol AlertSink: Sendable {
    /// The configured name: the outbox key and the `alert.sink` log field.
    var name: String { get }
    /// Delivers one alert. `payload` is the alert's JSON, fixed when it was queued.
    func deliver(_ alert: Alert, payload: Data) async throws(AlertError)
    /// Reopens files after log rotation (SIGHUP/SIGUSR1); a no-op for network sinks.
    func reopen() throws(AlertError)
}

extension AlertSink {
    public func reopen() throws(AlertError) {}
}
