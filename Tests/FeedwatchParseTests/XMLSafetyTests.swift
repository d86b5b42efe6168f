import Foundation
import Testing
@testable import FeedwatchParse

/// Hostile or awkward XML: external entities, entity expansion bombs, chunk boundaries.
@Suite struct XMLSafetyTests {
    @Test func externalEntitiesAreNeverLoaded() throws {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE rss [ <!ENTITY xxe SYSTEM "file:///etc/hostname"> ]>
            <rss><channel><title>a&xxe;b</title></channel></rss>
            """
        let parsed = try FeedParser.parse(Data(xml.utf8))
        let hostname = (try? String(contentsOfFile: "/etc/hostname", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        let title = try #require(parsed.feed.title)
        if let hostname, !hostname.isEmpty { #expect(!title.contains(hostname)) }
        #expect(title.hasPrefix("a") && title.hasSuffix("b"))
    }

    @Test func escapedAmpersandsInAttributesAreDecoded() throws {
        // libxml2 hands attribute values over with `&amp;` as `&#38;` when it does not substitute entities.
        let xml = """
            <feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>urn:1</id><title>x</title>
            <link rel="alternate" href="https://news.example/a?x=1&amp;y=2&#38;z=3"/></entry></feed>
            """
        #expect(try FeedParser.parse(Data(xml.utf8)).feed.entries.first?.link == "https://news.example/a?x=1&y=2&z=3")
    }

    @Test func entityBombsAreNotExpanded() throws {
        var decls = "<!ENTITY lol0 \"lol\">"
        for i in 1...9 { decls += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i - 1);", count: 10) + "\">" }
        let xml = "<?xml version=\"1.0\"?><!DOCTYPE rss [\(decls)]><rss><channel><title>&lol9;</title></channel></rss>"
        let parsed = try FeedParser.parse(Data(xml.utf8))
        #expect((parsed.feed.title?.utf8.count ?? 0) < 1000)
    }

    @Test func internalEntitiesDeclaredInTheDTDAreUsed() throws {
        let xml = "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY site \"Sahel Desk\">]><rss><channel><title>&site; news</title></channel></rss>"
        #expect(try FeedParser.parse(Data(xml.utf8)).feed.title == "Sahel Desk news")
    }

    @Test func multibyteTextSurvivesChunkBoundaries() throws {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Big</title>"
        let words = "Sécurité à Tombouctou — été ☀ 𝄞 "
        for i in 0..<400 {
            xml += "<item><guid>g-\(i)</guid><title>\(i) \(words)</title><description>"
            xml += String(repeating: words, count: 10) + "</description></item>"
        }
        xml += "</channel></rss>"
        #expect(xml.utf8.count > 3 * 64 * 1024)
        let parsed = try FeedParser.parse(Data(xml.utf8))
        #expect(parsed.damage == nil)
        #expect(parsed.feed.entries.count == 400)
        for (i, e) in parsed.feed.entries.enumerated() {
            #expect(e.title == "\(i) " + words.trimmingCharacters(in: .whitespaces))
            #expect(e.summary == String(repeating: words, count: 10).trimmingCharacters(in: .whitespaces))
        }
    }

    @Test func undeclaredNamespacePrefixesStillMap() throws {
        let xml = "<rss><channel><item><guid>1</guid><dc:creator>Awa</dc:creator><content:encoded>&lt;p&gt;x&lt;/p&gt;</content:encoded></item></channel></rss>"
        let e = try #require(try FeedParser.parse(Data(xml.utf8)).feed.entries.first)
        #expect(e.authors == ["Awa"])
        #expect(e.content == "<p>x</p>")
    }
}
