import Foundation

/// One spelling per article URL, so copies of a link compare equal.
public enum LinkCanonicalizer {
    /// Query keys that only track the reader (compared folded; `utm_*` as a prefix).
    static let trackingKeys: Set<String> = [
        "fbclid", "gclid", "gclsrc", "dclid", "msclkid", "yclid", "twclid", "igshid", "mc_cid", "mc_eid",
        "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "wt_mc", "wt.mc_id",
        "xtor", "at_medium", "at_campaign", "at_custom1", "ito", "cmpid", "ocid", "s_cid", "ns_mchannel",
        "ns_source", "ns_campaign", "ref_src", "ref_url", "smid", "spm", "share", "__twitter_impression",
        "amp", "src", "feature", "rss", "ref",
    ]
    /// Values that mark `output=`/`outputType=`-style keys as an AMP switch only.
    private static let valueOnlyKeys: Set<String> = ["outputtype", "output"]

    /// Canonical form of `url`: scheme and host lower-cased, `www.`/`m.`/`mobile.`/`amp.` host
    /// prefixes and default ports removed, `/amp` path suffixes and trailing slashes folded,
    /// tracking parameters removed, remaining parameters sorted, fragment dropped (a `#!/`
    /// route is a path: it is kept). Strings without `scheme://` come back trimmed and otherwise
    /// unchanged.
    public static func canonical(_ url: String) -> String {
        canonical(url, identity: false)
    }

    /// Query keys in `trackingKeys` that are also plain words a site may use to select an article
    /// (`?ref=2031`, `?src=…`): `identity` keeps them.
    static let ambiguousKeys: Set<String> = ["ref", "src", "share", "feature", "rss", "spm"]

    /// What says two links are one article for certain, so that dedup may call the second a copy
    /// whatever its text: `canonical`, but the fragment is kept (`/live#update-12` and
    /// `/live#update-13` are two stories unless their text says otherwise) and so are the query
    /// keys that are only probably tracking (`ambiguousKeys`). Links that differ only there are
    /// judged by their text.
    public static func identity(_ url: String) -> String {
        canonical(url, identity: true)
    }

    private static func canonical(_ url: String, identity: Bool) -> String {
        // ASCII without CR (nearly every link) has one Character per byte, so the searches and
        // counts below can run on bytes; anything else keeps the Character-level code.
        let ascii = url.utf8.allSatisfy { $0 < 0x80 && $0 != 0x0D }
        let trimmed = ascii ? url.trimmingASCIIWhitespaceBytes() : url.trimmingASCIIWhitespace()
        guard let schemeEnd = ascii ? trimmed.byteRange(of: "://") : trimmed.range(of: "://") else { return trimmed }
        let scheme = trimmed[..<schemeEnd.lowerBound].lowercased()
        var rest = trimmed[schemeEnd.upperBound...]
        var fragment = ""
        if let hash = ascii ? rest.utf8.firstIndex(of: 0x23) : rest.firstIndex(of: "#") {
            let tail = rest[hash...]
            if tail.hasPrefix("#!/") || (identity && tail.utf8.count > 1) { fragment = String(tail) }
            rest = rest[..<hash]
        }
        let authorityEnd = (ascii ? rest.utf8.firstIndex(where: { $0 == 0x2F || $0 == 0x3F })
                            : rest.firstIndex(where: { $0 == "/" || $0 == "?" })) ?? rest.endIndex
        var authority = rest[..<authorityEnd].lowercased()
        var path = String(rest[authorityEnd...])
        var query = ""
        if let q = ascii ? path.utf8.firstIndex(of: 0x3F) : path.firstIndex(of: "?") {
            query = String(path[path.index(after: q)...])
            path = String(path[..<q])
        }
        if let at = ascii ? authority.utf8.lastIndex(of: 0x40) : authority.lastIndex(of: "@") {
            authority = String(authority[authority.index(after: at)...])
        }
        authority = foldHost(authority, scheme: scheme)
        path = foldPath(path, ascii: ascii)
        query = foldQuery(query, keepingAmbiguous: identity)
        return scheme + "://" + authority + path + (query.isEmpty ? "" : "?" + query) + fragment
    }

    private static func foldHost(_ authority: String, scheme: String) -> String {
        var host = authority
        for port in [(":80", "http"), (":443", "https")] where scheme == port.1 && host.hasSuffix(port.0) {
            host.removeLast(port.0.count)
        }
        if host.hasSuffix(".") { host.removeLast() }
        for prefix in ["www.", "amp.", "m.", "mobile."] where host.hasPrefix(prefix) {
            let remainder = host.dropFirst(prefix.count)
            if remainder.contains(".") { host = String(remainder) }     // never fold m.com to com
            break
        }
        return host
    }

    private static func foldPath(_ raw: String, ascii: Bool) -> String {
        var path = raw.isEmpty ? "/" : raw
        // Character counts walk the string; for ASCII without CR they are byte counts.
        func count() -> Int { ascii ? path.utf8.count : path.count }
        for suffix in ["/amp/", "/amp", ".amp"] where count() > suffix.count && path.hasSuffix(suffix) {
            path.removeLast(suffix.count)
            break
        }
        // One cut for the whole run of trailing slashes: removing them one at a time walks a
        // non-ASCII path once per slash (a hostile link holds hundreds of thousands).
        if let last = path.utf8.lastIndex(where: { $0 != 0x2F }) {
            path = String(path[...last])
        } else if !path.isEmpty {
            path = "/"
        }
        if path.hasPrefix("/amp/") && count() > 5 { path.removeFirst(4) }
        return path.isEmpty ? "/" : path
    }

    private static func foldQuery(_ query: String, keepingAmbiguous: Bool) -> String {
        guard !query.isEmpty else { return "" }
        let kept = query.split(separator: "&", omittingEmptySubsequences: true).filter { pair in
            let key = pair.split(separator: "=", maxSplits: 1).first.map { $0.lowercased() } ?? ""
            if key.hasPrefix("utm_") { return false }
            if valueOnlyKeys.contains(key) {
                let value = pair.split(separator: "=", maxSplits: 1).dropFirst().first?.lowercased() ?? ""
                return value != "amp"
            }
            return !trackingKeys.contains(key) || (keepingAmbiguous && ambiguousKeys.contains(key))
        }
        return kept.sorted().joined(separator: "&")
    }
}

extension String {
    /// `trimmingASCIIWhitespace` for ASCII without CR, where every byte is a Character.
    func trimmingASCIIWhitespaceBytes() -> String {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A }
        guard let first = utf8.firstIndex(where: { !isSpace($0) }), let last = utf8.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        if first == startIndex && last == utf8.index(before: endIndex) { return self }
        return String(self[first...last])
    }

    /// The first occurrence of ASCII `needle`, by bytes (for ASCII text without CR).
    func byteRange(of needle: String) -> Range<String.Index>? {
        let bytes = Array(needle.utf8)
        let utf8 = self.utf8
        guard let first = bytes.first else { return nil }
        var i = utf8.startIndex
        while let start = utf8[i...].firstIndex(of: first) {
            var end = start
            var k = 0
            while k < bytes.count, end != utf8.endIndex, utf8[end] == bytes[k] { end = utf8.index(after: end); k += 1 }
            if k == bytes.count { return start..<end }
            i = utf8.index(after: start)
        }
        return nil
    }

    func trimmingASCIIWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
