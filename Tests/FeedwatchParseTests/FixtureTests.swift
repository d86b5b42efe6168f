import Foundation
import Testing
@testable import FeedwatchParse

/// Each `Fixtures/<name>.<ext>` is parsed and compared with `<name>.expected.json`:
/// `{"format", "damaged", "feed"}` for feeds, `{"error": "<ParseError.Code>"}` for non-feeds.
@Suite struct FixtureTests {
    static let fixtures = [
        "rss20-basic.xml", "rss20-identity-fallbacks.xml", "rdf-dublin-core.rdf", "atom10-xhtml-base.atom",
        "atom03-modes.atom", "atom-text-constructs.atom", "rss-inline-html-description.xml", "jsonfeed11-authors.json", "cdata-everywhere.xml", "namespaces-media-atom-in-rss.xml",
        "xml-base-relative-links.xml", "no-base-relative-links.xml",
        "encoding-iso8859-1-declared.xml", "encoding-latin1-label-utf8-bytes.xml", "encoding-windows-1252.xml",
        "encoding-utf16le-bom.xml", "encoding-utf8-bom.xml", "encoding-undeclared-windows-1252.xml",
        "damage-html-entities.xml", "damage-truncated.xml", "damage-junk-before-root.xml",
        "sanitize-active-content.xml", "damage-unrecoverable.xml",
        "not-a-feed-html.xml", "not-a-feed-json.json", "empty-document.xml", "prolog-only.xml",
    ]

    static func url(_ name: String) throws -> URL {
        let dir = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return dir.appendingPathComponent(name)
    }

    @Test(arguments: fixtures)
    func fixtureMatchesExpectation(_ name: String) throws {
        let input = try Data(contentsOf: Self.url(name))
        let stem = (name as NSString).deletingPathExtension
        let expectedData = try Data(contentsOf: Self.url(stem + ".expected.json"))
        let expected = try #require(try JSONSerialization.jsonObject(with: expectedData) as? [String: Any])

        if let code = expected["error"] as? String {
            #expect(throws: ParseError.self) { try FeedParser.parse(input) }
            do {
                _ = try FeedParser.parse(input)
            } catch let e as ParseError {
                #expect(e.code.rawValue == code)
                #expect(e.description.hasPrefix("parse: "))
            }
            return
        }

        let parsed = try FeedParser.parse(input)
        #expect(parsed.format.rawValue == expected["format"] as? String)
        #expect((parsed.damage != nil) == (expected["damaged"] as? Bool), "damage: \(parsed.damage ?? "nil")")
        let actual = try JSONSerialization.jsonObject(with: Data(FeedJSON.encode(parsed.feed)))
        let actualFeed = try #require(actual as? NSDictionary)
        let expectedFeed = try #require(expected["feed"] as? NSDictionary)
        #expect(actualFeed == expectedFeed, "\(name): got \(String(decoding: FeedJSON.encode(parsed.feed), as: UTF8.self))")
    }

    /// The contract prints only a publisher's id; feedwatch still keys every entry.
    @Test func entriesWithoutGuidAreKeyedByLinkThenHash() throws {
        let parsed = try FeedParser.parse(Data(contentsOf: Self.url("rss20-identity-fallbacks.xml")))
        let entries = parsed.feed.entries
        #expect(entries.map(\.id) == ["https://ids.example.org/a", "urn:feedwatch:e683c333ddadd25a", "spaced-guid"])
        #expect(entries.map(\.idIsDerived) == [true, true, false])
        let again = try FeedParser.parse(Data(contentsOf: Self.url("rss20-identity-fallbacks.xml")))
        #expect(again.feed.entries.map(\.id) == entries.map(\.id))
    }

    @Test func ttlIsReadFromRSS() throws {
        let parsed = try FeedParser.parse(Data(contentsOf: Self.url("rss20-basic.xml")))
        #expect(parsed.ttl == 30)
    }

    @Test func baseURLResolvesRelativeLinksOfALocalDocument() throws {
        let data = try Data(contentsOf: Self.url("no-base-relative-links.xml"))
        let parsed = try FeedParser.parse(data, baseURL: "https://served.example.net/feeds/a.xml")
        #expect(parsed.feed.link == "https://served.example.net/")
        #expect(parsed.feed.entries.first?.link == "https://served.example.net/story/1")
        #expect(parsed.feed.entries.first?.summary == "<a href=\"https://served.example.net/about\">about</a>")
    }

    @Test func httpCharsetOutranksTheProlog() throws {
        // Bytes are windows-1252; the prolog lies (UTF-8 would be invalid), the HTTP header is right.
        let data = Data("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss><channel><title>Ségou</title></channel></rss>"
            .data(using: .isoLatin1)!)
        let parsed = try FeedParser.parse(data, charset: "ISO-8859-1")
        #expect(parsed.feed.title == "Ségou")
        #expect(parsed.damage == nil)
    }

    @Test func truncationIsReportedAsSuch() throws {
        let parsed = try FeedParser.parse(Data(contentsOf: Self.url("damage-truncated.xml")))
        let damage = try #require(parsed.damage)
        #expect(damage.contains("premature end"))
        #expect(damage.hasPrefix("line "))
        // The cut item is printed (as feedparser does) but flagged: a poller skips it.
        #expect(parsed.truncated)
        #expect(parsed.feed.entries.map(\.id) == ["t-1", "t-2"])
        #expect(parsed.incompleteEntries == [1])
        #expect(parsed.completeFeed.entries.map(\.id) == ["t-1"])
    }
}
