import Foundation
import FeedwatchModel
import FeedwatchText

/// Finds republished copies of stories and groups reports of one event.
///
/// Each `add` answers from hash tables only — sampled-shingle postings, name postings, id and link
/// tables — visiting a bounded number of postings per key, so its cost does not grow with the
/// number of stories indexed. Not thread-safe: one task owns it.
public final class Deduplicator {
    public let config: DedupConfig
    var records: [StoryRecord] = []
    /// `records[i].time`, dense: posting walks read it without touching the records themselves.
    private var times: [Double] = []
    private var shingles = PostingIndex(cap: Deduplicator.postingLimit)
    private var names = PostingIndex(cap: Deduplicator.namePostingLimit)
    private var byID: [UInt64: UInt32] = [:]
    private var byLink: [UInt64: UInt32] = [:]
    /// Stories older than this are dead: skipped now, dropped at the next compaction.
    private(set) var horizon: Double = -.infinity
    private var liveCount = 0
    /// Per-slot candidate scores for the story being added, and the slots touched: reused across
    /// calls so a lookup allocates nothing and ranks only the slots it touched.
    private var scores: [UInt16] = []
    private var touched: [UInt32] = []
    /// First record not yet handed out by `drainJournal()`.
    var journalFrom = 0

    /// Postings kept per shingle key: a shingle shared by more stories is formulaic, and the
    /// most recent ones suffice (see `PostingIndex`).
    static let postingLimit = 32
    /// Postings kept per name: the most recent reports naming a place are the ones to join.
    static let namePostingLimit = 24
    /// Event candidates verified per story at most, most shared names first.
    static let clusterCandidateLimit = 32
    /// Candidates verified per story at most, best shingle overlap first.
    static let candidateLimit = 12

    public init(config: DedupConfig = .init()) {
        self.config = config
    }

    /// Number of live (unexpired) stories indexed.
    public var count: Int { liveCount }

    /// Decides whether `story` copies an indexed one and which event it belongs to, then indexes it.
    public func add(_ story: Story, at date: Date) -> DedupResult {
        add(story, text: StoryText(story), at: date)
    }

    /// `add` for a caller that already built the story's `StoryText`.
    public func add(_ story: Story, text: StoryText, at date: Date) -> DedupResult {
        add(Deduplicator.prepare(story, text: text, config: config), at: date)
    }

    /// The fingerprint of `story`, computed without the index (safe on any thread).
    public static func prepare(_ story: Story, text: StoryText, config: DedupConfig) -> PreparedStory {
        PreparedStory(story: story, fingerprint: Fingerprint(id: story.id, text: text, leadTokens: config.leadTokens))
    }

    /// `add` for a story prepared with this index's config.
    public func add(_ prepared: PreparedStory, at date: Date) -> DedupResult {
        let story = prepared.story
        let time = date.timeIntervalSince1970
        if let slot = slot(of: story.id), isLive(slot) {
            let r = records[Int(slot)]
            // The same id again is an exact duplicate (of itself, when it was the original).
            return DedupResult(id: story.id, duplicateOf: r.original, story: r.cluster)
        }
        let fp = prepared.fingerprint
        let decision = decide(fp, time: time)
        let record = StoryRecord(id: story.id, original: decision.original ?? story.id,
                                 cluster: decision.cluster ?? story.id, time: time, fingerprint: fp)
        insert(record)
        return DedupResult(id: story.id, duplicateOf: decision.original, story: record.cluster)
    }

    /// Forgets stories that arrived before `date`; storage is reclaimed once a quarter is dead.
    public func expire(before date: Date) {
        horizon = max(horizon, date.timeIntervalSince1970)
        liveCount = times.reduce(0) { $0 + ($1 >= horizon ? 1 : 0) }
        if records.count - liveCount > records.count / 4 { compact() }
    }

    func isLive(_ slot: UInt32) -> Bool { times[Int(slot)] >= horizon }

    /// The slot of the story indexed under `id`, if any.
    func slot(of id: String) -> UInt32? {
        guard let slot = byID[StableHash.of(id)], records[Int(slot)].id == id else { return nil }
        return slot
    }

    // MARK: Decisions

    struct Decision { var original: String?; var cluster: String? }

    private func decide(_ fp: Fingerprint, time: Double) -> Decision {
        if fp.linkHash != 0, let slot = byLink[fp.linkHash], isLive(slot) {
            let r = records[Int(slot)]
            return Decision(original: r.original, cluster: r.cluster)
        }
        defer { clearScores() }
        // Lead shingles weigh more: copies share the lede, while other dispatches often share
        // only a background paragraph that would crowd them out of the candidates.
        for (i, key) in fp.keys.enumerated() {
            let weight: UInt16 = i < fp.leadCount ? 4 : 1
            shingles.forEach(key) { slot in bump(slot, by: weight) }
        }
        var best: (slot: UInt32, score: Double)?
        for slot in ranked(limit: Deduplicator.candidateLimit) {
            let other = records[Int(slot)].fingerprint
            if let score = Similarity.nearDuplicate(fp, other, config: config),
               best == nil || score > best!.score || (score == best!.score && slot < best!.slot) {
                best = (slot, score)
            }
        }
        if let best {
            let r = records[Int(best.slot)]
            return Decision(original: r.original, cluster: r.cluster)
        }
        return Decision(original: nil, cluster: cluster(for: fp, time: time))
    }

    /// The event cluster a new (non-duplicate) story joins, if any. The shingle hits of `decide`
    /// are still in `scores`: shared text counts too.
    private func cluster(for fp: Fingerprint, time: Double) -> String? {
        // Rank candidates by how many of this story's names they carry, and verify only the best few.
        let since = time - config.clusterWindow
        for name in fp.names + fp.initialNames {
            names.forEach(name) { slot in
                if times[Int(slot)] >= since { bump(slot, by: 4) }
            }
        }
        var best: (slot: UInt32, score: Double)?
        for slot in ranked(limit: Deduplicator.clusterCandidateLimit) {
            let r = records[Int(slot)]
            guard abs(r.time - time) <= config.clusterWindow else { continue }
            if let s = Similarity.sameEvent(fp, r.fingerprint, config: config),
               best == nil || s > best!.score || (s == best!.score && slot < best!.slot) {
                best = (slot, s)
            }
        }
        guard let best else { return nil }
        let cluster = records[Int(best.slot)].cluster
        // Joining a report's cluster must not drift away from the event that founded it: the
        // story must be a report of the founder's event too, or chains of pairwise-similar
        // reports would gather unrelated events into one story.
        if let founder = slot(of: cluster), founder != best.slot, isLive(founder),
           Similarity.sameEvent(fp, records[Int(founder)].fingerprint, config: config) == nil {
            return nil
        }
        return cluster
    }

    @inline(__always) private func bump(_ slot: UInt32, by n: UInt16) {
        let i = Int(slot)
        if i >= scores.count { scores.append(contentsOf: repeatElement(0, count: max(i + 1 - scores.count, scores.count))) }
        if scores[i] == 0 { touched.append(slot) }
        scores[i] &+= n
    }

    /// The live touched slots with the highest scores, best first (ties: the most recent first).
    private func ranked(limit: Int) -> [UInt32] {
        // Selection into a small sorted buffer: most touched slots lose to its last entry at once.
        var top: [UInt64] = []
        top.reserveCapacity(limit + 1)
        for slot in touched {
            let packed = UInt64(scores[Int(slot)]) << 32 | UInt64(slot)
            if top.count == limit, packed <= top[limit - 1] { continue }
            guard isLive(slot) else { continue }
            var i = top.count
            while i > 0 && top[i - 1] < packed { i -= 1 }
            top.insert(packed, at: i)
            if top.count > limit { top.removeLast() }
        }
        return top.map { UInt32(truncatingIfNeeded: $0) }
    }

    private func clearScores() {
        for slot in touched { scores[Int(slot)] = 0 }
        touched.removeAll(keepingCapacity: true)
    }

    // MARK: Storage

    func insert(_ record: StoryRecord) {
        let slot = UInt32(records.count)
        records.append(record)
        times.append(record.time)
        if record.time >= horizon { liveCount += 1 }
        let fp = record.fingerprint
        byID[fp.idHash] = slot
        if fp.linkHash != 0, byLink[fp.linkHash].map({ !isLive($0) }) ?? true { byLink[fp.linkHash] = slot }
        for key in fp.keys { shingles.insert(key, slot: slot) }
        for name in fp.names + fp.initialNames { names.insert(name, slot: slot) }
    }

    /// Rebuilds every table from the live records, in arrival order.
    private func compact() {
        // Records not yet journalled stay last (arrival order is kept), so they still drain.
        let pending = records[journalFrom...].filter { $0.time >= horizon }.count
        defer { journalFrom = records.count - pending }
        let live = records.filter { $0.time >= horizon }
        records = []
        records.reserveCapacity(live.count)
        times = []
        times.reserveCapacity(live.count)
        shingles = PostingIndex(cap: Deduplicator.postingLimit,
                                capacity: live.reduce(0) { $0 + $1.fingerprint.keys.count })
        names = PostingIndex(cap: Deduplicator.namePostingLimit,
                             capacity: live.reduce(0) { $0 + $1.fingerprint.names.count })
        byID = [:]
        byLink = [:]
        scores = []
        liveCount = 0
        for r in live { insert(r) }
    }
}
