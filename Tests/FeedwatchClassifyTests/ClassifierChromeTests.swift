@testable import FeedwatchClassify
import FeedwatchModel
import Testing

/// Site chrome in a story's summary or content (navigation, link bars, related lists, share lines,
/// "The post … appeared first on …") does not count: the classifier drops it by the rules dedup
/// uses, `FeedwatchText.Boilerplate`.
@Suite struct ClassifierChromeTests {
    typealias F = ClassifierFixture

    static let yaml = F.topic("      jihad*: 1\n      Sahel: 1\n")

    func matches(_ story: Story) throws -> Bool {
        !(try F.classifier(Self.yaml).classify(story)).isEmpty
    }

    static let article = "<p>Cotton output will reach a record this season, the state company said on Monday.</p>"

    @Test(arguments: [
        "<nav>Skip to content</nav>\(article)",
        "<h3>Related</h3><ul><li>Jihadists kill 30 soldiers in Mali</li><li>Niger closes airspace</li></ul>\(article)",
        "\(article)<p>Lire aussi :</p><ul><li><a>Burkina : les jihadistes attaquent Djibo</a></li></ul>",
        "\(article)<p>The post Jihadists in the cotton belt appeared first on Sahel Business.</p>",
        "\(article)<div>Share this:<br/>Facebook<br>Twitter</div><p>Tags: Sahel, jihadists</p>",
    ])
    func chromeInTheContentDoesNotCount(content: String) throws {
        #expect(try !matches(Story(id: "s", title: "Cotton harvest", content: content)))
        #expect(try matches(Story(id: "s", title: "Cotton harvest", content: content + "<p>Jihadists burned a gin in the north of the country.</p>")))
    }

    @Test func chromeInAnHTMLSummaryDoesNotCount() throws {
        let summary = "<p>Cotton output will reach a record.</p>\n<p>The post Jihadists appeared first on Sahel Business.</p>"
        #expect(try !matches(Story(id: "s", title: "Cotton harvest", summary: summary)))
    }

    @Test func theLeadStartsAfterTheChrome() throws {
        let classifier = try F.classifier(F.topic("      attack*: 1\n"))
        // Unstripped, "attack" would be word 12 of the body: past the 10-word lead.
        let content = "<nav>Home</nav><div>Share on Facebook Twitter WhatsApp Email</div><p>Two soldiers died in an attack on Sunday.</p>"
        let hit = try #require(classifier.explain(Story(id: "s", title: "News", content: content)).first?.terms.first)
        #expect(hit.field == .lead)
        #expect(ClassifierText(Story(id: "s", title: "News", content: content), folder: TermFolding.folder).body
                == Array("two soldiers died in an attack on sunday.".utf8))
    }

    /// `classify` first reads the text with its chrome to drop stories that fail every `require`;
    /// what it then decides must be what the clean text says.
    @Test func aRequireIsJudgedOnTheTextWithoutChrome() throws {
        let require = "    require:\n      - in: [title, lead]\n        any: [attack*]\n"
        let classifier = try F.classifier(F.topic("      attack*: 1\n", extra: require))
        // With its chrome, "attack" is word 12: past the lead. Without, it is in it.
        let content = "<nav>Home</nav><div>Share on Facebook Twitter WhatsApp Email</div><p>Two soldiers died in an attack on Sunday.</p>"
        #expect(!classifier.classify(Story(id: "s", title: "News", content: content)).isEmpty)
        // The required word only in a related list: no match.
        let related = "<p>Cotton output will reach a record this season.</p><h3>Related</h3><ul><li>Attack on a convoy</li></ul>"
        #expect(classifier.classify(Story(id: "s", title: "Cotton", content: related)).isEmpty)
        // Nowhere at all: no match either (the shortcut).
        #expect(classifier.classify(Story(id: "s", title: "Cotton", content: "<p>Cotton output will reach a record.</p>")).isEmpty)
    }

    /// A text of one line is the article: whole-line rules (a short line starting "De" reads like a
    /// byline) are for lines among others.
    @Test func aLoneShortSummaryIsKept() throws {
        let classifier = try F.classifier(F.topic("      combats: 1\n"))
        #expect(!classifier.classify(Story(id: "s", title: "Mali", summary: "De violents combats à Kidal")).isEmpty)
        #expect(!classifier.classify(Story(id: "s", title: "Mali", summary: "<p>De violents combats à Kidal</p>")).isEmpty)
    }

    /// In HTML a source line break is a space, as `HTMLText.plainText` reads it: a wrapped line is not
    /// a line of its own ("updated on Monday, …" would read as a date line).
    @Test func lineBreaksInHTMLSourceAreSpaces() throws {
        let content = "<p>The governor's report,\nupdated on Monday, said jihadists attacked.</p><p>Second paragraph.</p>"
        #expect(try matches(Story(id: "s", title: "Report", content: content)))
    }

    @Test func blockElementsEndLinesAndInlineOnesDoNot() {
        var bytes: [UInt8] = []
        TermFolding.folder.fold("<p>A <b>bold</b> word<br/>next</p><DIV>Div</DIV><li>item", into: &bytes, lines: true)
        #expect(String(decoding: bytes, as: UTF8.self) == "\na  bold  word\nnext\n\ndiv\n\nitem")
        bytes = []
        TermFolding.folder.fold("<p>A\nB</p>", into: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == " a\nb ")
    }
}
