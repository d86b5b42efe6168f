/// Counters since start, for STATUS= and logs.
public struct LiveStats: Sendable, Equatable {
    public var sources = 0
    public var polls = 0
    public var fetched = 0
    public var notModified = 0
    public var errors = 0
    public var alerts = 0
    public var copies = 0
    public var inFlight = 0

    public init() {}

    /// The one line systemd shows in `systemctl status`.
    public var statusLine: String {
        "\(sources) sources, \(polls) polls (\(notModified) unchanged, \(errors) errors), \(alerts) alerts, \(copies) copies"
    }
}
