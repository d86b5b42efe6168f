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
        for r in records where r.time >= horizon {
            w.string(r.id)
            w.string(r.original == r.id ? "" : r.original)
            w.string(r.cluster == r.id ? "" : r.cluster)
            w.f64(r.time)
            let fp = r.fingerprint
            w.u64(fp.linkHash)
            w.u16(UInt16(fp.leadCount))
            w.u32s(fp.keys)
            w.u32s(fp.names)
            w.u32s(fp.initialNames)
            w.u32s(fp.words)
            w.u32s(fp.titleNames)
            w.u32s(fp.facts)
            w.string(fp.language ?? "")
        }
        return w.data
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
        for _ in 0..<n {
            let id = try r.string()
            let original = try r.string()
            let cluster = try r.string()
            let time = try r.f64()
            let linkHash = try r.u64()
            let leadCount = Int(try r.u16())
            let keys = try r.u32s(), names = try r.u32s(), initialNames = try r.u32s(), words = try r.u32s()
            let titleNames = version >= 2 ? try r.u32s() : [], facts = version >= 2 ? try r.u32s() : []
            let language = try r.string()
            guard leadCount <= keys.count else { throw DedupError.badSnapshot("lead count beyond keys for \(id)") }
            let fp = Fingerprint(idHash: StableHash.of(id), linkHash: linkHash, keys: keys, leadCount: leadCount,
                                 names: names, initialNames: initialNames, words: words, titleNames: titleNames,
                                 facts: facts, language: language.isEmpty ? nil : language)
            insert(StoryRecord(id: id, original: original.isEmpty ? id : original,
                               cluster: cluster.isEmpty ? id : cluster, time: time, fingerprint: fp))
        }
        guard r.atEnd else { throw DedupError.badSnapshot("\(r.remaining) trailing bytes") }
        expire(before: Date(timeIntervalSince1970: horizon))
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
        guard let s = String(bytes: try bytes(n), encoding: .utf8) else { throw DedupError.badSnapshot("invalid UTF-8 id") }
        return s
    }
    mutating func u32s() throws -> [UInt32] {
        let n = Int(try u16())
        var out: [UInt32] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try u32()) }
        return out
    }
}
