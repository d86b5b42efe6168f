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

    /// Found by `scripts/fuzz snapshot`: a 106-byte snapshot whose column count claims about 2 GB.
    /// The reader allocated the column before reading it; now it fills a column a chunk at a time,
    /// so damage costs a megabyte before "cut short", not the memory it claims.
    @Test("A damaged column count costs a chunk of memory, not what it claims")
    func damagedColumnCountIsRefusedCheaply() throws {
        let damaged: [UInt8] = [
            0x44, 0x44, 0x57, 0x46, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0xe0, 0xff, 0x00, 0x44, 0x57, 0x46, 0x02, 0x00,
            0xf6, 0x00, 0x00, 0x40, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
            0x00, 0x4f, 0x70, 0x74, 0x69, 0x6f, 0x6e, 0x61, 0x6c, 0x00, 0x00, 0x00, 0x44, 0x44, 0x57, 0x46, 0x01, 0x00,
            0x00, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0xf6, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0xf6, 0x00,
            0x00, 0x00, 0x00, 0x20,
        ] + [UInt8](repeating: 0, count: 32)
        func peakKB() -> Int { var u = rusage(); getrusage(RUSAGE_SELF.rawValue, &u); return u.ru_maxrss }
        let before = peakKB()
        #expect(throws: DedupError.self) { _ = try Deduplicator(snapshot: Data(damaged), config: DedupConfig()) }
        // Other tests run meanwhile: the bound is loose, far below the 2 GB the count claims.
        #expect(peakKB() - before < 500_000)
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

    @Test("A snapshot handed over in small pieces reads back the same, whatever the piece size", arguments: [1, 7, 4_096])
    func pieces(_ size: Int) throws {
        let d = populated()
        var pieces: [Data] = []
        d.writeSnapshot(pieceSize: size) { pieces.append($0) }
        #expect(pieces.count > 1)
        #expect(pieces.reduce(Data(), +) == d.snapshot())
        var rest = pieces.dropFirst()
        let restored = try Deduplicator(firstPiece: pieces[0], next: { rest.popFirst() }, config: DedupConfig())
        #expect(restored.snapshot() == d.snapshot())
        #expect(restored.add(Wire.story("d", "Copy", Wire.lead + "\n\n" + Wire.p2), at: Wire.t0 + 600).duplicateOf == "a")
        var cut = pieces.dropFirst().dropLast()
        #expect(throws: DedupError.self) { try Deduplicator(firstPiece: pieces[0], next: { cut.popFirst() }, config: DedupConfig()) }
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

    @Test("A version 2 snapshot (record after record) still loads with every decision")
    func versionTwo() throws {
        let d = populated()
        // Version 2 wrote the journal's record encoding back to back, after a header.
        var v2 = Data()
        func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { v2.append(contentsOf: $0) } }
        u32(0x4657_4444)
        u32(2)
        withUnsafeBytes(of: (-Double.infinity).bitPattern.littleEndian) { v2.append(contentsOf: $0) }
        // Journal entries are version 3 now: a version 2 record is one without the last two lists
        // (headline words, opening shingles), which follow the language.
        let records = d.drainJournal().map { Data($0.dropFirst(4)) }.map { r -> Data in
            var at = 0
            func u16() -> Int { defer { at += 2 }; return Int(r[at]) | Int(r[at + 1]) << 8 }
            func string() { let n = Int(r[at]) | Int(r[at + 1]) << 8 | Int(r[at + 2]) << 16; at += 4 + n }
            func list() { at += 4 * u16() }
            string(); string(); string()
            at += 8 + 8
            _ = u16()
            for _ in 0..<6 { list() }
            string()
            return r.prefix(at)
        }
        u32(UInt32(records.count))
        for r in records { v2.append(r) }
        let restored = try Deduplicator(snapshot: v2, config: DedupConfig())
        #expect(restored.count == 3)
        #expect(restored.add(Wire.story("d", "Copy", Wire.lead + "\n\n" + Wire.p2), at: Wire.t0 + 600)
                == DedupResult(id: "d", duplicateOf: "a", story: "a"))
        #expect(restored.add(Wire.story("f", "Kadiolo", Wire.other), at: Wire.t0 + 600).duplicateOf == "b")
    }

    @Test("A copy keeps naming its original after the original expires, across compaction and snapshots")
    func originalOutlivesItsStory() throws {
        let d = Deduplicator()
        _ = d.add(Wire.story("a", "Gendarmes killed", Wire.body), at: Wire.t0)
        #expect(d.add(Wire.story("b", "Copy", Wire.body), at: Wire.t0 + 3_600).duplicateOf == "a")
        for i in 0..<4 { _ = d.add(Wire.story("x\(i)", "Kadiolo \(i)", Wire.other), at: Wire.t0 + 7_200) }
        d.expire(before: Wire.t0 + 60)                  // "a" dies; a quarter is dead: compacted
        let restored = try Deduplicator(snapshot: d.snapshot(), config: DedupConfig())
        for dedup in [d, restored] {
            #expect(dedup.add(Wire.story("c", "Another copy", Wire.body), at: Wire.t0 + 9_000)
                    == DedupResult(id: "c", duplicateOf: "a", story: "a"))
        }
    }

    @Test("Any single damaged byte is refused or loads into a usable index, never a crash")
    func damagedBytes() throws {
        let data = populated().snapshot()
        // The columns and the two posting tables (4,096 cells each, at the end), sampled.
        let tables = 2 * (4 + 4_096 * 8)
        let positions = Array(stride(from: 8, to: data.count - tables, by: 7)) + Array(stride(from: data.count - tables, to: data.count, by: 331))
        for at in positions {
            var bad = data
            bad[at] ^= 0xA5
            guard let d = try? Deduplicator(snapshot: bad, config: DedupConfig()) else { continue }
            _ = d.add(Wire.story("z", "Kadiolo", Wire.other + "\n\n" + Wire.lead), at: Wire.t0 + 600)
            _ = d.snapshot()
        }
    }
}
