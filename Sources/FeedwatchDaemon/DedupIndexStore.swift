import FeedwatchDedup
import FeedwatchStore
import Foundation
import Logging

/// Where and when the dedup index is persisted, for the SQLite store and a shared PostgreSQL
/// alike. The index lives in memory (`loaded`); the store keeps a snapshot of it, in pieces, and a
/// journal of the stories indexed since. A start reads the snapshot and replays the journal; each
/// feed's transaction appends its new stories to the journal (`appendJournal`), so a crash cannot
/// leave a story seen but unknown to dedup; and now and then `saveSnapshot` folds the journal into
/// a new snapshot, which only bounds how much the next start replays.
///
/// Several instances sharing one database (`SharedStore`) each keep the index in memory, as alone;
/// the journal is their common log. What makes their decisions the same as one instance's is that
/// they are made under the store's dedup lock (held to the end of the transaction that writes the
/// alerts), after folding in every journal entry the others committed since (`join`). Two instances
/// fetching two outlets of one story at the same moment are thus serialised: the second finds the
/// first's story in its index and adds an outlet to the first's alert.
///
/// Not thread-safe: the pipeline's owner calls it serially.
struct DedupIndexStore {
    let store: any Store
    /// Set when several instances share the store.
    let shared: (any SharedStore)?
    let logger: Logger
    /// The index, read on first use: a pass where every feed answers 304 never pays for reading
    /// it (it dominates an all-unchanged poll's CPU). Nil again after `forget`.
    private(set) var loaded: Deduplicator?
    /// The index changed since the last snapshot.
    var dirty = false
    /// Journal entries written since the last snapshot (those replayed at load included).
    private(set) var journalled = 0
    /// On a shared store: the last journal entry folded into `loaded`.
    private(set) var journalSeq: Int64 = 0
    /// Journal entries a start may replay without a snapshot, whatever the index size.
    var journalSlack = 2_000

    /// The blob an older version saved the whole snapshot in: still read, deleted by the next snapshot.
    static let legacyBlob = "dedup"

    init(store: any Store, shared: (any SharedStore)?, logger: Logger) {
        self.store = store
        self.shared = shared
        self.logger = logger
    }

    /// The store was refused a write the index had applied: read the index again on next use.
    mutating func forget() { loaded = nil }

    // MARK: - Loading

    /// The index, read from its snapshot and journal the first time it is needed, with the
    /// stories alerted within `retention.stories` pinned. What cannot be read is logged and
    /// skipped: an index that starts short re-alerts at worst, a daemon that refuses to start
    /// alerts nothing.
    mutating func index(_ settings: PipelineSettings, now: Date) -> Deduplicator {
        if let loaded { return loaded }
        var index = Deduplicator(config: settings.dedup)
        do {
            index = try Self.loadSnapshot(store, config: settings.dedup) ?? index
        } catch {
            unreadable("\(error)")
        }
        do {
            let journal = try journalAfterSnapshot()
            try index.replay(journal: journal)
            journalled = journal.count
            dirty = dirty || !journal.isEmpty
        } catch {
            unreadable("journal: \(error)")
        }
        do {
            // A story arrives when it alerts, so one alerted before the window has left the
            // index: reading only the window keeps a start's cost flat as alerts pile up.
            let since = settings.storyRetention.isFinite ? now.addingTimeInterval(-settings.storyRetention) : nil
            for story in try store.alertedStories(since: since) { index.pin(story) }
        } catch {
            unreadable("alerts: \(error)")
        }
        index.capacity = settings.indexCapacity
        loaded = index
        return index
    }

    /// The index as last snapshotted (in pieces; or whole, by an older version), nil if never.
    static func loadSnapshot(_ store: any Store, config: DedupConfig) throws -> Deduplicator? {
        if let first = try store.snapshotPiece(after: 0) {
            var seq = first.seq
            return try Deduplicator(firstPiece: first.data, next: {
                guard let piece = try store.snapshotPiece(after: seq) else { return nil }
                seq = piece.seq
                return piece.data
            }, config: config)
        }
        // Saved whole by an older version; the next snapshot is saved in pieces.
        return try store.loadBlob(legacyBlob).map { try Deduplicator(snapshot: $0, config: config) }
    }

    /// The journal after the snapshot. Shared: `journalSeq` becomes its last entry (or the
    /// snapshot's mark), so an entry that fails to replay is not read again and again.
    private mutating func journalAfterSnapshot() throws -> [Data] {
        guard let shared else { return try store.loadJournal() }
        let marks = try shared.snapshotMarks()
        let entries = try shared.journal(after: marks.through)
        journalSeq = entries.last?.seq ?? marks.through
        return entries.map(\.data)
    }

    private func unreadable(_ error: String) {
        logger.error("dedup index snapshot unreadable; starting an empty index", metadata: ["error": "\(error)"])
    }

    /// The index to decide with. Shared: takes the dedup lock and brings the index up to date,
    /// with the journal entries after `journalSeq`; or, when a snapshot compacted entries this
    /// index never folded in, with the whole index read again. Call inside the transaction the
    /// decisions are written in. Alone: `index`.
    mutating func join(_ settings: PipelineSettings, now: Date) throws -> Deduplicator {
        guard let shared else { return index(settings, now: now) }
        try shared.lockDedupIndex()
        if let loaded {
            let marks = try shared.snapshotMarks()
            if journalSeq >= marks.compacted {
                let entries = try shared.journal(after: journalSeq)
                guard let last = entries.last else { return loaded }
                journalSeq = last.seq
                journalled += entries.count
                try loaded.replay(journal: entries.map(\.data))
                return loaded
            }
            self.loaded = nil
        }
        return index(settings, now: now)
    }

    // MARK: - Saving

    /// Appends what the index learnt since the last call to the journal. Call in the transaction
    /// that writes the seen marks and alerts those stories led to; if it rolls back, `forget`.
    mutating func appendJournal() throws {
        guard let loaded else { return }
        let entries = loaded.drainJournal()
        if let shared {
            journalSeq = try shared.appendSharedJournal(entries) ?? journalSeq
        } else {
            try store.appendJournal(entries)
        }
        journalled += entries.count
    }

    /// Expires old stories, writes the index's gauges and, once the journal has grown past a
    /// quarter of the index (at least `journalSlack` entries), folds it into a new snapshot: a pass
    /// that added a few stories does not rewrite the whole index. Logs what fails.
    mutating func saveSnapshot(_ settings: PipelineSettings, now: Date) {
        if shared != nil { return saveSharedSnapshot(settings, now: now) }
        guard dirty, let loaded else { return }
        loaded.expire(before: now.addingTimeInterval(-settings.storyRetention))
        do {
            try store.transaction { try writeGauges(loaded, settings) }
        } catch {
            logger.error("cannot write the dedup gauges", metadata: ["error": "\(error)"])
        }
        guard journalled >= max(journalSlack, loaded.count / 4) else { return }
        do {
            try store.saveSnapshot(legacyBlob: Self.legacyBlob) { emit in try loaded.writeSnapshot(to: emit) }
            dirty = false
            journalled = 0
        } catch {
            logger.error("cannot save the dedup index", metadata: ["error": "\(error)"])
        }
    }

    /// `saveSnapshot` on a shared store: under the dedup lock, folds in the journal, expires old
    /// stories and, when the journal has grown past a quarter of the index since the last
    /// snapshot any instance saved, saves one.
    private mutating func saveSharedSnapshot(_ settings: PipelineSettings, now: Date) {
        guard let shared, loaded != nil else { return }
        do {
            try store.transaction {
                let index = try join(settings, now: now)
                index.expire(before: now.addingTimeInterval(-settings.storyRetention))
                try writeGauges(index, settings)
                let marks = try shared.snapshotMarks()
                guard journalSeq - marks.through >= Int64(max(journalSlack, index.count / 4)) else { return }
                try shared.saveSharedSnapshot(through: journalSeq, legacyBlob: Self.legacyBlob) { emit in
                    try index.writeSnapshot(to: emit)
                }
            }
            dirty = false
            journalled = 0
        } catch {
            loaded = nil
            logger.error("cannot save the dedup index", metadata: ["error": "\(error)"])
        }
    }

    /// Gauges for `feedwatch status`: an index at its bound says `retention.max_stories` decides
    /// how long unalerted stories are remembered.
    private func writeGauges(_ index: Deduplicator, _ settings: PipelineSettings) throws {
        try store.setCounter("dedup.stories", to: index.count)
        try store.setCounter("dedup.pinned", to: index.pinnedCount)
        try store.setCounter("dedup.max_stories", to: settings.indexCapacity)
    }
}
