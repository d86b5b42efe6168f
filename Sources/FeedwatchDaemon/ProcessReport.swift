/// What processing one fetched feed did: counted into STATUS= and the store's counters.
public struct ProcessReport: Sendable, Equatable {
    public var entries = 0
    /// Entries never seen before from this source.
    public var new = 0
    /// New entries that dedup found to copy an earlier story.
    public var duplicates = 0
    public var alerts = 0
    /// Later copies counted on an existing alert instead of alerting.
    public var copies = 0
    /// New entries too old to alert (catch-up): indexed for dedup when they match a topic, never alerted.
    public var backlog = 0

    public init() {}

    public mutating func add(_ r: ProcessReport) {
        entries += r.entries
        new += r.new
        duplicates += r.duplicates
        alerts += r.alerts
        copies += r.copies
        backlog += r.backlog
    }
}
