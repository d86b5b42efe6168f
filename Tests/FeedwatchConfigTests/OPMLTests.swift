import FeedwatchConfig
import Foundation
import Testing

@Suite struct OPMLTests {
    static let opml = """
    <?xml version="1.0" encoding="UTF-8"?>
    <opml version="2.0">
      <head><title>Exported from a feed reader</title></head>
      <body>
        <outline text="Afrique – Sahel" title="Afrique – Sahel">
          <outline type="rss" text="RFI Afrique" title="RFI Afrique" xmlUrl="https://www.rfi.fr/fr/afrique/rss" htmlUrl="https://www.rfi.fr/fr/afrique/"/>
          <outline text="Wire &amp; agencies">
            <outline type="rss" text="APA: &quot;Sahel&quot; desk" xmlUrl="https://apanews.net/feed/" language="FR"/>
          </outline>
        </outline>
        <outline text="World">
          <outline type="rss" text="RFI Afrique (again)" xmlUrl="https://www.rfi.fr/fr/afrique/rss"/>
          <outline type="rss" xmlUrl="https://www.aljazeera.com/xml/rss/all.xml"/>
        </outline>
      </body>
    </opml>
    """

    @Test func feedsFoldersAndDuplicates() throws {
        let feeds = try OPMLImporter.parse(Data(Self.opml.utf8))
        #expect(feeds.map(\.url) == ["https://www.rfi.fr/fr/afrique/rss", "https://apanews.net/feed/",
                                     "https://www.aljazeera.com/xml/rss/all.xml"])
        #expect(feeds[0].name == "RFI Afrique")
        #expect(feeds[0].tags == ["afrique-sahel", "world"])
        #expect(feeds[1].tags == ["afrique-sahel", "wire-agencies"])
        #expect(feeds[1].language == "fr")
        #expect(feeds[2].name == "www.aljazeera.com")
    }

    @Test func printedYAMLIsAValidConfig() throws {
        let feeds = try OPMLImporter.parse(Data(Self.opml.utf8))
        let yaml = "sources:\n" + OPMLImporter.yaml(feeds) + "sinks: [{type: file, path: a.jsonl}]\n"
        let config = try Config.parse(yaml: yaml, file: "/tmp/x.yaml")
        #expect(config.sources.map(\.name) == feeds.map(\.name))
        #expect(config.sources[1].name == "APA: \"Sahel\" desk")
        #expect(config.sources[1].tags == ["afrique-sahel", "wire-agencies"])
    }

    /// Found by `scripts/fuzz opml`: Foundation's parser trapped on a processing instruction
    /// whose name is not UTF-8. The feeds after it are still read.
    @Test func aProcessingInstructionThatIsNotUTF8DoesNotCrash() throws {
        var data = Data("<?x".utf8) + Data([0xFF, 0xFF]) + Data(" version=\"1.0\"?>".utf8)
        data += Data(#"<opml version="2.0"><body><outline text="A" xmlUrl="https://a.example/rss"/></body></opml>"#.utf8)
        #expect(try OPMLImporter.parse(data).map(\.url) == ["https://a.example/rss"])
        // A declared Latin-1 document is left to the parser to transcode: é stays é.
        let latin1 = Data(#"<?xml version="1.0" encoding="ISO-8859-1"?><opml version="2.0"><body><outline text="Caf"#.utf8)
            + Data([0xE9]) + Data(#"" xmlUrl="https://b.example/rss"/></body></opml>"#.utf8)
        #expect(try OPMLImporter.parse(latin1).map(\.name) == ["Café"])
        // A processing instruction with no data gave the parser a NULL string.
        let bare = Data(#"<?xml version="1.0"?><?x?><opml version="2.0"><body><?y?><outline text="C" xmlUrl="https://c.example/rss"/></body></opml>"#.utf8)
        #expect(try OPMLImporter.parse(bare).map(\.url) == ["https://c.example/rss"])
        // Two instructions whose removal would join "<" and "?" into a third one.
        let joined = Data("<?o<\"\u{AD}?><<?<?>?oO?>\"\"".utf8)
        #expect(throws: OPMLImporter.ImportError.self) { try OPMLImporter.parse(joined) }
    }

    @Test func notOPMLIsRefused() {
        #expect(throws: OPMLImporter.ImportError.self) {
            try OPMLImporter.parse(Data("<rss version=\"2.0\"><channel/></rss>".utf8))
        }
        #expect(throws: OPMLImporter.ImportError.self) { try OPMLImporter.parse(Data("not xml at all".utf8)) }
    }

    @Test func thousandsOfNestedFoldersTagOnlyTheNearest() throws {
        var opml = "<?xml version=\"1.0\"?><opml version=\"2.0\"><body>"
        for i in 0..<5_000 {
            opml += "<outline text=\"f\(i)\"><outline type=\"rss\" text=\"feed\(i)\" xmlUrl=\"https://e.example/\(i).rss\"/>"
        }
        opml += String(repeating: "</outline>", count: 5_000) + "</body></opml>"
        let start = Date()
        let feeds = try OPMLImporter.parse(Data(opml.utf8))
        _ = OPMLImporter.yaml(feeds)
        #expect(Date().timeIntervalSince(start) < 10)
        #expect(feeds.count == 5_000)
        #expect(feeds[1].tags == ["f0", "f1"])
        #expect(feeds[4_999].tags == (4_984...4_999).map { "f\($0)" })
    }
}
