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
        var sink = TokenCollector()
        sink.tokens.reserveCapacity(text.utf8.count / 6)
        scan(folded: text, into: &sink)
        return sink.tokens
    }

    /// Hands each word of folded `text` to `sink` as bytes, building no strings.
    static func scan<Sink: WordBytesSink>(folded text: String, into sink: inout Sink) {
        var text = text
        text.withUTF8 { bytes in
            var scanner = WordScanner()
            scanner.scan(bytes, into: &sink)
        }
    }
}

/// Receives the words of folded text, in order, as bytes valid only during the call.
protocol WordBytesSink {
    mutating func word(_ bytes: UnsafeBufferPointer<UInt8>)
}

/// Keeps every word as a `Token`.
struct TokenCollector: WordBytesSink {
    var tokens: [Token] = []

    mutating func word(_ bytes: UnsafeBufferPointer<UInt8>) {
        tokens.append(Token(text: String(decoding: bytes, as: UTF8.self), position: tokens.count))
    }
}

/// Byte-level word scanner over folded UTF-8; no per-character allocation.
///
/// The current word is `bytes[start..<end]` while it is a plain run of the input (nearly every
/// word: no copy); once a character inside it is skipped (`don't`, `u.n.`) it moves to `copy`.
/// Runs of ASCII letters and digits are taken in one step: they are most of any text.
struct WordScanner {
    private var start = 0
    private var end = 0
    private var contiguous = true
    private var copy: [UInt8] = []
    private var length = 0
    private var segmentStart = 0          // where the part after the last '.' began in the word
    private var allDigits = true

    mutating func scan<Sink: WordBytesSink>(_ bytes: UnsafeBufferPointer<UInt8>, into sink: inout Sink) {
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if WordScanner.isASCIIAlphanumeric(b) {
                var j = i + 1
                var digitsOnly = b &- 0x30 < 10
                while j < n, WordScanner.isASCIIAlphanumeric(bytes[j]) {
                    digitsOnly = digitsOnly && bytes[j] &- 0x30 < 10
                    j += 1
                }
                append(bytes, i, j - i)
                if !digitsOnly { allDigits = false }
                i = j
                continue
            }
            let width = WordScanner.width(b)
            if isWordStart(bytes, i, width) {
                append(bytes, i, min(width, n - i))
                allDigits = false                                           // not an ASCII digit
                i += width
                continue
            }
            if length > 0, i + 1 < n {
                let next = bytes[i + 1]
                let nextIsWord = isWordStart(bytes, i + 1, WordScanner.width(next))
                if b == 0x27, nextIsWord {                                  // apostrophe inside a word
                    if isElision(bytes) {
                        reset()
                        i += 1
                        continue
                    }
                    if next == 0x73, i + 2 >= n || !isWordStart(bytes, i + 2, WordScanner.width(bytes[i + 2])) {
                        i += 2                                              // possessive 's
                        flush(bytes, into: &sink)
                        continue
                    }
                    detach(bytes)                                           // don't → dont
                    i += 1
                    continue
                }
                if (b == 0x2E || b == 0x2C), allDigits, next >= 0x30 && next <= 0x39 {
                    append(bytes, i, 1)                                     // 3.5, 1,000
                    i += 1
                    continue
                }
                if b == 0x2E, length - segmentStart == 1, WordScanner.isASCIILetter(next),
                   i + 2 < n, bytes[i + 2] == 0x2E {                       // u.n. → un
                    detach(bytes)
                    segmentStart = length
                    i += 1
                    continue
                }
            }
            flush(bytes, into: &sink)
            i += width
        }
        flush(bytes, into: &sink)
    }

    @inline(__always)
    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int, _ count: Int) {
        if length == 0 {
            contiguous = true
            start = i
        }
        if contiguous {
            end = i + count
        } else {
            copy.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<(i + count)]))
        }
        length += count
    }

    /// The word will skip input characters from here on: keep it in `copy`.
    private mutating func detach(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard contiguous else { return }
        copy.removeAll(keepingCapacity: true)
        copy.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<end]))
        contiguous = false
    }

    private mutating func reset() {
        length = 0
        if !contiguous { copy.removeAll(keepingCapacity: true) }
        contiguous = true
        segmentStart = 0
        allDigits = true
    }

    private mutating func flush<Sink: WordBytesSink>(_ bytes: UnsafeBufferPointer<UInt8>, into sink: inout Sink) {
        guard length > 0 else { return }
        if contiguous {
            sink.word(UnsafeBufferPointer(rebasing: bytes[start..<end]))
        } else {
            copy.withUnsafeBufferPointer { sink.word($0) }
        }
        reset()
    }

    private func isWordStart(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int, _ width: Int) -> Bool {
        let b = bytes[i]
        if b < 0x80 { return WordScanner.isASCIIAlphanumeric(b) }
        guard let scalar = WordScanner.decode(bytes, i, width) else { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    @inline(__always)
    static func isASCIIAlphanumeric(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 || b &- 0x30 < 10 }

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
    private func isElision(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard length <= 7 else { return false }
        if contiguous { return WordScanner.isElision(UnsafeBufferPointer(rebasing: bytes[start..<end])) }
        return copy.withUnsafeBufferPointer { WordScanner.isElision($0) }
    }

    static func isElision(_ w: UnsafeBufferPointer<UInt8>) -> Bool {
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
