import FeedwatchAlert
import FeedwatchModel
import FeedwatchStore
import Foundation
import Logging

/// The delivery engine: asks the `Outbox` for due rows, delivers each to its sink, and reports
/// the outcome back (delivered / retry with backoff / dead-letter), at least once per (alert,
/// sink): a crash at any point leaves the row pending, so it is re-sent with the same alert id.
/// Flood control holds alerts over a (sink, topic) token bucket and sends them as one digest
/// alert when the bucket refills. How rows are queued and claimed is the `Outbox`'s; what is
/// decided here is when, in which order, and what an outcome means (retry when, give up when).
///
/// Sinks are independent: each has its own delivery lane (a task delivering that
/// sink's rows in order), so a slow or failing webhook never delays the file
/// sink, and a round (`pump()`) never waits for a delivery. A lane stops at its
/// sink's first temporary failure: the rest of its rows wait for that backoff.
///
/// The daemon runs its rounds from one `DispatchLoop`; `feedwatch run --once` and `notify-test`
/// call `drain()`, which waits for the lanes.
public actor AlertDispatcher {
    public struct Configuration: Sendable {
        /// Rows claimed per round.
        public var batchSize: Int
        /// How long a claimed row is reserved before another round may take it again.
        public var lease: TimeInterval
        public var retry: RetryPolicy
        /// Flood control for sinks not listed in `floodPerSink`; nil: unlimited.
        public var flood: FloodPolicy?
        public var floodPerSink: [String: FloodPolicy]
        /// A row for a sink this dispatcher does not know is retried (not dead-lettered)
        /// until it is this old: during a reload the poller may queue rows for a new sink
        /// a moment before the dispatcher has it.
        public var unknownSinkGrace: TimeInterval
        /// At most one update per alert this often (`alerts.update_interval`); 0: never.
        public var updateInterval: TimeInterval
        /// Each sink's route, for the kinds decided here (updates, digests); a sink not listed takes all.
        public var routes: [String: AlertRoute] = [:]
        /// Sinks that take their alerts as one digest per topic every so many seconds (e-mail `digest: 30m`).
        public var digestWindows: [String: TimeInterval] = [:]

        public init(batchSize: Int = 100, lease: TimeInterval = 300, retry: RetryPolicy = RetryPolicy(),
                    flood: FloodPolicy? = FloodPolicy(), floodPerSink: [String: FloodPolicy] = [:],
                    unknownSinkGrace: TimeInterval = 600, updateInterval: TimeInterval = 600) {
            self.batchSize = batchSize
            self.lease = lease
            self.retry = retry
            self.flood = flood
            self.floodPerSink = floodPerSink
            self.unknownSinkGrace = unknownSinkGrace
            self.updateInterval = updateInterval
        }

        func floodPolicy(for sink: String) -> FloodPolicy? { floodPerSink[sink] ?? flood }

        func takes(_ kind: AlertRoute.Kind, sink: String) -> Bool { routes[sink]?.kinds.contains(kind) ?? true }
    }

    let outbox: Outbox
    var sinks: [String: any AlertSink]
    var configuration: Configuration
    var deadLetters: DeadLetterLog?
    let logger: Logger
    let now: @Sendable () -> Date
    let random: @Sendable () -> Double
    var flood = FloodState()
    /// Rows of digest sinks whose window has ended, claimed this round (see `AlertDispatcher+Digest.swift`).
    var windowed: [FloodState.Key: [FloodState.Held]] = [:]
    /// One delivery lane per sink name (see `AlertDispatcher+Round.swift`).
    var lanes: [String: Lane] = [:]
    /// What lanes settled since this dispatcher started: `drain()` reports the difference.
    var outcomes = DispatchReport()
    /// Set while `shutdown()` runs: no new rows are claimed.
    var stopping = false
    /// The last claim failed (the store is unreachable): said once, not every round.
    var claimFailing = false

    /// - Parameter store: the outbox's store.
    public init(store: any Store, sinks: [any AlertSink], deadLetters: DeadLetterLog?,
                configuration: Configuration = Configuration(), logger: Logger,
                now: @escaping @Sendable () -> Date = { Date() },
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        outbox = Outbox(store: store)
        self.sinks = Dictionary(sinks.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        self.configuration = configuration
        self.deadLetters = deadLetters
        self.logger = logger
        self.now = now
        self.random = random
    }

    /// Swaps in reloaded sinks and settings (and, if given, the dead-letter file);
    /// flood buckets of remaining sinks carry over. Rows queued in a lane go to the
    /// new sink of the same name; rows for a removed sink wait out `unknownSinkGrace`.
    public func update(sinks: [any AlertSink], configuration: Configuration, deadLetters: DeadLetterLog? = nil) {
        self.sinks = Dictionary(sinks.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        self.configuration = configuration
        if let deadLetters { self.deadLetters = deadLetters }
        // A reload may have fixed a failing sink: new rows need not wait for the old backoff.
        for name in lanes.keys { lanes[name]?.pausedUntil = nil }
    }

    /// The dead-letter file in use, if any.
    public var deadLetterPath: String? { deadLetters?.path }

    /// Reopens every file sink and the dead-letter file (SIGHUP/SIGUSR1 after logrotate).
    /// Returns the failures; the sinks that failed keep writing to their old file.
    public func reopenFiles() -> [AlertError] {
        var errors: [AlertError] = []
        for sink in sinks.values {
            do { try sink.reopen() } catch { errors.append(error) }
        }
        do { try deadLetters?.reopen() } catch { errors.append(error) }
        return errors
    }

    /// Alerts currently held back by flood control, waiting for a digest.
    public var heldCount: Int { flood.heldCount }
}
