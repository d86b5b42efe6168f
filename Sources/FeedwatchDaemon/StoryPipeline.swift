import FeedwatchAlert
import FeedwatchClassify
import FeedwatchConfig
import FeedwatchDedup
import FeedwatchModel
import FeedwatchParse
import FeedwatchStore
import FeedwatchText
import Foundation

/// Entries → seen → classify → story text and fingerprint (what matched a topic) → dedup → alerts, for one fetched
/// feed, written to the store in one transaction with the source's new state
/// and the alerts' outbox rows (a savepoint, when `PollService` commits a burst of feeds
/// together): a crash leaves either all of it or none.
///
/// Not thread-safe: the owning actor calls it serially (dedup order matters).
struct StoryPipeline {
    var preparer: StoryPreparer
    /// Which new entries are too old to alert.
    var catchUp: CatchUp
    var topics: [String]
    /// Loaded on first use: a pass where every feed answers 304 never pays for
    /// reading the index (it dominates an all-unchanged poll's CPU).
    var dedup: Deduplicator?
    /// Sink names: every new alert gets one outbox row per sink.
    var sinks: SinkRoutes
    /// How long the index keeps a story (`retention.stories`): alerts older than that pin nothing.
    var storyRetention: TimeInterval = .infinity
    /// Live stories the dedup index keeps at most (`retention.max_stories`).
    var indexCapacity = Int.max {
        didSet { dedup?.capacity = indexCapacity }
    }
    /// Dedup changed since the last snapshot.
    var dirty = false
    /// Journal entries written since the last snapshot (those replayed at load included).
    var journalled = 0
    /// The store is shared by several instances (`SharedStore`): dedup decisions are made under
    /// its lock, after folding in the journal (`StoryPipeline+SharedIndex`).
    var shared = false
    /// On a shared store: the last journal entry folded into `dedup`.
    var journalSeq: Int64 = 0
    /// Published to alerted, for `/metrics`.
    var alertLatency = Histogram.latencySeconds()
    /// Reports an unreadable snapshot (the index then starts empty).
    var onIndexError: @Sendable (String) -> Void = { _ in }

    /// The dedup index, read from its snapshot and journal the first time it is needed.
    mutating func index(_ store: any Store, now: Date) -> Deduplicator {
        if let dedup { return dedup }
        let dedupConfig = preparer.dedupConfig
        var loaded = Deduplicator(config: dedupConfig)
        do {
            loaded = try Self.loadSnapshot(store, config: dedupConfig) ?? loaded
        } catch {
            onIndexError("\(error)")
        }
        do {
            let journal = try shared ? sharedJournal(store) : store.loadJournal()
            try loaded.replay(journal: journal)
            journalled = journal.count
            dirty = dirty || !journal.isEmpty
        } catch {
            onIndexError("journal: \(error)")
        }
        do {
            // A story arrives when it alerts, so one alerted before the window has left the
            // index: reading only the window keeps a start's cost flat as alerts pile up.
            let since = storyRetention.isFinite ? now.addingTimeInterval(-storyRetention) : nil
            for story in try store.alertedStories(since: since) { loaded.pin(story) }
        } catch {
            onIndexError("alerts: \(error)")
        }
        loaded.capacity = indexCapacity
        dedup = loaded
        return loaded
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
        return try store.loadBlob(PollService.dedupBlob).map { try Deduplicator(snapshot: $0, config: config) }
    }

    /// - Parameters:
    ///   - prepared: entries a fetch task prepared (by entry id); the rest are prepared here.
    ///   - firstPoll: the source was never fetched successfully before: undated entries are backlog.
    mutating func process(feed: Feed, prepared: [String: PreparedEntry] = [:], source: SourceConfig,
                          state: SourceState, firstPoll: Bool, store: any Store, now: Date) throws -> ProcessReport {
        var report = ProcessReport()
        report.entries = feed.entries.count
        let ids = feed.entries.map(\.id)
        let fresh = try store.markSeen(sourceURL: source.url, entryIDs: ids, at: now)
        guard !fresh.isEmpty else {
            try store.saveSourceState(state)
            return report
        }
        // Oldest first, so the first report of a story is the one that founds its cluster. Sorted
        // by index: moving the entries themselves cost more than the sort.
        let all = feed.entries
        let order = all.indices.filter { fresh.contains(all[$0].id) }.sorted { a, b in
            let da = all[a].published ?? all[a].updated, db = all[b].published ?? all[b].updated
            switch (da, db) {
            case let (x?, y?) where x != y: return x < y
            default: return a > b       // feeds list newest first
            }
        }
        var joined = false
        for entry in order.lazy.map({ all[$0] }) {
            report.new += 1
            // Prepared under a watchlist a reload has since replaced: prepared again.
            let prep = prepared[entry.id].flatMap { $0.generation == preparer.generation ? $0 : nil }
                ?? preparer.prepare(entry, source: source, feedLanguage: feed.language)
            let story = prep.story
            let isBacklog = catchUp.isBacklog(story.published, firstPoll: firstPoll, now: now)
            if isBacklog { report.backlog += 1 }
            // Matched no topic: it can never alert, so the index never learns it (`StoryPreparer`).
            guard let fingerprinted = prep.dedup else { continue }
            let dedupIndex: Deduplicator
            if shared, !joined {
                dedupIndex = try joinSharedIndex(store, now: now)
                joined = true
            } else {
                dedupIndex = index(store, now: now)
            }
            let result = dedupIndex.add(fingerprinted, at: now)
            dirty = true
            if result.duplicateOf != nil { report.duplicates += 1 }
            let matches = Dictionary(prep.matches.map { ($0.topic, $0) }, uniquingKeysWith: { a, _ in a })
            var alerted = false
            for topic in topics {
                let id = AlertID.make(topic: topic, cluster: result.story)
                // An outlet's link reaches chat and mail too: only http(s) (`AlertLink`), else none.
                if try store.addOutlet(alertID: id, outlet: source.name, link: AlertLink.safe(story.link), title: story.title) {
                    // A later copy or report of an alerted story (the same event by dedup's rules, a
                    // higher toll included): counted and listed, sent as an update of the alert.
                    report.copies += 1
                    continue
                }
                guard !isBacklog, let match = matches[topic] else { continue }
                let link = AlertLink.choose(story: story.link, feed: feed.link, source: source.url)
                var alert = Alert(id: id, topic: topic, score: match.score, matched: match.matched, story: result.story,
                                  title: story.title, link: link.link, source: source.name, outlets: [source.name],
                                  published: story.published, fetched: now, alerted: now,
                                  reports: [Alert.Report(outlet: source.name, link: link.link, title: story.title)],
                                  reportCount: 1)
                alert.linkNote = link.note
                alert.textSource = prep.textSource ?? "feed"
                alert.textNote = prep.textNote
                guard try Outbox(store: store).queue(alert, routes: sinks, sourceTags: source.tags, language: story.language,
                                                     at: now, report: story.id == result.story ? nil : story.id) else { continue }
                report.alerts += 1
                alerted = true
                if let published = story.published { alertLatency.observe(now.timeIntervalSince(published)) }
            }
            if alerted {
                // Alerted stories outlive the index's capacity bound: a copy arriving days later
                // must still find them rather than alert again.
                dedupIndex.pin(result.story)
                dedupIndex.pin(story.id)
            }
        }
        // With the seen marks and the alerts: a crash cannot leave a story seen but unknown to dedup.
        if let dedup {
            let entries = dedup.drainJournal()
            if shared, let s = store as? any SharedStore {
                journalSeq = try s.appendSharedJournal(entries) ?? journalSeq
            } else {
                try store.appendJournal(entries)
            }
            journalled += entries.count
        }
        try store.saveSourceState(state)
        return report
    }
}
