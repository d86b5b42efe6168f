/// Stable identifiers derived from content, so re-polls, restarts and
/// re-deliveries agree on them without coordination.
public enum AlertID {
    /// The alert for `topic` about story cluster `cluster`: `fw-` and 32 hex
    /// digits (two independent 64-bit FNV-1a hashes). The same inputs give the
    /// same id in every process, which is what makes delivery idempotent.
    public static func make(topic: String, cluster: String) -> String {
        let text = Array("\(topic)\u{1F}\(cluster)".utf8)
        return "fw-" + hex(fnv1a(text, basis: 0xcbf2_9ce4_8422_2325)) + hex(fnv1a(text.reversed(), basis: 0x8422_2325_cbf2_9ce4))
    }

    /// A short stable prefix for a source, to keep story ids of different
    /// sources apart when publishers reuse guids such as "1234".
    public static func sourcePrefix(_ sourceKey: String) -> String {
        String(hex(fnv1a(Array(sourceKey.utf8), basis: 0xcbf2_9ce4_8422_2325)).prefix(10))
    }

    static func fnv1a<S: Sequence>(_ bytes: S, basis: UInt64) -> UInt64 where S.Element == UInt8 {
        var h = basis
        for b in bytes {
            h ^= UInt64(b)
            h &*= 0x0000_0100_0000_01b3
        }
        return h
    }

    static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
