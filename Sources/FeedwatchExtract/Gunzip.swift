import CZlib

/// Decompresses gzip data (a saved `.html.gz` page), with a cap on the output so a
/// decompression bomb ends in an error rather than in memory exhaustion.
enum Gunzip {
    /// Whether `bytes` start with gzip's magic number.
    static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// The decompressed bytes; concatenated gzip members are decoded one after the other.
    static func decompress(_ input: [UInt8], limit: Int) throws(ExtractError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(min(limit, input.count * 4))
        var stream = z_stream()
        // 16 + window bits: expect a gzip header and trailer.
        guard fw_inflateInit2(&stream, 16 + MAX_WBITS) == Z_OK else { throw .damaged("cannot start gzip decoder") }
        defer { inflateEnd(&stream) }
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var failure: ExtractError?
        input.withUnsafeBufferPointer { source in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = uInt(source.count)
            while true {
                let status: Int32 = chunk.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(buffer.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                out.append(contentsOf: chunk[0..<produced])
                if out.count > limit { failure = .tooLarge(limit); return }
                switch status {
                case Z_STREAM_END:
                    guard stream.avail_in > 0 else { return }
                    inflateReset(&stream)
                case Z_OK:
                    continue
                case Z_BUF_ERROR where stream.avail_in == 0:
                    // Truncated file: keep what was decoded, as a browser would show it.
                    return
                default:
                    failure = .damaged("gzip data is corrupt")
                    return
                }
            }
        }
        if let failure { throw failure }
        return out
    }
}
