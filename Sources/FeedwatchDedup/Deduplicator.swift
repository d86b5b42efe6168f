import Foundation
import FeedwatchModel
import FeedwatchText

/// Finds republished copies of stories and groups reports of one event.
///
/// Each `add` answers from hash tables only — sampled-shingle postings, name postings, id and link
/// tables — visiting a bounded number of postings per key, so its cost does not grow with the
/// number of stories indexed. Stories live in flat columns (`StoryTable`), about 1.3 KB each
/// with their postings at the peak of a compaction cycle. Not thread-safe: one task owns it.
public final class Deduplicator {
    public let config: DedupConfig
    var table = StoryTable()
    var shingles = PostingIndex(cap: Deduplicator.postingLimit)
    var names = PostingIndex(cap: Deduplicator.namePostingLimit)
    /// Event keys (`FingerprintView.forEachEventKey`); not in snapshots: rebuilt from the stories.
    var events = PostingIndex(cap: Deduplicator.postingLimit)
    private var byID: [UInt64: UInt32] = [:]
    private var byLink: [UInt64: UInt32] = [:]
    /// Stories that arrived before this are dead (the retention window): skipped now, dropped at
    /// the next compaction.
    var windowHorizon: Double = -.infinity
    /// Stories that arrived before this are dead too unless pinned (the capacity bound); never
    /// before `windowHorizon`, so one comparison decides for most stories.
    var horizon: Double = -.infinity
    /// Stories kept past the capacity bound (until the window passes): those an alert was raised
    /// on, so a copy arriving days later still finds its original and does not alert again.
    var pinned = Set<UInt32>()
    private var liveCount = 0
    /// The table size before which `expireOverCapacity` is not tried again.
    private var nextCut = 0
    private var scratch = CandidateScores()
    /// First slot not yet handed out by `drainJournal()`.
    var journalFrom = 0
    /// Live stories kept at most: beyond it the earliest arrivals expire. A story costs about
    /// 1.3 KB with its postings, so this bounds the index's memory however many feeds feed it.
    public var capacity: Int = .max {
        didSet { expireOverCapacity() }
    }

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

    /// Stories kept past the capacity bound because an alert was raised on them (see `pin`).
    public var pinnedCount: Int { pinned.count }

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
            // The same id again is an exact duplicate (of itself, when it was the original).
            return DedupResult(id: story.id, duplicateOf: table.id(at: table.originalRefs[Int(slot)]),
                               story: table.id(at: table.clusterRefs[Int(slot)]))
        }
        let fp = prepared.fingerprint
        let decision = fp.withView { view in
            table.values.withUnsafeBufferPointer { all in decide(view, all: all, time: time) }
        }
        let idRef = table.storeID(story.id)
        var originalRef = idRef, clusterRef = idRef
        if let d = decision.duplicate {
            originalRef = table.originalRefs[Int(d)]
            clusterRef = table.clusterRefs[Int(d)]
        } else if let c = decision.cluster {
            clusterRef = table.clusterRefs[Int(c)]
        }
        insert(time: time, fingerprint: fp, idRef: idRef, originalRef: originalRef, clusterRef: clusterRef)
        let result = DedupResult(id: story.id, duplicateOf: decision.duplicate == nil ? nil : table.id(at: originalRef),
                                 story: clusterRef == idRef ? story.id : table.id(at: clusterRef))
        // After the result: compaction moves every id.
        if liveCount - pinned.count - capacity > capacity / 16, table.count >= nextCut { expireOverCapacity() }
        return result
    }

    /// Whether `prepared` copies a story an alert was raised on (a pinned one, or one whose
    /// cluster is pinned), by the rules of `add`, without indexing it: the daemon skips reading
    /// the article page of such a copy.
    public func copiesAlertedStory(_ prepared: PreparedStory, at date: Date) -> Bool {
        guard !pinned.isEmpty else { return false }
        let duplicate: UInt32?
        if let slot = slot(of: prepared.story.id), isLive(slot) {
            duplicate = slot
        } else {
            duplicate = prepared.fingerprint.withView { view in
                table.values.withUnsafeBufferPointer { all in decide(view, all: all, time: date.timeIntervalSince1970) }
            }.duplicate
        }
        guard let d = duplicate else { return false }
        if pinned.contains(d) { return true }
        return slot(ofRef: table.clusterRefs[Int(d)]).map { pinned.contains($0) } ?? false
    }

    /// Forgets stories that arrived before `date`, pinned ones too; storage is reclaimed once a
    /// quarter is dead.
    public func expire(before date: Date) {
        windowHorizon = max(windowHorizon, date.timeIntervalSince1970)
        setHorizon(horizon)
    }

    /// Keeps the story indexed under `id` (if it still is) past the capacity bound, until the
    /// retention window passes. The daemon pins every story it raised an alert on.
    public func pin(_ id: String) {
        guard let slot = slot(of: id), table.times[Int(slot)] >= windowHorizon,
              pinned.insert(slot).inserted else { return }
        // Past the capacity bound already (pins are restored after a load): alive again.
        if table.times[Int(slot)] < horizon { liveCount += 1 }
    }

    /// Expires the earliest unpinned arrivals down to `capacity`. Called a sixteenth over it, so
    /// the scan that recounts is paid once per many stories.
    private func expireOverCapacity() {
        guard table.count > capacity, capacity > 0 else { return }
        // Arrival times only grow, so the live stories are the last ones; stories that arrived at
        // the very time of the cut stay with it. When many do (one feed's entries share their
        // arrival), the cut frees little: the next try waits for another sixteenth of arrivals
        // rather than rescanning the table on every add.
        setHorizon(table.times[table.count - capacity])
        nextCut = table.count + capacity / 16
    }

    /// Moves the capacity horizon (never behind the window's), recounts, and compacts once a
    /// quarter of the table is dead.
    private func setHorizon(_ h: Double) {
        horizon = max(h, windowHorizon)
        pinned = pinned.filter { table.times[Int($0)] >= windowHorizon }
        let cut = horizon
        liveCount = table.times.reduce(0) { $0 + ($1 >= cut ? 1 : 0) }
            + pinned.reduce(0) { $0 + (table.times[Int($1)] < cut ? 1 : 0) }
        if table.count - liveCount > table.count / 4 { compact() }
    }

    @inline(__always) func isLive(_ slot: UInt32) -> Bool {
        Self.isLive(slot, arrived: table.times[Int(slot)], horizon: horizon, windowHorizon: windowHorizon, pinned: pinned)
    }

    /// The one liveness rule, on values: `decide` applies it to local copies of the columns.
    @inline(__always)
    static func isLive(_ slot: UInt32, arrived t: Double, horizon: Double, windowHorizon: Double, pinned: Set<UInt32>) -> Bool {
        t >= horizon || (!pinned.isEmpty && t >= windowHorizon && pinned.contains(slot))
    }

    /// The slot of the story indexed under `id`, if any.
    func slot(of id: String) -> UInt32? {
        guard let slot = byID[StableHash.of(id)], table.idMatches(table.idRefs[Int(slot)], id) else { return nil }
        return slot
    }

    /// The slot whose own id is stored at `ref`, if that story is still indexed.
    private func slot(ofRef ref: UInt32) -> UInt32? {
        guard let slot = byID[table.idHash(at: ref)],
              table.idBytes[table.idRange(table.idRefs[Int(slot)])].elementsEqual(table.idBytes[table.idRange(ref)])
        else { return nil }
        return slot
    }

    // MARK: Decisions

    /// The slot the story copies, else the slot whose cluster it joins, else neither.
    struct Decision { var duplicate: UInt32?; var cluster: UInt32? }

    private func decide(_ fp: FingerprintView, all: UnsafeBufferPointer<UInt32>, time: Double) -> Decision {
        if fp.header.linkHash != 0, let slot = byLink[fp.header.linkHash], isLive(slot) {
            return Decision(duplicate: slot, cluster: nil)
        }
        var scores = scratch
        scratch = CandidateScores()
        defer {
            scores.clear()
            scratch = scores
        }
        // Columns read into locals: the loops below then check no exclusive access per posting.
        let times = table.times, headers = table.headers, horizon = self.horizon
        let windowHorizon = self.windowHorizon, pinned = self.pinned
        let isLive = { (slot: UInt32) in
            Self.isLive(slot, arrived: times[Int(slot)], horizon: horizon, windowHorizon: windowHorizon, pinned: pinned)
        }
        // Lead shingles weigh more: copies share the lede, while other dispatches often share
        // only a background paragraph that would crowd them out of the candidates. Keys filed
        // under fewer stories weigh more, and formulaic ones (full) hardly count: in a feed farm
        // of one wire mould every sampled shingle of a lede can be formulaic, and the event keys
        // (a toll with its day or place) are then what finds the report's original. Headline
        // keys find the copies of a bare headline, whose text shares no shingle with a summary.
        for (i, key) in fp.keys.enumerated() {
            let base = i < fp.leadCount ? 64 : 16
            shingles.forEach(key) { slot, count in scores.bump(slot, by: shingles.weight(base, count: count)) }
        }
        fp.forEachEventKey { key in
            events.forEach(key) { slot, count in scores.bump(slot, by: events.weight(256, count: count)) }
        }
        var best: (slot: UInt32, score: Double)?
        let candidates = scores.ranked(limit: Deduplicator.candidateLimit, isLive: isLive)
        for slot in candidates {
            let other = FingerprintView(header: headers[Int(slot)], in: all)
            let apart = abs(times[Int(slot)] - time)
            if !Similarity.bareApart(fp, other, apart: apart, config: config),
               let score = Similarity.nearDuplicate(fp, other, config: config)
                ?? shortCopy(fp, other, slot: slot, time: time, candidates: candidates, all: all),
               best == nil || score > best!.score || (score == best!.score && slot < best!.slot) {
                best = (slot, score)
            }
        }
        if let best { return Decision(duplicate: best.slot, cluster: nil) }

        // The event cluster a new (non-duplicate) story joins, if any. The shingle hits are
        // still in `scores`: shared text counts too. Candidates are ranked by how many of this
        // story's names they carry, and only the best few verified.
        let since = time - config.clusterWindow
        for name in fp.names {
            names.forEach(name) { slot, count in
                if times[Int(slot)] >= since { scores.bump(slot, by: names.weight(64, count: count)) }
            }
        }
        for name in fp.initialNames {
            names.forEach(name) { slot, count in
                if times[Int(slot)] >= since { scores.bump(slot, by: names.weight(64, count: count)) }
            }
        }
        var joined: (slot: UInt32, score: Double)?
        for slot in scores.ranked(limit: Deduplicator.clusterCandidateLimit, isLive: isLive) {
            guard abs(times[Int(slot)] - time) <= config.clusterWindow else { continue }
            let other = FingerprintView(header: headers[Int(slot)], in: all)
            if let s = Similarity.sameStory(fp, other, config: config),
               joined == nil || s > joined!.score || (s == joined!.score && slot < joined!.slot) {
                joined = (slot, s)
            }
        }
        guard let joined else { return Decision(duplicate: nil, cluster: nil) }
        // Joining a report's cluster must not drift away from the event that founded it: the
        // story must be a report of the founder's event too, or chains of pairwise-similar
        // reports would gather unrelated events into one story.
        if let founder = slot(ofRef: table.clusterRefs[Int(joined.slot)]), founder != joined.slot, isLive(founder),
           Similarity.sameStory(fp, FingerprintView(header: headers[Int(founder)], in: all), config: config) == nil {
            return Decision(duplicate: nil, cluster: nil)
        }
        return Decision(duplicate: nil, cluster: joined.slot)
    }

    /// `Similarity.shortCopy`, and when `other` is a bare headline, the story must also copy the
    /// text that headline stands for: its original's when it copied one still indexed, else that
    /// of the first story with text that copied it (among `candidates`). A later story with its
    /// own summary under the same headline is another report, not a copy.
    private func shortCopy(_ fp: FingerprintView, _ other: FingerprintView, slot: UInt32, time: Double,
                           candidates: [UInt32], all: UnsafeBufferPointer<UInt32>) -> Double? {
        let times = table.times
        guard let score = Similarity.shortCopy(fp, other, apart: abs(times[Int(slot)] - time), config: config)
        else { return nil }
        guard other.opening.isEmpty, !fp.opening.isEmpty else { return score }
        let own = table.idRefs[Int(slot)]
        var textSlot: UInt32?
        if table.originalRefs[Int(slot)] != own {
            if let original = self.slot(ofRef: table.originalRefs[Int(slot)]), isLive(original) { textSlot = original }
        } else {
            textSlot = candidates.filter { $0 != slot && table.originalRefs[Int($0)] == own
                && table.headers[Int($0)].openingCount > 0 }.min()
        }
        guard let textSlot else { return score }
        let text = FingerprintView(header: table.headers[Int(textSlot)], in: all)
        guard Similarity.nearDuplicate(fp, text, config: config) != nil
            || Similarity.shortCopy(fp, text, apart: abs(times[Int(textSlot)] - time), config: config) != nil
        else { return nil }
        return score
    }

    // MARK: Storage

    /// Indexes a story decoded from a journal or an old snapshot, with its ids as strings.
    func insert(_ record: StoryRecord) {
        let idRef = table.storeID(record.id)
        func ref(_ id: String) -> UInt32 {
            if id == record.id { return idRef }
            if let s = slot(of: id) { return table.idRefs[Int(s)] }
            return table.storeID(id)        // expired or never indexed here: kept by name
        }
        insert(time: record.time, fingerprint: record.fingerprint, idRef: idRef,
               originalRef: ref(record.original), clusterRef: ref(record.cluster))
    }

    private func insert(time: Double, fingerprint fp: Fingerprint, idRef: UInt32, originalRef: UInt32, clusterRef: UInt32) {
        let slot = UInt32(table.count)
        table.append(time: time, fingerprint: fp, idRef: idRef, originalRef: originalRef, clusterRef: clusterRef)
        if time >= horizon { liveCount += 1 }
        indexLookups(slot)
        fp.withView { indexPostings($0, slot: slot) }
    }

    /// Files `slot` under its shingle keys and names.
    private func indexPostings(_ view: FingerprintView, slot: UInt32) {
        for key in view.keys { shingles.insert(key, slot: slot) }
        for name in view.names { names.insert(name, slot: slot) }
        for name in view.initialNames { names.insert(name, slot: slot) }
        view.forEachEventKey { events.insert($0, slot: slot) }
    }

    /// After a snapshot load: the event keys of every story, in arrival order.
    func rebuildEventKeys() {
        events = emptyEventIndex()
        table.values.withUnsafeBufferPointer { all in
            for (i, header) in table.headers.enumerated() {
                FingerprintView(header: header, in: all).forEachEventKey { events.insert($0, slot: UInt32(i)) }
            }
        }
    }

    /// An event-key table sized, like the others at compaction, for the stories indexed and half
    /// as many again.
    private func emptyEventIndex() -> PostingIndex {
        var keys = 0
        table.values.withUnsafeBufferPointer { all in
            for header in table.headers { FingerprintView(header: header, in: all).forEachEventKey { _ in keys += 1 } }
        }
        return PostingIndex(cap: Deduplicator.postingLimit, capacity: keys + keys / 2)
    }

    /// Files `slot` in the id and link tables.
    func indexLookups(_ slot: UInt32) {
        let header = table.headers[Int(slot)]
        byID[header.idHash] = slot
        if header.linkHash != 0, byLink[header.linkHash].map({ !isLive($0) }) ?? true { byLink[header.linkHash] = slot }
    }

    /// After a snapshot load: the id and link tables and the live count, from the columns.
    func rebuildLookups() {
        byID = Dictionary(minimumCapacity: table.count)
        byLink = [:]
        liveCount = 0
        for slot in 0..<UInt32(table.count) {
            indexLookups(slot)
            if isLive(slot) { liveCount += 1 }
        }
    }

    /// Rebuilds every table from the live stories, in arrival order.
    private func compact() {
        // Stories not yet journalled stay last (arrival order is kept), so they still drain.
        let h = horizon, w = windowHorizon, pins = pinned
        let keep = { (slot: Int, time: Double) in
            Self.isLive(UInt32(slot), arrived: time, horizon: h, windowHorizon: w, pinned: pins)
        }
        let pending = (journalFrom..<table.count).filter { keep($0, table.times[$0]) }.count
        // The old posting tables go before the new are built, and the old columns as soon as
        // they are copied: compacting at capacity must not hold two indexes at once.
        shingles = PostingIndex(cap: Deduplicator.postingLimit)
        names = PostingIndex(cap: Deduplicator.namePostingLimit)
        events = PostingIndex(cap: Deduplicator.postingLimit)
        byID = [:]
        byLink = [:]
        let old = table
        table = StoryTable()
        table = old.compacted { keep($0, old.times[$0]) }
        // Slots are renumbered in order: a pinned slot moves down by the dead ones before it.
        var renumbered = Set<UInt32>()
        var next: UInt32 = 0
        for i in 0..<old.count where keep(i, old.times[i]) {
            if pins.contains(UInt32(i)) { renumbered.insert(next) }
            next += 1
        }
        pinned = renumbered
        journalFrom = table.count - pending
        let postings = table.headers.reduce(0) { $0 + Int($1.keyCount) }
        let namePostings = table.headers.reduce(0) { $0 + Int($1.nameCount) + Int($1.initialCount) }
        // Sized for what arrives before the next compaction (up to half as much again: a quarter
        // of the table dead, a sixteenth over capacity), so an index at capacity never grows its
        // tables, and never holds an old and a new one.
        shingles = PostingIndex(cap: Deduplicator.postingLimit, capacity: postings + postings / 2)
        names = PostingIndex(cap: Deduplicator.namePostingLimit, capacity: namePostings + namePostings / 2)
        events = emptyEventIndex()
        scratch.reset()
        table.values.withUnsafeBufferPointer { all in
            for (i, header) in table.headers.enumerated() {
                indexPostings(FingerprintView(header: header, in: all), slot: UInt32(i))
            }
        }
        rebuildLookups()
    }
}
