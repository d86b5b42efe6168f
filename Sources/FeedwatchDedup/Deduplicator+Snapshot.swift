import Foundation

extension Deduplicator {
    static let snapshotMagic: UInt32 = 0x4657_4444   // "FWDD"
    /// Version 3 writes the index's columns and posting tables as they are in memory, so a load
    /// is a few copies instead of re-inserting every posting. Versions 1 and 2 (one record after
    /// another) still load. Journal entries stay records (`journalVersion`).
    static let snapshotVersion: UInt32 = 3
    static let journalVersion: UInt32 = 2

    /// A binary copy of the index (little-endian; fingerprints, not text). Restore with
    /// `init(snapshot:config:)`. Expired stories not yet compacted away are included, marked by
    /// the horizon.
    public func snapshot() -> Data {
        var w = SnapshotWriter()
        w.data.reserveCapacity(64 + table.count * 140 + table.values.count * 4 + table.idBytes.count
                               + (shingles.rawCells.count + names.rawCells.count) * 8)
        w.u32(Deduplicator.snapshotMagic)
        w.u32(Deduplicator.snapshotVersion)
        w.f64(horizon)
        w.u32(UInt32(table.count))
        w.raw(table.times.map(\.bitPattern))
        w.headers(table.headers)
        w.raw(table.values)
        w.raw(table.idBytes)
        w.raw(table.idRefs)
        w.raw(table.originalRefs)
        w.raw(table.clusterRefs)
        w.raw(shingles.rawCells)
        w.raw(names.rawCells)
        return w.data
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
            guard version == Deduplicator.journalVersion else {
                throw DedupError.badSnapshot("journal entry version \(version), expected \(Deduplicator.journalVersion)")
            }
            let record = try r.record(version: version)
            guard r.atEnd else { throw DedupError.badSnapshot("\(r.remaining) trailing bytes in a journal entry") }
            if let slot = slot(of: record.id), isLive(slot) { continue }
            insert(record)
        }
        journalFrom = table.count
    }

    /// Restores an index written by `snapshot()`.
    /// - Throws: `DedupError.badSnapshot` when the data is not a complete, consistent snapshot.
    public convenience init(snapshot: Data, config: DedupConfig) throws {
        self.init(config: config)
        var r = SnapshotReader(data: snapshot)
        guard try r.u32() == Deduplicator.snapshotMagic else { throw DedupError.badSnapshot("not a feedwatch dedup index") }
        let version = try r.u32()
        switch version {
        case 1, 2:
            let horizon = try r.f64()
            let n = Int(try r.u32())
            for _ in 0..<n { insert(try r.record(version: version)) }
            guard r.atEnd else { throw DedupError.badSnapshot("\(r.remaining) trailing bytes") }
            expire(before: Date(timeIntervalSince1970: horizon))
        case Deduplicator.snapshotVersion:
            try loadColumns(&r)
        default:
            throw DedupError.badSnapshot("version \(version), expected \(Deduplicator.snapshotVersion)")
        }
        journalFrom = table.count
    }

    private func loadColumns(_ r: inout SnapshotReader) throws {
        horizon = try r.f64()
        let n = Int(try r.u32())
        var t = StoryTable()
        t.times = try r.raw(UInt64.self, count: n).map(Double.init(bitPattern:))
        t.headers = try r.headers(count: n)
        t.values = try r.raw(UInt32.self)
        t.idBytes = try r.raw(UInt8.self)
        t.idRefs = try r.raw(UInt32.self, count: n)
        t.originalRefs = try r.raw(UInt32.self, count: n)
        t.clusterRefs = try r.raw(UInt32.self, count: n)
        guard let shingles = PostingIndex(cells: try r.raw(UInt64.self), cap: Deduplicator.postingLimit, slots: n),
              let names = PostingIndex(cells: try r.raw(UInt64.self), cap: Deduplicator.namePostingLimit, slots: n)
        else { throw DedupError.badSnapshot("damaged posting table") }
        guard r.atEnd else { throw DedupError.badSnapshot("\(r.remaining) trailing bytes") }
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
        guard leadCount <= keys.count else { throw DedupError.badSnapshot("lead count beyond keys for \(id)") }
        let fp = Fingerprint(idHash: StableHash.of(id), linkHash: linkHash, keys: keys, leadCount: leadCount,
                             names: names, initialNames: initialNames, words: words, titleNames: titleNames,
                             facts: facts, language: language.isEmpty ? nil : language)
        return StoryRecord(id: id, original: original.isEmpty ? id : original,
                           cluster: cluster.isEmpty ? id : cluster, time: time, fingerprint: fp)
    }
}

struct SnapshotWriter {
    var data = Data()

    mutating func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { data.append(contentsOf: $0) } }
    mutating func f64(_ v: Double) { u64(v.bitPattern) }
    mutating func string(_ s: String) {
        u32(UInt32(s.utf8.count))
        data.append(contentsOf: s.utf8)
    }
    /// A count, then the elements' bytes as they are (little-endian hosts; others swap).
    mutating func raw<T: FixedWidthInteger>(_ values: [T]) {
        u32(UInt32(values.count))
        if T(littleEndian: 1) == 1 {
            values.withUnsafeBytes { data.append(contentsOf: $0) }
        } else {
            values.map(\.littleEndian).withUnsafeBytes { data.append(contentsOf: $0) }
        }
    }

    /// Fingerprint headers field by field (a struct's padding must not reach the file).
    mutating func headers(_ headers: [FingerprintHeader]) {
        var out = [UInt8](repeating: 0, count: headers.count * FingerprintHeader.encodedSize)
        out.withUnsafeMutableBytes { buf in
            for (i, h) in headers.enumerated() {
                let at = i * FingerprintHeader.encodedSize
                buf.storeBytes(of: h.idHash.littleEndian, toByteOffset: at, as: UInt64.self)
                buf.storeBytes(of: h.linkHash.littleEndian, toByteOffset: at + 8, as: UInt64.self)
                buf.storeBytes(of: h.offset.littleEndian, toByteOffset: at + 16, as: UInt32.self)
                buf[at + 20] = h.keyCount
                buf[at + 21] = h.nameCount
                buf[at + 22] = h.initialCount
                buf[at + 23] = h.wordCount
                buf[at + 24] = h.titleNameCount
                buf[at + 25] = h.factCount
                buf[at + 26] = h.lead
                buf.storeBytes(of: h.languageCode.littleEndian, toByteOffset: at + 27, as: UInt16.self)
            }
        }
        data.append(contentsOf: out)
    }

    mutating func u32s(_ values: UnsafeBufferPointer<UInt32>) {
        u16(UInt16(values.count))
        for v in values { u32(v) }
    }
}

struct SnapshotReader {
    let data: Data
    private(set) var offset: Int

    init(data: Data) {
        self.data = data
        offset = data.startIndex
    }

    var atEnd: Bool { offset == data.endIndex }
    var remaining: Int { data.endIndex - offset }

    private mutating func bytes(_ n: Int) throws -> Data.SubSequence {
        guard n >= 0, remaining >= n else { throw DedupError.badSnapshot("cut short at byte \(offset - data.startIndex)") }
        defer { offset += n }
        return data[offset..<(offset + n)]
    }

    private mutating func integer<T: FixedWidthInteger>(_: T.Type) throws -> T {
        var v: T = 0
        let b = try bytes(MemoryLayout<T>.size)
        withUnsafeMutableBytes(of: &v) { $0.copyBytes(from: b) }
        return T(littleEndian: v)
    }

    mutating func u16() throws -> UInt16 { try integer(UInt16.self) }
    mutating func u32() throws -> UInt32 { try integer(UInt32.self) }
    mutating func u64() throws -> UInt64 { try integer(UInt64.self) }
    mutating func f64() throws -> Double { Double(bitPattern: try u64()) }
    mutating func string() throws -> String {
        let n = Int(try u32())
        guard let s = String(validating: try bytes(n), as: UTF8.self) else { throw DedupError.badSnapshot("invalid UTF-8 id") }
        return s
    }
    /// What `SnapshotWriter.raw` wrote; `count`, when given, is what the count must be.
    mutating func raw<T: FixedWidthInteger>(_: T.Type, count expected: Int? = nil) throws -> [T] {
        let n = Int(try u32())
        if let expected, n != expected { throw DedupError.badSnapshot("column of \(n), expected \(expected)") }
        let size = MemoryLayout<T>.size
        guard n <= remaining / size else { throw DedupError.badSnapshot("cut short at byte \(offset - data.startIndex)") }
        let bytes = try bytes(n * size)
        var out = [T](repeating: 0, count: n)
        out.withUnsafeMutableBytes { $0.copyBytes(from: bytes) }
        if T(littleEndian: 1) != 1 { for i in out.indices { out[i] = T(littleEndian: out[i]) } }
        return out
    }

    mutating func headers(count n: Int) throws -> [FingerprintHeader] {
        let size = FingerprintHeader.encodedSize
        guard n <= remaining / size else { throw DedupError.badSnapshot("cut short at byte \(offset - data.startIndex)") }
        let bytes = [UInt8](try bytes(n * size))
        return bytes.withUnsafeBytes { buf in
            (0..<n).map { i in
                let at = i * size
                return FingerprintHeader(
                    idHash: UInt64(littleEndian: buf.loadUnaligned(fromByteOffset: at, as: UInt64.self)),
                    linkHash: UInt64(littleEndian: buf.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self)),
                    offset: UInt32(littleEndian: buf.loadUnaligned(fromByteOffset: at + 16, as: UInt32.self)),
                    keyCount: buf[at + 20], nameCount: buf[at + 21], initialCount: buf[at + 22],
                    wordCount: buf[at + 23], titleNameCount: buf[at + 24], factCount: buf[at + 25], lead: buf[at + 26],
                    languageCode: UInt16(littleEndian: buf.loadUnaligned(fromByteOffset: at + 27, as: UInt16.self)))
            }
        }
    }

    mutating func u32s() throws -> [UInt32] {
        let n = Int(try u16())
        let raw = try bytes(n * 4)
        // One copy for the whole list: this loop is most of loading a large index.
        var out = [UInt32](repeating: 0, count: n)
        out.withUnsafeMutableBytes { $0.copyBytes(from: raw) }
        if UInt32(littleEndian: 1) != 1 { for i in out.indices { out[i] = UInt32(littleEndian: out[i]) } }
        return out
    }
}
