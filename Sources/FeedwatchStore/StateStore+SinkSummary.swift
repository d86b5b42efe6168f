import Foundation

/// One sink's deliveries as the outbox holds them, for `status`.
public struct SinkOutboxSummary: Sendable, Equatable {
    public var sink: String
    /// Waiting or being retried: the sink's queue depth.
    public var pending: Int
    public var delivered: Int
    /// Given up on (also written to the dead-letter file).
    public var dead: Int
    /// The latest delivery the outbox still remembers (delivered rows are pruned by retention).
    public var lastSuccess: Date?
    /// The error of the most recent delivery not (yet) made: a retry's or a dead letter's.
    public var lastError: String?
    /// When that delivery died, or when it is tried next.
    public var lastErrorDeadAt: Date?
    public var lastErrorNextAttempt: Date?

    public init(sink: String, pending: Int = 0, delivered: Int = 0, dead: Int = 0, lastSuccess: Date? = nil,
                lastError: String? = nil, lastErrorDeadAt: Date? = nil, lastErrorNextAttempt: Date? = nil) {
        self.sink = sink
        self.pending = pending
        self.delivered = delivered
        self.dead = dead
        self.lastSuccess = lastSuccess
        self.lastError = lastError
        self.lastErrorDeadAt = lastErrorDeadAt
        self.lastErrorNextAttempt = lastErrorNextAttempt
    }
}

extension StateStore {
    /// Every sink the outbox has rows for, by name.
    public func sinkSummaries() throws -> [SinkOutboxSummary] {
        try locked {
            var out: [String: SinkOutboxSummary] = [:]
            _ = try connection.query("""
                SELECT sink, coalesce(sum(delivered_at IS NULL AND dead_at IS NULL), 0),
                       coalesce(sum(delivered_at IS NOT NULL), 0), coalesce(sum(dead_at IS NOT NULL), 0), max(delivered_at)
                FROM outbox GROUP BY sink
                """) { r in
                let name = r.string(0) ?? ""
                out[name] = SinkOutboxSummary(sink: name, pending: r.int(1), delivered: r.int(2), dead: r.int(3),
                                              lastSuccess: r.date(4))
            }
            // SQLite takes the bare columns from the row that holds the max().
            _ = try connection.query("""
                SELECT sink, last_error, dead_at, next_attempt_at, max(coalesce(dead_at, next_attempt_at))
                FROM outbox WHERE last_error IS NOT NULL AND delivered_at IS NULL GROUP BY sink
                """) { r in
                let name = r.string(0) ?? ""
                out[name, default: SinkOutboxSummary(sink: name)].lastError = r.string(1)
                out[name]?.lastErrorDeadAt = r.date(2)
                out[name]?.lastErrorNextAttempt = r.date(2) == nil ? r.date(3) : nil
            }
            return out.values.sorted { $0.sink < $1.sink }
        }
    }
}
