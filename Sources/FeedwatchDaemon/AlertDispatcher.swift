import FeedwatchAlert
import FeedwatchModel
import FeedwatchStore
import Foundation
import Logging

/// Drains the store's alert outbox to the sinks, at least once per (alert, sink):
/// claim due rows → deliver → mark delivered / retry with backoff / dead-letter.
/// A crash at any point leaves the row pending, so it is re-sent with the same
/// alert id. Flood control holds alerts over a (sink, topic) token bucket and
/// sends them as one digest alert when the bucket refills.
///
/// Sinks are independent: each has its own delivery lane (a task delivering that
/// sink's rows in order), so a slow or failing webhook never delays the file
/// sink, and a round (`pump()`) never waits for a delivery. A lane stops at its
/// sink's first temporary failure: the rest of its rows wait for that backoff.
///
/// Lives in the daemon module because it composes the store and the sinks.
/// Run exactly one `run()` (or `DispatchLoop`) per dispatcher; `drain()` may also
/// be called directly (e.g. by `feedwatch run --once`): it waits for the lanes.
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
        /// How often `run()` looks for due work without being woken.
        public var tick: Duration
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
                    tick: Duration = .seconds(1), unknownSinkGrace: TimeInterval = 600, updateInterval: TimeInterval = 600) {
            self.batchSize = batchSize
            self.lease = lease
            self.retry = retry
            self.flood = flood
            self.floodPerSink = floodPerSink
            self.tick = tick
            self.unknownSinkGrace = unknownSinkGrace
            self.updateInterval = updateInterval
        }

        func floodPolicy(for sink: String) -> FloodPolicy? { floodPerSink[sink] ?? flood }

        func takes(_ kind: AlertRoute.Kind, sink: String) -> Bool { routes[sink]?.kinds.contains(kind) ?? true }
    }

    let store: any Store
    var sinks: [String: any AlertSink]
    var configuration: Configuration
    var deadLetters: DeadLetterLog?
    let logger: Logger
    let now: @Sendable () -> Date
    let random: @Sendable () -> Double
    let clock: any Clock<Duration>
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
    private nonisolated let wakeups: AsyncStream<Void>
    private nonisolated let wakeContinuation: AsyncStream<Void>.Continuation

    public init(store: any Store, sinks: [any AlertSink], deadLetters: DeadLetterLog?,
                configuration: Configuration = Configuration(), logger: Logger,
                now: @escaping @Sendable () -> Date = { Date() },
                random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
                clock: any Clock<Duration> = ContinuousClock()) {
        self.store = store
        self.sinks = Dictionary(sinks.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        self.configuration = configuration
        self.deadLetters = deadLetters
        self.logger = logger
        self.now = now
        self.random = random
        self.clock = clock
        (wakeups, wakeContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
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

    /// Asks `run()` to drain now (after a poll committed new outbox rows).
    public nonisolated func wake() { wakeContinuation.yield() }

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

    /// Stores a new alert and queues its payload for each sink, atomically (a
    /// savepoint inside the caller's poll transaction). Returns false and queues
    /// nothing if an alert with this id exists: a replayed poll cannot alert twice.
    @discardableResult
    public static func queue(_ alert: Alert, to sinks: [String], in store: any Store, at: Date,
                             report: String? = nil) throws -> Bool {
        let payload = try AlertPayload.encode(alert)
        return try store.transaction {
            guard try store.insertAlert(alert, report: report) else { return false }
            for sink in sinks { try store.enqueue(alertID: alert.id, sink: sink, payload: payload, at: at) }
            try store.incrementCounter("alerts.raised")
            return true
        }
    }

    /// Loops until the task is cancelled: a round (`pump()`) on every `wake()` and
    /// every tick. It first releases the leases a previous (crashed) process left, so
    /// what it had claimed is re-sent at once with the same ids. On cancellation the
    /// lanes stop: in-flight deliveries finish or stay in the outbox.
    public func run() async {
        do { try store.releaseLeases() } catch {
            logger.error("releasing outbox leases failed", metadata: ["error": "\(error)"])
        }
        let tick = configuration.tick
        let ticker = Task { [clock, wakeContinuation] in
            while !Task.isCancelled {
                do { try await clock.sleep(for: tick) } catch { return }
                wakeContinuation.yield()
            }
        }
        pump()
        for await _ in wakeups {
            if Task.isCancelled { break }
            pump()
        }
        ticker.cancel()
        await shutdown()
    }
}
