/// Hashes that are the same in every process (Swift's `Hasher` is seeded per run, and the index
/// is persisted).
enum StableHash {
    /// FNV-1a over UTF-8, then a SplitMix64 finaliser for well-mixed low bits.
    static func of(_ s: String) -> UInt64 { of(bytes: s.utf8) }

    /// `of` over bytes already in UTF-8 (an id stored in the index).
    static func of<C: Collection>(bytes: C) -> UInt64 where C.Element == UInt8 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return mix(h)
    }

    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Order-sensitive combination of word hashes into a shingle hash.
    static func shingle(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) -> UInt64 {
        var h = a
        h = mix(h ^ (b &* 0x9E37_79B9_7F4A_7C15))
        h = mix(h ^ (c &* 0xC2B2_AE3D_27D4_EB4F))
        return mix(h ^ (d &* 0x1656_67B1_9E37_79F9))
    }

    /// The 32 high bits: index keys (collisions only add candidates, which are then verified).
    static func key(_ h: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: h >> 32) }
}
