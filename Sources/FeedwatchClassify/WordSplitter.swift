/// Receives the words of folded text, one at a time, as bytes valid only during the call.
protocol WordSink {
    mutating func word(_ bytes: UnsafeBufferPointer<UInt8>, position: Int32)
}

/// Splits folded UTF-8 (from `MatchFolder`) into words by the same rules as
/// `FeedwatchText.Tokenizer`: runs of letters, digits and marks, so Niger ≠ Nigeria; hyphens
/// separate; French elisions drop (`l'armee` → `armee`); English possessives drop `'s`; other inner
/// apostrophes join (`don't` → `dont`); `3.5`, `1,000` and `u.n.` stay one word.
///
/// Terms and stories go through this same splitter, so they always meet on the same words.
struct WordSplitter {
    /// The current word is `input[start..<end]` while it is a plain run of the input (the common
    /// case: no copy); once a character inside it is skipped (`don't`, `u.n.`) it moves to `copy`.
    private var start = 0
    private var end = 0
    private var contiguous = true
    private var copy: [UInt8] = []
    private var length = 0
    private var segmentStart = 0
    private var allDigits = true
    private var position: Int32 = 0

    init() { copy.reserveCapacity(64) }

    /// Splits `text`, numbering words from 0, and stops after `maxWords`; returns the word count.
    @discardableResult
    static func split<Sink: WordSink>(_ text: [UInt8], into sink: inout Sink, maxWords: Int = .max) -> Int {
        var splitter = WordSplitter()
        let limit = Int32(clamping: maxWords)
        text.withUnsafeBufferPointer { splitter.scan($0, into: &sink, limit: limit) }
        return Int(splitter.position)
    }

    private mutating func scan<Sink: WordSink>(_ bytes: UnsafeBufferPointer<UInt8>, into sink: inout Sink,
                                               limit: Int32) {
        var i = 0
        let n = bytes.count
        while i < n, position < limit {
            let b = bytes[i]
            if Self.isASCIIAlphanumeric(b) {
                // Most text is runs of ASCII letters: take the whole run at once, eight bytes at a
                // time while the text lasts.
                var j = i
                var digitsOnly = true
                while j + 8 <= n {
                    let x = UInt64(littleEndian: UnsafeRawPointer(bytes.baseAddress! + j).loadUnaligned(as: UInt64.self))
                    let (length, digits) = Self.alphanumericRun(x)
                    digitsOnly = digitsOnly && digits
                    j += length
                    if length < 8 { break }
                }
                if j + 8 > n {
                    while j < n, Self.isASCIIAlphanumeric(bytes[j]) {
                        digitsOnly = digitsOnly && bytes[j] &- 0x30 < 10
                        j += 1
                    }
                }
                append(bytes, i, j - i)
                if !digitsOnly { allDigits = false }
                i = j
                continue
            }
            let width = Self.width(b)
            if Self.isWordStart(bytes, i, width) {
                append(bytes, i, min(width, n - i))
                if !(b >= 0x30 && b <= 0x39) { allDigits = false }
                i += width
                continue
            }
            if length > 0, i + 1 < n {
                let next = bytes[i + 1]
                let nextIsWord = Self.isWordStart(bytes, i + 1, Self.width(next))
                if b == 0x27, nextIsWord {
                    if isElision(bytes) { reset(); i += 1; continue }
                    if next == 0x73, i + 2 >= n || !Self.isWordStart(bytes, i + 2, Self.width(bytes[i + 2])) {
                        flush(bytes, into: &sink)                            // possessive 's
                        i += 2
                        continue
                    }
                    detach(bytes)                                            // don't → dont
                    i += 1
                    continue
                }
                if b == 0x2E || b == 0x2C, allDigits, next >= 0x30 && next <= 0x39 {
                    append(bytes, i, 1)                                      // 3.5, 1,000
                    i += 1
                    continue
                }
                if b == 0x2E, length - segmentStart == 1, Self.isASCIILetter(next), i + 2 < n, bytes[i + 2] == 0x2E {
                    detach(bytes)                                            // u.n. → un
                    segmentStart = length
                    i += 1
                    continue
                }
            }
            flush(bytes, into: &sink)
            i += width
        }
        if position < limit { flush(bytes, into: &sink) }
    }

    @inline(__always)
    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int, _ count: Int) {
        if length == 0 {
            contiguous = true
            start = i
            end = i
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

    private mutating func flush<Sink: WordSink>(_ bytes: UnsafeBufferPointer<UInt8>, into sink: inout Sink) {
        guard length > 0 else { return }
        let at = position
        if contiguous {
            sink.word(UnsafeBufferPointer(rebasing: bytes[start..<end]), position: at)
        } else {
            copy.withUnsafeBufferPointer { sink.word($0, position: at) }
        }
        position += 1
        reset()
    }

    /// French elided words: l' d' j' m' n' s' t' c' qu' jusqu' lorsqu' puisqu' quoiqu' presqu'.
    private func isElision(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard length <= 7 else { return false }
        let w = contiguous ? Array(bytes[start..<end]) : copy
        switch w.count {
        case 1: return [0x6C, 0x64, 0x6A, 0x6D, 0x6E, 0x73, 0x74, 0x63].contains(w[0])
        case 2: return w[0] == 0x71 && w[1] == 0x75
        case 5, 6, 7: return Self.elisions.contains(w)
        default: return false
        }
    }

    @inline(__always)
    private static func isWordStart(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int, _ width: Int) -> Bool {
        let b = bytes[i]
        if b < 0x80 { return (b | 0x20) &- 0x61 < 26 || b &- 0x30 < 10 }
        guard width > 1, i + width <= bytes.count else { return false }
        var v = UInt32(b) & (width == 2 ? 0x1F : width == 3 ? 0x0F : 0x07)
        for k in 1..<width { v = (v << 6) | (UInt32(bytes[i + k]) & 0x3F) }
        guard let scalar = Unicode.Scalar(v) else { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// How many of the eight bytes of `x` (in memory order) lead with ASCII letters and digits,
    /// and whether those are all digits.
    @inline(__always)
    static func alphanumericRun(_ x: UInt64) -> (length: Int, digits: Bool) {
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        // Per byte, the high bit of `y + c` says whether y ≥ 0x80 - c; clearing the high bit
        // first keeps each sum inside its byte.
        let y = x & ~high
        @inline(__always) func atLeast(_ v: UInt64) -> UInt64 { (y &+ (0x80 &- v) &* ones) & high }
        let ascii = ~x & high
        let digit = atLeast(0x30) & ~atLeast(0x3A)
        let letter = (atLeast(0x41) & ~atLeast(0x5B)) | (atLeast(0x61) & ~atLeast(0x7B))
        let stop = ~((digit | letter) & ascii) & high
        let length = stop == 0 ? 8 : stop.trailingZeroBitCount / 8
        let within: UInt64 = length == 8 ? high : ((1 << UInt64(length * 8)) &- 1) & high
        return (length, digit & within == within)
    }

    @inline(__always)
    static func isASCIIAlphanumeric(_ b: UInt8) -> Bool {
        (b | 0x20) &- 0x61 < 26 || b &- 0x30 < 10
    }

    @inline(__always)
    private static func width(_ b: UInt8) -> Int {
        b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
    }

    private static func isASCIILetter(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) }

    private static let elisions: Set<[UInt8]> = Set(["jusqu", "lorsqu", "puisqu", "quoiqu", "presqu"].map { Array($0.utf8) })
}

/// Collects words as strings: for folding watchlist terms, and for `explain`.
struct WordCollector: WordSink {
    var words: [String] = []
    mutating func word(_ bytes: UnsafeBufferPointer<UInt8>, position: Int32) {
        words.append(String(decoding: bytes, as: UTF8.self))
    }
}
