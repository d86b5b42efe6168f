import Foundation

/// Gzip framing around *stored* (uncompressed) deflate blocks: a valid gzip
/// stream any inflater decodes, built without zlib so the test support target
/// needs no extra system library. Clients exercise exactly the same decoding path.
enum GzipStored {
    static func encode(_ data: Data) -> Data {
        var out = Data([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff])
        let bytes = [UInt8](data)
        var offset = 0
        repeat {
            let count = min(65_535, bytes.count - offset)
            let final: UInt8 = offset + count == bytes.count ? 1 : 0
            out.append(final)                                   // BFINAL, BTYPE=00 (stored)
            appendLE16(&out, UInt16(count))
            appendLE16(&out, ~UInt16(count))
            out.append(contentsOf: bytes[offset..<offset + count])
            offset += count
        } while offset < bytes.count
        appendLE32(&out, crc32(bytes))
        appendLE32(&out, UInt32(truncatingIfNeeded: bytes.count))
        return out
    }

    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    private static func appendLE16(_ d: inout Data, _ v: UInt16) {
        d.append(UInt8(v & 0xFF)); d.append(UInt8(v >> 8))
    }

    private static func appendLE32(_ d: inout Data, _ v: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { d.append(UInt8((v >> UInt32(shift)) & 0xFF)) }
    }
}
