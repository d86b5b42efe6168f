import Foundation
import FeedwatchTestSupport
import Testing
@testable import FeedwatchText

/// The byte-level fast paths of FeedwatchText must give exactly what the plain code they replaced
/// gave: dedup fingerprints and classification read their output. Each is checked here against a
/// straightforward reference on the dev set and on generated text full of edge cases.
@Suite struct TextFastPathTests {
    /// Deterministic text mixing the cases the fast paths special-case: ASCII runs, capitals,
    /// apostrophes, dotted acronyms, numbers, accents (composed and combining), other scripts.
    static func generated(count: Int, seed: UInt64) -> [String] {
        let pieces = ["Mali", "NIGER", "l'armée", "qu'il", "don't", "Niger's", "U.N.", "u.s.-led", "3.5", "1,000", "2026.",
                      "Ségou", "e\u{301}tat", "Œuvre", "Straße", "ﬁn", "ＦＵＬＬ", "東京", "Москва", "😀", "’", "«", "»", "…",
                      "jusqu'à", "c'était", "-", "—", "(AFP)", "(afp)", "[…]", "Read more", "The post", "appeared first on",
                      " ", "  ", "\t", "\r", ".", ",", "'", "`", "a", "Z", "0", "9", "İ", "ǅ", "\u{200D}", "x\u{0903}"]
        var rng = SplitMix(seed: seed)
        func next() -> Int { Int(truncatingIfNeeded: rng.next() >> 1) }
        return (0..<count).map { _ in
            (0..<(next() % 24)).map { _ in pieces[next() % pieces.count] }.joined(separator: next() % 3 == 0 ? "" : " ")
        }
    }

    static func corpus() throws -> [String] {
        let stories = try DevSet.classifyParts.flatMap { try LabelledStory.load($0) }.map(\.story)
        return stories.flatMap { [$0.title, $0.summary ?? ""] } + generated(count: 3000, seed: 42)
    }

    @Test func tokensMatchTheReferenceScanner() throws {
        for text in try Self.corpus() {
            let folded = TextNormalizer.fold(text)
            #expect(Tokenizer.tokens(folded: folded) == ReferenceScanner.tokens(folded), "\(text)")
        }
    }

    @Test func foldMatchesTheScalarLoop() throws {
        for text in try Self.corpus() {
            var out: [UInt8] = []
            for scalar in text.unicodeScalars {
                let v = scalar.value
                if v < 0x80 {
                    let b = UInt8(v)
                    out.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : (b == 0x60 ? 0x27 : b))
                } else {
                    out.append(contentsOf: FoldTable.shared.mapping(for: v) ?? FoldTable.slowFold(scalar))
                }
            }
            #expect(TextNormalizer.fold(text) == String(decoding: out, as: UTF8.self), "\(text)")
        }
    }

    @Test func findMatchesANaiveSearch() {
        let needles = [Array(" appeared first on ".utf8), Array("the post ".utf8), Array("(afp)".utf8),
                       Array("(reuters)".utf8), Array(" est apparu en premier sur ".utf8), Array("q".utf8)]
        var hays = Self.generated(count: 400, seed: 7).map { Array($0.utf8) }
        hays += [Array("THE POST X APPEARED FIRST ON Y".utf8), Array(" appeared first on ".utf8), Array("(AFP)".utf8),
                 Array("xxxxxxxxxxxxxxxxxxxxxxxx(afp)".utf8), Array("(Afp".utf8), []]
        for hay in hays {
            for needle in needles {
                for from in [0, 1, 7, 9] {
                    let naive: Int? = hay.count < needle.count || from > hay.count - needle.count ? nil
                        : (from...(hay.count - needle.count)).first { i in
                            needle.indices.allSatisfy { UTF8Search.lower(hay[i + $0]) == needle[$0] }
                        }
                    #expect(hay.withUnsafeBufferPointer { UTF8Search.find(needle, in: $0, from: from) } == naive)
                }
            }
        }
    }

    @Test func strippingBytesIsStrippingTheirString() throws {
        let texts = try Self.corpus().flatMap { [$0, $0.replacingOccurrences(of: "  ", with: "\n")] }
        for text in texts + ["", "\n", "Skip to content\n\nBody text.\n\nRead more", "Home | Africa | Mali\nA (AFP) b"] {
            #expect(Boilerplate.strip(utf8: Array(text.utf8)) == Array(Boilerplate.strip(text).utf8))
        }
    }
}

extension TextFastPathTests {
    /// Boilerplate's byte paths for ASCII lines give what its Character paths give.
    @Test func chromeRulesOnBytesMatchTheRulesOnCharacters() throws {
        let chrome = Boilerplate.linePrefixes.map { $0.prefix + " the latest" } + Array(Boilerplate.wholeLines)
            + Boilerplate.relatedHeadings + Boilerplate.relatedHeadings.map { $0 + " :" } + ["menu.", "home »", "related..."]
        let lines = try Self.corpus().flatMap { $0.split(separator: "\n").map(String.init) } + chrome
        var chromeStarts = 0, headings = 0
        for line in lines {
            let folded = Boilerplate.FoldedLine(folded: TextNormalizer.fold(line))
            guard folded.ascii else { continue }
            let words = Tokenizer.tokens(folded: folded.text).count
            let onBytes = folded.text.utf8.withContiguousStorageIfAvailable { Boilerplate.asciiChromeStart($0, words: words) }
            #expect(onBytes == Boilerplate.startsLikeChrome(folded, words: words), "\(line)")
            #expect(Boilerplate.isRelatedHeading(folded) == Boilerplate.isRelatedHeading(folded.text), "\(line)")
            if onBytes == true { chromeStarts += 1 }
            if Boilerplate.isRelatedHeading(folded) { headings += 1 }
        }
        #expect(chromeStarts > 100 && headings >= Boilerplate.relatedHeadings.count)
    }
}

/// The byte-by-byte word scanner that `WordScanner` replaced, kept as the reference.
private enum ReferenceScanner {
    static func tokens(_ text: String) -> [Token] {
        let bytes = Array(text.utf8)
        var result: [Token] = []
        var word: [UInt8] = []
        var segmentStart = 0
        var allDigits = true
        func reset() { word.removeAll(); segmentStart = 0; allDigits = true }
        func flush() {
            guard !word.isEmpty else { return }
            result.append(Token(text: String(decoding: word, as: UTF8.self), position: result.count))
            reset()
        }
        func width(_ b: UInt8) -> Int { b < 0x80 ? 1 : b >= 0xF0 && b < 0xF8 ? 4 : b >= 0xE0 && b < 0xF0 ? 3 : b >= 0xC0 && b < 0xE0 ? 2 : 1 }
        func isWordStart(_ i: Int) -> Bool {
            let b = bytes[i], w = width(b)
            if b < 0x80 { return (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) }
            guard w > 1, i + w <= bytes.count else { return false }
            var v = UInt32(b) & (w == 2 ? 0x1F : w == 3 ? 0x0F : 0x07)
            for k in 1..<w { v = (v << 6) | (UInt32(bytes[i + k]) & 0x3F) }
            guard let scalar = Unicode.Scalar(v) else { return false }
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber: return true
            default: return false
            }
        }
        func isElision() -> Bool {
            let s = String(decoding: word, as: UTF8.self)
            return ["l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu"].contains(s)
        }
        var i = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i], w = width(b)
            if isWordStart(i) {
                word.append(contentsOf: bytes[i..<min(i + w, n)])
                if !(b >= 0x30 && b <= 0x39) { allDigits = false }
                i += w
                continue
            }
            if !word.isEmpty, i + 1 < n {
                let next = bytes[i + 1]
                if b == 0x27, isWordStart(i + 1) {
                    if isElision() { reset(); i += 1; continue }
                    if next == 0x73, i + 2 >= n || !isWordStart(i + 2) { i += 2; flush(); continue }
                    i += 1
                    continue
                }
                if b == 0x2E || b == 0x2C, allDigits, next >= 0x30 && next <= 0x39 { word.append(b); i += 1; continue }
                if b == 0x2E, word.count - segmentStart == 1, (next >= 0x61 && next <= 0x7A) || (next >= 0x41 && next <= 0x5A),
                   i + 2 < n, bytes[i + 2] == 0x2E {
                    segmentStart = word.count
                    i += 1
                    continue
                }
            }
            flush()
            i += w
        }
        flush()
        return result
    }
}
