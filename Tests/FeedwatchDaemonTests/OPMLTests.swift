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

    @Test func notOPMLIsRefused() {
        #expect(throws: OPMLImporter.ImportError.self) {
            try OPMLImporter.parse(Data("<rss version=\"2.0\"><channel/></rss>".utf8))
        }
        #expect(throws: OPMLImporter.ImportError.self) { try OPMLImporter.parse(Data("not xml at all".utf8)) }
    }
}
