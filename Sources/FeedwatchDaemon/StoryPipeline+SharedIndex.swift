import FeedwatchDedup
import FeedwatchStore
import Foundation

/// Deduplication across instances sharing one database. Each instance keeps the index in memory,
/// as alone; what makes the decision the same as one instance's is that it is made under the
/// store's dedup lock (held to the end of the transaction that writes the alerts), after folding
/// in every journal entry other instances committed since this one last looked. Two instances
/// fetching two outlets of one story at the same moment are thus serialised: the second sees the
/// first's story in its index, finds the copy, and adds an outlet to the first's alert.
extension StoryPipeline {
    /// Takes the dedup lock and brings the index up to date: the journal entries after
    /// `journalSeq`; or, when a snapshot compacted entries this index never folded in, the whole
    /// index again from the snapshot. Call inside the transaction the decisions are written in.
    mutating func joinSharedIndex(_ store: any Store, now: Date) throws -> Deduplicator {
        guard let sharedStore = store as? any SharedStore else { return index(store, now: now) }
        try sharedStore.lockDedupIndex()
        if let dedup {
            let marks = try sharedStore.snapshotMarks()
            if journalSeq >= marks.compacted {
                let entries = try sharedStore.journal(after: journalSeq)
                guard let last = entries.last else { return dedup }
                journalSeq = last.seq
                journalled += entries.count
                try dedup.replay(journal: entries.map(\.data))
                return dedup
            }
            self.dedup = nil
        }
        return index(store, now: now)
    }

    /// The journal after the snapshot, for `index`; `journalSeq` becomes its last entry (or the
    /// snapshot's mark), so an entry that fails to replay is not read again and again.
    mutating func sharedJournal(_ store: any Store) throws -> [Data] {
        guard let sharedStore = store as? any SharedStore else { return try store.loadJournal() }
        let marks = try sharedStore.snapshotMarks()
        let entries = try sharedStore.journal(after: marks.through)
        journalSeq = entries.last?.seq ?? marks.through
        return entries.map(\.data)
    }
}
