import Testing
@testable import FeedwatchParse

@Suite struct HTMLSanitizerTests {
    static let cases: [(input: String, base: String?, expected: String)] = [
        ("<p>Hello <b>world</b></p>", nil, "<p>Hello <b>world</b></p>"),
        ("plain text", nil, "plain text"),
        ("<script>alert(1)</script><p>kept</p>", nil, "<p>kept</p>"),
        ("<style>p{color:red}</style>text", nil, "text"),
        ("<p onclick=\"x()\" onmouseover=\"y()\" style=\"a\">t</p>", nil, "<p>t</p>"),
        ("<a href=\"javascript:alert(1)\">x</a>", nil, "<a>x</a>"),
        ("<a href=\"  java\tscript:alert(1)\">x</a>", nil, "<a>x</a>"),
        ("<a href=\"vbscript:msgbox\">x</a>", nil, "<a>x</a>"),
        ("<img src=\"data:image/png;base64,AAAA\">", nil, "<img>"),
        ("<iframe src=\"https://e.example/\">inner</iframe>", nil, "inner"),
        ("<object data=\"x.swf\">safe <embed src=\"y\"> text</object>", nil, "safe  text"),
        ("<a href=\"/rel\">r</a>", "https://h.example/base/", "<a href=\"https://h.example/rel\">r</a>"),
        ("<a href=\"/rel\">r</a>", nil, "<a href=\"/rel\">r</a>"),
        ("<p>Unclosed <b>bold", nil, "<p>Unclosed <b>bold</b></p>"),
        ("caf&eacute; & th&eacute;&nbsp;!", nil, "café &amp; thé\u{00A0}!"),
        ("caf&eacute; &amp; th&eacute;", nil, "caf&eacute; &amp; th&eacute;"),
        ("a < b & c", nil, "a &lt; b &amp; c"),
        ("<form action=\"/x\"><input value=\"v\"><button>Go</button>label</form>", nil, "label"),
        ("<svg><script>alert(1)</script><text>svg text</text></svg>", nil, "svg text"),
        ("<p>a</p><!-- comment --><p>b</p>", nil, "<p>a</p><p>b</p>"),
        ("<table><tr><td colspan=\"2\" bgcolor=\"red\">c</td></tr></table>", nil,
         "<table><tr><td colspan=\"2\">c</td></tr></table>"),
    ]

    @Test(arguments: cases)
    func sanitizes(_ c: (input: String, base: String?, expected: String)) {
        #expect(HTMLSanitizer.sanitize(c.input, baseURL: c.base) == c.expected)
    }

    @Test func plainTextDropsMarkupAndDecodesEntities() {
        #expect(HTMLSanitizer.text(fromHTML: "<p>Caf&eacute;<br>au <b>lait</b></p><script>x</script>") == "Café au lait")
    }

    /// The fast path must agree with the full libxml2 path on markup it accepts.
    @Test(arguments: [
        "<p>Simple <a href=\"https://x.example/\">link</a> and <em>em</em>.</p>",
        "<p>Entity &amp; &#8217; &#x2014;</p><br/><img src=\"https://i.example/a.png\" alt=\"a\" />",
    ])
    func fastPathMatchesFullPathText(_ html: String) {
        #expect(HTMLSanitizer.isAlreadyClean(html, baseURL: nil))
        #expect(HTMLSanitizer.text(fromHTML: HTMLSanitizer.sanitize(html, baseURL: nil))
                == HTMLSanitizer.text(fromHTML: html))
    }

    @Test(arguments: [
        "<p onclick=\"x\">a</p>", "<script>x</script>", "<a href=\"javascript:x\">a</a>", "<p>unclosed",
        "a & b", "<a href=\"/rel\">r</a>",
    ])
    func fastPathRejectsAnythingUnusual(_ html: String) {
        #expect(!HTMLSanitizer.isAlreadyClean(html, baseURL: "https://base.example/"))
    }
}
