/// The indexed stories, one column per field in flat arrays: no allocation per story, and each
/// column goes to (and comes back from) a snapshot as one block of bytes. A story is a slot;
/// slots are handed out in arrival order.
///
/// A story refers to its original and to its cluster's founder by the offset of their ids in
/// `idBytes`, so neither needs a string of its own, and a copy keeps naming its original after
/// the original itself has expired.
struct StoryTable {
    /// Arrival time per slot, seconds since 1970 (posting walks read this column alone).
    var times: [Double] = []
    var headers: [FingerprintHeader] = []
    /// Every fingerprint's values back to back; `headers[slot].offset` says where each starts.
    var values: [UInt32] = []
    /// Ids, each a 4-byte little-endian length and then its UTF-8 bytes.
    var idBytes: [UInt8] = []
    var idRefs: [UInt32] = []
    /// Where the id of the first story of the slot's text is in `idBytes`.
    var originalRefs: [UInt32] = []
    /// Where the id of the first story of the slot's event cluster is in `idBytes`.
    var clusterRefs: [UInt32] = []

    var count: Int { times.count }

    /// Appends `id` to `idBytes` and returns its reference.
    mutating func storeID(_ id: String) -> UInt32 {
        let ref = UInt32(idBytes.count)
        let n = UInt32(id.utf8.count)
        withUnsafeBytes(of: n.littleEndian) { idBytes.append(contentsOf: $0) }
        idBytes.append(contentsOf: id.utf8)
        return ref
    }

    /// The bytes of the id stored at `ref`.
    func idRange(_ ref: UInt32) -> Range<Int> {
        let r = Int(ref)
        let n = Int(idBytes[r]) | Int(idBytes[r + 1]) << 8 | Int(idBytes[r + 2]) << 16 | Int(idBytes[r + 3]) << 24
        return (r + 4)..<(r + 4 + n)
    }

    func id(at ref: UInt32) -> String {
        String(decoding: idBytes[idRange(ref)], as: UTF8.self)
    }

    func idHash(at ref: UInt32) -> UInt64 { StableHash.of(bytes: idBytes[idRange(ref)]) }

    func idMatches(_ ref: UInt32, _ id: String) -> Bool {
        idBytes[idRange(ref)].elementsEqual(id.utf8)
    }

    /// Appends a story; `idRef` is its own id, already stored.
    mutating func append(time: Double, fingerprint fp: Fingerprint, idRef: UInt32, originalRef: UInt32,
                         clusterRef: UInt32) {
        var header = fp.header
        header.offset = UInt32(values.count)
        values.append(contentsOf: fp.values)
        headers.append(header)
        times.append(time)
        idRefs.append(idRef)
        originalRefs.append(originalRef)
        clusterRefs.append(clusterRef)
    }

    /// The fingerprint of `slot` as a value of its own (for journal entries).
    func fingerprint(_ slot: UInt32) -> Fingerprint {
        var header = headers[Int(slot)]
        let start = Int(header.offset)
        header.offset = 0
        return Fingerprint(header: header, values: Array(values[start..<(start + header.length)]))
    }

    func record(_ slot: UInt32) -> StoryRecord {
        let i = Int(slot)
        return StoryRecord(id: id(at: idRefs[i]), original: id(at: originalRefs[i]), cluster: id(at: clusterRefs[i]),
                           time: times[i], fingerprint: fingerprint(slot))
    }

    /// The slots for which `keep` holds, in order, with every id they refer to.
    func compacted(keeping keep: (Int) -> Bool) -> StoryTable {
        var out = StoryTable()
        // Reserved exactly: appending would double the columns past what they hold.
        let kept = (0..<count).filter(keep)
        out.times.reserveCapacity(kept.count)
        out.headers.reserveCapacity(kept.count)
        out.idRefs.reserveCapacity(kept.count)
        out.originalRefs.reserveCapacity(kept.count)
        out.clusterRefs.reserveCapacity(kept.count)
        out.values.reserveCapacity(kept.reduce(0) { $0 + headers[$1].length })
        var moved: [UInt32: UInt32] = [:]
        func move(_ ref: UInt32) -> UInt32 {
            if let m = moved[ref] { return m }
            let m = UInt32(out.idBytes.count)
            out.idBytes.append(contentsOf: idBytes[(Int(ref))..<idRange(ref).upperBound])
            moved[ref] = m
            return m
        }
        values.withUnsafeBufferPointer { all in
            for i in kept {
                let header = headers[i]
                let view = FingerprintView(header: header, in: all)
                var h = header
                h.offset = UInt32(out.values.count)
                out.values.append(contentsOf: view.values)
                out.headers.append(h)
                out.times.append(times[i])
                out.idRefs.append(move(idRefs[i]))
                out.originalRefs.append(move(originalRefs[i]))
                out.clusterRefs.append(move(clusterRefs[i]))
            }
        }
        return out
    }
}
