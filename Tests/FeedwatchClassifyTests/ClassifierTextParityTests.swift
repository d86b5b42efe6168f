@testable import FeedwatchClassify
import FeedwatchTestSupport
import FeedwatchText
import Foundation
import Testing

/// The classifier's one-pass folder and splitter must read text exactly as
/// `HTMLText.plainText` + `Tokenizer.tokens` do, so classification and dedup agree on words.
@Suite struct ClassifierTextParityTests {
    func matcherWords(_ text: String) -> [String] {
        var bytes: [UInt8] = []
        TermFolding.folder.fold(text, into: &bytes)
        var collector = WordCollector()
        WordSplitter.split(bytes, into: &collector)
        return collector.words
    }

    func referenceWords(_ text: String) -> [String] {
        Tokenizer.tokens(HTMLText.plainText(text)).map(\.text)
    }

    @Test func sameWordsAsTheTextStageOnTheDevSet() throws {
        let stories = try ClassifierQualityTests.parts.flatMap { try LabelledStory.load($0) }
        for story in stories.map(\.story) {
            for text in [story.title, story.summary ?? ""] {
                #expect(matcherWords(text) == referenceWords(text), "\(story.id): \(text)")
            }
        }
    }

    @Test(arguments: [
        "<p>Attaque à <b>Ménaka</b>&nbsp;: l&rsquo;arm&eacute;e malienne</p><p>Deuxième paragraphe</p>",
        "Niger&#8217;s army &amp; JNIM <br/>clash near Gao",
        "<script>var x = 'Mali';</script><p>Nothing here</p><style>p{}</style>",
        "<!-- Mali --><div>U.N. says 1,000 fled; jusqu'à N’Djamena — Tchad</div>",
        "a < b and 3.5 > 2 in Kidal",
        "Ségou, Tombouctou, ŒUVRE, Straße, ﬁn, ＦＵＬＬ",
    ])
    func sameWordsOnHTML(text: String) {
        #expect(matcherWords(text) == referenceWords(text))
    }

    /// The folder's eight-bytes-at-once test agrees with its byte test, on random words and on
    /// words made of the bytes around each edge it tests.
    @Test func eightBytesAtOnceAgreeWithOneAtATime() {
        var random = SplitMix(seed: 7)
        let edges: [UInt8] = [0x00, 0x09, 0x0A, 0x0B, 0x0D, 0x20, 0x25, 0x26, 0x27, 0x3B, 0x3C, 0x3D, 0x40, 0x41,
                              0x5A, 0x5B, 0x5F, 0x60, 0x61, 0x7A, 0x7F, 0x80, 0xC3, 0xFF]
        for round in 0..<200_000 {
            var bytes = [UInt8](repeating: 0, count: 8)
            for k in 0..<8 {
                bytes[k] = round % 2 == 0 ? UInt8.random(in: 0...255, using: &random)
                                          : edges[Int.random(in: 0..<edges.count, using: &random)]
            }
            if round % 4 == 1 {
                // A plain word but for one edge byte, so both answers occur often.
                for k in 0..<8 where !MatchFolder.plain(bytes[k]) { bytes[k] = 0x61 }
                bytes[round % 8] = edges[(round / 8) % edges.count]
            }
            let x = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            #expect(MatchFolder.allPlain(x) == bytes.allSatisfy(MatchFolder.plain), "\(bytes)")
        }
    }

    /// The splitter's eight-bytes-at-once run of letters and digits agrees with its byte test.
    @Test func alphanumericRunsAgreeWithOneByteAtATime() {
        var random = SplitMix(seed: 11)
        let edges: [UInt8] = [0x00, 0x20, 0x27, 0x2C, 0x2E, 0x2F, 0x30, 0x39, 0x3A, 0x40, 0x41, 0x5A, 0x5B, 0x60,
                              0x61, 0x7A, 0x7B, 0x7F, 0x80, 0xB0, 0xC3, 0xE9, 0xFF]
        for round in 0..<200_000 {
            var bytes = (0..<8).map { _ in
                round % 2 == 0 ? UInt8.random(in: 0...255, using: &random) : edges[Int.random(in: 0..<edges.count, using: &random)]
            }
            if round % 3 == 1 {
                // Letters or digits up to a random point, so every run length occurs.
                let cut = Int.random(in: 0...8, using: &random)
                let digits = Bool.random(using: &random)
                for k in 0..<cut { bytes[k] = digits ? UInt8.random(in: 0x30...0x39, using: &random) : UInt8.random(in: 0x61...0x7A, using: &random) }
            }
            let length = bytes.firstIndex { !WordSplitter.isASCIIAlphanumeric($0) } ?? 8
            let digits = bytes[..<length].allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            let x = UInt64(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
            let run = WordSplitter.alphanumericRun(x)
            #expect(run.length == length && run.digits == digits, "\(bytes)")
        }
    }
}
