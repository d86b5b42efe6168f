#if canImport(Glibc)
import Glibc
#endif

/// Turns a document's bytes into clean UTF-8 for libxml2: BOM removed, the charset
/// chosen by `CharsetSniffer`, C0 control characters dropped (libxml2 rejects them).
enum Transcoder {
    struct Output {
        /// nil: the input bytes (after `offset`) are already clean UTF-8 and are used as they are.
        var utf8: [UInt8]?
        /// Where the usable input starts (past a UTF-8 BOM) when `utf8` is nil.
        var offset = 0
        /// What was chosen, e.g. "utf-8", "windows-1252 (declared iso-8859-1)".
        var charset: String
        /// Set when the bytes contradicted their label in a way we had to repair.
        var note: String?
    }

    static func toUTF8(_ bytes: UnsafeRawBufferPointer, httpCharset: String?) -> Output {
        var body = bytes
        var declared: String?
        if let bom = CharsetSniffer.bom(bytes) {
            body = UnsafeRawBufferPointer(rebasing: bytes[bom.length...])
            declared = bom.charset
        } else if let utf16 = CharsetSniffer.bomlessUTF16(bytes) {
            declared = utf16
        } else {
            let http = httpCharset?.trimmedWhitespace.lowercased()
            declared = (http?.isEmpty == false ? http : nil) ?? CharsetSniffer.prologEncoding(bytes)
        }
        let label = declared ?? "utf-8"

        if CharsetSniffer.isUTF8(label) || CharsetSniffer.isLatin1Family(label) {
            switch UTF8Check.scan(body) {
            case .ascii, .validUTF8:
                if !UTF8Check.hasControls(body) {
                    return Output(utf8: nil, offset: bytes.count - body.count, charset: "utf-8")
                }
                return Output(utf8: UTF8Check.removingControls(body), charset: "utf-8")
            case .invalid(let validMultibyte):
                if CharsetSniffer.isUTF8(label) && validMultibyte {
                    // Mostly UTF-8 with a few bad bytes: repair them rather than garble the rest.
                    let repaired = Array(String(decoding: body, as: UTF8.self).utf8)
                    return repaired.withUnsafeBytes {
                        Output(utf8: UTF8Check.removingControls($0), charset: "utf-8", note: "invalid UTF-8 repaired")
                    }
                }
                let note = CharsetSniffer.isUTF8(label) ? "not valid UTF-8; read as windows-1252" : nil
                return Output(utf8: UTF8Check.removingControls(Windows1252.decode(body)), charset: "windows-1252",
                              note: note)
            }
        }
        if let converted = iconvToUTF8(body, from: label) {
            return converted.withUnsafeBytes { Output(utf8: UTF8Check.removingControls($0), charset: label) }
        }
        // Unknown or wrong label: fall back as if nothing had been declared.
        var fallback = toUTF8(body, httpCharset: "utf-8")
        if fallback.utf8 == nil {
            fallback.utf8 = Array(UnsafeRawBufferPointer(rebasing: body[fallback.offset...]))
            fallback.offset = 0
        }
        return fallback
    }

    private static func iconvToUTF8(_ input: UnsafeRawBufferPointer, from charset: String) -> [UInt8]? {
        let cd = iconv_open("UTF-8", charset)
        guard let cd, cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var out = [UInt8](repeating: 0, count: input.count * 4 + 16)
        var inLeft = input.count
        let produced: Int? = out.withUnsafeMutableBytes { outBuf in
            var inPtr = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: CChar.self))
            var outPtr = outBuf.baseAddress?.assumingMemoryBound(to: CChar.self)
            var outLeft = outBuf.count
            guard inPtr != nil else { return 0 }
            if iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft) == -1 { return nil }
            return outBuf.count - outLeft
        }
        guard let produced else { return nil }
        out.removeSubrange(produced...)
        return out
    }
}
