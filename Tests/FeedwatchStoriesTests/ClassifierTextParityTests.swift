@testable import FeedwatchClassify
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
}
