import Foundation

/// A store several instances share (PostgreSQL): sources are polled by whoever holds their lease,
/// and each instance reports a heartbeat for `status`. The SQLite store is never shared (its
/// directory lock refuses a second daemon), so it does not conform.
public protocol SharedStore: Store {
    /// This instance's name in leases and heartbeats.
    var instanceID: String { get }

    /// Adds a row for each configured source not stored yet (claims pick among rows); the number added.
    @discardableResult
    func registerSources(_ urls: [String]) throws -> Int
    /// Leases up to `limit` due sources to this instance for `lease` seconds: never polled, or
    /// `next_poll_at` passed, not gone, and not held under a live lease. Rows another instance is
    /// claiming at this moment are skipped, not waited for. Taking over an expired lease of
    /// another instance counts in `sources.lease_takeovers`.
    /// `excluding`: sources this instance does not poll (another config lists them). `perHost`:
    /// at most that many sources of one host under a live lease, over all instances (politeness
    /// across instances; nil: no limit).
    func claimDueSources(limit: Int, lease: TimeInterval, excluding: Set<String>, perHost: Int?) throws -> [SourceState]
    /// Extends this instance's leases on `urls` (while fetching takes long); the ones it still
    /// holds. A URL missing from the answer was taken over: its poll must not be saved.
    func renewSourceLeases(_ urls: [String], lease: TimeInterval) throws -> Set<String>
    /// Saves a polled source's state and lets go of its lease; false (nothing saved) when this
    /// instance no longer held it.
    func releaseSource(_ state: SourceState) throws -> Bool
    /// Lets go of this instance's leases on `urls` (their states were saved in the same
    /// transaction); the number released.
    @discardableResult
    func releaseSources(_ urls: [String]) throws -> Int
    /// `Store.claimDue` for the sinks in `only`: instances may configure different sinks, and a
    /// row for a sink this one lacks is left to an instance that has it (a single instance hands
    /// such a row back and, past a grace period, dead-letters it: a sink removed for good).
    func claimDue(now: Date, limit: Int, lease: TimeInterval, excluding: Set<String>, only: Set<String>) throws -> [OutboxItem]
    /// Records that this instance is alive (and when it last polled).
    func heartbeat(lastPoll: Date?) throws
    /// Forgets the instances silent for `silentFor` seconds (crashed: a running one sends a
    /// heartbeat every few seconds), or whose connection to the database is gone, and hands their
    /// outbox claims back, so their deliveries are made by the living without waiting out the
    /// outbox lease; their ids. Their sources are claimable already.
    func reapInstances(silentFor: TimeInterval) throws -> [String]
    /// Every instance that sent a heartbeat, with the sources it holds.
    func instances() throws -> [InstanceStatus]
    /// Forgets this instance (a clean stop) and releases what it holds.
    func retire() throws

    // MARK: The shared dedup index

    /// Serialises dedup decisions across instances until the current transaction ends: whoever
    /// reads or writes the journal or the snapshot holds it.
    func lockDedupIndex() throws
    /// Journal entries after `seq`, in the order they were decided.
    func journal(after seq: Int64) throws -> [(seq: Int64, data: Data)]
    /// Appends entries (in order); the sequence number of the last, nil when `entries` is empty.
    func appendSharedJournal(_ entries: [Data]) throws -> Int64?
    /// The journal entry the snapshot holds the index up to, and the last entry deleted from the
    /// journal (an instance whose index is older must reload it from the snapshot).
    func snapshotMarks() throws -> (through: Int64, compacted: Int64)
    /// Replaces the snapshot with one holding the journal up to `through` (under `lockDedupIndex`).
    func saveSharedSnapshot(through: Int64, legacyBlob: String, _ write: ((Data) throws -> Void) throws -> Void) throws
}

/// One running (or lately running) instance, for `status`.
public struct InstanceStatus: Sendable, Equatable, Codable {
    public var id: String
    public var host: String
    public var pid: Int
    public var startedAt: Date
    public var heartbeatAt: Date
    public var lastPollAt: Date?
    /// Sources under this instance's live lease.
    public var sourcesHeld: Int

    public init(id: String, host: String, pid: Int, startedAt: Date, heartbeatAt: Date, lastPollAt: Date?,
                sourcesHeld: Int) {
        self.id = id
        self.host = host
        self.pid = pid
        self.startedAt = startedAt
        self.heartbeatAt = heartbeatAt
        self.lastPollAt = lastPollAt
        self.sourcesHeld = sourcesHeld
    }
}

extension SharedStore {
    public func claimDueSources(limit: Int, lease: TimeInterval) throws -> [SourceState] {
        try claimDueSources(limit: limit, lease: lease, excluding: [], perHost: nil)
    }
}
