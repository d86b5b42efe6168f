import FeedwatchModel
import Foundation

/// The daemon's durable state, whatever holds it: the seam between the daemon and its two
/// backends, `StateStore` (one SQLite file, the embedded default) and `PostgresStore` (a database
/// several instances share). It is what the daemon and `status` call today, no more: sources'
/// validators and health, seen marks, the dedup index (snapshot and journal), alerts and their
/// updates, the outbox and counters.
///
/// Calls are synchronous and short; `transaction` runs its body atomically, and every call the
/// body makes on the same store joins that transaction (nested transactions are savepoints).
/// The body must not await.
public protocol Store: AnyObject, Sendable {
    /// Where the state lives, for logs and `status` (a file path, or a URL without its password).
    var location: String { get }

    func transaction<T>(_ body: () throws -> T) throws -> T

    // MARK: Sources

    func sourceState(url: String) throws -> SourceState?
    func allSourceStates() throws -> [SourceState]
    func saveSourceState(_ s: SourceState) throws
    @discardableResult
    func releaseQuarantine(url: String) throws -> Bool
    func deleteSourceState(url: String) throws

    // MARK: Article pages (`full_text`)

    /// The page stored under canonical `url`, if any.
    func page(url: String) throws -> StoredPage?
    /// Stores (or replaces) a page.
    func savePage(_ page: StoredPage) throws
    /// Takes one request from `host`'s budget for the UTC day of `at`: false (and nothing taken)
    /// when `limit` requests were already made that day. Shared stores share the budget.
    func takePageBudget(host: String, at: Date, limit: Int) throws -> Bool
    /// Deletes pages read before `before` and budget days that are over.
    @discardableResult
    func prunePages(before: Date, now: Date) throws -> Int

    // MARK: Seen marks

    /// Records the ids and returns those never listed before by `sourceURL`.
    @discardableResult
    func markSeen(sourceURL: String, entryIDs: [String], at: Date) throws -> Set<String>
    /// The ids never listed before, recording nothing.
    func unseen(sourceURL: String, entryIDs: [String]) throws -> Set<String>
    func seenCount(sourceURL: String?) throws -> Int

    // MARK: Dedup index

    func loadBlob(_ name: String) throws -> Data?
    func saveBlob(_ name: String, _ data: Data, at: Date) throws
    func appendJournal(_ entries: [Data]) throws
    func loadJournal() throws -> [Data]
    func saveSnapshot(legacyBlob: String, _ write: ((Data) throws -> Void) throws -> Void) throws
    func snapshotPiece(after seq: Int64) throws -> (seq: Int64, data: Data)?

    // MARK: Alerts

    func alert(id: String) throws -> Alert?
    func alertedStories(since: Date?) throws -> Set<String>
    /// False, changing nothing, when an alert with that id exists: the decision is made once.
    @discardableResult
    func insertAlert(_ alert: Alert, report: String?) throws -> Bool
    @discardableResult
    func addOutlet(alertID: String, outlet: String, link: String?, title: String?) throws -> Bool
    func copies(alertID: String) throws -> Int?
    func recentAlerts(limit: Int) throws -> [Alert]
    func alertCount() throws -> Int
    func dueUpdates(sentBefore: Date, limit: Int) throws -> [String]
    func takeUpdate(alertID: String, at: Date) throws -> (number: Int, alert: Alert)?
    func updateState(alertID: String) throws -> (reports: Int, sent: Int, updates: Int)?

    // MARK: Outbox

    @discardableResult
    func enqueue(alertID: String, sink: String, payload: Data, at: Date) throws -> Bool
    func claimDue(now: Date, limit: Int, lease: TimeInterval, excluding: Set<String>) throws -> [OutboxItem]
    /// Clears leases a crashed run left behind (see each backend for which).
    @discardableResult
    func releaseLeases() throws -> Int
    func markDelivered(id: Int64, at: Date) throws
    func markRetry(id: Int64, at: Date, error: String) throws
    func releaseClaim(id: Int64, at: Date, reason: String) throws
    func markDead(id: Int64, error: String, at: Date) throws
    func outboxDepth() throws -> Int
    func outboxCounts() throws -> OutboxCounts
    /// Every sink the outbox has rows for, by name: queue depth, deliveries, dead letters, the
    /// latest success and error (for `status`).
    func sinkSummaries() throws -> [SinkOutboxSummary]
    func outboxEntry(alertID: String, sink: String) throws -> OutboxEntry?

    // MARK: Counters and upkeep

    func incrementCounter(_ name: String, by delta: Int) throws
    func setCounter(_ name: String, to value: Int) throws
    func counter(_ name: String) throws -> Int
    func counters() throws -> [String: Int]
    @discardableResult
    func prune(seenBefore: Date, alertsBefore: Date) throws -> PruneReport
}

extension StateStore: Store {
    public var location: String { path }
}

/// The defaults the concrete stores' methods have: protocol requirements cannot declare them.
extension Store {
    @discardableResult
    public func insertAlert(_ alert: Alert) throws -> Bool { try insertAlert(alert, report: nil) }

    public func incrementCounter(_ name: String) throws { try incrementCounter(name, by: 1) }

    public func alertedStories() throws -> Set<String> { try alertedStories(since: nil) }

    public func seenCount() throws -> Int { try seenCount(sourceURL: nil) }

    @discardableResult
    public func addOutlet(alertID: String, outlet: String) throws -> Bool {
        try addOutlet(alertID: alertID, outlet: outlet, link: nil, title: nil)
    }

    public func claimDue(now: Date, limit: Int) throws -> [OutboxItem] {
        try claimDue(now: now, limit: limit, lease: 300, excluding: [])
    }

    @discardableResult
    public func prune(before: Date) throws -> PruneReport { try prune(seenBefore: before, alertsBefore: before) }

    public func saveBlob(_ name: String, _ data: Data) throws { try saveBlob(name, data, at: Date()) }
}
