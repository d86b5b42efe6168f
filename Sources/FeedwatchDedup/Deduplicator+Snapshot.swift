import Foundation

extension Deduplicator {
    static let snapshotMagic: UInt32 = 0x4657_4444   // "FWDD"
    /// Version 2 added title names and facts; version 1 snapshots load without them.
    static let snapshotVersion: UInt32 = 2

    /// A compact binary copy of the live index (little-endian; ids as UTF-8; fingerprints, not
    /// text). Restore with `init(snapshot:config:)`; lookup tables are rebuilt on load.
    public func snapshot() -> Data {
        var w = SnapshotWriter()
        w.u32(Deduplicator.snapshotMagic)
        w.u32(Deduplicator.snapshotVersion)
        w.f64(horizon)
        w.data.reserveCapacity(count * 320)
        w.u32(UInt32(count))
        for r in records where r.time >= horizon { w.record(r) }
        return w.data
    }

    /// The stories indexed since the last call, each encoded on its own: the daemon writes them in
    /// the same transaction as the entries' seen marks, so a crash between two snapshots loses
    /// none of the index (replay them with `replay(journal:)` after loading the snapshot).
    public func drainJournal() -> [Data] {
        defer { journalFrom = records.count }
        return records[journalFrom...].map { r in
            var w = SnapshotWriter()
            w.u32(Deduplicator.snapshotVersion)
            w.record(r)
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
            guard version == Deduplicator.snapshotVersion else {
                throw DedupError.badSnapshot("journal entry version \(version), expected \(Deduplicator.snapshotVersion)")
            }
            let record = try r.record(version: version)
            guard r.atEnd else { throw DedupError.badSnapshot("\(r.remaining) trailing bytes in a journal entry") }
            if let slot = slot(of: record.id), isLive(slot) { continue }
            insert(record)
        }
        journalFrom = records.count
    }

    /// Restores an index written by `snapshot()`.
    /// - Throws: `DedupError.badSnapshot` when the data is not a complete snapshot of this version.
    public convenience init(snapshot: Data, config: DedupConfig) throws {
        self.init(config: config)
        var r = SnapshotReader(data: snapshot)
        guard try r.u32() == Deduplicator.snapshotMagic else { throw DedupError.badSnapshot("not a feedwatch dedup index") }
        let version = try r.u32()
        guard version == 1 || version == Deduplicator.snapshotVersion else {
            throw DedupError.badSnapshot("version \(version), expected \(Deduplicator.snapshotVersion)")
        }
        let horizon = try r.f64()
        let n = Int(try r.u32())
        records.reserveCapacity(min(n, snapshot.count / 16))
        for _ in 0..<n { insert(try r.record(version: version)) }
        guard r.atEnd else { throw DedupError.badSnapshot("\(r.remaining) trailing bytes") }
        expire(before: Date(timeIntervalSince1970: horizon))
        journalFrom = records.count
    }
}

extension SnapshotWriter {
    mutating func record(_ r: StoryRecord) {
        string(r.id)
        string(r.original == r.id ? "" : r.original)
        string(r.cluster == r.id ? "" : r.cluster)
        f64(r.time)
        let fp = r.fingerprint
        u64(fp.linkHash)
        u16(UInt16(fp.leadCount))
        u32s(fp.keys)
        u32s(fp.names)
        u32s(fp.initialNames)
        u32s(fp.words)
        u32s(fp.titleNames)
        u32s(fp.facts)
        string(fp.language ?? "")
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
    mutating func u32s(_ values: ArraySlice<UInt32>) {
        u16(UInt16(values.count))
        for v in values { u32(v) }
    }
}

struct SnapshotReader {
    let data: Data
    private var offset: Int

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
