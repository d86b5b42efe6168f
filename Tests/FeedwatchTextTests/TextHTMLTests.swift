import Testing
@testable import FeedwatchText

@Suite("HTMLText.plainText")
struct TextHTMLTests {
    @Test("Decodes entities and drops scripts and styles")
    func entitiesAndScripts() {
        let html = "<p>S&eacute;gou &amp; M&#233;naka&nbsp;: l&rsquo;arm&eacute;e</p><script>var x = 1;</script><style>p{}</style>"
        #expect(HTMLText.plainText(html) == "Ségou & Ménaka : l’armée")
    }

    @Test("Blocks become paragraphs, br a line break, inline elements run on")
    func blocks() {
        let html = "<div><p>First <b>bold</b> paragraph\nwraps.</p><p>Second<br>line two</p><ul><li>a</li><li>b</li></ul></div>"
        #expect(HTMLText.plainText(html) == "First bold paragraph wraps.\n\nSecond\nline two\n\na\n\nb")
    }

    @Test("Repairs tag soup")
    func tagSoup() {
        #expect(HTMLText.plainText("<p>Hello <i>world<p>again") == "Hello world\n\nagain")
    }

    @Test("Plain text only has its whitespace tidied")
    func plain() {
        #expect(HTMLText.plainText("  One  line \n\n\n\nNext   para ") == "One line\n\nNext para")
        #expect(HTMLText.plainText("") == "")
    }
}
