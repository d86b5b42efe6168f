import FeedwatchConfig
import Foundation
import Testing

/// A source's `full_text` and the top-level `full_text:` bounds.
@Suite struct ConfigFullTextTests {
    func parse(_ yaml: String) throws -> Config {
        try Config.parse(yaml: yaml, file: "/etc/feedwatch/feedwatch.yaml", displayName: "feedwatch.yaml", environment: [:])
    }

    func problems(_ yaml: String) -> [String] { configProblems { try parse(yaml) } }

    @Test func modesAndBoundsWithTheirDefaults() throws {
        let c = try parse("""
        sources:
          - {url: "https://a.example/rss"}
          - {url: "https://b.example/rss", full_text: never}
          - {url: "https://c.example/rss", full_text: Always}
        sinks: [{type: file, path: a.jsonl}]
        full_text: {per_host: 1, max_page: 2MiB, timeout: 4s, daily_per_host: 50, recheck: 1h, teaser_words: 40}
        """)
        #expect(c.sources.map(\.fullText) == [.auto, .never, .always])
        #expect(c.fullText.perHost == 1)
        #expect(c.fullText.concurrency == 4)
        #expect(c.fullText.maxPageBytes == 2 * 1024 * 1024)
        #expect(c.fullText.timeout == 4)
        #expect(c.fullText.dailyPerHost == 50)
        #expect(c.fullText.recheck == 3600)
        #expect(c.fullText.teaserWords == 40)
        let d = try parse("sources: [{url: \"https://a.example/rss\"}]\nsinks: [{type: file, path: a.jsonl}]\n")
        #expect(d.fullText == FullTextLimits())
        #expect(d.fullText.perHost == 2 && d.fullText.maxPageBytes == 5 * 1024 * 1024)
    }

    @Test func badValuesNameTheirLine() {
        #expect(problems("""
        sources:
          - {url: "https://a.example/rss", full_text: sometimes}
        sinks: [{type: file, path: a.jsonl}]
        full_text: {per_host: 0, crawl: yes}
        """) == [
            "feedwatch.yaml:2:47: full_text must be auto, always or never (not 'sometimes')",
            "feedwatch.yaml:4:23: full_text.per_host must be between 1 and 16",
            "feedwatch.yaml:4:26: unknown key 'crawl' in full_text",
        ])
    }
}
