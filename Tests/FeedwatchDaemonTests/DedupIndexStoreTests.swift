import FeedwatchClassify
import FeedwatchConfig
import FeedwatchDedup
import FeedwatchModel
import FeedwatchPostgres
import FeedwatchStore
import FeedwatchTestSupport
import Foundation
import Logging
import Testing
@testable import FeedwatchDaemon

@Suite("Dedup index in the state store")
struct DedupIndexStoreTests {
    let dir = StoreTempDir()
    let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    static let lead = "Gunmen on motorbikes attacked a gendarmerie post in the town of Koutiala in southern Mali on Friday, killing four gendarmes and wounding two civilians, the security ministry said."
    static let rest = "The attackers set fire to the post and to a pick-up truck before fleeing towards the border with Burkina Faso, a local official said, adding that a search operation was under way."

    func story(_ id: String, _ title: String, _ body: String) -> Story {
        Story(id: id, title: title, content: body, source: "test", language: "en")
    }

    func populated() -> Deduplicator {
        let d = Deduplicator()
        _ = d.add(story("a", "Gendarmes killed in Koutiala", Self.lead + "\n\n" + Self.rest), at: t0)
        for i in 0..<20 {
            _ = d.add(story("n\(i)", "Notice \(i)", "Market notice \(i) of the Bamako chamber of commerce, reference \(i * 7_919)."),
                      at: t0 + Double(i))
        }
        return d
    }

    @Test("A snapshot saved in many pieces is read back whole, then replaced by the next")
    func pieces() throws {
        let store = try StateStore(directory: dir.path)
        #expect(try DedupIndexStore.loadSnapshot(store, config: DedupConfig()) == nil)
        let d = populated()
        var written = 0
        try store.saveSnapshot(legacyBlob: DedupIndexStore.legacyBlob) { emit in
            try d.writeSnapshot(pieceSize: 256) { piece in
                written += 1
                try emit(piece)
            }
        }
        #expect(written > 10)
        let loaded = try #require(try DedupIndexStore.loadSnapshot(store, config: DedupConfig()))
        #expect(loaded.count == d.count)
        #expect(loaded.snapshot() == d.snapshot())
        #expect(loaded.add(story("c", "Copy", Self.lead), at: t0 + 600).duplicateOf == "a")

        // A smaller index replaces every piece of the larger one.
        let small = Deduplicator()
        _ = small.add(story("z", "Only", Self.rest), at: t0)
        try store.saveSnapshot(legacyBlob: DedupIndexStore.legacyBlob) { emit in try small.writeSnapshot(pieceSize: 256, to: emit) }
        #expect(try DedupIndexStore.loadSnapshot(store, config: DedupConfig())?.snapshot() == small.snapshot())
    }

    @Test("A snapshot saved whole by an older version still loads until the next snapshot replaces it")
    func legacyBlob() throws {
        let store = try StateStore(directory: dir.path)
        let d = populated()
        try store.saveBlob(DedupIndexStore.legacyBlob, d.snapshot())
        #expect(try DedupIndexStore.loadSnapshot(store, config: DedupConfig())?.count == d.count)
        try store.saveSnapshot(legacyBlob: DedupIndexStore.legacyBlob) { emit in try d.writeSnapshot(to: emit) }
        #expect(try store.loadBlob(DedupIndexStore.legacyBlob) == nil)
        #expect(try DedupIndexStore.loadSnapshot(store, config: DedupConfig())?.count == d.count)
    }

    // MARK: - DedupIndexStore

    static let settings = PipelineSettings(
        config: Config(file: "feedwatch.yaml", sources: [], watchlist: "watchlist.yaml", sinks: [], stateDir: "state"),
        watchlist: Watchlist(topics: []))

    func indexStore(_ store: any Store, shared: (any SharedStore)? = nil) -> DedupIndexStore {
        DedupIndexStore(store: store, shared: shared, logger: Logger(label: "test"))
    }

    @Test("SQLite: what one run journalled, the next loads; a snapshot replaces the journal and loads alike")
    func sqliteRoundTrip() throws {
        let store = try StateStore(directory: dir.path)
        var first = indexStore(store)
        let index = first.index(Self.settings, now: t0)
        #expect(index.count == 0)
        #expect(first.index(Self.settings, now: t0) === index)       // read once, then kept
        for (i, s) in [story("a", "Gendarmes killed in Koutiala", Self.lead + "\n\n" + Self.rest),
                       story("b", "Notice", "Market notice of the Bamako chamber of commerce, reference 7919.")].enumerated() {
            _ = index.add(s, at: t0 + Double(i))
        }
        try store.transaction { try first.appendJournal() }
        #expect(first.journalled == 2)
        #expect(try store.loadJournal().count == 2)

        // A restart before any snapshot: the journal alone brings the index back.
        var second = indexStore(store)
        #expect(second.index(Self.settings, now: t0).snapshot() == index.snapshot())
        #expect(second.journalled == 2)

        // Below the slack a save only writes the gauges; at it, the journal folds into a snapshot.
        first.dirty = true
        first.saveSnapshot(Self.settings, now: t0 + 60)
        #expect(try store.snapshotPiece(after: 0) == nil)
        #expect(try store.counters()["dedup.stories"] == 2)
        #expect(try store.counters()["dedup.max_stories"] == Self.settings.indexCapacity)
        first.journalSlack = 2
        first.saveSnapshot(Self.settings, now: t0 + 60)
        #expect(try store.snapshotPiece(after: 0) != nil)
        #expect(try store.loadJournal().isEmpty)
        #expect(first.journalled == 0 && !first.dirty)

        var third = indexStore(store)
        let loaded = third.index(Self.settings, now: t0 + 120)
        #expect(loaded.snapshot() == index.snapshot())
        #expect(third.journalled == 0)
        #expect(loaded.add(story("c", "Copy", Self.lead), at: t0 + 600).duplicateOf == "a")
    }

    @Test("An unreadable snapshot starts an empty index instead of stopping the daemon")
    func unreadableSnapshot() throws {
        let store = try StateStore(directory: dir.path)
        try store.saveBlob(DedupIndexStore.legacyBlob, Data([1, 2, 3]))
        var s = indexStore(store)
        #expect(s.index(Self.settings, now: t0).count == 0)
    }

    @Test("After forget the index is read from the store again: what memory applied without the store is gone")
    func forget() throws {
        let store = try StateStore(directory: dir.path)
        var s = indexStore(store)
        let index = s.index(Self.settings, now: t0)
        _ = index.add(story("a", "Gendarmes killed in Koutiala", Self.lead), at: t0)   // never journalled
        s.forget()
        let again = s.index(Self.settings, now: t0)
        #expect(again !== index)
        #expect(again.count == 0)
    }

    @Test("PostgreSQL: instances fold in each other's journal under the lock, and one behind a compacted journal reloads the snapshot",
          .enabled(if: PGTestURL.enabled, PGTestURL.skipNote))
    func sharedRoundTrip() throws {
        let url = try PGTestURL.fresh()
        let a = try PostgresStore(url: url), b = try PostgresStore(url: url)
        let d = try PostgresStore(url: url)
        var ia = indexStore(a, shared: a), ib = indexStore(b, shared: b), id = indexStore(d, shared: d)
        // B and D are running, with the journal empty; D then stays idle.
        #expect(ib.index(Self.settings, now: t0).count == 0)
        #expect(id.index(Self.settings, now: t0).count == 0)

        try a.transaction {
            let index = try ia.join(Self.settings, now: t0)
            _ = index.add(story("a", "Gendarmes killed in Koutiala", Self.lead + "\n\n" + Self.rest), at: t0)
            try ia.appendJournal()
        }
        // B decides after A committed: it folds A's story in first, so the copy is a duplicate.
        try b.transaction {
            let index = try ib.join(Self.settings, now: t0 + 60)
            #expect(index.add(story("c", "Copy", Self.lead), at: t0 + 60).duplicateOf == "a")
            try ib.appendJournal()
        }
        #expect(ib.journalSeq > ia.journalSeq)

        // A snapshots (under the lock, with B's entry folded in); the journal stays for one more snapshot.
        ia.journalSlack = 1
        ia.saveSnapshot(Self.settings, now: t0 + 120)
        #expect(ia.journalSeq == ib.journalSeq)
        #expect(try a.snapshotMarks().through == ia.journalSeq)
        #expect(try a.journal(after: 0).count == 2)

        // A new instance reads the snapshot and nothing after it.
        let c = try PostgresStore(url: url)
        var ic = indexStore(c, shared: c)
        let loaded = ic.index(Self.settings, now: t0 + 180)
        #expect(loaded.count == ia.loaded?.count)
        #expect(ic.journalSeq == ia.journalSeq)
        #expect(loaded.add(story("d", "Another copy", Self.lead), at: t0 + 180).duplicateOf == "a")

        // A indexes one more story and snapshots again: the entries the first snapshot held are
        // deleted. B and C had folded them in (B through the journal, C through the snapshot), so
        // they tail the journal; idle D never did, so it reads the whole index again.
        let atB = ib.loaded, atD = id.loaded
        try a.transaction {
            let index = try ia.join(Self.settings, now: t0 + 240)
            _ = index.add(story("n", "Notice", "Market notice of the Bamako chamber of commerce, reference 7919."), at: t0 + 240)
            try ia.appendJournal()
        }
        ia.saveSnapshot(Self.settings, now: t0 + 300)
        #expect(try a.journal(after: 0).count == 1)
        #expect(try a.snapshotMarks().compacted == ib.journalSeq)
        try b.transaction { _ = try ib.join(Self.settings, now: t0 + 360) }
        try c.transaction { _ = try ic.join(Self.settings, now: t0 + 360) }
        try d.transaction { _ = try id.join(Self.settings, now: t0 + 360) }
        #expect(ib.loaded === atB && ic.loaded === loaded)
        #expect(id.loaded !== atD)
        for s in [ib, ic, id] { #expect(s.journalSeq == ia.journalSeq) }
        #expect(ib.loaded?.count == ia.loaded?.count)
        #expect(id.loaded?.count == ia.loaded?.count)
    }
}
