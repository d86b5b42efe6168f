import Foundation

/// Reads what `SnapshotWriter` wrote, from one `Data` or from a snapshot's pieces pulled one at a
/// time (so a large index is copied into its columns piece by piece, never held whole twice).
/// Every read checks its length: damaged input throws `DedupError.badSnapshot`.
struct SnapshotReader {
    private var piece: Data
    private var offset: Int
    /// Bytes consumed in earlier pieces, for error messages.
    private var consumed = 0
    private let nextPiece: () throws -> Data?
    private var exhausted = false

    init(data: Data) {
        self.init(first: data) { nil }
    }

    init(first: Data, next: @escaping () throws -> Data?) {
        piece = first
        offset = first.startIndex
        nextPiece = next
    }

    /// True when no byte is left (pulls the next pieces to find out; their read errors come through).
    mutating func isAtEnd() throws -> Bool { try !fill() }

    /// Bytes left in the current piece (the whole input, for a single `Data`).
    var remaining: Int { piece.endIndex - offset }

    private var position: Int { consumed + offset - piece.startIndex }

    /// Makes the current piece non-empty; false when the input is exhausted.
    private mutating func fill() throws -> Bool {
        while offset == piece.endIndex {
            guard !exhausted, let next = try nextPiece() else {
                exhausted = true
                return false
            }
            consumed += piece.count
            piece = next
            offset = piece.startIndex
        }
        return true
    }

    /// Copies the next `out.count` bytes into `out`, across pieces.
    private mutating func copy(into out: UnsafeMutableRawBufferPointer) throws {
        var done = 0
        while done < out.count {
            guard try fill() else { throw DedupError.badSnapshot("cut short at byte \(position)") }
            let n = min(out.count - done, piece.endIndex - offset)
            piece.copyBytes(to: UnsafeMutableRawBufferPointer(rebasing: out[done..<(done + n)]),
                            from: offset..<(offset + n))
            offset += n
            done += n
        }
    }

    private mutating func bytes(_ n: Int) throws -> [UInt8] {
        guard n >= 0 else { throw DedupError.badSnapshot("negative length at byte \(position)") }
        var out = [UInt8](repeating: 0, count: n)
        try out.withUnsafeMutableBytes { try copy(into: $0) }
        return out
    }

    private mutating func integer<T: FixedWidthInteger>(_: T.Type) throws -> T {
        var v: T = 0
        try withUnsafeMutableBytes(of: &v) { try copy(into: $0) }
        return T(littleEndian: v)
    }

    mutating func u16() throws -> UInt16 { try integer(UInt16.self) }
    mutating func u32() throws -> UInt32 { try integer(UInt32.self) }
    mutating func u64() throws -> UInt64 { try integer(UInt64.self) }
    mutating func f64() throws -> Double { Double(bitPattern: try u64()) }
    mutating func string() throws -> String {
        let n = Int(try u32())
        guard n <= Self.longestString, let s = String(validating: try bytes(n), as: UTF8.self) else {
            throw DedupError.badSnapshot("invalid id at byte \(position)")
        }
        return s
    }

    /// Ids longer than this are damage, not ids (and must not allocate gigabytes).
    static let longestString = 1 << 20
    /// Columns longer than this are damage.
    static let longestColumn = 1 << 31
    /// How much of a column is allocated before its bytes have been read. 64 KiB: a damaged
    /// 40-byte snapshot claiming a gigabyte column cost a megabyte of zeroes before "cut short",
    /// a second per input in the fuzzer's sanitised build; real columns read as fast either way.
    static let chunkBytes = 1 << 16

    /// What `SnapshotWriter.raw` wrote; `count`, when given, is what the count must be.
    mutating func raw<T: FixedWidthInteger>(_: T.Type, count expected: Int? = nil) throws -> [T] {
        let n = Int(try u32())
        if let expected, n != expected { throw DedupError.badSnapshot("column of \(n), expected \(expected)") }
        guard n * MemoryLayout<T>.size <= Self.longestColumn else { throw DedupError.badSnapshot("column of \(n)") }
        // Filled a chunk at a time: a damaged count that the bytes do not back costs one chunk of
        // memory before "cut short", not the gigabytes it claims (found by scripts/fuzz snapshot).
        let chunk = max(1, Self.chunkBytes / MemoryLayout<T>.size)
        var out: [T] = []
        out.reserveCapacity(min(n, chunk))
        while out.count < n {
            let start = out.count, k = min(n - start, chunk)
            out.append(contentsOf: repeatElement(0, count: k))
            try out.withUnsafeMutableBytes { all in
                let size = MemoryLayout<T>.size
                try copy(into: UnsafeMutableRawBufferPointer(rebasing: all[(start * size)..<((start + k) * size)]))
            }
        }
        if T(littleEndian: 1) != 1 { for i in out.indices { out[i] = T(littleEndian: out[i]) } }
        return out
    }

    /// `n` headers as `SnapshotWriter.headers` wrote them, read a batch at a time.
    mutating func headers(count n: Int, size: Int = FingerprintHeader.encodedSize) throws -> [FingerprintHeader] {
        var out: [FingerprintHeader] = []
        out.reserveCapacity(min(n, Self.chunkBytes / size))
        var buffer = [UInt8](repeating: 0, count: SnapshotWriter.headerBatch * size)
        while out.count < n {
            let batch = min(n - out.count, SnapshotWriter.headerBatch)
            try buffer.withUnsafeMutableBytes { try copy(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<(batch * size)])) }
            buffer.withUnsafeBytes { buf in
                for i in 0..<batch {
                    let at = i * size
                    out.append(FingerprintHeader(
                        idHash: UInt64(littleEndian: buf.loadUnaligned(fromByteOffset: at, as: UInt64.self)),
                        linkHash: UInt64(littleEndian: buf.loadUnaligned(fromByteOffset: at + 8, as: UInt64.self)),
                        offset: UInt32(littleEndian: buf.loadUnaligned(fromByteOffset: at + 16, as: UInt32.self)),
                        keyCount: buf[at + 20], nameCount: buf[at + 21], initialCount: buf[at + 22],
                        wordCount: buf[at + 23], titleNameCount: buf[at + 24], factCount: buf[at + 25], lead: buf[at + 26],
                        languageCode: UInt16(littleEndian: buf.loadUnaligned(fromByteOffset: at + 27, as: UInt16.self)),
                        titleWordCount: size > 29 ? buf[at + 29] : 0, openingCount: size > 30 ? buf[at + 30] : 0))
                }
            }
        }
        return out
    }

    mutating func u32s() throws -> [UInt32] {
        let n = Int(try u16())
        var out = [UInt32](repeating: 0, count: n)
        try out.withUnsafeMutableBytes { try copy(into: $0) }
        if UInt32(littleEndian: 1) != 1 { for i in out.indices { out[i] = UInt32(littleEndian: out[i]) } }
        return out
    }
}
