import FeedwatchClassify
import FeedwatchConfig
import FeedwatchDedup
import FeedwatchExtract
import FeedwatchHTTP
import FeedwatchModel
import FeedwatchParse
import FeedwatchText
import Foundation

/// One entry point of untrusted input, driven by the fuzzer's bytes. Each must return (or throw
/// a clean error) on any input: a crash, a hang or unbounded memory is a finding.
enum FuzzTarget: String, CaseIterable {
    /// Feed bytes through detection, charset sniffing, XML/JSON parsing and every adapter.
    case feed
    /// The same with a declared HTTP charset, chosen by the first byte (transcoding paths).
    case charset
    /// HTML sanitising and HTML→text, as content and summaries go through them.
    case html
    /// RFC 822, RFC 3339 and the lenient date forms.
    case date
    /// The watchlist loader, its expression parser and set resolution, then one classification.
    case watchlist
    /// The config loader.
    case config
    /// OPML import.
    case opml
    /// The dedup index's snapshot and journal readers.
    case snapshot
    /// Article extraction from a page (gzip, charsets, broken HTML, JSON-LD).
    case extract
    /// A site's robots.txt, then paths checked against its rules (the input's last line).
    case robots

    static let charsets = ["utf-8", "iso-8859-1", "windows-1252", "utf-16", "utf-16le", "utf-16be", "koi8-r",
                           "shift_jis", "euc-jp", "gb2312", "big5", "iso-8859-15", "x-unknown", ""]

    func run(_ data: Data) {
        switch self {
        case .feed:
            _ = try? FeedParser.parse(data, baseURL: "https://example.org/feed/")
        case .charset:
            guard let first = data.first else { return }
            let charset = Self.charsets[Int(first) % Self.charsets.count]
            _ = try? FeedParser.parse(data.dropFirst(), baseURL: nil, charset: charset)
        case .html:
            let html = String(decoding: data, as: UTF8.self)
            _ = HTMLSanitizer.sanitize(html, baseURL: "https://example.org/a/")
            _ = HTMLSanitizer.text(fromHTML: html)
            _ = HTMLText.plainText(html)
        case .date:
            _ = DateParser.parse(String(decoding: data, as: UTF8.self))
        case .watchlist:
            guard let watchlist = try? Watchlist.parse(yaml: String(decoding: data, as: UTF8.self), file: "fuzz.yaml") else { return }
            let classifier = Classifier(watchlist: watchlist)
            _ = classifier.classify(Self.story)
            _ = classifier.explain(Self.story)
        case .config:
            _ = try? Config.parse(yaml: String(decoding: data, as: UTF8.self), file: "/tmp/fuzz/feedwatch.yaml", secrets: false)
        case .opml:
            _ = try? OPMLImporter.parse(data)
        case .extract:
            _ = try? ArticleExtractor.extract([UInt8](data), url: "https://example.org/news/a.html")
        case .robots:
            let text = String(decoding: data, as: UTF8.self)
            let robots = RobotsTxt(text, agent: "feedwatch")
            let last = text.split(separator: "\n").last.map(String.init) ?? ""
            for path in ["/", "/news/a.html?id=1", "/caf%C3%A9/*", last] { _ = robots.allows(path) }
        case .snapshot:
            let config = DedupConfig()
            if let index = try? Deduplicator(snapshot: data, config: config) {
                _ = index.snapshot()
            }
            // The same bytes as journal records (cut in two), replayed onto an empty index.
            let half = data.count / 2
            try? Deduplicator(config: config).replay(journal: [Data(data.prefix(half)), Data(data.dropFirst(half))])
        }
    }

    static let story = Story(
        id: "fuzz", title: "Attack near Gao: twelve soldiers killed in northern Mali",
        summary: "Gunmen attacked an army post near Gao on Sunday, the army said. Attaque contre un poste à Ménaka.",
        language: "en")
}
