import Foundation
import FeedwatchModel
import Testing
@testable import FeedwatchParse

/// A download cut anywhere inside an entry must not give that entry an identity:
/// it is listed (as feedparser lists it) but flagged, and `completeFeed` leaves it out,
/// so the whole entry alerts once, when the feed is whole again.
@Suite struct TruncationTests {
    static let rss = """
        <?xml version="1.0" encoding="UTF-8"?>
        <rss version="2.0"><channel><title>Cut</title>
        <item><title>First</title><guid>https://cut.example.org/story/first-one</guid></item>
        <item><title>Second</title><guid>https://cut.example.org/story/second-one</guid><description>Tail text.</description></item>
        </channel></rss>
        """
    static let atom = """
        <feed xmlns="http://www.w3.org/2005/Atom"><title>Cut</title>
        <entry><id>tag:cut.example.org,2025:first-one</id><title>First</title></entry>
        <entry><title>Second</title><id>tag:cut.example.org,2025:second-one</id><summary>Tail text.</summary></entry>
        </feed>
        """

    /// (document, ids of the whole feed, the entry's start tag, its end tag)
    static let documents: [(String, [String], String, String)] = [
        (rss, ["https://cut.example.org/story/first-one", "https://cut.example.org/story/second-one"],
         "<item>", "</item>"),
        (atom, ["tag:cut.example.org,2025:first-one", "tag:cut.example.org,2025:second-one"],
         "<entry>", "</entry>"),
    ]

    @Test("every cut inside the last entry: listed but flagged, and never kept with a cut-off id",
          arguments: documents)
    func cutInsideTheLastEntry(_ doc: String, _ ids: [String], _ startTag: String, _ endTag: String) throws {
        let bytes = Array(doc.utf8)      // ASCII: character offsets are byte offsets
        let begun = try #require(doc.range(of: startTag, options: .backwards)).upperBound.utf16Offset(in: doc)
        let ended = try #require(doc.range(of: endTag, options: .backwards)).upperBound.utf16Offset(in: doc)
        for cut in begun..<ended {
            let parsed = try FeedParser.parse(Data(bytes[..<cut]))
            #expect(parsed.truncated, "cut at \(cut)")
            #expect(parsed.damage != nil, "cut at \(cut)")
            #expect(parsed.feed.entries.count == 2, "cut at \(cut): the partial entry is still listed")
            #expect(parsed.completeFeed.title == "Cut")
            if cut < ended - endTag.utf8.count {
                #expect(parsed.incompleteEntries == [1], "cut at \(cut)")
                #expect(parsed.completeFeed.entries.map(\.id) == [ids[0]], "cut at \(cut)")
            } else {
                // Cut inside the entry's own end tag: libxml2 closes the entry there,
                // after every value in it was read whole. Flagged or not, no wrong id.
                #expect(ids.starts(with: parsed.completeFeed.entries.map(\.id)), "cut at \(cut)")
            }
        }
        // Cut right after the entry closes: it is complete.
        let whole = try FeedParser.parse(Data(bytes[..<ended]))
        #expect(whole.truncated)
        #expect(whole.incompleteEntries.isEmpty)
        #expect(whole.completeFeed.entries.map(\.id) == ids)
    }

    @Test("a whole document has nothing incomplete", arguments: documents)
    func wholeDocument(_ doc: String, _ ids: [String], _: String, _: String) throws {
        let parsed = try FeedParser.parse(Data(doc.utf8))
        #expect(!parsed.truncated)
        #expect(parsed.damage == nil)
        #expect(parsed.incompleteEntries.isEmpty)
        #expect(parsed.completeFeed == parsed.feed)
        #expect(parsed.feed.entries.map(\.id) == ids)
    }

    @Test("a guid cut mid-value is flagged, so the whole item is new on the next poll")
    func cutGuidIsNotAnIdentity() throws {
        let doc = Self.rss
        let cut = try #require(doc.range(of: "second-o")).upperBound
        let parsed = try FeedParser.parse(Data(doc[..<cut].utf8))
        #expect(parsed.feed.entries.last?.id == "https://cut.example.org/story/second-o")   // printed as feedparser would
        #expect(!parsed.completeFeed.entries.map(\.id).contains("https://cut.example.org/story/second-o"))
        let next = try FeedParser.parse(Data(doc.utf8))
        let seen = Set(parsed.completeFeed.entries.map(\.id))
        #expect(next.completeFeed.entries.filter { !seen.contains($0.id) }.map(\.id)
                == ["https://cut.example.org/story/second-one"])
    }
}
