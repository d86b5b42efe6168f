import ArgumentParser
import FeedwatchClassify
import FeedwatchDedup
import FeedwatchModel
import FeedwatchParse
import FeedwatchText
import Foundation

/// `feedwatch-bench prepare`: CPU per entry of the daemon's per-entry preparation (the work of
/// `StoryPreparer.prepare`: classification, then story text and fingerprint for what matched)
/// over every entry of a gen-farm farm, on one core; then each stage alone, on every entry. `--dump` writes what each entry became, so
/// a change can be checked to leave every output byte-identical.
struct PrepareBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prepare",
        abstract: "Per-entry preparation cost (make a farm with: gen-farm generate /tmp/farm --feeds 200 --big-items 0)."
    )

    @Option(help: "Directory of feeds (a farm's www/).")
    var farm = "/tmp/farm/www"

    @Option(help: "JSON Lines stories to prepare instead of the farm's entries (e.g. a dev set).")
    var stories: String?

    @Option(help: "The watchlist to compile.")
    var config = "Config/watchlist.yaml"

    @Option(help: "Rounds; the best round is reported.")
    var rounds = 5

    @Option(help: "Write each entry's story text, topic matches, explanations and dedup result to this file.")
    var dump: String?

    @Flag(help: "Time only the whole preparation (for profiling).")
    var wholeOnly = false

    /// One entry as a fetch task hands it over.
    struct Item {
        var entry: Entry
        var source: String
        var feedLanguage: String?
    }

    func run() throws {
        let classifier = Classifier(watchlist: try Watchlist.load(path: config))
        let items = try load()
        guard !items.isEmpty else { throw ValidationError("no entries under \(farm)") }
        let bytes = items.reduce(0) { $0 + ($1.entry.summary?.utf8.count ?? 0) + ($1.entry.content?.utf8.count ?? 0) }
        print("prepare: \(items.count) entries, avg \(bytes / items.count) bytes of summary+content")
        if let dump { try write(dump: dump, items, classifier) }

        let dedupConfig = DedupConfig()
        measure("whole", items) { item in
            var story = Self.story(item)
            let matches = classifier.classify(story)
            guard !matches.isEmpty else { return 0 }
            let text = StoryText(story)
            story.language = text.language
            let prepared = Deduplicator.prepare(story, text: text, config: dedupConfig)
            return matches.count + prepared.story.id.utf8.count
        }
        guard !wholeOnly else { return }
        let stories = items.map(Self.story)
        let texts = stories.map(StoryText.init)
        var labelled = stories
        for i in labelled.indices { labelled[i].language = texts[i].language }
        measure("classify", items) { _ in 0 } inner: { i in classifier.classify(stories[i]).count }
        // The daemon pays for these two only on entries that matched a topic; timed here on every entry.
        measure("StoryText", items) { _ in 0 } inner: { i in texts[i] == StoryText(stories[i]) ? 1 : 0 }
        measure("dedup prepare", items) { _ in 0 } inner: { i in
            Deduplicator.prepare(labelled[i], text: texts[i], config: dedupConfig).story.id.utf8.count
        }
        // `full_text: auto`'s rule, which the daemon applies to every new entry with a web link.
        var wanted = 0
        for story in stories where TeaserCheck.check(story, teaserWords: 60, classifier: classifier).wantsPage { wanted += 1 }
        print("teaser check: \(wanted) of \(stories.count) entries would read their page")
        measure("teaser check", items) { _ in 0 } inner: { i in
            TeaserCheck.check(stories[i], teaserWords: 60, classifier: classifier).wantsPage ? 1 : 0
        }
    }

    /// What `StoryPreparer.prepare` builds from an entry (the daemon hashes the source into the id
    /// prefix; the file name stands in for it).
    static func story(_ item: Item) -> Story {
        Story(id: "\(item.source):\(item.entry.id)", title: item.entry.title ?? "", summary: item.entry.summary,
              content: item.entry.content, link: item.entry.link, source: item.source, language: item.feedLanguage,
              published: item.entry.published ?? item.entry.updated)
    }

    private func load() throws -> [Item] {
        if let stories {
            return try String(contentsOfFile: stories, encoding: .utf8).split(separator: "\n").map { line in
                let s = try JSONDecoder().decode(Story.self, from: Data(line.utf8))
                return Item(entry: Entry(id: s.id, title: s.title, link: s.link, published: s.published,
                                         summary: s.summary, content: s.content),
                            source: s.source ?? "-", feedLanguage: s.language)
            }
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: farm)
            .filter { $0.hasSuffix(".rss") || $0.hasSuffix(".atom") || $0.hasSuffix(".xml") }.sorted()
        var items: [Item] = []
        for name in names {
            guard let data = FileManager.default.contents(atPath: farm + "/" + name) else { continue }
            let feed = try FeedParser.parse(data).completeFeed
            items += feed.entries.map { Item(entry: $0, source: name, feedLanguage: feed.language) }
        }
        return items
    }

    private func measure(_ label: String, _ items: [Item], whole: (Item) -> Int, inner: ((Int) -> Int)? = nil) {
        var best = Double.infinity, all: [Double] = []
        var sink = 0
        for _ in 0..<rounds {
            let before = ClassifyBench.Usage.now()
            if let inner { for i in items.indices { sink &+= inner(i) } } else { for item in items { sink &+= whole(item) } }
            let cpu = ClassifyBench.Usage.now().cpu - before.cpu
            best = min(best, cpu)
            all.append(cpu / Double(items.count) * 1e6)
        }
        print(String(format: "prepare: %-14@ best %7.1f µs CPU/entry (rounds: %@) [%d]", label as NSString,
                     best / Double(items.count) * 1e6, all.map { String(format: "%.1f", $0) }.joined(separator: " "), sink & 1))
    }

    private func measure(_ label: String, _ items: [Item], _ whole: (Item) -> Int) {
        measure(label, items, whole: whole, inner: nil)
    }

    /// Every output of preparation, one block per entry, then the dedup decisions in arrival order.
    private func write(dump path: String, _ items: [Item], _ classifier: Classifier) throws {
        var out = ""
        let dedup = Deduplicator()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for item in items {
            var story = Self.story(item)
            out += "== \(story.id)\n"
            // Classified as the daemon does it: before story text, with the declared language.
            out += "matches: \(String(decoding: try encoder.encode(classifier.classify(story)), as: UTF8.self))\n"
            for explanation in classifier.explain(story) { out += explanation.description + "\n" }
            let text = StoryText(story)
            story.language = text.language
            out += "title: \(text.title)\nlink: \(text.canonicalLink ?? "-")\nlanguage: \(text.language ?? "-")\n"
            out += "body:\n\(text.body)\n"
            out += "lead: \(text.lead(words: 80))\n"
            out += "tokens: \(Tokenizer.tokens(text.body).map(\.text).joined(separator: " "))\n"
            let result = dedup.add(Deduplicator.prepare(story, text: text, config: DedupConfig()),
                                   at: story.published ?? Date(timeIntervalSince1970: 0))
            out += "dedup: \(result.duplicateOf ?? "-") \(result.story)\n"
        }
        try out.write(toFile: path, atomically: true, encoding: .utf8)
        // The index holds every fingerprint: a change to fingerprinting shows here byte for byte.
        try dedup.snapshot().write(to: URL(fileURLWithPath: path + ".index"))
        print("prepare: wrote \(path) and \(path).index")
    }
}
