import ArgumentParser
import FeedwatchClassify
import FeedwatchModel
import FeedwatchTestSupport
import Foundation

/// `feedwatch-bench classify`: stories/s through `Classifier.classify` on one core, with CPU
/// seconds and peak RSS; and, when the input carries labels, precision/recall of sahel-security.
struct ClassifyBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classification throughput (one core), CPU seconds, peak RSS."
    )

    @Option(help: "The watchlist to compile.")
    var config = "Config/watchlist.yaml"

    @Option(help: "JSON Lines stories (a \"sahel\" boolean label, if present, is scored).")
    var input: [String] = ["a", "b", "c", "d", "e", "f", "g"].map { "Tests/DevSet/classify/devset-\($0).jsonl" }

    @Option(help: "How many stories to classify (the input is repeated, shuffled, ids varied).")
    var stories = 200_000

    @Option(help: "Rounds; the best round is reported.")
    var rounds = 3

    func run() throws {
        let started = Usage.now()
        let watchlist = try Watchlist.load(path: config)
        let classifier = Classifier(watchlist: watchlist)
        let compiled = Usage.now()
        let labelled = try input.flatMap(Self.read)
        guard !labelled.isEmpty else { throw ValidationError("no stories in \(input)") }
        print("classify: watchlist \(config): \(watchlist.topics.count) topics, "
              + "\(watchlist.topics.reduce(0) { $0 + $1.terms.count }) scoring terms, compiled in "
              + String(format: "%.3f s CPU", compiled.cpu - started.cpu))

        if labelled.contains(where: { $0.label != nil }) { report(labelled, classifier) }

        var generator = SplitMix(seed: 42)
        var corpus: [Story] = []
        corpus.reserveCapacity(stories)
        while corpus.count < stories {
            for item in labelled.shuffled(using: &generator) where corpus.count < stories {
                var story = item.story
                story.id = "\(story.id)#\(corpus.count)"
                corpus.append(story)
            }
        }
        let bytes = corpus.reduce(0) { $0 + $1.title.utf8.count + ($1.summary?.utf8.count ?? 0) + ($1.content?.utf8.count ?? 0) }
        var best = Double.infinity
        var matches = 0
        for round in 1...rounds {
            let before = Usage.now()
            matches = 0
            for story in corpus { matches += classifier.classify(story).count }
            let after = Usage.now()
            let cpu = after.cpu - before.cpu
            best = min(best, cpu)
            print(String(format: "classify: round %d: %d stories in %.3f s CPU (%.3f s wall) = %.0f stories/s CPU, %.1f MB/s",
                         round, corpus.count, cpu, after.wall - before.wall, Double(corpus.count) / cpu,
                         Double(bytes) / cpu / 1e6))
        }
        print(String(format: "classify: best %.0f stories/s on one core (%d topic matches); avg story %d bytes; peak RSS %.1f MB",
                     Double(corpus.count) / best, matches, bytes / corpus.count, Usage.peakRSSMegabytes()))
    }

    struct Labelled {
        var story: Story
        var label: Bool?
    }

    private static func read(_ path: String) throws -> [Labelled] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let data = Data(line.utf8)
            let story = try JSONDecoder().decode(Story.self, from: data)
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            return Labelled(story: story, label: object?["sahel"] as? Bool)
        }
    }

    private func report(_ labelled: [Labelled], _ classifier: Classifier) {
        var tp = 0, fp = 0, fn = 0
        for item in labelled {
            guard let label = item.label else { continue }
            let predicted = classifier.classify(item.story).contains { $0.topic == "sahel-security" }
            if predicted && label { tp += 1 } else if predicted { fp += 1 } else if label { fn += 1 }
        }
        let p = tp + fp == 0 ? 0 : Double(tp) / Double(tp + fp)
        let r = tp + fn == 0 ? 0 : Double(tp) / Double(tp + fn)
        print(String(format: "classify: sahel-security on %d labelled stories: P=%.3f R=%.3f F1=%.3f (tp %d fp %d fn %d)",
                     labelled.filter { $0.label != nil }.count, p, r, p + r == 0 ? 0 : 2 * p * r / (p + r), tp, fp, fn))
    }
}

extension ClassifyBench {
/// Process CPU time, wall time and peak RSS from getrusage (kept in this file: the bench target
/// is shared by several stages).
struct Usage {
    var cpu: Double
    var wall: Double

    static func now() -> Usage {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let cpu = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return Usage(cpu: cpu, wall: Date().timeIntervalSinceReferenceDate)
    }

    /// Linux reports ru_maxrss in kilobytes.
    static func peakRSSMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
}
