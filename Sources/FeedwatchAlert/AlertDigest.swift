import COpenSSL
import FeedwatchModel
import Foundation

/// Builds the one alert that stands for a burst flood control held back.
public enum AlertDigest {
    /// A digest of `items` (oldest first) for `topic` on `sink`. Its id is derived
    /// from the items' ids, so rebuilding the same digest after a crash gives the same id.
    /// `title` replaces the flood-control wording (a sink's scheduled digest).
    public static func make(topic: String, sink: String, items: [Alert], now: Date, title: String? = nil) -> Alert {
        let key = ([sink, topic] + items.map(\.id).sorted()).joined(separator: "\n")
        let id = "digest-" + sha256Hex(Array(key.utf8)).prefix(24)
        var matched: [String] = []
        var outlets: [String] = []
        for a in items {
            for m in a.matched where !matched.contains(m) { matched.append(m) }
            for o in a.outlets where !outlets.contains(o) { outlets.append(o) }
        }
        return Alert(id: id, kind: .digest, topic: topic, score: items.map(\.score).max() ?? 0, matched: matched,
                     story: id, title: title ?? "\(items.count) alerts on \(topic) (held back by flood control)",
                     link: nil, source: "feedwatch", outlets: outlets,
                     published: items.compactMap(\.published).min(),
                     fetched: items.map(\.fetched).min() ?? now, alerted: now, items: items)
    }

    static func sha256Hex(_ bytes: [UInt8]) -> String {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var len: UInt32 = 0
        bytes.withUnsafeBytes { b in
            _ = EVP_Digest(b.baseAddress, b.count, &out, &len, EVP_sha256(), nil)
        }
        return out.prefix(Int(len)).map { String(format: "%02x", $0) }.joined()
    }
}
