/// Splits text into folded words.
///
/// Words are maximal runs of letters, digits and combining marks, so `Niger` and `Nigeria`,
/// `Mali` and `Somalia` are different tokens by construction. Hyphens separate words
/// (`Liptako-Gourma` → `liptako`, `gourma`); French elisions lose their article or pronoun
/// (`l'armée` → `armee`, `qu'il` → `il`); English possessives lose `'s`; other inner apostrophes
/// are dropped (`don't` → `dont`). Numbers keep inner `.`/`,` (`3.5`, `1,000`) and dotted
/// acronyms collapse (`U.N.` → `un`).
public enum Tokenizer {
    /// Folds `text` once and tokenizes it.
    public static func tokens(_ text: String) -> [Token] {
        tokens(folded: TextNormalizer.fold(text))
    }

    /// Tokenizes text already passed through `TextNormalizer.fold` (saves a second fold).
    public static func tokens(folded text: String) -> [Token] {
        var result: [Token] = []
        result.reserveCapacity(text.utf8.count / 6)
        var scanner = WordScanner()
        text.utf8.withContiguousStorageIfAvailable { scanner.scan($0, into: &result) }
            ?? Array(text.utf8).withUnsafeBufferPointer { scanner.scan($0, into: &result) }
        return result
    }
}

/// Byte-level word scanner over folded UTF-8; no per-character allocation.
struct WordScanner {
    private var word: [UInt8] = []
    private var segmentStart = 0          // where the part after the last '.' began in `word`
    private var allDigits = true

    init() { word.reserveCapacity(32) }

    mutating func scan(_ bytes: UnsafeBufferPointer<UInt8>, into result: inout [Token]) {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            let width = WordScanner.width(b)
            if isWordStart(bytes, i, width) {
                word.append(contentsOf: bytes[i..<min(i + width, n)])
                if !(b >= 0x30 && b <= 0x39) { allDigits = false }
                i += width
                continue
            }
            if !word.isEmpty, i + 1 < n {
                let next = bytes[i + 1]
                let nextIsWord = isWordStart(bytes, i + 1, WordScanner.width(next))
                if b == 0x27, nextIsWord {                                  // apostrophe inside a word
                    if WordScanner.isElision(word) {
                        reset()
                        i += 1
                        continue
                    }
                    if next == 0x73, i + 2 >= n || !isWordStart(bytes, i + 2, WordScanner.width(bytes[i + 2])) {
                        i += 2                                              // possessive 's
                        flush(into: &result)
                        continue
                    }
                    i += 1                                                  // don't → dont
                    continue
                }
                if (b == 0x2E || b == 0x2C), allDigits, next >= 0x30 && next <= 0x39 {
                    word.append(b)                                          // 3.5, 1,000
                    i += 1
                    continue
                }
                if b == 0x2E, word.count - segmentStart == 1, WordScanner.isASCIILetter(next),
                   i + 2 < n, bytes[i + 2] == 0x2E {                       // u.n. → un
                    segmentStart = word.count
                    i += 1
                    continue
                }
            }
            flush(into: &result)
            i += width
        }
        flush(into: &result)
    }

    private mutating func reset() {
        word.removeAll(keepingCapacity: true)
        segmentStart = 0
        allDigits = true
    }

    private mutating func flush(into result: inout [Token]) {
        guard !word.isEmpty else { return }
        result.append(Token(text: String(decoding: word, as: UTF8.self), position: result.count))
        reset()
    }

    private func isWordStart(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int, _ width: Int) -> Bool {
        let b = bytes[i]
        if b < 0x80 { return (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) }
        guard let scalar = WordScanner.decode(bytes, i, width) else { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    static func width(_ b: UInt8) -> Int {
        switch b {
        case 0..<0x80: return 1
        case 0xC0..<0xE0: return 2
        case 0xE0..<0xF0: return 3
        case 0xF0..<0xF8: return 4
        default: return 1
        }
    }

    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int, _ width: Int) -> Unicode.Scalar? {
        guard width > 1, i + width <= bytes.count else { return nil }
        var v = UInt32(bytes[i]) & (width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07)
        for k in 1..<width { v = (v << 6) | (UInt32(bytes[i + k]) & 0x3F) }
        return Unicode.Scalar(v)
    }

    static func isASCIILetter(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) }

    /// French elided articles, pronouns and conjunctions: l' d' j' m' n' s' t' c' qu' jusqu' lorsqu' puisqu'.
    static func isElision(_ w: [UInt8]) -> Bool {
        switch w.count {
        case 1: return [0x6C, 0x64, 0x6A, 0x6D, 0x6E, 0x73, 0x74, 0x63].contains(w[0])
        case 2: return w[0] == 0x71 && w[1] == 0x75
        case 5, 6, 7:
            let s = String(decoding: w, as: UTF8.self)
            return s == "jusqu" || s == "lorsqu" || s == "puisqu" || s == "quoiqu" || s == "presqu"
        default: return false
        }
    }
}
