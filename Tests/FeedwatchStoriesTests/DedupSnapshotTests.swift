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
