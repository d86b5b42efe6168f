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
        toUTF8(bytes, httpCharset: httpCharset, sniff: true)
    }

    /// `sniff: false` is the fallback's: the label is taken as given. Sniffing again would find
    /// the same BOM or UTF-16 shape that just failed and recurse without end (a six-byte UTF-16
    /// body with a lone surrogate overflowed the stack; found by scripts/fuzz charset).
    private static func toUTF8(_ bytes: UnsafeRawBufferPointer, httpCharset: String?, sniff: Bool) -> Output {
        var body = bytes
        var declared: String?
        if !sniff {
            declared = httpCharset
        } else if let bom = CharsetSniffer.bom(bytes) {
            body = UnsafeRawBufferPointer(rebasing: bytes[bom.length...])
            declared = bom.charset
        } else if let utf16 = CharsetSniffer.bomlessUTF16(bytes) {
            declared = utf16
        } else {
            // No BOM and no interleaved NULs: the bytes are ASCII-compatible, so a UTF-16
            // or UTF-32 label cannot be true (else `<?xml` could not be read as ASCII).
            // Browsers and XML 1.0 Appendix F ignore such a label; so do we.
            func plausible(_ label: String?) -> String? {
                guard let label, !label.isEmpty else { return nil }
                if CharsetSniffer.isWideUnicode(label), CharsetSniffer.looksASCIICompatible(bytes) { return nil }
                return label
            }
            declared = plausible(httpCharset?.trimmedWhitespace.lowercased())
                ?? plausible(CharsetSniffer.prologEncoding(bytes))
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
        switch iconvToUTF8(body, from: label) {
        case .converted(let utf8):
            return utf8.withUnsafeBytes { Output(utf8: UTF8Check.removingControls($0), charset: label) }
        case .replaced(let utf8) where UTF8Check.scan(body) != .validUTF8:
            // A few bad bytes in a legacy charset (gb2312, Shift_JIS…): keep the rest.
            // (Bytes that are entirely valid multi-byte UTF-8 are a mislabel instead,
            // and read as UTF-8 below.)
            return utf8.withUnsafeBytes {
                Output(utf8: UTF8Check.removingControls($0), charset: label, note: "invalid bytes in \(label) replaced")
            }
        case .replaced, .unsupported:
            break
        }
        // Unknown or wrong label: fall back as if nothing had been declared.
        var fallback = toUTF8(body, httpCharset: "utf-8", sniff: false)
        if fallback.utf8 == nil {
            fallback.utf8 = Array(UnsafeRawBufferPointer(rebasing: body[fallback.offset...]))
            fallback.offset = 0
        }
        return fallback
    }

    enum Conversion {
        /// Every byte was valid in the charset.
        case converted([UInt8])
        /// Bytes invalid in the charset (or a sequence cut off at the end) became U+FFFD.
        case replaced([UInt8])
        /// iconv does not know the charset.
        case unsupported
    }

    /// Converts with iconv; a byte iconv rejects (EILSEQ) becomes U+FFFD and
    /// conversion resumes at the next byte, as browsers decode.
    static func iconvToUTF8(_ input: UnsafeRawBufferPointer, from charset: String) -> Conversion {
        let cd = iconv_open("UTF-8", charset)
        guard let cd, cd != iconv_t(bitPattern: -1) else { return .unsupported }
        defer { iconv_close(cd) }
        guard let base = input.baseAddress, input.count > 0 else { return .converted([]) }
        var inPtr = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: CChar.self))
        var inLeft = input.count
        var out = [UInt8](repeating: 0, count: input.count * 4 + 16)
        var produced = 0
        var replaced = false
        // A bad unit of UTF-16 or UTF-32 (a lone surrogate) is skipped whole: skipping one
        // byte would misalign, and garble, every character after it.
        let lower = charset.lowercased()
        let unit = !CharsetSniffer.isWideUnicode(charset) ? 1
            : lower.contains("32") || lower.contains("ucs-4") || lower.contains("ucs4") ? 4 : 2
        while inLeft > 0 {
            var err: Int32 = 0
            let done = out.withUnsafeMutableBytes { buf -> Bool in
                var inOpt: UnsafeMutablePointer<CChar>? = inPtr
                var outPtr: UnsafeMutablePointer<CChar>? = (buf.baseAddress! + produced).assumingMemoryBound(to: CChar.self)
                var outLeft = buf.count - produced
                let r = iconv(cd, &inOpt, &inLeft, &outPtr, &outLeft)
                err = errno
                inPtr = inOpt ?? inPtr
                produced = buf.count - outLeft
                return r != -1
            }
            if done { break }
            switch err {
            case E2BIG:
                out.append(contentsOf: repeatElement(0, count: out.count))
            case EILSEQ, EINVAL:
                // EINVAL: a multi-byte sequence cut off by the end of the document.
                replaced = true
                if out.count - produced < 3 { out.append(contentsOf: repeatElement(0, count: out.count)) }
                out[produced] = 0xEF; out[produced + 1] = 0xBF; out[produced + 2] = 0xBD
                produced += 3
                if err == EINVAL {
                    inLeft = 0
                } else {
                    let skip = min(unit, inLeft)
                    inPtr += skip
                    inLeft -= skip
                }
                _ = iconv(cd, nil, nil, nil, nil)          // back to the initial shift state
            default:
                return .unsupported
            }
        }
        out.removeSubrange(produced...)
        return replaced ? .replaced(out) : .converted(out)
    }
}
