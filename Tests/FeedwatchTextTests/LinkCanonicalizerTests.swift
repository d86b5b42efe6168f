import Testing
@testable import FeedwatchText

@Suite("LinkCanonicalizer")
struct LinkCanonicalizerTests {
    @Test("Canonical forms", arguments: [
        ("HTTPS://WWW.Example.COM/News/Mali-Attack?utm_source=rss&utm_medium=feed#comments",
         "https://example.com/News/Mali-Attack"),
        ("https://example.com/a?id=7&fbclid=XYZ&gclid=1&mc_cid=2&mc_eid=3", "https://example.com/a?id=7"),
        ("http://example.com:80/a/", "http://example.com/a"),
        ("https://example.com:443/", "https://example.com/"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://m.example.com/world/africa/123", "https://example.com/world/africa/123"),
        ("https://mobile.example.com/x", "https://example.com/x"),
        ("https://amp.example.com/x", "https://example.com/x"),
        ("https://example.com/world/mali-coup/amp", "https://example.com/world/mali-coup"),
        ("https://example.com/world/mali-coup/amp/", "https://example.com/world/mali-coup"),
        ("https://example.com/story?amp", "https://example.com/story"),
        ("https://example.com/story?outputType=amp&p=2", "https://example.com/story?p=2"),
        ("https://example.com/s?b=2&a=1", "https://example.com/s?a=1&b=2"),
        ("https://m.com/x", "https://m.com/x"),
        ("  https://example.com/x  ", "https://example.com/x"),
        ("not a url", "not a url"),
    ])
    func canonical(_ input: String, _ expected: String) {
        #expect(LinkCanonicalizer.canonical(input) == expected)
    }

    @Test("Keeps the parameters that select the article")
    func keepsContent() {
        #expect(LinkCanonicalizer.canonical("https://example.com/index.php?p=123&utm_campaign=x")
                == "https://example.com/index.php?p=123")
        #expect(LinkCanonicalizer.canonical("https://example.com/read?article=5&page=2")
                == "https://example.com/read?article=5&page=2")
    }
}
