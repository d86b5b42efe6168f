import Foundation
import Testing
import FeedwatchDedup
import FeedwatchModel

@Suite("Deduplicator snapshot")
struct DedupSnapshotTests {
    private func populated() -> Deduplicator {
        let d = Deduplicator()
        _ = d.add(Wire.story("a", "Gendarmes killed", Wire.body, link: "https://news.example/a"), at: Wire.t0)
        _ = d.add(Wire.story("b", "Kadiolo customs post attacked", Wire.other + "\n\n" + Wire.other2), at: Wire.t0 + 60)
        _ = d.add(Wire.story("c", "Koutiala", Wire.lead), at: Wire.t0 + 120)
        return d
    }

    @Test("Round trip keeps every decision")
    func roundTrip() throws {
        let d = populated()
        let data = d.snapshot()
        let restored = try Deduplicator(snapshot: data, config: DedupConfig())
        #expect(restored.count == d.count)
        #expect(restored.snapshot() == data)
        for dedup in [d, restored] {
            #expect(dedup.add(Wire.story("d", "Copy", Wire.lead + "\n\n" + Wire.p2), at: Wire.t0 + 600)
                    == DedupResult(id: "d", duplicateOf: "a", story: "a"))
            #expect(dedup.add(Wire.story("e", "Link copy", "x", link: "https://news.example/a?fbclid=1"), at: Wire.t0 + 600).duplicateOf == "a")
            #expect(dedup.add(Wire.story("c", "again", "x"), at: Wire.t0 + 600) == DedupResult(id: "c", duplicateOf: "a", story: "a"))
            #expect(dedup.add(Wire.story("f", "Kadiolo", Wire.other), at: Wire.t0 + 600).duplicateOf == "b")
        }
    }

    @Test("Snapshot plus journal restores what was added after the snapshot; replay is idempotent")
    func journal() throws {
        let d = Deduplicator()
        _ = d.add(Wire.story("a", "Gendarmes killed", Wire.body), at: Wire.t0)
        let snapshot = d.snapshot()
        #expect(d.drainJournal().isEmpty == false)        // "a" was never journalled
        _ = d.add(Wire.story("b", "Kadiolo", Wire.other), at: Wire.t0 + 60)
        _ = d.add(Wire.story("c", "Copy", Wire.lead), at: Wire.t0 + 120)
        let entries = d.drainJournal()
        #expect(entries.count == 2)
        #expect(d.drainJournal().isEmpty)

        let restored = try Deduplicator(snapshot: snapshot, config: DedupConfig())
        try restored.replay(journal: entries + entries)
        #expect(restored.count == 3)
        #expect(restored.drainJournal().isEmpty)
        #expect(restored.add(Wire.story("b", "Kadiolo", Wire.other), at: Wire.t0 + 600)
                == DedupResult(id: "b", duplicateOf: "b", story: "b"))
        #expect(restored.add(Wire.story("f", "Kadiolo again", Wire.other), at: Wire.t0 + 600).duplicateOf == "b")
        #expect(restored.add(Wire.story("g", "Copy", Wire.lead), at: Wire.t0 + 600).duplicateOf == "a")
        #expect(throws: DedupError.self) { try restored.replay(journal: [Data([1, 2, 3])]) }
    }

    @Test("Snapshots leave out expired stories")
    func expiredLeftOut() throws {
        let d = populated()
        d.expire(before: Wire.t0 + 90)
        let restored = try Deduplicator(snapshot: d.snapshot(), config: DedupConfig())
        #expect(restored.count == 1)
        #expect(restored.add(Wire.story("z", "Kadiolo", Wire.other), at: Wire.t0 + 600).duplicateOf == nil)
    }

    @Test("Damaged snapshots are refused", arguments: [0, 3, 9, 40])
    func damaged(_ cut: Int) {
        let data = populated().snapshot()
        #expect(throws: DedupError.self) { try Deduplicator(snapshot: data.prefix(cut), config: DedupConfig()) }
    }

    @Test("Foreign data and trailing bytes are refused")
    func foreign() {
        #expect(throws: DedupError.self) { try Deduplicator(snapshot: Data("not an index at all".utf8), config: DedupConfig()) }
        #expect(throws: DedupError.self) { try Deduplicator(snapshot: populated().snapshot() + Data([1]), config: DedupConfig()) }
    }
}
