import Foundation

extension Deduplicator {
    static let snapshotMagic: UInt32 = 0x4657_4444   // "FWDD"
    /// Version 4 writes the index's columns and posting tables as they are in memory, so a load
    /// is a few copies instead of re-inserting every posting. Versions 1 and 2 (one record after
    /// another) still load; 3, a development format whose tables were laid out for power-of-two
    /// sizes, is refused rather than misread. Version 5 adds each story's headline words and
    /// opening shingles (the short-item rules); a version 4 index loads without them, and its
    /// stories are then judged by the other rules only. Journal entries stay records
    /// (`journalVersion`; version 2 entries, without the new lists, still replay).
    static let snapshotVersion: UInt32 = 5
    static let journalVersion: UInt32 = 3

    /// A binary copy of the index (little-endian; fingerprints, not text). Restore with
    /// `init(snapshot:config:)`. Expired stories not yet compacted away are included, marked by
    /// the horizons; pins are not (the daemon pins alerted stories again after a load).
    public func snapshot() -> Data {
        var whole = Data()
        writeSnapshot(pieceSize: .max) { whole.append($0) }
        return whole
    }

    /// `snapshot()` handed over in pieces of about `pieceSize` bytes, in order, so that saving a
    /// large index never holds a second copy of it. `init(firstPiece:next:config:)` reads them back.
    public func writeSnapshot(pieceSize: Int = 1 << 20, to emit: (Data) throws -> Void) rethrows {
        var w = SnapshotWriter()
        func handOn(force: Bool = false) throws {
            guard w.data.count >= pieceSize || (force && !w.data.isEmpty) else { return }
            try emit(w.data)
            w.data = Data()
        }
        func column<T: FixedWidthInteger>(_ values: [T]) throws {
            w.u32(UInt32(values.count))
            let step = max(1, min(values.count, pieceSize / MemoryLayout<T>.size))
            for start in stride(from: 0, to: values.count, by: step) {
                w.elements(values[start..<min(values.count, start + step)])
                try handOn()
            }
        }
        w.u32(Deduplicator.snapshotMagic)
        w.u32(Deduplicator.snapshotVersion)
        w.f64(horizon)
        w.f64(windowHorizon)
        w.u32(UInt32(table.count))
        w.u32(UInt32(table.count))
        for start in stride(from: 0, to: table.count, by: SnapshotWriter.headerBatch) {
            w.elements(table.times[start..<min(table.count, start + SnapshotWriter.headerBatch)].map(\.bitPattern)[...])
            try handOn()
        }
        for start in stride(from: 0, to: table.count, by: SnapshotWriter.headerBatch) {
            w.headers(table.headers[start..<min(table.count, start + SnapshotWriter.headerBatch)])
            try handOn()
        }
        try column(table.values)
        try column(table.idBytes)
        try column(table.idRefs)
        try column(table.originalRefs)
        try column(table.clusterRefs)
        try column(shingles.rawCells)
        try column(names.rawCells)
        try handOn(force: true)
    }

    /// The stories indexed since the last call, each encoded on its own: the daemon writes them in
    /// the same transaction as the entries' seen marks, so a crash between two snapshots loses
    /// none of the index (replay them with `replay(journal:)` after loading the snapshot).
    public func drainJournal() -> [Data] {
        defer { journalFrom = table.count }
        return (journalFrom..<table.count).map { slot in
            var w = SnapshotWriter()
            w.u32(Deduplicator.journalVersion)
            w.record(table.record(UInt32(slot)))
            return w.data
        }
    }

    /// Indexes journal entries written by `drainJournal()`, in order; entries already indexed
    /// (in the snapshot, or replayed twice) are skipped.
    /// - Throws: `DedupError.badSnapshot` for an entry that does not decode; earlier ones stay indexed.
    public func replay(journal: [Data]) throws {
        for entry in journal {
            var r = SnapshotReader(data: entry)
            let version = try r.u32()
            guard version == Deduplicator.journalVersion || version == 2 else {
                throw DedupError.badSnapshot("journal entry version \(version), expected \(Deduplicator.journalVersion)")
            }
            let record = try r.record(version: version)
            guard try r.isAtEnd() else { throw DedupError.badSnapshot("\(r.remaining) trailing bytes in a journal entry") }
            if let slot = slot(of: record.id), isLive(slot) { continue }
            insert(record)
        }
        journalFrom = table.count
    }

    /// Restores an index written by `snapshot()`.
    /// - Throws: `DedupError.badSnapshot` when the data is not a complete, consistent snapshot.
    public convenience init(snapshot: Data, config: DedupConfig) throws {
        try self.init(reader: SnapshotReader(data: snapshot), config: config)
    }

    /// Restores an index from the pieces `writeSnapshot` handed over: `first`, then each
    /// `next()` returns until it returns nil.
    public convenience init(firstPiece first: Data, next: @escaping () throws -> Data?, config: DedupConfig) throws {
        try self.init(reader: SnapshotReader(first: first, next: next), config: config)
    }

    private convenience init(reader: SnapshotReader, config: DedupConfig) throws {
        self.init(config: config)
        var r = reader
        guard try r.u32() == Deduplicator.snapshotMagic else { throw DedupError.badSnapshot("not a feedwatch dedup index") }
        let version = try r.u32()
        switch version {
        case 1, 2:
            let horizon = try r.f64()
            let n = Int(try r.u32())
            for _ in 0..<n { insert(try r.record(version: version)) }
            guard try r.isAtEnd() else { throw DedupError.badSnapshot("\(r.remaining) trailing bytes") }
            expire(before: Date(timeIntervalSince1970: horizon))
        case 4, Deduplicator.snapshotVersion:
            try loadColumns(&r, headerSize: version == 4 ? FingerprintHeader.encodedSizeV4 : FingerprintHeader.encodedSize)
        default:
            throw DedupError.badSnapshot("version \(version), expected \(Deduplicator.snapshotVersion)")
        }
        journalFrom = table.count
    }

    private func loadColumns(_ r: inout SnapshotReader, headerSize: Int) throws {
        horizon = try r.f64()
        windowHorizon = try r.f64()
        guard !(horizon < windowHorizon) else { throw DedupError.badSnapshot("horizons out of order") }
        let n = Int(try r.u32())
        var t = StoryTable()
        t.times = try r.raw(UInt64.self, count: n).map(Double.init(bitPattern:))   // its own count, again
        t.headers = try r.headers(count: n, size: headerSize)
        t.values = try r.raw(UInt32.self)
        t.idBytes = try r.raw(UInt8.self)
        t.idRefs = try r.raw(UInt32.self, count: n)
        t.originalRefs = try r.raw(UInt32.self, count: n)
        t.clusterRefs = try r.raw(UInt32.self, count: n)
        guard let shingles = PostingIndex(cells: try r.raw(UInt64.self), cap: Deduplicator.postingLimit, slots: n),
              let names = PostingIndex(cells: try r.raw(UInt64.self), cap: Deduplicator.namePostingLimit, slots: n)
        else { throw DedupError.badSnapshot("damaged posting table") }
        guard try r.isAtEnd() else { throw DedupError.badSnapshot("\(r.remaining) trailing bytes") }
        // Every offset is checked once here, so lookups can trust them.
        for h in t.headers where Int(h.offset) + h.length > t.values.count || h.lead > h.keyCount {
            throw DedupError.badSnapshot("fingerprint beyond the value column")
        }
        for refs in [t.idRefs, t.originalRefs, t.clusterRefs] {
            for ref in refs {
                let at = Int(ref)
                guard at + 4 <= t.idBytes.count else { throw DedupError.badSnapshot("id beyond the id column") }
                let length = Int(t.idBytes[at]) | Int(t.idBytes[at + 1]) << 8 | Int(t.idBytes[at + 2]) << 16
                    | Int(t.idBytes[at + 3]) << 24
                guard at + 4 + length <= t.idBytes.count else { throw DedupError.badSnapshot("id beyond the id column") }
            }
        }
        table = t
        self.shingles = shingles
        self.names = names
        rebuildEventKeys()
        rebuildLookups()
    }
}

extension SnapshotWriter {
    mutating func record(_ r: StoryRecord) {
        string(r.id)
        string(r.original == r.id ? "" : r.original)
        string(r.cluster == r.id ? "" : r.cluster)
        f64(r.time)
        r.fingerprint.withView { fp in
            u64(fp.header.linkHash)
            u16(UInt16(fp.leadCount))
            u32s(fp.keys)
            u32s(fp.names)
            u32s(fp.initialNames)
            u32s(fp.words)
            u32s(fp.titleNames)
            u32s(fp.facts)
            string(fp.header.language ?? "")
            u32s(fp.titleWords)
            u32s(fp.opening)
        }
    }
}

extension SnapshotReader {
    mutating func record(version: UInt32) throws -> StoryRecord {
        let id = try string()
        let original = try string()
        let cluster = try string()
        let time = try f64()
        let linkHash = try u64()
        let leadCount = Int(try u16())
        let keys = try u32s(), names = try u32s(), initialNames = try u32s(), words = try u32s()
        let titleNames = version >= 2 ? try u32s() : [], facts = version >= 2 ? try u32s() : []
        let language = try string()
        let titleWords = version >= 3 ? try u32s() : [], opening = version >= 3 ? try u32s() : []
        guard leadCount <= keys.count else { throw DedupError.badSnapshot("lead count beyond keys for \(id)") }
        let fp = Fingerprint(idHash: StableHash.of(id), linkHash: linkHash, keys: keys, leadCount: leadCount,
                             names: names, initialNames: initialNames, words: words, titleNames: titleNames,
                             facts: facts, language: language.isEmpty ? nil : language, titleWords: titleWords,
                             opening: opening)
        return StoryRecord(id: id, original: original.isEmpty ? id : original,
                           cluster: cluster.isEmpty ? id : cluster, time: time, fingerprint: fp)
    }
}

