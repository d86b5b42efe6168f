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
    /// What the config and the watchlist say; replaced whole by a reload (`apply`).
    private(set) var settings: PipelineSettings
    /// Classification and fingerprinting under `settings`; fetch tasks take a copy.
    private(set) var preparer: StoryPreparer
    /// The dedup index, and where it is persisted.
    var indexStore: DedupIndexStore
    /// Published to alerted, for `/metrics`.
    var alertLatency = Histogram.latencySeconds()

    init(settings: PipelineSettings, indexStore: DedupIndexStore) {
        self.settings = settings
        preparer = Self.preparer(settings, generation: 0)
        self.indexStore = indexStore
    }

    /// Swaps in a reload's settings. Entries prepared under the old ones are prepared again
    /// (`generation`); the index keeps its stories and takes the new bound.
    mutating func apply(_ next: PipelineSettings) {
        settings = next
        preparer = Self.preparer(next, generation: preparer.generation + 1)
        indexStore.loaded?.capacity = next.indexCapacity
    }

    private static func preparer(_ settings: PipelineSettings, generation: Int) -> StoryPreparer {
        StoryPreparer(classifier: settings.classifier, dedupConfig: settings.dedup, generation: generation,
                      teaserWords: settings.teaserWords)
    }

    /// The dedup index, read from the store the first time it is needed.
    mutating func index(now: Date) -> Deduplicator { indexStore.index(settings, now: now) }

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
        let topics = settings.topics, catchUp = settings.catchUp, sinks = settings.sinks
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
            // Shared: the first decision of the feed takes the store's dedup lock (`DedupIndexStore.join`).
            let dedupIndex: Deduplicator
            if !joined {
                dedupIndex = try indexStore.join(settings, now: now)
                joined = true
            } else {
                dedupIndex = indexStore.index(settings, now: now)
            }
            let result = dedupIndex.add(fingerprinted, at: now)
            indexStore.dirty = true
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
        try indexStore.appendJournal()
        try store.saveSourceState(state)
        return report
    }
}
