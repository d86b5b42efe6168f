import CLibXML2

/// Resolves relative references (RFC 3986) with libxml2's URI code.
enum URLResolver {
    /// `ref` resolved against `base`; `ref` unchanged when there is no base or it
    /// is already absolute. A local file has no base, so its relative links stay relative.
    static func resolve(_ ref: String, against base: String?) -> String {
        guard let base, !base.isEmpty else { return ref }
        if isAbsolute(ref) { return ref }
        guard let out = xmlBuildURI(ref, base) else { return ref }
        defer { fw_xmlFree(out) }
        return String(cString: out)
    }

    /// Has a scheme (`http:`, `mailto:`…).
    static func isAbsolute(_ s: String) -> Bool {
        var sawLetter = false
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): sawLetter = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
                if !sawLetter { return false }
            case UInt8(ascii: ":"): return sawLetter
            default: return false
            }
        }
        return false
    }
}
