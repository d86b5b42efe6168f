import FeedwatchConfig
import Foundation
import Testing

/// `feedwatch import-opml` through the built binary: the names it prints are unique, alone and
/// against an existing config, so `check` accepts the result.
@Suite struct ImportOPMLCommandTests {
    static let sameTitles = """
    <?xml version="1.0" encoding="UTF-8"?>
    <opml version="2.0"><body>
      <outline text="Mali">
        <outline type="rss" text="News" xmlUrl="https://www.example.com/mali/rss"/>
        <outline type="rss" text="News" xmlUrl="https://example.org/feed"/>
        <outline type="rss" text="News" xmlUrl="https://example.com/niger/rss"/>
        <outline type="rss" text="RFI Afrique" xmlUrl="https://www.rfi.fr/fr/afrique/rss"/>
      </outline>
    </body></opml>
    """

    @Test(.enabled(if: BuiltCLI.path != nil, "needs the built feedwatch binary"))
    func importedNamesAreUniqueSoCheckAcceptsThem() throws {
        let dir = NSTemporaryDirectory() + "fw-opml-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let opml = dir + "/export.opml"
        try Self.sameTitles.write(toFile: opml, atomically: true, encoding: .utf8)

        let r = try BuiltCLI.run(["import-opml", opml])
        #expect(r.status == 0, "\(r.stderr)")
        let config = try Config.parse(yaml: r.stdout + "sinks: [{type: file, path: a.jsonl}]\n", file: dir + "/x.yaml")
        #expect(config.sources.map(\.name) == ["News", "News (example.org)", "News (example.com)", "RFI Afrique"])

        // Against an existing config: its names count as taken too.
        try "topics:\n  t:\n    terms:\n      Mali: 1\n".write(toFile: dir + "/watchlist.yaml", atomically: true, encoding: .utf8)
        try """
            watchlist: watchlist.yaml
            sources:
              - {name: News, url: "https://other.example.net/rss"}
              - {name: RFI Afrique, url: "https://www.rfi.fr/fr/afrique/rss"}
            sinks: [{type: file, path: a.jsonl}]

            """.write(toFile: dir + "/feedwatch.yaml", atomically: true, encoding: .utf8)
        let add = try BuiltCLI.run(["import-opml", opml, "--config", dir + "/feedwatch.yaml"])
        #expect(add.status == 0, "\(add.stderr)")
        let merged = try Config.parse(yaml: """
            sources:
              - {name: News, url: "https://other.example.net/rss"}
              - {name: RFI Afrique, url: "https://www.rfi.fr/fr/afrique/rss"}

            """ + add.stdout + "sinks: [{type: file, path: a.jsonl}]\n", file: dir + "/x.yaml")
        #expect(merged.sources.map(\.name) == ["News", "RFI Afrique", "News (example.com)", "News (example.org)",
                                               "News 2"])
    }
}
