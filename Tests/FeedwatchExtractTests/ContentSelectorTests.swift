import Testing
@testable import FeedwatchExtract

/// The container choice and block filtering on small pages written for these cases.
@Suite("ContentSelector")
struct ContentSelectorTests {
    private let p = WireStoryPage.paragraphs

    private func text(_ body: String) throws -> String {
        try ArticleExtractor.extract(Array("<html><head><title>T</title></head><body>\(body)</body></html>".utf8)).text
    }

    @Test("A body split by an ad slot is gathered from both wrappers")
    func splitBody() throws {
        let page = """
            <nav><a href="/">Home</a> <a href="/world">World</a></nav>
            <div class="story"><div class="column"><p>\(p[0])</p><p>\(p[1])</p></div>
            <div class="ad-slot"><a href="/ad">Advertisement: buy now</a></div>
            <div class="column"><p>\(p[2])</p><p>\(p[3])</p></div></div>
            <footer><p>Contact us · Terms · Privacy</p></footer>
            """
        #expect(try text(page) == p.prefix(4).joined(separator: "\n"))
    }

    @Test("A comments section and a page of teasers around the article stay out")
    func commentsAndTeasers() throws {
        var teasers = ""
        for k in 0..<6 {
            teasers += "<div class=\"card\"><h3><a href=\"/s\(k)\">Another story number \(k) about the region and its long crisis</a></h3><p>Officials in the region said on Monday that talks would resume next week, according to a statement.</p></div>"
        }
        let page = """
            <div class="layout"><article><h1>T</h1><p>\(p[0])</p><p>\(p[1])</p><p>\(p[2])</p></article>
            <section id="comments"><h2>12 Comments</h2>
            <div class="comment"><p>This is exactly what happens when the government ignores the warnings of the people who live there for years.</p></div>
            <div class="comment"><p>I drove that road last spring and the checkpoints were already abandoned, which nobody in the capital wanted to hear.</p></div>
            </section></div>
            <div class="more">\(teasers)</div>
            """
        #expect(try text(page) == p.prefix(3).joined(separator: "\n"))
    }

    @Test("A hidden copy and a related-stories list after a heading are dropped")
    func hiddenAndRelated() throws {
        let page = """
            <div style="display: none"><div itemprop="articleBody">\(p[4]) \(p[4])</div></div>
            <main><p>\(p[0])</p><p>\(p[1])</p>
            <h3>You may also like</h3>
            <p>Niger and Burkina Faso announce a joint force to patrol their border region, officials say.</p>
            <p>Chad's army says it repelled an attack on a base near Lake Chad, killing dozens of fighters.</p></main>
            """
        #expect(try text(page) == p.prefix(2).joined(separator: "\n"))
    }

    @Test("Words in neighbouring inline elements stay apart; <br> breaks a line")
    func inlineSpacing() throws {
        let page = "<article><p>\(p[0]) <b>Niono</b> <i>town</i><br>Second line of the same paragraph, which continues here.</p><p>\(p[1])</p></article>"
        let lines = try text(page).split(separator: "\n")
        #expect(lines.first?.hasSuffix("Niono town") == true)
        #expect(lines.count == 3)
    }
}
