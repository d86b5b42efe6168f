import ArgumentParser
import Dispatch
import FeedwatchClassify
import FeedwatchConfig
import FeedwatchDedup
import FeedwatchModel
import FeedwatchParse
import FeedwatchTestSupport
import FeedwatchText
import Foundation

/// `feedwatch-bench farm-dedup`: the alerts a cold pass over a gen-farm farm would raise per
/// labelled event, without fetching. Feeds arrive in a seeded random order (as transfers
/// complete), each feed's new entries oldest first, all at the farm's "now"; as in the daemon,
/// only entries that match a topic are indexed, into an index bounded like the daemon's, and one
/// alerts when it is the first report of its cluster inside the catch-up window (and is then
/// pinned). The farm's labels say which entries report which Sahel event: one alert per fresh
/// event is right.
struct FarmDedupBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "farm-dedup",
        abstract: "Alerts per labelled event in a simulated cold pass over a gen-farm farm."
    )

    @Option(help: "A farm directory (gen-farm generate DIR): www/, labels.jsonl, farm.json.")
    var farm = "/tmp/farm"

    @Option(help: "Seed of the feeds' arrival order.")
    var seed: UInt64 = 1

    @Option(help: "Catch-up window in hours: older reports are backlog and never alert.")
    var maxAgeHours = CatchUp().maxAge / 3600

    @Option(help: "The index's capacity (retention.max_stories; default: the daemon's).")
    var capacity = Retention().maxStories

    @Option(help: "The watchlist that decides what matches.")
    var watchlist = "Config/watchlist.yaml"

    @Flag(help: "Index every entry, not only those that match a topic (how the daemon worked before).")
    var indexAll = false

    @Option(help: "Print this many split events (several alerts) with their reports' titles.")
    var show = 0

    func run() throws {
        let now = try farmNow()
        let labels = try loadLabels()
        let www = farm + "/www"
        var names = try FileManager.default.contentsOfDirectory(atPath: www)
            .filter { $0.hasSuffix(".rss") || $0.hasSuffix(".atom") }.sorted()
        var rng = SplitMix(seed: seed)
        names.shuffle(using: &rng)

        let classifier = Classifier(watchlist: try Watchlist.load(path: watchlist))
        let dedup = Deduplicator()
        dedup.capacity = capacity
        let config = dedup.config
        var catchUp = CatchUp()
        catchUp.maxAge = maxAgeHours * 3600
        var alertedClusters = Set<String>()
        var alertsPerEvent: [Int: Int] = [:]
        var eventsWithFreshReport = Set<Int>()
        var clusterEvents: [String: Set<Int>] = [:]
        var titles: [Int: [String]] = [:]
        var clusterReports: [String: [String]] = [:]
        // The first alerted report of each event, to tell retrieval misses from rule misses.
        var firstAlerted: [Int: PreparedStory] = [:]
        var pairwiseJoin = 0, pairwiseApart = 0
        var entries = 0, indexed = 0, unlabelledAlerts = 0
        var arrival = now
        let start = ClassifyBench.Usage.now()

        // Chunks parsed and prepared on every core, then added in order on this one.
        let chunk = 256
        for from in stride(from: 0, to: names.count, by: chunk) {
            let part = Array(names[from..<min(from + chunk, names.count)])
            let prepared = Self.prepare(part, www: www, classifier: classifier, indexAll: indexAll, config: config)
            for feed in prepared {
                entries += feed.entries
                // Each feed arrives a moment after the last, as each fetch does in the daemon: the
                // capacity bound cuts by arrival time and keeps every story of the cut's moment.
                arrival = arrival.addingTimeInterval(0.001)
                for (story, fingerprint, matched) in feed.indexed {
                    indexed += 1
                    let guid = String(story.id.split(separator: ":", maxSplits: 1).last ?? "")
                    let event = labels[guid]
                    let result = dedup.add(fingerprint, at: arrival)
                    if let event {
                        clusterEvents[result.story, default: []].insert(event)
                        if show > 0 {
                            let published = story.published.map { ISO8601DateFormatter().string(from: $0) } ?? "-"
                            clusterReports[result.story, default: []].append(
                                "[\(event)] \(published) \(result.duplicateOf == nil ? "new " : "copy") \(story.title) | \(story.summary ?? "")")
                        }
                    }
                    let fresh = !catchUp.isBacklog(story.published, firstPoll: true, now: now)
                    if let event, fresh { eventsWithFreshReport.insert(event) }
                    guard fresh, matched, alertedClusters.insert(result.story).inserted else { continue }
                    dedup.pin(result.story)
                    dedup.pin(story.id)
                    guard let event else {
                        unlabelledAlerts += 1
                        continue
                    }
                    alertsPerEvent[event, default: 0] += 1
                    if let first = firstAlerted[event] {
                        let pair = Deduplicator(config: config)
                        _ = pair.add(first, at: now)
                        if pair.add(fingerprint, at: now).story == first.story.id { pairwiseJoin += 1 } else { pairwiseApart += 1 }
                    } else {
                        firstAlerted[event] = fingerprint
                    }
                    if show > 0 { titles[event, default: []].append(story.title) }
                }
            }
        }
        let cpu = ClassifyBench.Usage.now().cpu - start.cpu
        let alerts = alertsPerEvent.values.reduce(0, +)
        let split = alertsPerEvent.filter { $0.value > 1 }
        let missed = eventsWithFreshReport.subtracting(alertsPerEvent.keys)
        let merged = clusterEvents.values.filter { $0.count > 1 }
        print("farm-dedup: \(entries) entries, \(indexed) indexed, \(labels.values.reduce(into: Set<Int>()) { $0.insert($1) }.count) events, "
              + "\(eventsWithFreshReport.count) with a report inside \(Int(maxAgeHours)) h")
        print("farm-dedup: \(alerts) alerts; \(split.count) events alert more than once (at most \(split.values.max() ?? 1)); "
              + "\(missed.count) fresh events never alert; \(merged.count) clusters hold several events; "
              + "\(unlabelledAlerts) alerts on stories of no labelled event")
        print("farm-dedup: of the extra alerts, \(pairwiseJoin) report would join the event's first alert if the two "
              + "were alone in the index (a candidate missed), \(pairwiseApart) would not (the rules keep them apart)")
        print(String(format: "farm-dedup: %.1f s CPU (%.1f µs per entry, preparation on every core included)", cpu,
                     cpu / Double(max(entries, 1)) * 1e6))
        for (event, n) in split.sorted(by: { $0.value > $1.value }).prefix(show) {
            print("  event \(event): \(n) alerts")
            for t in titles[event] ?? [] { print("    \(t)") }
        }
        for (cluster, events) in clusterEvents where events.count > 1 && show > 0 {
            print("  cluster \(cluster) holds events \(events.sorted()):")
            for r in clusterReports[cluster] ?? [] { print("    \(r)") }
        }
    }

    /// One feed's entry count, and the entries the daemon would index, oldest first, fingerprinted.
    struct PreparedFeed {
        var entries = 0
        var indexed: [(Story, PreparedStory, matched: Bool)] = []
    }

    /// Each feed's entries as the daemon adds them: classified, and fingerprinted when they matched.
    static func prepare(_ names: [String], www: String, classifier: Classifier, indexAll: Bool,
                        config: DedupConfig) -> [PreparedFeed] {
        var out = [PreparedFeed](repeating: PreparedFeed(), count: names.count)
        out.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let slots = buffer
            DispatchQueue.concurrentPerform(iterations: names.count) { i in
                guard let data = FileManager.default.contents(atPath: www + "/" + names[i]),
                      let feed = try? FeedParser.parse(data).completeFeed else { return }
                let entries = feed.entries.enumerated().sorted { a, b in
                    let da = a.element.published ?? a.element.updated, db = b.element.published ?? b.element.updated
                    if let da, let db, da != db { return da < db }
                    return a.offset > b.offset
                }.map(\.element)
                slots[i].entries = entries.count
                slots[i].indexed = entries.compactMap { entry in
                    var story = Story(id: "\(names[i]):\(entry.id)", title: entry.title ?? "", summary: entry.summary,
                                      content: entry.content, link: entry.link, source: names[i],
                                      language: feed.language, published: entry.published ?? entry.updated)
                    let matched = !classifier.classify(story).isEmpty
                    guard matched || indexAll else { return nil }
                    let text = StoryText(story)
                    story.language = text.language
                    let prepared = Deduplicator.prepare(story, text: text, config: config)
                    // Kept to show merged events: the title and the lede.
                    story.summary = String(text.body.prefix(240))
                    story.content = nil
                    return (story, prepared.replacing(story: story), matched)
                }
            }
        }
        return out
    }

    private func farmNow() throws -> Date {
        let data = try Data(contentsOf: URL(fileURLWithPath: farm + "/farm.json"))
        // farm.json holds two JSON objects on one line; "now" is in the second.
        let text = String(decoding: data, as: UTF8.self)
        guard let range = text.range(of: "\"now\": ") else { throw ValidationError("no \"now\" in \(farm)/farm.json") }
        let digits = text[range.upperBound...].prefix { $0.isNumber }
        guard let now = Double(digits) else { throw ValidationError("bad \"now\" in \(farm)/farm.json") }
        return Date(timeIntervalSince1970: now)
    }

    private func loadLabels() throws -> [String: Int] {
        struct Label: Decodable { var guid: String; var sahel_story: Int? }
        var labels: [String: Int] = [:]
        for line in try String(contentsOfFile: farm + "/labels.jsonl", encoding: .utf8).split(separator: "\n") {
            let label = try JSONDecoder().decode(Label.self, from: Data(line.utf8))
            if let event = label.sahel_story { labels[label.guid] = event }
        }
        return labels
    }
}
