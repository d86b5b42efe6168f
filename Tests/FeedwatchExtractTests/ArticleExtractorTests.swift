import CZlib
import Foundation
import Testing
@testable import FeedwatchExtract

@Suite("ArticleExtractor")
struct ArticleExtractorTests {
    @Test("A wire story in a site's chrome extracts to the article paragraphs only")
    func wireStory() throws {
        let article = try ArticleExtractor.extract(Array(WireStoryPage.html.utf8), url: "https://herald.example/world/convoy")
        #expect(article.text == WireStoryPage.paragraphs.joined(separator: "\n"))
        #expect(article.title == WireStoryPage.headline)
        #expect(article.published == "2026-11-25T10:04:59Z")
        #expect(article.authors == ["Baba Ahmed"])
        #expect(article.language == "en-us")
        #expect(article.url == "https://herald.example/world/convoy")
    }

    @Test("The same page gzip-compressed gives the same article")
    func gzipPage() throws {
        let plain = try ArticleExtractor.extract(Array(WireStoryPage.html.utf8))
        let packed = try ArticleExtractor.extract(gzip(Array(WireStoryPage.html.utf8)))
        #expect(packed == plain)
    }

    @Test("Corrupt gzip is a one-line reason, not a crash")
    func corruptGzip() {
        var bytes = gzip(Array(WireStoryPage.html.utf8))
        for k in 12..<min(60, bytes.count) { bytes[k] ^= 0x5A }
        #expect(throws: ExtractError.self) { try ArticleExtractor.extract(bytes) }
    }

    @Test("windows-1252 declared in <meta charset>")
    func windows1252Meta() throws {
        let page = legacyPage(head: "<meta charset=\"windows-1252\">")
        let article = try ArticleExtractor.extract(page)
        #expect(article.text.contains("l\u{2019}arm\u{E9}e"))
        #expect(article.text.contains("\u{201C}S\u{E9}gou\u{201D}"))
    }

    @Test("windows-1252 declared only in the HTTP header")
    func windows1252Header() throws {
        let article = try ArticleExtractor.extract(legacyPage(head: ""), httpCharset: "windows-1252")
        #expect(article.text.contains("l\u{2019}arm\u{E9}e"))
    }

    @Test("Latin-1 labels read as windows-1252, and undeclared legacy bytes are sniffed")
    func latin1AndSniffed() throws {
        let labelled = try ArticleExtractor.extract(legacyPage(head: "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">"))
        #expect(labelled.text.contains("l\u{2019}arm\u{E9}e"))
        let undeclared = try ArticleExtractor.extract(legacyPage(head: ""))
        #expect(undeclared.text.contains("l\u{2019}arm\u{E9}e"))
    }

    @Test("A byte windows-1252 leaves undefined does not cut the page short")
    func windows1252Undefined() throws {
        var page = legacyPage(head: "<meta charset=\"windows-1252\">")
        page.insert(0x81, at: page.count / 3)
        let article = try ArticleExtractor.extract(page)
        #expect(article.text.split(separator: "\n").count == 3)
        #expect(article.text.hasSuffix("selon des sources locales."))
    }

    @Test("A page drawn by script gives the body its JSON-LD states")
    func scriptRenderedPage() throws {
        let body = WireStoryPage.paragraphs.map { "<p>\($0)</p>" }.joined()
        let page = """
            <html><head><script type="application/ld+json">{"@graph":[{"@type":"WebSite","name":"Herald"},
            {"@type":["NewsArticle"],"headline":"Convoy attacked","articleBody":"\(body)"}]}</script></head>
            <body><div id="app">Loading…</div><script>render()</script></body></html>
            """
        let article = try ArticleExtractor.extract(Array(page.utf8))
        #expect(article.title == "Convoy attacked")
        #expect(article.text == WireStoryPage.paragraphs.joined(separator: "\n"))
    }

    @Test("A page without an article says so")
    func noArticle() {
        var links = ""
        for k in 1...40 { links += "<li><a href=\"/s/\(k)\">Section \(k) headlines</a></li>" }
        let index = "<html><body><nav><ul>\(links)</ul></nav><div class=\"grid\"><a href=\"/x\">Latest</a></div></body></html>"
        #expect(throws: ExtractError.noArticle) { try ArticleExtractor.extract(Array(index.utf8)) }
        #expect(throws: ExtractError.noArticle) { try ArticleExtractor.extract([]) }
        #expect(throws: ExtractError.noArticle) { try ArticleExtractor.extract(Array("   \n".utf8)) }
        #expect(ExtractError.noArticle.reason == "extract: no article text found on the page")
    }

    @Test("Broken HTML still gives the paragraphs")
    func brokenHTML() throws {
        let broken = """
            <html><head><title>Broken</head><body><div class="content"><p>\(WireStoryPage.paragraphs[0])
            <p>\(WireStoryPage.paragraphs[1])</div></div></span><p>\(WireStoryPage.paragraphs[2]) <b><i>unclosed
            <table><tr><td><p>\(WireStoryPage.paragraphs[3])</td></tr><p>\(WireStoryPage.paragraphs[4])<a href="x
            """
        let article = try ArticleExtractor.extract(Array(broken.utf8))
        for paragraph in WireStoryPage.paragraphs.prefix(3) { #expect(article.text.contains(paragraph)) }
    }

    @Test("Binary garbage and truncated pages end in a result or a reason, never a crash")
    func garbage() {
        var rng = SystemRandomNumberGenerator()
        let page = Array(WireStoryPage.html.utf8)
        for length in stride(from: 0, to: page.count, by: 997) {
            _ = try? ArticleExtractor.extract(Array(page.prefix(length)))
        }
        for _ in 0..<20 {
            let noise = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &rng) }
            #expect(throws: ExtractError.self) { try ArticleExtractor.extract(noise) }
        }
    }

    @Test("JSON keeps the contract's key order, escapes text and writes null for absent fields")
    func json() {
        let article = Article(url: nil, title: "Quote \" and \\ slash", text: "One\nTwo\u{1}", authors: ["A"])
        #expect(article.json == #"{"url":null,"title":"Quote \" and \\ slash","text":"One\nTwo\u0001","published":null,"authors":["A"],"language":null}"#)
    }

    @Test("Dates come out as RFC 3339 when they carry a day", arguments: [
        ("2019-11-19T13:03:00.000Z", "2019-11-19T13:03:00Z"),
        ("2019-11-19T13:03:00+0100", "2019-11-19T12:03:00Z"),
        ("2019-11-19 13:03", "2019-11-19T13:03:00Z"),
        ("2019-11-19", "2019-11-19T00:00:00Z"),
        ("Mon, 18 Nov 2019 16:07:38 -0600", "2019-11-18T22:07:38Z"),
        ("20 Nov 2019 08:02 GMT", "2019-11-20T08:02:00Z"),
        ("yesterday", "yesterday"),
    ])
    func dates(raw: String, expected: String) {
        #expect(PublishedDate.normalize(raw) == expected)
    }

    /// An article whose text holds windows-1252 bytes: ’ (0x92), é (0xE9), “ ” (0x93 0x94).
    private func legacyPage(head: String) -> [UInt8] {
        var bytes = Array("<html><head>\(head)<title>Legacy</title></head><body><article>".utf8)
        for _ in 0..<3 {
            bytes += Array("<p>Dans la r".utf8) + [0xE9] + Array("gion de ".utf8) + [0x93] + Array("S".utf8) + [0xE9]
                + Array("gou".utf8) + [0x94] + Array(", l".utf8) + [0x92] + Array("arm".utf8) + [0xE9]
                + Array("e a repris le contr".utf8) + [0xF4] + Array("le de plusieurs villages apr".utf8) + [0xE8]
                + Array("s des semaines de combats, selon des sources locales.</p>".utf8)
        }
        return bytes + Array("</article></body></html>".utf8)
    }

    /// Real deflate through zlib's gz file API (the extractor must decode what gzip(1) writes).
    private func gzip(_ bytes: [UInt8]) -> [UInt8] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fw-extract-\(UUID().uuidString).gz").path
        defer { unlink(path) }
        guard let file = gzopen(path, "wb9") else { return [] }
        _ = bytes.withUnsafeBytes { gzwrite(file, $0.baseAddress, UInt32($0.count)) }
        gzclose(file)
        return FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? []
    }
}
