import COpenSSL
import Foundation

/// Standard Webhooks signing: `v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<body>")>`.
public enum WebhookSignature {
    /// The `webhook-signature` header value.
    public static func sign(id: String, timestamp: Int, body: Data, secret: WebhookSecret) -> String {
        "v1," + Data(mac(id: id, timestamp: timestamp, body: body, key: secret.key)).base64EncodedString()
    }

    /// True if any space-separated `v1,<sig>` in `header` matches, in constant time, and
    /// `timestamp` is within `tolerance` of `now` (replay protection, as receivers do).
    public static func verify(header: String, id: String, timestamp: Int, body: Data, secret: WebhookSecret,
                              now: Date, tolerance: TimeInterval = 300) -> Bool {
        guard abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance else { return false }
        let expected = mac(id: id, timestamp: timestamp, body: body, key: secret.key)
        for part in header.split(separator: " ") {
            guard part.hasPrefix("v1,"), let got = Data(base64Encoded: String(part.dropFirst(3))),
                  got.count == expected.count else { continue }
            let same = got.withUnsafeBytes { g in expected.withUnsafeBytes { e in
                CRYPTO_memcmp(g.baseAddress, e.baseAddress, e.count) == 0 } }
            if same { return true }
        }
        return false
    }

    /// HMAC-SHA256 through libcrypto's one-shot `HMAC()`.
    public static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var len: UInt32 = 0
        key.withUnsafeBytes { k in
            message.withUnsafeBytes { m in
                // An empty buffer may have a nil base address; HMAC wants a valid pointer.
                _ = HMAC(EVP_sha256(), k.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(k.count),
                         m.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(bitPattern: 1),
                         m.count, &out, &len)
            }
        }
        return Array(out.prefix(Int(len)))
    }

    private static func mac(id: String, timestamp: Int, body: Data, key: [UInt8]) -> [UInt8] {
        var msg = Array("\(id).\(timestamp).".utf8)
        msg.append(contentsOf: body)
        return hmacSHA256(key: key, message: msg)
    }
}
