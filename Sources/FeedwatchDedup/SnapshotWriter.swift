import Foundation

/// Little-endian encoding of snapshots and journal entries.
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
    /// Elements' bytes as they are (little-endian hosts; others swap). A column is its count
    /// (`u32`) and then its elements, written in slices so pieces can be handed on between them.
    mutating func elements<T: FixedWidthInteger>(_ values: ArraySlice<T>) {
        if T(littleEndian: 1) == 1 {
            values.withUnsafeBytes { data.append(contentsOf: $0) }
        } else {
            values.map(\.littleEndian).withUnsafeBytes { data.append(contentsOf: $0) }
        }
    }

    /// Headers per batch, reading and writing: a batch is about half a megabyte.
    static let headerBatch = 16_384

    /// Fingerprint headers field by field (a struct's padding must not reach the file).
    mutating func headers(_ headers: ArraySlice<FingerprintHeader>) {
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
                buf[at + 29] = h.titleWordCount
                buf[at + 30] = h.openingCount
            }
        }
        data.append(contentsOf: out)
    }

    mutating func u32s(_ values: UnsafeBufferPointer<UInt32>) {
        u16(UInt16(values.count))
        if UInt32(littleEndian: 1) == 1 {
            data.append(UnsafeBufferPointer(start: values.baseAddress, count: values.count))
        } else {
            for v in values { u32(v) }
        }
    }
}
